"""Everything a refresh writes from, gathered once: the writers only read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ..errors import DataProblem
from ..labels import Lang
from ..results import Results
from ..trend import TrendRow


@dataclass(frozen=True)
class RefreshContext:
    loaded: object
    """api.LoadedPlan: the raw workbook (every cell as read), the plan and validation problems."""
    results: Results
    lang: Lang
    as_of: date
    refreshed_at: datetime
    version: str
    trend: tuple[TrendRow, ...]
    """Earlier snapshots merged with this refresh's (same as-of date replaced)."""
    problems: tuple[DataProblem, ...]
    """Validation and computation problems together, errors first, in reading order."""
    extra_grids: dict[str, list[list]] = field(default_factory=dict)
    own_reports: dict[str, str] | None = None
    """Report key → name of the sheets an earlier refresh wrote (None: trust the names)."""
    """The user's own sheets (name → every row from A1), copied as they are."""

    @property
    def raw(self):
        return self.loaded.raw  # type: ignore[attr-defined]

    @property
    def plan(self):
        return self.loaded.plan  # type: ignore[attr-defined]

    @property
    def currency(self) -> str:
        return self.plan.settings.currency
