"""The Actuals log (fast: it can hold 100,000+ rows), KPIs without data, unsaved formulas."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date

from ..dedupe import dedupe_actuals, has_repeats
from ..errors import Severity
from ..model import Actual, Aggregation, Goal, Kpi, Settings
from ..parse import Invalid, parse_date, parse_id, parse_number, parse_text, shown
from .rows import Problems, note_date_order, report_invalid

MAX_FORMULA_CELLS = 50
"""Unsaved formulas listed one by one per sheet; the rest are counted in one line."""


def actuals(
    problems: Problems,
    kpis: tuple[Kpi, ...],
    goals: tuple[Goal, ...],
    settings: Settings,
    as_of: date,
) -> tuple[Actual, ...]:
    """The log, column by column. When Excel already typed every date, ID and value, no cell
    is touched one at a time in Python (a 100,000-row log is checked in a few hundredths of a
    second); otherwise each row is parsed and what cannot be read is reported. A row counts
    when its date, KPI and value can be read and the KPI exists."""
    raw = problems.raw.sheets.get("actuals")
    if raw is None or raw.data_start >= len(raw.grid):
        return ()
    body = raw.grid[raw.data_start :]
    first = raw.data_start + 1
    if raw.total_rows:  # read as blank rows; the grid itself is written back as it was
        body = list(body)
        for number in raw.total_rows:
            if 0 <= number - first < len(body):
                body[number - first] = [""] * len(body[number - first])
    columns = list(zip(*body, strict=True))
    blank = ("",) * len(body)
    keys = ("date", "kpi_id", "actual_value", "channel", "source", "notes")
    dates, ids, values, channels, sources, notes = (
        columns[raw.columns[k]] if k in raw.columns else blank for k in keys
    )
    if (
        set(map(type, dates)) == {date}
        and set(map(type, values)) == {float}
        and set(map(type, ids)) == {str}
        and math.isfinite(sum(values))  # no NaN or infinity among them
    ):
        stripped = {k: k.strip() for k in set(ids)}
        rows = (
            dates,
            tuple(map(stripped.__getitem__, ids)),
            values,
            range(first, first + len(body)),
        )
    else:
        rows = _row_by_row(problems, raw, first, dates, ids, values)
    rows = _check_rows(problems, raw, rows, kpis, goals, settings, as_of)
    offsets = [number - first for number in rows[3]]
    texts = (_text_column(column, offsets) for column in (channels, sources, notes))
    kept = list(map(Actual, *rows[:3], *texts, rows[3]))
    if has_repeats(kept):
        _duplicates(problems, kept)
    return tuple(kept)


Columns = tuple[Sequence[date], Sequence[str], Sequence[float], Sequence[int]]
"""Dates, KPI IDs, values and row numbers of the log rows that can count."""


def _row_by_row(problems: Problems, raw, first: int, dates, ids, values) -> Columns:
    """Cells typed as text (or not at all): parse them, report what cannot be read."""
    kept: list[tuple[date, str, float, int]] = []
    for i, (when, kpi_id, value) in enumerate(zip(dates, ids, values, strict=True)):
        if (
            type(when) is date
            and type(value) is float
            and type(kpi_id) is str
            and math.isfinite(value)
        ):
            kept.append((when, kpi_id.strip(), value, first + i))
            continue
        parsed = _slow_path(problems, raw, first + i, when, kpi_id, value)
        if parsed is not None:
            kept.append((*parsed, first + i))
    return tuple(zip(*kept, strict=True)) if kept else ((), (), (), ())  # type: ignore[return-value]


def _text_column(cells: tuple, offsets: list[int]) -> Sequence[str | None]:
    """Free text of the log, parsed once per distinct value (channels repeat thousands of times)."""
    parsed = {cell: parse_text(cell) for cell in set(cells)}
    if len(offsets) == len(cells):
        return tuple(map(parsed.__getitem__, cells))
    return [parsed[cells[i]] for i in offsets]


def _check_rows(
    problems: Problems,
    raw,
    rows: Columns,
    kpis: tuple[Kpi, ...],
    goals: tuple[Goal, ...],
    settings: Settings,
    as_of: date,
) -> Columns:
    """Drop rows for unknown KPIs; warn about rows after the as-of date or before a KPI starts."""
    dates, ids, values, numbers = rows
    if not dates:
        return rows
    known = {k.id for k in kpis}
    if not set(ids) <= known:
        kpi_sheet = problems.sheet_name("kpis")
        column = raw.header_of("kpi_id")
        for kpi_id, number in zip(ids, numbers, strict=True):
            if kpi_id not in known:
                where = {"sheet": raw.name, "row": number, "column": column}
                problems.add(Severity.ERROR, "unknown_ref", found=kpi_id, target=kpi_sheet, **where)
        keep = [i for i, kpi_id in enumerate(ids) if kpi_id in known]
        dates, ids, values, numbers = ([column[i] for i in keep] for column in rows)
        if not dates:
            return (), (), (), ()
    starts = _kpi_starts(kpis, goals, settings)
    earliest_start = min(starts.values(), default=date.min)
    if max(dates) > as_of or min(dates) < earliest_start:
        _report_dates(problems, raw, dates, ids, numbers, starts, as_of)
    return dates, ids, values, numbers


def _report_dates(problems: Problems, raw, dates, ids, numbers, starts, as_of: date) -> None:
    column = raw.header_of("date")
    far_past = date.min
    for when, kpi_id, number in zip(dates, ids, numbers, strict=True):
        if when > as_of:
            where = {"sheet": raw.name, "row": number, "column": column}
            problems.add(
                Severity.WARNING, "actual_after_as_of", found=when, as_of=as_of.isoformat(), **where
            )
        elif when < starts.get(kpi_id, far_past):
            where = {"sheet": raw.name, "row": number, "column": column}
            start = starts[kpi_id].isoformat()
            problems.add(
                Severity.WARNING,
                "actual_before_start",
                found=when,
                kpi=kpi_id,
                start=start,
                **where,
            )


def _slow_path(
    problems: Problems, raw, number: int, when: object, kpi_id: object, value: object
) -> tuple[date, str, float] | None:
    """Cells typed as text (or not at all): parse them, report what cannot be read."""
    typed = when
    when, kpi_id, value = parse_date(when), parse_id(kpi_id), parse_number(value)
    if type(typed) is str:
        where = {"sheet": raw.name, "row": number, "column": raw.header_of("date")}
        note_date_order(problems, typed, when, **where)
    if when is None and kpi_id is None and value is None:
        return None  # a row of spaces only
    ok = True
    for key, parsed in (("date", when), ("kpi_id", kpi_id), ("actual_value", value)):
        where = {"sheet": raw.name, "row": number, "column": raw.header_of(key)}
        if isinstance(parsed, Invalid):
            report_invalid(problems, parsed, **where)
            ok = False
        elif parsed is None:
            problems.add(Severity.ERROR, "required_missing", **where)
            ok = False
    return (when, kpi_id, value) if ok else None


def _kpi_starts(
    kpis: tuple[Kpi, ...], goals: tuple[Goal, ...], settings: Settings
) -> dict[str, date]:
    """KPI start, else its goal's, else the plan's (Settings, else the earliest goal date) — only
    for KPIs whose log is added up (a "latest" KPI may use a value logged before it starts)."""
    goal_start = {g.id: g.start for g in goals}
    plan_start = settings.plan_start or min(
        (d for g in goals for d in (g.start, g.due) if d is not None), default=None
    )
    starts = {}
    for kpi in kpis:
        if kpi.aggregation is Aggregation.LATEST:
            continue
        start = kpi.start or goal_start.get(kpi.goal_id or "") or plan_start
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
        if raw.total_rows:  # a totals row is not read: its formulas do not matter
            cells = [c for c in cells if _row_of(c) not in raw.total_rows]
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


def _row_of(ref: str) -> int | None:
    match = _REF.fullmatch(ref)
    return int(match.group(2)) if match else None


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1
