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
_PAGE_PT = {"en": 792 - 100.0, "zh": 842 - 100.0}
"""Printable height of a Letter (en) or A4 (zh) page inside the margins and footer."""


class _Page:
    """A cursor down the sheet that knows the grid, the styles and the language, and keeps a
    heading on the same printed page as the paragraph under it."""

    def __init__(self, ws: Any, styles: FormatCache, lang: Lang, names: dict[str, str]):
        self.ws, self.styles, self.lang, self.names = ws, styles, lang, names
        self.row = 0
        self.used = 0.0
        self.breaks: list[int] = []
        self.page_height = _PAGE_PT[lang]

    def text(self, key: str) -> str:
        return labels.text(key, self.lang, **self.names)

    def height(self, text: str, width: float, *, line_pt: float | None = None) -> float:
        from .template import text_lines

        return text_lines(text, width) * (line_pt or _LINE_PT[self.lang]) + 6

    def next_row(self, points: float) -> None:
        """Close the current row at `points` high and move down."""
        self.ws.set_row(self.row, points)
        self.used = points if self.used + points > self.page_height else self.used + points
        self.row += 1

    def keep(self, points: float) -> None:
        """Start a new printed page here unless the next `points` fit on this one."""
        if self.used + points > self.page_height:
            self.breaks.append(self.row)
            self.used = 0.0

    def gap(self, points: float = 10) -> None:
        self.next_row(points)

    def paragraph(self, text: str, token: str = "body") -> None:
        fmt = self.styles.get(token, align="left", indent=1)
        self.ws.merge_range(self.row, 2, self.row, 6, text, fmt)
        self.next_row(self.height(text, _BODY_WIDTH))

    def heading(self, badge: str, key: str, then: str = "") -> None:
        self.keep(36 + (self.height(then, _BODY_WIDTH) if then else 40))
        self.gap(8)
        self.ws.write_string(self.row, 1, badge, self.styles.get("step"))
        heading = self.styles.get("section", valign="vcenter", indent=1, align="left")
        self.ws.merge_range(self.row, 2, self.row, 6, self.text(key), heading)
        self.next_row(24)
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
    page.next_row(40)
    subtitle = page.text("guide.subtitle")
    ws.merge_range(page.row, 1, page.row, 6, subtitle, styles.get("subtitle", valign="top"))
    page.next_row(page.height(subtitle, _BODY_WIDTH + 5, line_pt=18))
    _flow(page)
    _steps(page)
    _tips(page)
    _sheet_map(page)
    ws.print_area(0, 0, page.row, 7)
    ws.set_h_pagebreaks(page.breaks)


def _flow(page: _Page) -> None:
    page.gap(12)
    page.ws.merge_range(
        page.row, 1, page.row, 6, page.text("guide.method"), page.styles.get("section")
    )
    page.next_row(24)
    page.gap(6)
    arrow = " →"
    for col, key in enumerate(_FLOW, start=2):
        name = page.names[key] + (arrow if key != _FLOW[-1] else "")
        page.ws.write_string(page.row, col, name, page.styles.get("flow"))
    page.next_row(30)
    captions = [page.text(f"guide.flow.{key}") for key in _FLOW]
    for col, caption in enumerate(captions, start=2):
        page.ws.write_string(
            page.row, col, caption, page.styles.get("muted", align="center", font_size=9)
        )
    page.next_row(max(page.height(c, _FIVE, line_pt=13) for c in captions))


def _steps(page: _Page) -> None:
    for step in ("1", "2", "3"):
        body = page.text(f"guide.s{step}.body")
        page.heading(step, f"guide.s{step}.title", body)
        page.paragraph(body)
    for level in ("strategic", "tactical", "execution", "conversion"):
        page.paragraph("•  " + page.text(f"guide.s3.{level}"))
    page.gap(4)
    page.paragraph(page.text("guide.s3.aggregation"))
    body = page.text("guide.s4.body")
    page.heading("4", "guide.s4.title", body + "\n" * 9)
    page.paragraph(body)
    _matrix(page)
    page.paragraph(page.text("guide.s4.after"))
    for step in ("5", "6", "7", "8"):
        body = page.text(f"guide.s{step}.body")
        page.heading(step, f"guide.s{step}.title", body + "\n" * (6 if step == "8" else 0))
        page.paragraph(body)
    for command in ("check", "refresh"):
        _command(page, f"sheetplan {command} plan.xlsx", page.text(f"guide.s8.{command}"))
    page.gap(4)
    page.paragraph(page.text("guide.s8.ritual"))


def _matrix(page: _Page) -> None:
    """The 2×2 value-vs-complexity matrix, coloured like the quadrants refresh writes."""
    ws, styles = page.ws, page.styles
    page.keep(6 + 20 + 2 * 48 + 6)
    page.gap(6)
    axis = styles.get("axis")
    ws.merge_range(page.row, 3, page.row, 4, page.text("guide.s4.low_complexity"), axis)
    ws.merge_range(page.row, 5, page.row, 6, page.text("guide.s4.high_complexity"), axis)
    page.next_row(20)
    cells = (
        ("guide.s4.high_value", "quick_win", "big_bet"),
        ("guide.s4.low_value", "fill_in", "money_pit"),
    )
    for value_key, left, right in cells:
        ws.write_string(page.row, 2, page.text(value_key), axis)
        for first, quadrant in ((3, left), (5, right)):
            fmt = styles.get("quadrant", quadrant, border_color="#FFFFFF")
            name, _, advice = page.text(f"guide.s4.{quadrant}").partition("\n")
            ws.merge_range(page.row, first, page.row, first + 1, "", fmt)
            bold = styles.get(quadrant, bold=True, font_size=12)
            plain = styles.get(quadrant)
            ws.write_rich_string(page.row, first, bold, name, plain, "\n" + advice, fmt)
        page.next_row(48)
    page.gap(6)


def _command(page: _Page, command: str, about: str) -> None:
    ws = page.ws
    pad = {"align": "left", "indent": 1}
    ws.merge_range(page.row, 2, page.row, 3, command, page.styles.get("code", valign="top", **pad))
    ws.merge_range(page.row, 4, page.row, 6, about, page.styles.get("body", **pad))
    page.next_row(page.height(about, 3 * _FIVE))


def _tips(page: _Page) -> None:
    page.heading("✓", "guide.tips.title")
    for key in ("dates", "dropdowns", "extra", "settings", "on_course", "print"):
        page.paragraph("•  " + page.text(f"guide.tips.{key}"))


def _sheet_map(page: _Page) -> None:
    from ..schema import INPUT_SHEETS

    page.heading("≡", "guide.sheets.title", "\n" * 9)
    ws, styles = page.ws, page.styles
    header = styles.get("header")
    ws.write_string(page.row, 2, page.text("guide.sheets.sheet"), header)
    ws.merge_range(page.row, 3, page.row, 6, page.text("guide.sheets.contents"), header)
    page.next_row(22)
    for sheet in INPUT_SHEETS:
        about = page.text(f"guide.sheet.{sheet.key}")
        ws.write_string(page.row, 2, page.names[sheet.key], styles.get("key", valign="top"))
        ws.merge_range(page.row, 3, page.row, 6, about, styles.get("body"))
        page.next_row(page.height(about, 4 * _FIVE))
