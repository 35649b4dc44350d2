"""The input sheets and their columns, declared once.

The reader finds sheets and headers with it, the validator knows what each column holds, and
the template writes headers, notes, formats and dropdowns from it. Labels (both languages,
aliases) live in data/labels; this module only names the keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .model import (
    Aggregation,
    Category,
    Choice,
    KpiLevel,
    Language,
    Platform,
    TacticStatus,
    ValueKind,
)


class Kind(Enum):
    TEXT = "text"
    ID = "id"
    REF = "ref"  # the ID of a row on another sheet
    OWNER = "owner"  # a name from the Team sheet
    DATE = "date"
    NUMBER = "number"
    MONEY = "money"
    PERCENT = "percent"
    SCORE = "score"
    HOURS = "hours"
    CHOICE = "choice"
    INTEGER = "integer"
    SCALE = "scale"
    LIST = "list"  # comma-separated text


@dataclass(frozen=True)
class Column:
    key: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: type[Choice] | None = None
    refers_to: str | None = None
    width: float = 14
    open_list: bool = False  # other text is accepted with a warning
    near: float = 0.5
    """How alike (difflib ratio) a value must be to a list entry for "did you mean"."""

    @property
    def label_key(self) -> str:
        return f"col.{self.key}"

    @property
    def note_key(self) -> str:
        return f"note.{self.key}"


@dataclass(frozen=True)
class Sheet:
    key: str
    columns: tuple[Column, ...]
    required: bool = False
    id_column: str | None = None
    claimed_by_headers: bool = False
    """Read as this sheet only when its headers are sheetplan's too: a common word such as
    "Sources" may name a sheet of the user's own, which then stays theirs."""

    @property
    def label_key(self) -> str:
        return f"sheet.{self.key}"

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


@dataclass(frozen=True)
class Setting:
    key: str
    kind: Kind
    choices: type[Choice] | None = None

    @property
    def label_key(self) -> str:
        return f"setting.{self.key}"

    @property
    def note_key(self) -> str:
        return f"note.setting.{self.key}"


SETTINGS: tuple[Setting, ...] = (
    Setting("plan_name", Kind.TEXT),
    Setting("plan_start", Kind.DATE),
    Setting("plan_end", Kind.DATE),
    Setting("as_of", Kind.DATE),
    Setting("total_budget", Kind.MONEY),
    Setting("currency", Kind.TEXT),
    Setting("weighting_profile", Kind.TEXT),
    Setting("due_soon_days", Kind.INTEGER),
    Setting("on_track_tolerance", Kind.PERCENT),
    Setting("at_risk_tolerance", Kind.PERCENT),
    Setting("score_scale", Kind.SCALE),
    Setting("stale_after_days", Kind.INTEGER),
    Setting("language", Kind.CHOICE, Language),
    Setting("mail_to", Kind.LIST),
)

_ID = Column("id", Kind.ID, required=True, width=8)
_OWNER = Column("owner", Kind.OWNER, refers_to="team", width=14)
_NOTES = Column("notes", Kind.TEXT, width=36)
_START = Column("start", Kind.DATE, width=12)
_DUE = Column("due", Kind.DATE, width=12)
_WEIGHT = Column("weight", Kind.NUMBER, width=9)
_GOAL_ID = Column("goal_id", Kind.REF, required=True, refers_to="goals", width=9)

SETTINGS_SHEET = Sheet(
    "settings",
    (Column("setting_key", Kind.TEXT, width=24), Column("setting_value", Kind.TEXT, width=28)),
)
COMPANY_GOALS = Sheet(
    "company_goals",
    (_ID, Column("company_goal", Kind.TEXT, width=44), _OWNER, _NOTES),
    id_column="id",
)
GOALS = Sheet(
    "goals",
    (
        _ID,
        Column("company_goal_id", Kind.REF, refers_to="company_goals", width=11),
        Column("category", Kind.CHOICE, choices=Category, open_list=True, width=14),
        Column("goal", Kind.TEXT, width=40),
        _OWNER,
        _START,
        _DUE,
        _WEIGHT,
        _NOTES,
    ),
    required=True,
    id_column="id",
)
KPIS = Sheet(
    "kpis",
    (
        _ID,
        _GOAL_ID,
        Column("level", Kind.CHOICE, choices=KpiLevel, width=12),
        Column("kpi", Kind.TEXT, width=34),
        Column("unit", Kind.TEXT, width=10),
        Column("baseline", Kind.NUMBER, width=11),
        Column("target", Kind.NUMBER, required=True, width=11),
        _START,
        _DUE,
        Column("aggregation", Kind.CHOICE, choices=Aggregation, width=12),
        Column("current", Kind.NUMBER, width=11),
        Column("stretch", Kind.NUMBER, width=11),
        _WEIGHT,
        Column("source", Kind.TEXT, width=18),
        _NOTES,
    ),
    required=True,
    id_column="id",
)
TACTICS = Sheet(
    "tactics",
    (
        _ID,
        _GOAL_ID,
        Column("tactic", Kind.TEXT, width=40),
        Column("value", Kind.SCORE, width=8),
        Column("complexity", Kind.SCORE, width=11),
        _OWNER,
        _START,
        _DUE,
        Column("status", Kind.CHOICE, choices=TacticStatus, width=13),
        Column("percent_complete", Kind.PERCENT, width=11),
        Column("budget", Kind.MONEY, width=12),
        Column("hours", Kind.HOURS, width=9),
        _NOTES,
    ),
    required=True,
    id_column="id",
)
TEAM = Sheet(
    "team",
    (
        Column("name", Kind.TEXT, required=True, width=18),
        Column("role", Kind.TEXT, width=24),
        Column("capacity_hours", Kind.HOURS, width=14),
    ),
)
WEIGHTS = Sheet(
    "weights",
    (
        Column("profile", Kind.TEXT, required=True, width=16),
        Column("category", Kind.CHOICE, choices=Category, open_list=True, required=True, width=16),
        Column("weight", Kind.NUMBER, required=True, width=10),
    ),
)
ACTUALS = Sheet(
    "actuals",
    (
        Column("date", Kind.DATE, required=True, width=12),
        Column("kpi_id", Kind.REF, required=True, refers_to="kpis", width=9),
        Column("actual_value", Kind.NUMBER, required=True, width=12),
        Column("channel", Kind.TEXT, width=14),
        Column("source", Kind.TEXT, width=18),
        _NOTES,
    ),
)
SOURCES = Sheet(
    "sources",
    (
        # "did you mean" only for typos: Weibo is not Weixin (WeChat), it is not supported
        Column("platform", Kind.CHOICE, required=True, choices=Platform, width=14, near=0.7),
        Column("export_column", Kind.TEXT, required=True, width=24),
        Column("kpi_id", Kind.REF, refers_to="kpis", width=9),
        Column("channel", Kind.TEXT, width=14),
        Column("value_kind", Kind.CHOICE, choices=ValueKind, width=15),
        _NOTES,
    ),
    claimed_by_headers=True,
)
"""Which column of a platform's analytics export feeds which KPI (`sheetplan import`). Optional;
a row without a KPI ID is a suggestion the user has not mapped yet."""

INPUT_SHEETS: tuple[Sheet, ...] = (
    SETTINGS_SHEET,
    COMPANY_GOALS,
    GOALS,
    KPIS,
    TACTICS,
    TEAM,
    WEIGHTS,
    ACTUALS,
    SOURCES,
)
SHEETS_BY_KEY = {sheet.key: sheet for sheet in INPUT_SHEETS}

OUTPUT_SHEET_KEYS: tuple[str, ...] = (
    "guide",
    "dashboard",
    "allocation",
    "breakdown",
    "trend",
    "data_checks",
)
"""Sheets sheetplan writes itself; never read as user data."""
