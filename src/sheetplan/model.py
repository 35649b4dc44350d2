"""The plan as the marketer typed it: frozen records, one per row, with closed lists as enums.

Records keep the sheet row they came from (for messages and for writing back) and the names
of the fields whose text could not be read (`invalid`), so a computation can leave such a row
out instead of mistaking "unreadable" for "blank".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import NamedTuple


class Choice(Enum):
    """A closed list whose members have labels `<prefix>.<value>` in data/labels."""

    @classmethod
    def label_prefix(cls) -> str:
        raise NotImplementedError

    @property
    def label_key(self) -> str:
        return f"{self.label_prefix()}.{self.value}"


class Category(Choice):
    AWARENESS = "awareness"
    ENGAGEMENT = "engagement"
    TRAFFIC = "traffic"
    LEADS = "leads"
    CONVERSION = "conversion"
    COMMUNITY = "community"
    REPUTATION = "reputation"
    INSIGHT = "insight"
    LOYALTY = "loyalty"

    @classmethod
    def label_prefix(cls) -> str:
        return "category"


class KpiLevel(Choice):
    STRATEGIC = "strategic"
    TACTICAL = "tactical"
    EXECUTION = "execution"
    CONVERSION = "conversion"

    @classmethod
    def label_prefix(cls) -> str:
        return "level"


class Aggregation(Choice):
    LATEST = "latest"
    SUM = "sum"
    AVERAGE = "average"
    MAX = "max"
    MIN = "min"

    @classmethod
    def label_prefix(cls) -> str:
        return "aggregation"


class TacticStatus(Choice):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"
    DROPPED = "dropped"

    @classmethod
    def label_prefix(cls) -> str:
        return "status"


class Language(Choice):
    EN = "en"
    ZH = "zh"

    @classmethod
    def label_prefix(cls) -> str:
        return "language"


class Platform(Choice):
    """The analytics exports `sheetplan import` reads (the Sources sheet's Platform column)."""

    X = "x"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    LINKEDIN = "linkedin"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    WECHAT = "wechat"
    DOUYIN = "douyin"
    XIAOHONGSHU = "xiaohongshu"

    @classmethod
    def label_prefix(cls) -> str:
        return "platform"


class ValueKind(Choice):
    """What an export column's number is: what happened in that period (or to that post), or a
    total to date such as followers."""

    PER_PERIOD = "per_period"
    RUNNING_TOTAL = "running_total"

    @classmethod
    def label_prefix(cls) -> str:
        return "value_kind"


CategoryValue = Category | str
"""A category: one of the nine known ones, or the user's own text (accepted with a warning)."""


@dataclass(frozen=True)
class Settings:
    """The Settings sheet; None means "not set", and the documented default applies."""

    plan_name: str | None = None
    plan_start: date | None = None
    plan_end: date | None = None
    as_of: date | None = None
    total_budget: float | None = None
    currency: str = "USD"
    weighting_profile: str | None = None
    due_soon_days: int = 7
    on_track_tolerance: float = 0.10
    at_risk_tolerance: float = 0.25
    score_scale: tuple[float, float] = (1.0, 5.0)
    stale_after_days: int = 14
    language: Language | None = None
    mail_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompanyGoal:
    id: str
    name: str | None = None
    owner: str | None = None
    notes: str | None = None
    row: int = 0
    invalid: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Goal:
    id: str
    company_goal_id: str | None = None
    category: CategoryValue | None = None
    name: str | None = None
    owner: str | None = None
    start: date | None = None
    due: date | None = None
    weight: float | None = None
    notes: str | None = None
    row: int = 0
    invalid: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Kpi:
    id: str
    goal_id: str | None = None
    level: KpiLevel | None = None
    name: str | None = None
    unit: str | None = None
    baseline: float | None = None
    target: float | None = None
    start: date | None = None
    due: date | None = None
    aggregation: Aggregation = Aggregation.LATEST
    current: float | None = None
    stretch: float | None = None
    weight: float | None = None
    source: str | None = None
    notes: str | None = None
    row: int = 0
    invalid: frozenset[str] = field(default_factory=frozenset)

    @property
    def lower_is_better(self) -> bool:
        return self.target is not None and self.baseline is not None and self.target < self.baseline


@dataclass(frozen=True)
class Tactic:
    id: str
    goal_id: str | None = None
    name: str | None = None
    value: float | None = None
    complexity: float | None = None
    owner: str | None = None
    start: date | None = None
    due: date | None = None
    status: TacticStatus = TacticStatus.NOT_STARTED
    percent_complete: float | None = None
    budget: float | None = None
    hours: float | None = None
    notes: str | None = None
    row: int = 0
    invalid: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class TeamMember:
    name: str
    role: str | None = None
    capacity_hours: float | None = None
    row: int = 0
    invalid: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class WeightRow:
    """One line of a weighting profile: in `profile`, goals of `category` share `weight`."""

    profile: str
    category: CategoryValue
    weight: float
    row: int = 0


class Actual(NamedTuple):
    """One logged measurement. Rows whose date, KPI or value cannot be read are not kept.

    A NamedTuple rather than a frozen dataclass: it is just as immutable, and the log holds
    100,000+ of them, which a NamedTuple builds three times faster."""

    date: date
    kpi_id: str
    value: float
    channel: str | None = None
    source: str | None = None
    notes: str | None = None
    row: int = 0


@dataclass(frozen=True)
class SourceMapping:
    """One row of the Sources sheet: which export column feeds which KPI, on which channel."""

    platform: Platform
    export_column: str
    kpi_id: str
    channel: str | None = None
    value_kind: ValueKind = ValueKind.PER_PERIOD
    row: int = 0


@dataclass(frozen=True)
class Plan:
    settings: Settings = field(default_factory=Settings)
    company_goals: tuple[CompanyGoal, ...] = ()
    goals: tuple[Goal, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    tactics: tuple[Tactic, ...] = ()
    team: tuple[TeamMember, ...] = ()
    weights: tuple[WeightRow, ...] = ()
    actuals: tuple[Actual, ...] = ()
    sources: tuple[SourceMapping, ...] = ()
