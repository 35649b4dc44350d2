"""The Guide sheet: the method in a few screens, in the user's language (text in labels/guide.csv).

Laid out on a narrow grid — a margin, a step badge, five equal columns — so the flow of
sheets and the value-vs-complexity matrix can be drawn with cells while paragraphs span the
five columns. Row heights are set from the text length, because Excel does not grow rows
for wrapped text it did not type itself.
"""

from __future__ import annotations

from typing import Any

from .. import labels
from ..labels import Lang
from .styles import FormatCache

_FLOW = ("company_goals", "goals", "kpis", "tactics", "actuals")
_FIVE = 17.0
"""Width of each of the five content columns (C:G)."""
_BODY_WIDTH = 5 * _FIVE
_LINE_PT = {"en": 15.0, "zh": 17.0}


class _Page:
    """A cursor down the sheet that knows the grid, the styles and the language."""

    def __init__(self, ws: Any, styles: FormatCache, lang: Lang, names: dict[str, str]):
        self.ws, self.styles, self.lang, self.names = ws, styles, lang, names
        self.row = 0

    def text(self, key: str) -> str:
        return labels.text(key, self.lang, **self.names)

    def height(self, text: str, width: float, *, line_pt: float | None = None) -> float:
        from .template import display_width

        line = line_pt or _LINE_PT[self.lang]
        lines = 0
        for paragraph in text.split("\n"):
            lines += max(1, -(-int(display_width(paragraph) * 1.05) // int(width - 1)))
        return lines * line + 6

    def gap(self, points: float = 10) -> None:
        self.ws.set_row(self.row, points)
        self.row += 1

    def paragraph(self, text: str, token: str = "body", *, first: int = 2) -> None:
        fmt = self.styles.get(token)
        width = _FIVE * (7 - first) if first > 2 else _BODY_WIDTH
        self.ws.merge_range(self.row, first, self.row, 6, text, fmt)
        self.ws.set_row(self.row, self.height(text, width))
        self.row += 1

    def heading(self, badge: str, key: str) -> None:
        self.gap(14)
        self.ws.write_string(self.row, 1, badge, self.styles.get("step"))
        self.ws.merge_range(self.row, 2, self.row, 6, self.text(key), self.styles.get("section"))
        self.ws.set_row(self.row, 24)
        self.row += 1
        self.gap(4)


def write_guide(ws: Any, styles: FormatCache, lang: Lang, names: dict[str, str]) -> None:
    """Fill `ws` with the guide: title, the flow of sheets, eight steps, tips, a sheet map."""
    page = _Page(ws, styles, lang, names)
    ws.hide_gridlines(2)
    ws.set_column(0, 0, 2)
    ws.set_column(1, 1, 5)
    ws.set_column(2, 6, _FIVE)
    ws.set_column(7, 7, 2)
    page.gap(8)
    ws.merge_range(page.row, 1, page.row, 6, page.text("guide.title"), styles.get("title"))
    ws.set_row(page.row, 40)
    page.row += 1
    subtitle = page.text("guide.subtitle")
    ws.merge_range(page.row, 1, page.row, 6, subtitle, styles.get("subtitle", valign="top"))
    ws.set_row(page.row, page.height(subtitle, _BODY_WIDTH + 5, line_pt=18))
    page.row += 1
    _flow(page)
    _steps(page)
    _tips(page)
    _sheet_map(page)
    ws.print_area(0, 0, page.row, 7)


def _flow(page: _Page) -> None:
    page.gap(12)
    page.ws.merge_range(
        page.row, 1, page.row, 6, page.text("guide.method"), page.styles.get("section")
    )
    page.ws.set_row(page.row, 24)
    page.row += 1
    page.gap(6)
    arrow = " →"
    for col, key in enumerate(_FLOW, start=2):
        name = page.names[key] + (arrow if key != _FLOW[-1] else "")
        page.ws.write_string(page.row, col, name, page.styles.get("flow"))
    page.ws.set_row(page.row, 30)
    page.row += 1
    captions = [page.text(f"guide.flow.{key}") for key in _FLOW]
    for col, caption in enumerate(captions, start=2):
        page.ws.write_string(
            page.row, col, caption, page.styles.get("muted", align="center", font_size=9)
        )
    page.ws.set_row(page.row, max(page.height(c, _FIVE, line_pt=13) for c in captions))
    page.row += 1


def _steps(page: _Page) -> None:
    page.heading("1", "guide.s1.title")
    page.paragraph(page.text("guide.s1.body"))
    page.heading("2", "guide.s2.title")
    page.paragraph(page.text("guide.s2.body"))
    page.heading("3", "guide.s3.title")
    page.paragraph(page.text("guide.s3.body"))
    for level in ("strategic", "tactical", "execution", "conversion"):
        page.paragraph("•  " + page.text(f"guide.s3.{level}"), first=3)
    page.gap(4)
    page.paragraph(page.text("guide.s3.aggregation"))
    page.heading("4", "guide.s4.title")
    page.paragraph(page.text("guide.s4.body"))
    _matrix(page)
    page.paragraph(page.text("guide.s4.after"))
    page.heading("5", "guide.s5.title")
    page.paragraph(page.text("guide.s5.body"))
    page.heading("6", "guide.s6.title")
    page.paragraph(page.text("guide.s6.body"))
    page.heading("7", "guide.s7.title")
    page.paragraph(page.text("guide.s7.body"))
    page.heading("8", "guide.s8.title")
    page.paragraph(page.text("guide.s8.body"))
    for command in ("check", "refresh"):
        _command(page, f"sheetplan {command} plan.xlsx", page.text(f"guide.s8.{command}"))
    page.gap(4)
    page.paragraph(page.text("guide.s8.ritual"))


def _matrix(page: _Page) -> None:
    """The 2×2 value-vs-complexity matrix, coloured like the quadrants refresh writes."""
    ws, styles = page.ws, page.styles
    page.gap(6)
    axis = styles.get("axis")
    ws.merge_range(page.row, 3, page.row, 4, page.text("guide.s4.low_complexity"), axis)
    ws.merge_range(page.row, 5, page.row, 6, page.text("guide.s4.high_complexity"), axis)
    ws.set_row(page.row, 20)
    page.row += 1
    cells = (
        ("guide.s4.high_value", "quick_win", "big_bet"),
        ("guide.s4.low_value", "fill_in", "money_pit"),
    )
    for value_key, left, right in cells:
        ws.write_string(page.row, 2, page.text(value_key), axis)
        for first, quadrant in ((3, left), (5, right)):
            fmt = styles.get("quadrant", quadrant, bold=True, border_color="#FFFFFF")
            text = page.text(f"guide.s4.{quadrant}")
            ws.merge_range(page.row, first, page.row, first + 1, text, fmt)
        ws.set_row(page.row, 48)
        page.row += 1
    page.gap(6)


def _command(page: _Page, command: str, about: str) -> None:
    ws = page.ws
    ws.merge_range(page.row, 2, page.row, 3, command, page.styles.get("code", valign="top"))
    ws.merge_range(page.row, 4, page.row, 6, about, page.styles.get("body"))
    ws.set_row(page.row, page.height(about, 3 * _FIVE))
    page.row += 1


def _tips(page: _Page) -> None:
    page.heading("✓", "guide.tips.title")
    for key in ("dates", "dropdowns", "extra", "settings"):
        page.paragraph("•  " + page.text(f"guide.tips.{key}"))


def _sheet_map(page: _Page) -> None:
    from ..schema import INPUT_SHEETS

    page.heading("≡", "guide.sheets.title")
    ws, styles = page.ws, page.styles
    header = styles.get("header")
    ws.write_string(page.row, 2, page.text("guide.sheets.sheet"), header)
    ws.merge_range(page.row, 3, page.row, 6, page.text("guide.sheets.contents"), header)
    ws.set_row(page.row, 22)
    page.row += 1
    for sheet in INPUT_SHEETS:
        about = page.text(f"guide.sheet.{sheet.key}")
        ws.write_string(page.row, 2, page.names[sheet.key], styles.get("key", valign="top"))
        ws.merge_range(page.row, 3, page.row, 6, about, styles.get("body"))
        ws.set_row(page.row, page.height(about, 4 * _FIVE))
        page.row += 1
