"""The Actuals log (fast: it can hold 100,000+ rows), KPIs without data, unsaved formulas."""

from __future__ import annotations

import re
from datetime import date

from ..compute.actuals import dedupe_actuals
from ..errors import Severity
from ..model import Actual, Goal, Kpi, Settings
from ..parse import Invalid, parse_date, parse_id, parse_number, parse_text, shown
from .rows import Problems, report_invalid

MAX_FORMULA_CELLS = 50
"""Unsaved formulas listed one by one per sheet; the rest are counted in one line."""


def actuals(
    problems: Problems,
    kpis: tuple[Kpi, ...],
    goals: tuple[Goal, ...],
    settings: Settings,
    as_of: date,
) -> tuple[Actual, ...]:
    raw = problems.raw.sheets.get("actuals")
    if raw is None:
        return ()
    cols = raw.columns
    header = raw.header_of
    positions = [
        cols.get(k, -1) for k in ("date", "kpi_id", "actual_value", "channel", "source", "notes")
    ]
    width = max(positions) + 1
    kpi_by_id = {k.id: k for k in kpis}
    starts = _kpi_starts(kpis, goals, settings)
    as_of_text = as_of.isoformat()
    kpi_sheet = problems.sheet_name("kpis")
    kept: list[Actual] = []
    for number, cells in raw.rows:
        if len(cells) < width:
            cells = cells + [None] * (width - len(cells))
        when, kpi_id, value, channel, source, notes = (
            cells[p] if p >= 0 else None for p in positions
        )
        if type(when) is not date:
            when = parse_date(when)
        if type(value) is not float:
            value = parse_number(value)
        kpi_id = (
            parse_id(kpi_id) if type(kpi_id) is not str or not kpi_id.isascii() else kpi_id.strip()
        )
        ok = True
        for key, parsed in (("date", when), ("kpi_id", kpi_id), ("actual_value", value)):
            if isinstance(parsed, Invalid):
                report_invalid(problems, parsed, sheet=raw.name, row=number, column=header(key))
                ok = False
            elif parsed is None or parsed == "":
                problems.add(
                    Severity.ERROR,
                    "required_missing",
                    sheet=raw.name,
                    row=number,
                    column=header(key),
                )
                ok = False
        if not ok:
            continue
        if kpi_id not in kpi_by_id:
            problems.add(
                Severity.ERROR,
                "unknown_ref",
                found=kpi_id,
                target=kpi_sheet,
                sheet=raw.name,
                row=number,
                column=header("kpi_id"),
            )
            continue
        if when > as_of:
            problems.add(
                Severity.WARNING,
                "actual_after_as_of",
                found=when,
                as_of=as_of_text,
                sheet=raw.name,
                row=number,
                column=header("date"),
            )
        else:
            start = starts.get(kpi_id)
            if start is not None and when < start:
                problems.add(
                    Severity.WARNING,
                    "actual_before_start",
                    found=when,
                    kpi=kpi_id,
                    start=start.isoformat(),
                    sheet=raw.name,
                    row=number,
                    column=header("date"),
                )
        kept.append(
            Actual(
                when,
                kpi_id,
                value,
                parse_text(channel) if channel != "" else None,
                parse_text(source) if source != "" else None,
                parse_text(notes) if notes != "" else None,
                number,
            )
        )
    _duplicates(problems, kept)
    return tuple(kept)


def _kpi_starts(
    kpis: tuple[Kpi, ...], goals: tuple[Goal, ...], settings: Settings
) -> dict[str, date]:
    """KPI start, else its goal's, else the plan's — only for KPIs whose log is summed or averaged
    (a "latest" KPI may use a value logged before it starts)."""
    from ..model import Aggregation

    goal_start = {g.id: g.start for g in goals}
    starts = {}
    for kpi in kpis:
        if kpi.aggregation is Aggregation.LATEST:
            continue
        start = kpi.start or goal_start.get(kpi.goal_id or "") or settings.plan_start
        if start is not None:
            starts[kpi.id] = start
    return starts


def _duplicates(problems: Problems, rows: list[Actual]) -> None:
    deduped = dedupe_actuals(rows)
    raw = problems.raw.sheets["actuals"]
    column = raw.header_of("actual_value")
    for dropped, earlier in deduped.exact:
        problems.add(
            Severity.INFO,
            "duplicate_actual",
            other=earlier.row,
            sheet=raw.name,
            row=dropped.row,
            column=column,
        )
    for dropped, kept in deduped.conflicts:
        problems.add(
            Severity.WARNING,
            "conflicting_actual",
            found=dropped.value,
            other=kept.row,
            other_value=shown(kept.value),
            kept=kept.row,
            sheet=raw.name,
            row=dropped.row,
            column=column,
        )


def check_kpi_data(problems: Problems, kpis: tuple[Kpi, ...], logged: tuple[Actual, ...]) -> None:
    with_rows = {a.kpi_id for a in logged}
    actuals_sheet = problems.sheet_name("actuals")
    for kpi in kpis:
        if kpi.current is None and "current" not in kpi.invalid and kpi.id not in with_rows:
            where = problems.where("kpis", kpi.row, "current")
            problems.add(
                Severity.WARNING, "kpi_no_data", found=kpi.id, actuals=actuals_sheet, **where
            )


_REF = re.compile(r"([A-Z]+)([0-9]+)")


def check_formulas(problems: Problems) -> None:
    """Formulas whose result was never saved read as blank: say which cells, so nothing is
    silently taken for empty."""
    for raw in problems.raw.sheets.values():
        cells = problems.raw.unsaved_formulas.get(raw.name, [])
        for ref in cells[:MAX_FORMULA_CELLS]:
            match = _REF.fullmatch(ref)
            row = int(match.group(2)) if match else None
            column = raw.headers.get(_column_index(match.group(1))) if match else None
            problems.add(
                Severity.WARNING,
                "unsaved_formula",
                found=ref,
                sheet=raw.name,
                row=row,
                column=column,
            )
        if len(cells) > MAX_FORMULA_CELLS:
            problems.add(
                Severity.WARNING,
                "more_unsaved_formulas",
                count=len(cells) - MAX_FORMULA_CELLS,
                sheet=raw.name,
            )


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1
