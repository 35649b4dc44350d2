"""The user's sheets, written back: every cell as typed, computed columns added at the right.

FIRST VERSION (values only); issue 5 builds it out: formats, tables, status colours, data bars,
dropdowns, carried-over comments, output safety.
"""

from __future__ import annotations

from datetime import date, datetime

from .. import labels
from .context import RefreshContext
from .styles import FormatCache


def write_input_sheet(book, formats: FormatCache, ctx: RefreshContext, raw) -> None:
    sheet = book.add_worksheet(raw.name)
    _write_grid(sheet, formats, _without_computed(raw))
    if raw.key in ("goals", "kpis", "tactics"):
        _write_computed(sheet, formats, ctx, raw)


def write_extra_sheet(book, formats: FormatCache, ctx: RefreshContext, name: str, grid) -> None:
    sheet = book.add_worksheet(name)
    _write_grid(sheet, formats, grid)


def write_guide(book, formats: FormatCache, ctx: RefreshContext, name: str) -> None:
    book.add_worksheet(name)


def _without_computed(raw) -> list[list]:
    drop = set(raw.computed.values())
    if not drop:
        return raw.grid
    return [[c for i, c in enumerate(row) if i not in drop] for row in raw.grid]


def _write_grid(sheet, formats: FormatCache, grid: list[list]) -> None:
    day = formats.get("date")
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if isinstance(value, str):
                if value:
                    sheet.write_string(r, c, value)
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            elif isinstance(value, (date, datetime)):
                sheet.write_datetime(r, c, value, day)


def _write_computed(sheet, formats: FormatCache, ctx: RefreshContext, raw) -> None:
    keys = labels.keys_with_prefix(f"computed.{raw.key}.")
    width = max(len(row) for row in raw.grid) - len(raw.computed)
    header_row = raw.header_row - 1
    for offset, key in enumerate(keys):
        sheet.write_string(header_row, width + offset, labels.text(key, ctx.lang))
