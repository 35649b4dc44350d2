"""The sheets sheetplan writes in full each time: Allocation, Breakdown, Trend, Data Checks.

Each is readable on its own: headers in the plan's language, an Excel table to filter and
sort, number formats (money in the plan's currency, fractions as %), status colours and
progress bars, frozen headers and a landscape page one sheet wide.

Breakdown is long, one row per KPI per month, rather than KPIs × month columns: KPIs start
and end in different months, so a wide grid is mostly holes; a long table filters to one KPI
or one month in a click, sorts by gap, and pivots or charts straight from the table.
"""

from __future__ import annotations

from typing import Any

from .. import labels, trend
from ..errors import MoreLikeThis, Severity, cut_per_kind
from .computed import number_format
from .context import RefreshContext
from .sheetkit import (
    LOSS_CODES,
    fitted_width,
    print_setup,
    progress_bars,
    put,
    status_colours,
    styled,
    table_or_filter,
)
from .styles import PALETTE, FormatCache
from .template import leave_out_of_print, paper_for


def _gc_paused(write):
    """Run a sheet writer with the cyclic garbage collector paused: with a 100,000-row plan in
    memory each collection re-scans it all, for nothing (writing makes no cycles)."""
    import functools

    @functools.wraps(write)
    def paused(*args, **kwargs):
        from ..api import paused_gc

        with paused_gc():
            return write(*args, **kwargs)

    return paused


_SHARE = "0.0%"
_GAP = "+0.0%;-0.0%;0.0%"
_MONTH = "yyyy-mm"
_GOAL_WIDTH = 44
_GAP_NOTICE = 0.05
"""A share gap beyond ±5 points is coloured: smaller ones are rounding, not a decision."""


@_gc_paused
def write_allocation(book: Any, formats: FormatCache, ctx: RefreshContext, name: str) -> None:
    """By goal: target vs planned budget and hours, with an Unallocated line and totals;
    by owner: hours against capacity."""
    ws = book.add_worksheet(name)
    alloc = ctx.results.allocation
    lang = ctx.lang
    goal_names = {g.id: g.name for g in ctx.plan.goals}
    t = _texts(lang)
    columns = [
        (t("col.id"), ("id",), None),
        (t("computed.allocation.goal"), ("text",), None),
        (t("computed.allocation.weight_share"), ("percent",), _SHARE),
        (t("computed.allocation.target_share"), ("percent",), _SHARE),
        (t("computed.allocation.target_budget"), ("money",), None),
        (t("computed.allocation.planned_budget"), ("money",), None),
        (t("computed.allocation.planned_budget_share"), ("percent",), _SHARE),
        (t("computed.allocation.budget_gap"), ("percent",), _GAP),
        (t("computed.allocation.planned_hours"), ("hours",), None),
        (t("computed.allocation.planned_hours_share"), ("percent",), _SHARE),
        (t("computed.allocation.hours_gap"), ("percent",), _GAP),
        (t("refresh.allocation.fundable"), ("count",), None),
    ]
    rows: list[list[Any]] = [
        [
            g.goal_id,
            goal_names.get(g.goal_id),
            g.weight_share,
            g.target_share,
            g.target_budget,
            g.planned_budget,
            g.planned_budget_share,
            g.budget_gap,
            g.planned_hours,
            g.planned_hours_share,
            g.hours_gap,
            g.fundable_tactics,
        ]
        for g in alloc.goals
    ]
    unallocated = t("computed.allocation.unallocated")
    rows.append(
        ["", unallocated, None, alloc.unallocated_share, alloc.unallocated_budget]
        + [None] * (len(columns) - 5)
    )
    totals: list[Any] = [t("refresh.allocation.total"), None]
    totals += [_sum(rows, c) for c in range(2, len(columns))]
    totals[7] = totals[10] = None
    header = _section(
        ws, formats, 0, t("refresh.allocation.by_goal"), t("refresh.allocation.note_goals")
    )
    wrap = {1: _GOAL_WIDTH}
    last = _table(
        ws, book, formats, header, columns, rows, "tbl_allocation_goals", wrap=wrap, lang=lang
    )
    italic = styled(formats, "text", italic=True, font_color=PALETTE["muted"])
    put(ws, last, 1, unallocated, italic, book)
    for c, value in enumerate(totals):
        tokens, num_format = columns[c][1], columns[c][2]
        extra: dict[str, Any] = {"num_format": num_format} if num_format else {}
        if "count" in tokens:
            extra.update(align="center", indent=0)
        style = styled(formats, *_tokens(tokens), "key", top=1, top_color=PALETTE["navy"], **extra)
        put(ws, last + 1, c, value, style, book)
        if value is None:
            ws.write_blank(last + 1, c, None, style.fmt)
    for col in (7, 10):
        _gap_colours(ws, formats, header + 1, last - 1, col)

    header = _section(
        ws, formats, last + 4, t("refresh.allocation.by_owner"), t("refresh.allocation.note_owners")
    )
    owner_columns = [
        (t("computed.allocation.owner"), ("text",), None),
        (t("refresh.allocation.tactics"), ("count",), None),
        (t("computed.allocation.planned_hours"), ("hours",), None),
        (t("computed.allocation.capacity"), ("hours",), None),
        (t("computed.allocation.utilisation"), ("percent",), None),
        (t("computed.allocation.over_allocated"), ("text",), None),
    ]
    owner_rows = [
        [
            o.name,
            o.tactics,
            o.hours,
            o.capacity,
            o.utilisation,
            t("yes") if o.over_allocated else t("no"),
        ]
        for o in alloc.owners
    ]
    end = _table(
        ws, book, formats, header, owner_columns, owner_rows, "tbl_allocation_owners", first_col=1
    )
    progress_bars(ws, header + 1, end, 5)
    status_colours(ws, header + 1, end, 6, (), formats, extra={t("yes"): "bad"})
    widths = _widths(columns, [*rows, totals], ctx.currency)
    for c, width in enumerate(_widths(owner_columns, owner_rows), start=1):
        widths[c] = max(widths[c], width)
    widths[1] = _GOAL_WIDTH
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.hide_gridlines(2)
    print_setup(ws, lang, -1, paper=paper_for(ctx.currency, lang))
    ws.set_tab_color(PALETTE["teal"])


@_gc_paused
def write_breakdown(book: Any, formats: FormatCache, ctx: RefreshContext, name: str) -> None:
    """The monthly breakdown: per KPI and month, the plan at month end, the actual, the gap."""
    ws = book.add_worksheet(name)
    lang = ctx.lang
    t = _texts(lang)
    kpis = {k.id: k for k in ctx.plan.kpis}
    results = {k.id: k for k in ctx.results.kpis}
    columns = [
        (t("refresh.breakdown.goal"), ("id",), None),
        (t("col.id"), ("id",), None),
        (t("computed.breakdown.kpi"), ("text",), None),
        (t("refresh.breakdown.level"), ("text",), None),
        (t("refresh.breakdown.unit"), ("text",), None),
        (t("computed.breakdown.month"), ("date",), _MONTH),
        (t("refresh.breakdown.at"), ("date",), None),
        (t("computed.breakdown.planned"), ("number",), None),
        (t("computed.breakdown.actual"), ("number",), None),
        (t("computed.breakdown.gap"), ("number",), None),
    ]
    rows = []
    behind: list[bool | None] = []
    for item in ctx.results.monthly:
        kpi = kpis.get(item.kpi_id)
        lower = results[item.kpi_id].lower_is_better if item.kpi_id in results else False
        level = labels.text(kpi.level.label_key, lang) if kpi and kpi.level else None
        for point in item.months:
            rows.append(
                [
                    kpi.goal_id if kpi else None,
                    item.kpi_id,
                    kpi.name if kpi else None,
                    level,
                    kpi.unit if kpi else None,
                    point.month,
                    point.at,
                    point.planned,
                    point.actual,
                    point.gap,
                ]
            )
            behind.append(
                None if point.gap is None else (point.gap > 0 if lower else point.gap < 0)
            )
    end = _table(ws, book, formats, 0, columns, rows, "tbl_breakdown", numbers=(7, 8))
    for r, late in enumerate(behind, start=1):
        gap = rows[r - 1][9]
        if gap is None:
            continue
        colour = PALETTE["red"] if late else PALETTE["green"]
        fmt = styled(formats, "number", num_format=_gap_format(gap), font_color=colour)
        put(ws, r, 9, gap, fmt, book)
    _finish(ws, ctx, columns, rows, end)


@_gc_paused
def write_trend(book: Any, formats: FormatCache, ctx: RefreshContext, name: str) -> None:
    """One row per goal and KPI per as-of date; the next refresh reads it back to append."""
    ws = book.add_worksheet(name)
    lang = ctx.lang
    headers = trend.header(lang)
    tokens = [("date",), ("text",), ("id",), ("text",), ("number",), ("percent",), ("text",)]
    columns = [(h, tok, None) for h, tok in zip(headers, tokens, strict=True)]
    rows = [
        [
            row.as_of,
            trend.kind_label(row.kind, lang),
            row.id,
            row.name,
            row.actual,
            row.progress,
            row.status,
        ]
        for row in ctx.trend
    ]
    end = _table(ws, book, formats, 0, columns, rows, "tbl_trend", numbers=(4,))
    progress_bars(ws, 1, end, 5)
    status_colours(ws, 1, end, 6, ("kpi_status",), formats)
    _finish(ws, ctx, columns, rows, end)
    leave_out_of_print(ws, len(columns) + 1)


@_gc_paused
def write_data_checks(book: Any, formats: FormatCache, ctx: RefreshContext, name: str) -> None:
    """Every problem found, errors first in reading order, filterable, coloured by severity;
    then anything the writer could not carry over."""
    ws = book.add_worksheet(name)
    lang = ctx.lang
    t = _texts(lang)
    columns = [
        (t("refresh.checks.severity"), ("text",), None),
        (t("refresh.checks.sheet"), ("text",), None),
        (t("refresh.checks.row"), ("integer",), None),
        (t("refresh.checks.column"), ("text",), None),
        (t("refresh.checks.found"), ("text",), None),
        (t("refresh.checks.message"), ("text",), None),
    ]
    rows = [_loss_row(loss, lang) for loss in book.losses.items]
    for old, new in book.renamed:
        message = labels.text("refresh.renamed_sheet", lang, old=old, new=new)
        rows.append([t("severity.warning"), old, None, None, old, message])
    rows += _problem_rows(ctx.problems, lang)
    if not rows:
        rows = [[None, None, None, None, None, t("refresh.checks.none")]]
    end = _table(ws, book, formats, 0, columns, rows, "tbl_data_checks", wrap={5: 70}, lang=lang)
    severity = {t(f"severity.{s.value}"): tok for s, tok in _SEVERITY_TOKENS.items()}
    status_colours(ws, 1, end, 0, (), formats, extra=severity)
    widths = _widths(columns, rows)
    widths[5] = 70
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)
    print_setup(ws, lang, 0, paper=paper_for(ctx.currency, lang))
    has = {p.severity for p in ctx.problems}
    tab = "red" if Severity.ERROR in has else "amber" if Severity.WARNING in has else "green"
    ws.set_tab_color(PALETTE[tab])


CHECKS_PER_KIND = 1_000
"""Data Checks rows for one kind of problem (same severity, code and sheet) before the rest is
counted: a log pasted twice over is one problem to fix, not 900,000 rows to scroll."""


def _problem_rows(problems, lang) -> list[list]:
    rows: list[list] = []
    for item in cut_per_kind(problems, CHECKS_PER_KIND):
        p = item.last if isinstance(item, MoreLikeThis) else item
        severity = labels.text(f"severity.{p.severity.value}", lang)
        if isinstance(item, MoreLikeThis):
            more = labels.text("refresh.checks.more", lang, count=f"{item.count:,}")
            rows.append([severity, p.sheet, None, p.column, None, more])
        else:
            rows.append([severity, p.sheet, p.row, p.column, p.found, p.message])
    return rows


# ---------------------------------------------------------------------------------------------

_SEVERITY_TOKENS = {Severity.ERROR: "bad", Severity.WARNING: "warn", Severity.INFO: "info"}


def _texts(lang):
    return lambda key: labels.text(key, lang)


def _section(ws: Any, formats: FormatCache, row: int, title: str, note: str) -> int:
    """A section title and a one-paragraph note above a table; returns the header row."""
    ws.write_string(row, 0, title, formats.get("section"))
    ws.set_row(row, 24)
    ws.merge_range(row + 1, 0, row + 1, 8, note, formats.get("muted"))
    ws.set_row(row + 1, 36)
    return row + 2


def _table(
    ws: Any,
    book: Any,
    formats: FormatCache,
    header: int,
    columns: list,
    rows: list[list[Any]],
    name: str,
    *,
    numbers: tuple[int, ...] = (),
    first_col: int = 0,
    wrap: dict[int, float] | None = None,
    lang: str = "en",
) -> int:
    """The rows below a header row as an Excel table; returns the last data row. Columns in
    `wrap` (position → width) wrap their text, and the rows grow to show it."""
    styles = []
    for c, (_, tokens, num_format) in enumerate(columns):
        overrides = {"num_format": num_format} if num_format else {}
        if "count" in tokens:
            overrides.update(align="center", indent=0)
        if wrap and c in wrap:
            tokens = (*tokens, "wrap")
        styles.append(styled(formats, *_tokens(tokens), valign="vcenter", **overrides))
    for r, row in enumerate(rows, start=header + 1):
        for c, value in enumerate(row):
            style = styles[c]
            if c in numbers and isinstance(value, float):
                fmt = number_format(value)
                style = styled(formats, *_tokens(columns[c][1]), num_format=fmt, valign="vcenter")
            put(ws, r, first_col + c, value, style, book)
    last = header + max(len(rows), 1)
    header_style = styled(formats, "header")
    table_or_filter(
        ws,
        header,
        last,
        [c[0] for c in columns],
        [header_style] * len(columns),
        name=name,
        first_col=first_col,
    )
    ws.set_row(header, 26)
    if wrap:
        _wrapped_heights(ws, rows, header + 1, wrap, lang)
    return last


def _tokens(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """A "count" (of tactics) is an integer shown centred; not a styles token of its own."""
    return tuple("integer" if t == "count" else t for t in tokens)


def _wrapped_heights(ws: Any, rows: list, first: int, wrap: dict[int, float], lang) -> None:
    from .template import display_width

    line = 15.0 if lang == "en" else 16.5
    for r, row in enumerate(rows, start=first):
        lines = 1
        for c, width in wrap.items():
            value = row[c] if c < len(row) else None
            if isinstance(value, str):
                lines = max(lines, -(-int(display_width(value) * 0.9) // int(width - 1)))
        if lines > 1:
            ws.set_row(r, 4 + min(lines, 8) * line)


def _finish(ws: Any, ctx: RefreshContext, columns: list, rows: list, end: int) -> None:
    for col, width in enumerate(_widths(columns, rows, ctx.currency)):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)
    print_setup(ws, ctx.lang, 0, paper=paper_for(ctx.currency, ctx.lang), id_column=True)
    ws.set_tab_color(PALETTE["teal"])


def _widths(columns: list, rows: list[list[Any]], currency: str | None = None) -> list[float]:
    """Column widths from each value as it is shown (with its currency symbol, sign and
    decimals), so a number never runs into the next column's text."""
    from ..report import money

    widths = []
    for c, (header, tokens, num_format) in enumerate(columns):
        shown = []
        for row in rows:
            value = row[c] if c < len(row) else None
            if isinstance(value, (int, float)) and "money" in tokens:
                shown.append(money(value, currency or "USD") + "  ")
            elif isinstance(value, float) and "percent" in tokens:
                shown.append("+100.0%")
            elif num_format == _MONTH and value is not None:
                shown.append("2026-01")
            else:
                shown.append(value)
        widths.append(fitted_width(header, shown, minimum=8))
    return widths


def _gap_colours(ws: Any, formats: FormatCache, first: int, last: int, col: int) -> None:
    if last < first:
        return
    for criteria, value, token in (("<", -_GAP_NOTICE, "warn"), (">", _GAP_NOTICE, "info")):
        ws.conditional_format(
            first,
            col,
            last,
            col,
            {"type": "cell", "criteria": criteria, "value": value, "format": formats.get(token)},
        )


def _gap_format(gap: float) -> str:
    if isinstance(gap, float) and not gap.is_integer() and abs(gap) < 1000:
        return "+#,##0.00;-#,##0.00;0"
    return "+#,##0;-#,##0;0"


def _sum(rows: list[list[Any]], col: int) -> float:
    return sum(row[col] for row in rows if isinstance(row[col], (int, float)))


def _loss_row(loss: tuple[str, int, int, int], lang) -> list[Any]:
    from xlsxwriter.utility import xl_rowcol_to_cell

    sheet, row, col, code = loss
    key = LOSS_CODES.get(code, "refresh.loss.out_of_range")
    cell = xl_rowcol_to_cell(row, col) if row >= 0 and col >= 0 else f"R{row + 1}C{col + 1}"
    return [
        labels.text("severity.warning", lang),
        sheet,
        row + 1,
        None,
        None,
        labels.text(key, lang, cell=cell),
    ]
