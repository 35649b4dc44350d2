"""The Trend log: one row per goal and KPI per as-of date, kept across refreshes.

Each refresh adds a snapshot; refreshing the same as-of date again replaces that date's rows
instead of adding them twice. Rows are read back from the Trend sheet an earlier refresh
wrote, in either language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from . import labels
from .labels import Lang, Matcher
from .model import Plan
from .parse import Invalid, parse_date, parse_id, parse_number, parse_text
from .results import Results

COLUMNS = ("as_of", "kind", "id", "name", "actual", "progress", "status")


@dataclass(frozen=True)
class TrendRow:
    as_of: date
    kind: str
    """"goal" or "kpi"."""
    id: str
    name: str | None
    actual: float | None
    progress: float | None
    status: str | None
    """The status label as written (in the language of the refresh that wrote it)."""


def snapshot(plan: Plan, results: Results, lang: Lang) -> list[TrendRow]:
    """This refresh's rows: every goal, then every KPI, in sheet order."""
    as_of = results.frame.as_of
    names = {g.id: g.name for g in plan.goals} | {k.id: k.name for k in plan.kpis}
    rows = [
        TrendRow(as_of, "goal", g.id, names.get(g.id), None, g.progress, _status(g.status, lang))
        for g in results.goals
    ]
    rows += [
        TrendRow(as_of, "kpi", k.id, names.get(k.id), k.actual, k.progress, _status(k.status, lang))
        for k in results.kpis
    ]
    return rows


def merge(previous: Iterable[TrendRow], current: list[TrendRow]) -> list[TrendRow]:
    """Earlier snapshots, minus any of the current as-of date, then the current one; by date."""
    dates = {row.as_of for row in current}
    kept = [row for row in previous if row.as_of not in dates]
    return sorted(kept + current, key=lambda row: row.as_of)


def read_rows(grid: list[list]) -> list[TrendRow]:
    """Rows of a Trend sheet written earlier (header first); unreadable rows are skipped."""
    if not grid:
        return []
    matcher = Matcher(f"trend.{c}" for c in COLUMNS)
    position = {}
    for index, cell in enumerate(grid[0]):
        key = matcher.match(str(cell)) if isinstance(cell, str) else None
        if key:
            position.setdefault(key.removeprefix("trend."), index)
    if not {"as_of", "kind", "id"} <= position.keys():
        return []
    kinds = Matcher(["trend.kind.goal", "trend.kind.kpi"])
    rows = []
    for cells in grid[1:]:
        cell = dict.fromkeys(COLUMNS)
        for key, index in position.items():
            cell[key] = cells[index] if index < len(cells) else None
        as_of, ident = parse_date(cell["as_of"]), parse_id(cell["id"])
        kind = kinds.match(str(cell["kind"] or ""))
        if not isinstance(as_of, date) or not ident or kind is None:
            continue
        rows.append(
            TrendRow(
                as_of,
                kind.removeprefix("trend.kind."),
                ident,
                parse_text(cell["name"]),
                _number(cell["actual"]),
                _number(cell["progress"]),
                parse_text(cell["status"]),
            )
        )
    return rows


def header(lang: Lang) -> list[str]:
    return [labels.text(f"trend.{c}", lang) for c in COLUMNS]


def kind_label(kind: str, lang: Lang) -> str:
    return labels.text(f"trend.kind.{kind}", lang)


def _number(cell: object) -> float | None:
    value = parse_number(cell)
    return None if isinstance(value, Invalid) else value


def _status(status, lang: Lang) -> str | None:
    return labels.text(status.label_key, lang) if status is not None else None
