"""What every computation shares: the plan frame, the language, and the problems found."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .. import labels
from ..errors import DataProblem, Severity
from ..labels import Lang
from ..model import Goal, Plan, Settings

EPS = 1e-9
"""Comparisons on a boundary (progress exactly at a tolerance) count as met despite float noise:
0.4 − 0.25 is 0.15000000000000002 in binary floating point."""


@dataclass
class Context:
    plan: Plan
    as_of: date
    lang: Lang
    start: date | None
    end: date | None
    problems: list[DataProblem] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        return self.plan.settings

    def warn(
        self,
        severity: Severity,
        code: str,
        sheet: str,
        row: int | None,
        column: str | None = None,
        found: object = None,
        **values: object,
    ) -> None:
        """Record a problem located on a standard sheet and column, in the plan's language."""
        sheet_name = labels.text(f"sheet.{sheet}", self.lang)
        column_name = labels.text(column, self.lang) if column else None
        found_text = None if found is None else _shown(found)
        message = labels.text(f"compute.{code}", self.lang, found=found_text, **values)
        self.problems.append(
            DataProblem(severity, code, message, sheet_name, row, column_name, found_text)
        )


def plan_dates(plan: Plan) -> tuple[date | None, date | None]:
    """Plan start and end: the settings, else the earliest and latest date on any goal."""
    dates = [d for g in plan.goals for d in (g.start, g.due) if d is not None]
    start = plan.settings.plan_start or (min(dates) if dates else None)
    end = plan.settings.plan_end or (max(dates) if dates else None)
    return start, end


def goal_dates(goal: Goal | None, ctx: Context) -> tuple[date | None, date | None]:
    """A goal's own dates, falling back to the plan's."""
    start = goal.start if goal is not None and goal.start is not None else ctx.start
    due = goal.due if goal is not None and goal.due is not None else ctx.end
    return start, due


def elapsed(start: date | None, due: date | None, as_of: date) -> float | None:
    """Share of the period from start to due that has passed at as_of, clamped to [0, 1]."""
    if start is None or due is None:
        return None
    if due <= start:
        return 1.0 if as_of >= due else 0.0
    return min(1.0, max(0.0, (as_of - start).days / (due - start).days))


_DIGITS = re.compile(r"(\d+)")


def natural_key(ident: str) -> tuple:
    """IDs in the order people expect: T2 before T10."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in _DIGITS.split(ident))


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def percent(value: float) -> str:
    """A fraction as people write it in a message: 0.125 → 12.5%."""
    return f"{round(value * 100, 1):g}%"


def number(value: float) -> str:
    """A number for a message: thousands separated, at most two decimals, no trailing zeros."""
    rounded = round(float(value), 2)
    if rounded.is_integer():
        return f"{int(rounded):,}"
    return f"{rounded:,.2f}".rstrip("0").rstrip(".")
