"""Plan records with defaults, so a compute test is a three-line worked example.

Defaults: goal G1 runs from 2026-01-01 to 2026-04-11 (100 days, so each day is 1 % of the
period), scores on 1–5, as of 2026-02-20 (day 50: half the time has passed).
Every factory takes the record's fields as keyword arguments; dates may be given as
"2026-02-15" strings.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sheetplan.compute import compute
from sheetplan.model import (
    Actual,
    Aggregation,
    Category,
    CompanyGoal,
    Goal,
    Kpi,
    Plan,
    Settings,
    Tactic,
    TacticStatus,
    TeamMember,
    WeightRow,
)
from sheetplan.results import Results

START = date(2026, 1, 1)
END = date(2026, 4, 11)
AS_OF = date(2026, 2, 20)

_DATE_FIELDS = {"start", "due", "date", "plan_start", "plan_end", "as_of"}


def d(text: str | date | None) -> date | None:
    """`"2026-02-15"` → date(2026, 2, 15)."""
    if text is None or isinstance(text, date):
        return text
    return date.fromisoformat(text)


def _dates(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: d(v) if k in _DATE_FIELDS else v for k, v in fields.items()}


def settings(**fields: Any) -> Settings:
    return Settings(**_dates(fields))


def company_goal(id: str = "C1", **fields: Any) -> CompanyGoal:
    return CompanyGoal(**{"id": id, "name": "Grow revenue", **fields})


def goal(id: str = "G1", **fields: Any) -> Goal:
    base = {
        "id": id,
        "company_goal_id": "C1",
        "category": Category.AWARENESS,
        "name": f"Goal {id}",
        "start": START,
        "due": END,
    }
    return Goal(**_dates({**base, **fields}))


def kpi(id: str = "K1", **fields: Any) -> Kpi:
    base = {
        "id": id,
        "goal_id": "G1",
        "name": f"KPI {id}",
        "baseline": 0.0,
        "target": 100.0,
        "aggregation": Aggregation.LATEST,
    }
    return Kpi(**_dates({**base, **fields}))


def tactic(id: str = "T1", **fields: Any) -> Tactic:
    base = {
        "id": id,
        "goal_id": "G1",
        "name": f"Tactic {id}",
        "value": 4.0,
        "complexity": 2.0,
        "status": TacticStatus.IN_PROGRESS,
    }
    return Tactic(**_dates({**base, **fields}))


def member(name: str = "Ann", **fields: Any) -> TeamMember:
    return TeamMember(**{"name": name, **fields})


def weight(profile: str, category: Category | str, value: float, row: int = 0) -> WeightRow:
    return WeightRow(profile, category, float(value), row)


def actual(when: str | date, value: float, kpi_id: str = "K1", **fields: Any) -> Actual:
    return Actual(d(when), kpi_id, float(value), **fields)


def actuals(kpi_id: str = "K1", *rows: tuple, channel: str | None = None) -> tuple[Actual, ...]:
    """`actuals("K1", ("2026-01-10", 5), ("2026-01-20", 8))`, rows numbered 2, 3, … in order."""
    return tuple(
        Actual(d(when), kpi_id, float(value), channel, row=i)
        for i, (when, value) in enumerate(rows, start=2)
    )


def plan(
    goals: tuple[Goal, ...] | None = None,
    kpis: tuple[Kpi, ...] = (),
    tactics: tuple[Tactic, ...] = (),
    actuals: tuple[Actual, ...] = (),
    team: tuple[TeamMember, ...] = (),
    weights: tuple[WeightRow, ...] = (),
    company_goals: tuple[CompanyGoal, ...] | None = None,
    **setting_fields: Any,
) -> Plan:
    """A plan with one goal G1 (Awareness, Q1) and company goal C1 unless told otherwise."""
    return Plan(
        settings=settings(**setting_fields),
        company_goals=(company_goal(),) if company_goals is None else company_goals,
        goals=(goal(),) if goals is None else goals,
        kpis=kpis,
        tactics=tactics,
        team=team,
        weights=weights,
        actuals=actuals,
    )


def computed(p: Plan, as_of: str | date = AS_OF, lang: str = "en") -> Results:
    """compute() with the factories' as-of date unless told otherwise."""
    return compute(p, d(as_of), lang)


def by_id(records: Any) -> dict[str, Any]:
    """Results keyed by their id (or goal_id / kpi_id)."""
    out = {}
    for record in records:
        key = getattr(record, "id", None) or getattr(record, "goal_id", None)
        out[key or record.kpi_id] = record
    return out
