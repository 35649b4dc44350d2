"""The sheets sheetplan writes in full: Allocation, Breakdown, Trend, Data Checks.

FIRST VERSION; issue 5 builds it out (tables, formats, colours).
"""

from __future__ import annotations

from .. import labels, trend
from .context import RefreshContext
from .styles import FormatCache


def write_allocation(book, formats: FormatCache, ctx: RefreshContext, name: str) -> None:
    book.add_worksheet(name)


def write_breakdown(book, formats: FormatCache, ctx: RefreshContext, name: str) -> None:
    book.add_worksheet(name)


def write_trend(book, formats: FormatCache, ctx: RefreshContext, name: str) -> None:
    sheet = book.add_worksheet(name)
    sheet.write_row(0, 0, trend.header(ctx.lang))
    day = formats.get("date")
    for r, row in enumerate(ctx.trend, start=1):
        sheet.write_datetime(r, 0, row.as_of, day)
        sheet.write_string(r, 1, trend.kind_label(row.kind, ctx.lang))
        sheet.write_string(r, 2, row.id)
        for c, value in enumerate((row.name, row.actual, row.progress, row.status), start=3):
            if value is not None:
                sheet.write(r, c, value)


def write_data_checks(book, formats: FormatCache, ctx: RefreshContext, name: str) -> None:
    sheet = book.add_worksheet(name)
    for r, problem in enumerate(ctx.problems, start=1):
        sheet.write_string(r, 0, labels.text(f"severity.{problem.severity.value}", ctx.lang))
        sheet.write_string(r, 5, problem.message)
