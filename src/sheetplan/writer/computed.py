"""The computed columns of Goals, KPIs and Tactics (SPEC §5 names), matched to the user's rows.

Each column knows its header (in the plan's language), its value for each engine record,
its number format and its decoration (status colours, progress bars). Values are written as
values — never formulas — so every previewer shows them; None from the engine is a blank.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import labels
from ..labels import Lang
from .context import RefreshContext
from .sheetkit import (
    Style,
    fitted_width,
    progress_bars,
    put,
    shown_number,
    status_colours,
    styled,
)
from .styles import FormatCache

_PER_VALUE_FORMAT = ("computed.kpis.actual", "computed.kpis.forecast")
"""Columns whose number format follows each value (decimals only for small fractions)."""
_NUMBER = "#,##0.00"
_SCORE = "0.00"
_DAYS = "0;[Red]-0"
_SHARE = "0.0%"


@dataclass
class ComputedColumn:
    key: str
    header: str
    tokens: tuple[str, ...]
    value: Callable[[Any], Any]
    num_format: str | None = None
    status: tuple[str, ...] = ()
    """Label prefixes whose values get status colours."""
    yes_no: dict[str, str] = field(default_factory=dict)
    """Yes / No → colour token."""
    bar: bool = False
    cells: dict[int, Any] = field(default_factory=dict)
    """0-based sheet row → value."""
    column_format: Any = None
    printed_format: str | None = None
    """The number format the column's values print with (known once written)."""
    note: str | None = None
    """The header's note (shown on hover), where the column needs explaining."""

    def write(self, ws: Any, col: int, formats: FormatCache, book: Any) -> None:
        overrides = {"num_format": self.num_format} if self.num_format else {}
        self.printed_format = self.num_format or formats.number_format(*self.tokens)
        style = styled(formats, "computed", *self.tokens, valign="vcenter", **overrides)
        self.column_format = style.fmt
        for row, value in self.cells.items():
            if value is None or (isinstance(value, float) and not math.isfinite(value)):
                if ws.write_blank(row, col, None, style.fmt) < 0:
                    book.losses.add(ws.name, row, col, -1)
                continue
            cell_style = style
            if self.key in _PER_VALUE_FORMAT:
                cell_style = Style(
                    formats, "computed", num_format=number_format(value), valign="vcenter"
                )
            put(ws, row, col, value, cell_style, book)

    def width(self) -> float:
        """Wide enough for the header and for every value as printed (currency, separators,
        decimals, percent), plus the indent that keeps a number off the next column's text."""
        shown = []
        for value in self.cells.values():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if not math.isfinite(value):
                    continue
                fmt = self.printed_format
                if self.key in _PER_VALUE_FORMAT:
                    fmt = number_format(value)
                shown.append(shown_number(value, fmt) + " ")
            else:
                shown.append(value)
        return fitted_width(self.header, shown, minimum=8)

    def decorate(self, ws: Any, first: int, last: int, col: int, formats: FormatCache) -> None:
        if self.status or self.yes_no:
            status_colours(ws, first, last, col, self.status, formats, extra=self.yes_no)
        if self.bar:
            progress_bars(ws, first, last, col)


def columns(ctx: RefreshContext, sheet_key: str) -> list[ComputedColumn]:
    """The computed columns of `sheet_key` with their values per sheet row ([] for other sheets)."""
    lang = ctx.lang
    specs = _SPECS.get(sheet_key)
    if specs is None:
        return []
    records = {
        "goals": ctx.results.goals,
        "kpis": ctx.results.kpis,
        "tactics": ctx.results.tactics,
    }[sheet_key]
    out = []
    for name, tokens, getter, extra in specs:
        key = f"computed.{sheet_key}.{name}"
        column = ComputedColumn(key, labels.text(key, lang), tokens, getter(lang), **extra)
        if f"note.{key}" in labels.all_labels():
            column.note = labels.text(f"note.{key}", lang)
        if column.yes_no:
            column.yes_no = {labels.text(k, lang): t for k, t in column.yes_no.items()}
        for record in records:
            if record.row >= 1:
                column.cells[record.row - 1] = column.value(record)
        out.append(column)
    return out


def _label(attr: str) -> Callable[[Lang], Callable[[Any], Any]]:
    def for_lang(lang: Lang) -> Callable[[Any], Any]:
        def get(record: Any) -> Any:
            choice = getattr(record, attr)
            return labels.text(choice.label_key, lang) if choice is not None else None

        return get

    return for_lang


def _field(attr: str) -> Callable[[Lang], Callable[[Any], Any]]:
    return lambda lang: lambda record: getattr(record, attr)


def _yes_no(attr: str) -> Callable[[Lang], Callable[[Any], Any]]:
    def for_lang(lang: Lang) -> Callable[[Any], Any]:
        def get(record: Any) -> Any:
            value = getattr(record, attr)
            if value is None:
                return None
            return labels.text("yes" if value else "no", lang)

        return get

    return for_lang


def number_format(value: Any) -> str:
    if isinstance(value, float) and not value.is_integer() and abs(value) < 1000:
        return _NUMBER
    return "#,##0"


_PERCENT = ("percent",)
_TEXT = ("text", "pad")
"""Text starts one indent in, so it never touches a number printed flush right beside it."""
_SPECS: dict[str, list[tuple[str, tuple[str, ...], Callable, dict[str, Any]]]] = {
    "goals": [
        ("weight_share", _PERCENT, _field("weight_share"), {"num_format": _SHARE}),
        ("time_frame", _TEXT, _label("time_frame"), {}),
        ("progress", _PERCENT, _field("progress"), {"bar": True}),
        ("expected", _PERCENT, _field("expected"), {}),
        ("status", _TEXT, _label("status"), {"status": ("kpi_status",)}),
        ("smart", _TEXT, _field("smart"), {}),
    ],
    "kpis": [
        ("actual", ("number",), _field("actual"), {}),
        ("progress", _PERCENT, _field("progress"), {"bar": True}),
        ("expected", _PERCENT, _field("expected"), {}),
        ("status", _TEXT, _label("status"), {"status": ("kpi_status",)}),
        ("last_update", ("date",), _field("last_update"), {}),
        ("stale", _TEXT, _yes_no("stale"), {"yes_no": {"yes": "warn"}}),
        ("forecast", ("number",), _field("forecast"), {}),
        ("on_course", _TEXT, _yes_no("on_course"), {"yes_no": {"yes": "good", "no": "warn"}}),
    ],
    "tactics": [
        ("quadrant", _TEXT, _label("quadrant"), {"status": ("quadrant",)}),
        ("score", (), _field("score"), {"num_format": _SCORE}),
        ("rank", ("integer",), _field("rank"), {}),
        ("target_pct", _PERCENT, _field("target_pct"), {"num_format": _SHARE}),
        ("target_budget", ("money",), _field("target_budget"), {}),
        ("due_status", _TEXT, _label("due_status"), {"status": ("due",)}),
        ("days_left", ("integer",), _field("days_left"), {"num_format": _DAYS}),
    ],
}
