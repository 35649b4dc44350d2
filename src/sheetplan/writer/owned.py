"""What sheetplan owns in a refreshed workbook, rendered into a small donor workbook: the
report sheets under their final names, and one sheet per input sheet holding only the computed
columns at the places they take (headers, values, formats, widths, status colours, bars).

The package editor (sheetplan.package) moves both into the user's file; nothing here reads or
writes the user's workbook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from ..package.editor import Owned
from ..package.sheets import Splice
from . import computed as computed_columns
from .carry import Carried
from .context import RefreshContext
from .sheetkit import Losses, Style
from .styles import FormatCache, workbook_options
from .template import header_note
from .workbook import REPORT_SHEETS, sheet_names, write_reports

PATCHED = ("goals", "kpis", "tactics")


def write_owned(donor: Path | BinaryIO, ctx: RefreshContext) -> tuple[Owned, Losses]:
    """Write the donor workbook to `donor`; return the editor's instructions and the cells of
    sheetplan's own sheets that could not be written as they were (listed on Data Checks)."""
    from .sheetkit import RefreshBook

    # in memory: XlsxWriter's default writes each part to a temporary file and reads it back
    book = RefreshBook(donor, {**workbook_options(ctx.lang), "in_memory": True}, Carried())
    formats = FormatCache(book, currency=ctx.currency)
    names = sheet_names(ctx)
    board = book.add_worksheet(names["dashboard"])
    splices: dict[str, Splice] = {}
    for index, key in enumerate(PATCHED, start=1):
        raw = ctx.raw.sheets.get(key)
        if raw is None or raw.header_row < 1:
            continue
        placeholder = f"sheetplan patch {index}"
        ws = book.add_worksheet(placeholder)
        splices[raw.name] = _computed_columns(ws, book, formats, ctx, raw, placeholder)
    write_reports(book, board, formats, ctx, names)
    written = {ws.name for ws in book.worksheets()}
    book.close()
    reports_written = tuple(
        (key, names[key]) for key in ("dashboard", *REPORT_SHEETS) if names[key] in written
    )
    owned = Owned(
        donor=donor,
        reports=reports_written,
        replaced={
            key: name
            for key, name in (ctx.own_reports or {}).items()
            if key in ("dashboard", *REPORT_SHEETS)
        },
        splices=splices,
        active=names["dashboard"],
    )
    return owned, book.losses


def _computed_columns(
    ws: Any, book: Any, formats: FormatCache, ctx: RefreshContext, raw: Any, donor_sheet: str
) -> Splice:
    """The computed columns of one input sheet, written where they go: where an earlier refresh
    put them (found by header), else after the user's last column."""
    columns = computed_columns.columns(ctx, raw.key)
    last_user = _last_user_column(raw)
    free = last_user + 1
    places: dict[str, int] = {}
    taken = set(raw.computed.values())
    new_columns = set()
    for column in columns:
        if column.key in raw.computed:
            places[column.key] = raw.computed[column.key]
            continue
        while free in taken:
            free += 1
        places[column.key] = free
        taken.add(free)
        new_columns.add(free)
    header_row = raw.header_row - 1
    header_style = Style(formats, "header", "computed_header")
    records = set()
    for column in columns:
        records |= set(column.cells)
    first = header_row + 1
    last = max([len(raw.grid) - 1, first, *records])
    for column in columns:
        col = places[column.key]
        ws.write_string(header_row, col, column.header, header_style.fmt)
        if column.note:
            header_note(ws, header_row, col, column.note, ctx.lang)
        column.write(ws, col, formats, book)
        ws.set_column(col, col, column.width(), column.column_format)
        column.decorate(ws, first, last, col, formats)
    stale = tuple(position for key, position in raw.computed.items() if key not in places)
    return Splice(
        columns=tuple(places[c.key] for c in columns),
        header_row=header_row,
        record_rows=frozenset(records),
        new_columns=frozenset(new_columns),
        stale_columns=stale,
        donor_sheet=donor_sheet,
    )


def _last_user_column(raw) -> int:
    """The rightmost column holding anything the user typed (computed columns left out)."""
    computed = set(raw.computed.values())
    last = -1
    for row in raw.grid:
        for c in range(len(row) - 1, last, -1):
            if c in computed:
                continue
            value = row[c]
            if value is not None and value != "":
                last = c
                break
    return last
