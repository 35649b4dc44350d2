"""The refreshed workbook: Dashboard first, the user's sheets in their order with computed
columns added, then Allocation, Breakdown, Trend and Data Checks, rebuilt every time."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import labels
from .context import RefreshContext
from .styles import FormatCache, workbook_options

if TYPE_CHECKING:
    from .sheetkit import Losses

REPORT_SHEETS = ("allocation", "breakdown", "trend", "data_checks")


def write_refreshed(path: Path, ctx: RefreshContext) -> Losses:
    """Write the whole refreshed workbook to `path` (a temporary file the caller renames);
    return the cells that could not be written as they were, so the caller never puts such a
    file over the original."""
    from . import inputs
    from .carry import read_carried
    from .sheetkit import RefreshBook

    wanted = {raw.name for raw in ctx.raw.sheets.values()} | set(ctx.extra_grids)
    book = RefreshBook(str(path), workbook_options(ctx.lang), read_carried(ctx.raw.path, wanted))
    book.set_properties(
        {
            "title": ctx.plan.settings.plan_name or ctx.raw.path.stem,
            "comments": f"sheetplan {ctx.version}",
            "created": ctx.refreshed_at,
        }
    )
    formats = FormatCache(book, currency=ctx.currency)
    names = sheet_names(ctx)
    board = book.add_worksheet(names["dashboard"])
    for name in ctx.raw.sheet_names:
        key = next((k for k, raw in ctx.raw.sheets.items() if raw.name == name), None)
        if key is not None:
            inputs.write_input_sheet(book, formats, ctx, ctx.raw.sheets[key])
        elif name in ctx.extra_grids:
            inputs.write_extra_sheet(book, formats, ctx, name, ctx.extra_grids[name])
        elif name == ctx.raw.output_sheets.get("guide"):
            inputs.write_guide(book, formats, ctx, name)
    write_reports(book, board, formats, ctx, names)
    board.set_first_sheet()
    book.close()
    return book.losses


def write_reports(book: Any, board: Any, formats: Any, ctx: RefreshContext, names: dict) -> None:
    """Allocation, Breakdown, Trend and Data Checks, then the Dashboard (last: it reads what
    the others found), which is the sheet that opens."""
    from . import dashboard, reports

    writers = {
        "allocation": reports.write_allocation,
        "breakdown": reports.write_breakdown,
        "trend": reports.write_trend,
        "data_checks": reports.write_data_checks,
    }
    for key in REPORT_SHEETS:
        writers[key](book, formats, ctx, names[key])
    dashboard.write_dashboard(book, board, formats, ctx, names)
    board.activate()


def sheet_names(ctx: RefreshContext) -> dict[str, str]:
    """Names of the sheets sheetplan writes: the ones it wrote before keep their name (a
    Chinese workbook refreshed with --lang en does not grow a second Dashboard); a sheet of
    the user's that only shares the name is left alone and the report takes a free name."""
    from .sheetkit import legal_sheet_name

    ours = getattr(ctx, "own_reports", None)
    ours = ctx.raw.output_sheets if ours is None else ours
    taken = {name.casefold() for name in ctx.raw.sheet_names if name not in ours.values()}
    names = {}
    for key in ("dashboard", *REPORT_SHEETS):
        name = ours.get(key) or labels.text(f"sheet.{key}", ctx.lang)
        if key not in ours:
            name = legal_sheet_name(name, taken)
        taken.add(name.casefold())
        names[key] = name
    return names
