"""What the engine computes: frozen records, one per goal, KPI, tactic, owner and month.

Fractions (shares, progress, utilisation) are stored as fractions (0.6, not 60), money in the
plan's currency, dates as dates. None means "cannot be computed from this row" (a field is
blank or unreadable, and Data Checks says why); it is never a stand-in for zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .errors import DataProblem
from .model import Choice


class Quadrant(Choice):
    """Value-vs-complexity quadrant, in priority order."""

    QUICK_WIN = "quick_win"
    BIG_BET = "big_bet"
    FILL_IN = "fill_in"
    MONEY_PIT = "money_pit"

    @classmethod
    def label_prefix(cls) -> str:
        return "quadrant"


class DueStatus(Choice):
    """A tactic's due-date status, in the order the rules are tried."""

    DROPPED = "dropped"
    DONE = "done"
    NO_DUE_DATE = "no_due_date"
    OVERDUE = "overdue"
    BLOCKED = "blocked"
    DUE_SOON = "due_soon"
    BEHIND = "behind"
    SCHEDULED = "scheduled"
    ON_TRACK = "on_track"

    @classmethod
    def label_prefix(cls) -> str:
        return "due"


class KpiStatus(Choice):
    """Status of a KPI or a goal against its target and the time elapsed."""

    NO_DATA = "no_data"
    NOT_STARTED = "not_started"
    ACHIEVED = "achieved"
    STRETCH_ACHIEVED = "stretch_achieved"
    MISSED = "missed"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"

    @classmethod
    def label_prefix(cls) -> str:
        return "kpi_status"


class TimeFrame(Choice):
    SHORT = "short"
    MID = "mid"
    LONG = "long"

    @classmethod
    def label_prefix(cls) -> str:
        return "timeframe"


class WeightSource(Choice):
    """Where the goal shares came from."""

    PROFILE = "profile"
    COLUMN = "column"
    EQUAL = "equal"

    @classmethod
    def label_prefix(cls) -> str:
        return "weight_source"


class Tone(Choice):
    """Traffic-light colour of a status, shared by the terminal report and the workbook."""

    GOOD = "good"
    WARN = "warn"
    BAD = "bad"
    MUTED = "muted"

    @classmethod
    def label_prefix(cls) -> str:
        return "tone"


TONE: dict[Choice, Tone] = {
    KpiStatus.NO_DATA: Tone.MUTED,
    KpiStatus.NOT_STARTED: Tone.MUTED,
    KpiStatus.ACHIEVED: Tone.GOOD,
    KpiStatus.STRETCH_ACHIEVED: Tone.GOOD,
    KpiStatus.MISSED: Tone.BAD,
    KpiStatus.ON_TRACK: Tone.GOOD,
    KpiStatus.AT_RISK: Tone.WARN,
    KpiStatus.OFF_TRACK: Tone.BAD,
    DueStatus.DROPPED: Tone.MUTED,
    DueStatus.DONE: Tone.GOOD,
    DueStatus.NO_DUE_DATE: Tone.MUTED,
    DueStatus.OVERDUE: Tone.BAD,
    DueStatus.BLOCKED: Tone.BAD,
    DueStatus.DUE_SOON: Tone.WARN,
    DueStatus.BEHIND: Tone.WARN,
    DueStatus.SCHEDULED: Tone.MUTED,
    DueStatus.ON_TRACK: Tone.GOOD,
    Quadrant.QUICK_WIN: Tone.GOOD,
    Quadrant.BIG_BET: Tone.WARN,
    Quadrant.FILL_IN: Tone.MUTED,
    Quadrant.MONEY_PIT: Tone.BAD,
}
"""Green / amber / red / grey for every status and quadrant."""


@dataclass(frozen=True)
class PlanFrame:
    """The settings with SPEC §3 defaults applied: what the computations actually used."""

    as_of: date
    start: date | None
    end: date | None
    total_budget: float | None
    total_budget_is_default: bool
    weight_source: WeightSource


@dataclass(frozen=True)
class TacticResult:
    id: str
    row: int
    quadrant: Quadrant | None
    score: float | None
    rank: int | None
    target_pct: float | None
    """Share of the whole plan's budget and time this tactic should get (a fraction)."""
    target_budget: float | None
    due_status: DueStatus
    days_left: int | None
    """Due − as-of in days (negative when overdue); None without a due date or once closed."""
    fundable: bool


@dataclass(frozen=True)
class GoalAllocation:
    goal_id: str
    weight_share: float | None
    target_share: float
    """The goal's weight share if it has a fundable tactic, else 0 (its share is Unallocated)."""
    target_budget: float | None
    planned_budget: float
    planned_budget_share: float | None
    budget_gap: float | None
    """Planned share − target share: positive means more money planned than the weights ask."""
    planned_hours: float
    planned_hours_share: float | None
    hours_gap: float | None
    fundable_tactics: int


@dataclass(frozen=True)
class OwnerLoad:
    name: str
    row: int | None
    """Row on the Team sheet, None for an owner found only on Tactics."""
    hours: float
    capacity: float | None
    utilisation: float | None
    over_allocated: bool
    tactics: int


@dataclass(frozen=True)
class Allocation:
    goals: tuple[GoalAllocation, ...]
    owners: tuple[OwnerLoad, ...]
    total_budget: float | None
    planned_budget: float
    planned_hours: float
    unallocated_share: float
    unallocated_budget: float | None


@dataclass(frozen=True)
class KpiResult:
    id: str
    goal_id: str | None
    row: int
    start: date | None
    due: date | None
    lower_is_better: bool
    actual: float | None
    from_log: bool
    """True when the actual comes from the Actuals log, False when from Current (or none)."""
    progress: float | None
    expected: float | None
    status: KpiStatus | None
    stretch_progress: float | None
    last_update: date | None
    stale: bool
    forecast: float | None
    on_course: bool | None


@dataclass(frozen=True)
class GoalResult:
    id: str
    row: int
    start: date | None
    due: date | None
    weight_share: float | None
    time_frame: TimeFrame | None
    progress: float | None
    expected: float | None
    status: KpiStatus | None
    smart: str
    """The letters of SMART met, a dash for each missed, e.g. `SM-RT`."""


@dataclass(frozen=True)
class MonthPoint:
    month: date
    """The first day of the month."""
    at: date
    """The date the plan value is for: month end, or the KPI's due date in its last month."""
    planned: float
    actual: float | None
    gap: float | None
    """Actual − planned, in the KPI's unit (for a lower-is-better KPI a negative gap is ahead)."""


@dataclass(frozen=True)
class MonthlyBreakdown:
    kpi_id: str
    months: tuple[MonthPoint, ...]


@dataclass(frozen=True)
class StatusCount:
    status: Choice
    count: int


@dataclass(frozen=True)
class PriorityItem:
    rank: int
    tactic_id: str
    name: str | None
    goal_id: str | None
    owner: str | None
    quadrant: Quadrant
    score: float
    due: date | None
    due_status: DueStatus


@dataclass(frozen=True)
class OverdueItem:
    tactic_id: str
    name: str | None
    owner: str | None
    due: date
    days_overdue: int


@dataclass(frozen=True)
class StaleItem:
    kpi_id: str
    name: str | None
    last_update: date
    days_since: int


@dataclass(frozen=True)
class Summary:
    """The headline: what `sheetplan summary`, the Dashboard and the e-mail show first."""

    plan_name: str | None
    as_of: date
    currency: str
    start: date | None
    end: date | None
    goals: tuple[StatusCount, ...]
    kpis: tuple[StatusCount, ...]
    tactics: tuple[StatusCount, ...]
    goal_total: int
    kpi_total: int
    tactic_total: int
    budget_total: float | None
    budget_planned: float
    budget_unallocated: float | None
    unallocated_share: float
    top_priorities: tuple[PriorityItem, ...]
    overdue: tuple[OverdueItem, ...]
    stale_kpis: tuple[StaleItem, ...]
    over_allocated: tuple[OwnerLoad, ...]


@dataclass(frozen=True)
class Results:
    """Everything computed for one plan and one as-of date."""

    frame: PlanFrame
    goals: tuple[GoalResult, ...]
    kpis: tuple[KpiResult, ...]
    tactics: tuple[TacticResult, ...]
    allocation: Allocation
    monthly: tuple[MonthlyBreakdown, ...]
    summary: Summary
    problems: tuple[DataProblem, ...]
    """Warnings and notes found while computing (stale KPIs, unfunded goals …)."""
