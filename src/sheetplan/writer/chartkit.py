"""The toolkit behind the Dashboard's charts: the on-sheet data block they read from, the
house style (fonts in the plan's language, palette colours, quiet axes) and small helpers.

The data block sits right of the printed dashboard and is never hidden: Excel does not plot
hidden cells, and a reader can check every number a chart shows.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .. import labels
from ..labels import Lang
from ..model import KpiLevel
from ..results import DueStatus, Quadrant, Tone
from .context import RefreshContext
from .styles import FONTS, PALETTE, FormatCache, currency_format

MAX_KPIS = 7
"""KPIs in the progress chart: with 11 pt labels in a 240 px chart, more would lose every
other axis label (a chart skips labels that overlap)."""
MAX_OWNERS = 10
MAX_MONTHLY_KPIS = 3
"""Strategic KPIs on the monthly chart: each adds a plan and an actual line."""
MAX_TREND = 6

SMALL_PT = {"en": 11, "zh": 12}
"""The smallest type on the Dashboard. The grid prints one page wide at about 75 % (Letter,
landscape; A4 about 80 %), so 11 pt on screen is still 8 pt on paper. A Chinese workbook's
columns come out wider (its default font has wider digits, and column widths are counted in
digits), so it prints at about 67 %: 12 pt."""

NARROW_EM = {"en": 0.5, "zh": 0.62}
"""Width of a Latin letter or digit in ems. A Chinese chart's Latin text is drawn in the
fallback of its CJK font (DejaVu Sans in LibreOffice, wider than Carlito); a Chinese
character is one em in both."""
LINE_EM = {"en": 1.25, "zh": 1.5}
"""Height of one line of chart text in ems: CJK fonts (Noto Sans CJK, YaHei) are taller."""
SEEN_COL_PX = {"en": 72, "zh": 80}
"""What a 72-pixel grid column measures once drawn: column widths are counted in the default
font's digits, and a Chinese workbook's are wider (the charts span their columns)."""
LABEL_LIMIT = {"en": 20, "zh": 22}
"""Columns of an item's label on a chart axis or legend (a Chinese character is two): a
Chinese name says less per column, and its chart is wider."""

LEGEND_LIMIT = {"en": 18, "zh": 16}
"""Columns of a name in a legend below a chart (a Chinese character is two): short enough
for two names a row."""

TONE_COLOUR: dict[Tone, str] = {
    Tone.GOOD: PALETTE["green"],
    Tone.WARN: PALETTE["amber_mid"],
    Tone.BAD: PALETTE["red"],
    Tone.MUTED: PALETTE["grey"],
}

QUADRANT_COLOUR: dict[Quadrant, str] = {
    Quadrant.QUICK_WIN: PALETTE["green"],
    Quadrant.BIG_BET: PALETTE["blue"],
    Quadrant.FILL_IN: PALETTE["grey"],
    Quadrant.MONEY_PIT: PALETTE["red"],
}

DUE_FILL: dict[DueStatus, tuple[str, str]] = {
    DueStatus.OVERDUE: (PALETTE["red"], PALETTE["red"]),
    DueStatus.BLOCKED: (PALETTE["red_light"], PALETTE["red"]),
    DueStatus.BEHIND: (PALETTE["amber_mid"], PALETTE["amber_mid"]),
    DueStatus.DUE_SOON: (PALETTE["amber_light"], PALETTE["amber_mid"]),
    DueStatus.ON_TRACK: (PALETTE["green_light"], PALETTE["green"]),
    DueStatus.DONE: (PALETTE["green"], PALETTE["green"]),
    DueStatus.SCHEDULED: (PALETTE["blue_light"], PALETTE["blue"]),
    DueStatus.NO_DUE_DATE: (PALETTE["grey_light"], PALETTE["grey"]),
    DueStatus.DROPPED: ("#FFFFFF", PALETTE["rule"]),
}
"""Stacked-bar fill and outline per due status: urgent statuses solid, calm ones light."""

DUE_ORDER = (
    DueStatus.OVERDUE,
    DueStatus.BLOCKED,
    DueStatus.BEHIND,
    DueStatus.DUE_SOON,
    DueStatus.ON_TRACK,
    DueStatus.SCHEDULED,
    DueStatus.NO_DUE_DATE,
    DueStatus.DONE,
    DueStatus.DROPPED,
)
"""Stack order: what needs attention sits at the left of each owner's bar."""

SERIES_COLOURS = (PALETTE["navy"], PALETTE["teal"], PALETTE["blue"], PALETTE["amber_mid"])
TREND_COLOURS = ("#1F3A5F", "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#CC79A7")
"""One colour per goal on the Trend chart, told apart by anyone (Okabe–Ito hues, navy for
black): no two blues or two greens side by side."""
TREND_MARKERS = ("circle", "square", "diamond", "triangle", "x", "star")
"""And a marker shape each, so lines stay apart on a grey-scale print."""


@dataclass
class DataBlock:
    """The chart data: titled tables stacked down a column block outside the print area."""

    sheet: Any
    formats: FormatCache
    sheet_name: str
    col: int
    row: int = 0
    widths: dict[int, int] = field(default_factory=dict)

    def table(
        self, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], kinds: str
    ) -> Block:
        """Write a titled table; `kinds` gives each column's format: t(ext) n(umber) p(ercent)
        m(oney). Blank cells stay blank so Excel draws gaps, not zeros."""
        fmt = {
            "t": self.formats.get("text"),
            "n": self.formats.get("number"),
            "p": self.formats.get("percent"),
            "m": self.formats.get("money"),
        }
        self.sheet.write_string(self.row, self.col, title, self.formats.get("key"))
        self.sheet.write_row(self.row + 1, self.col, headers, self.formats.get("header"))
        first = self.row + 2
        for r, values in enumerate(rows, start=first):
            for c, (value, kind) in enumerate(zip(values, kinds, strict=True)):
                if value is None:
                    continue
                if isinstance(value, str):
                    self.sheet.write_string(r, self.col + c, value, fmt["t"])
                else:
                    self.sheet.write_number(r, self.col + c, value, fmt[kind])
        for c, head in enumerate(headers):
            longest = max(
                [text_width(head)] + [text_width(str(v[c])) for v in rows if v[c] is not None]
            )
            self.widths[c] = max(self.widths.get(c, 0), min(longest + 2, 40))
        block = Block(self.sheet_name, first, first + len(rows) - 1, self.col)
        self.row = first + len(rows) + 1
        return block

    def finish(self) -> None:
        for c, width in self.widths.items():
            self.sheet.set_column(self.col + c, self.col + c, width)


@dataclass(frozen=True)
class Block:
    sheet_name: str
    first: int
    last: int
    col: int

    def ref(self, column: int, first: int | None = None, last: int | None = None) -> list:
        """XlsxWriter's list form of a range: [sheet, first_row, col, last_row, col]."""
        c = self.col + column
        return [
            self.sheet_name,
            self.first if first is None else first,
            c,
            self.last if last is None else last,
            c,
        ]


@dataclass
class Kit:
    """What every chart function needs: the workbook, the data block and the plan's language."""

    book: Any
    ctx: RefreshContext
    data: DataBlock
    width: int = 426
    """The chart's size in pixels as XlsxWriter places it (see `seen_width`)."""
    height: int = 240

    @property
    def lang(self):
        return self.ctx.lang

    def t(self, key: str, **values: object) -> str:
        return labels.text(key, self.ctx.lang, **values)

    @property
    def small(self) -> float:
        return SMALL_PT[self.ctx.lang]

    @property
    def label_limit(self) -> int:
        return LABEL_LIMIT[self.ctx.lang]

    @property
    def seen_width(self) -> float:
        """The chart's width as drawn: it spans grid columns, wider in a Chinese workbook."""
        return self.width * SEEN_COL_PX[self.lang] / 72

    def text_px(self, text: str, size: float | None = None) -> float:
        """About how many pixels `text` takes at `size` points (the small size by default)."""
        em = (size or self.small) * 4 / 3
        return sum(em if w == 2 else em * NARROW_EM[self.lang] for w in map(text_width, text))

    def line_px(self, size: float | None = None, text: str = "") -> float:
        """A line's height; a Chinese chart's Latin-only `text` is drawn in its Latin font."""
        em = LINE_EM[self.lang]
        if text and not any(text_width(ch) == 2 for ch in text):
            em = LINE_EM["en"]
        return (size or self.small) * 4 / 3 * em

    def plot_layout(self, chart: Any, left: float, top: float, right: float, bottom: float) -> None:
        """Place the plot area (inside its axis labels) by the pixels left free on each side,
        so a legend or a long title never squeezes it to a strip."""
        width, height = self.seen_width, self.height
        chart.set_plotarea(
            {
                "layout": {
                    "x": round(left / width, 4),
                    "y": round(top / height, 4),
                    "width": round(max(width - left - right, width * 0.3) / width, 4),
                    "height": round(max(height - top - bottom, height * 0.3) / height, 4),
                }
            }
        )

    def lines_that_fit(self, title: str, bottom: float) -> int:
        """How many category labels a bar chart can give a line each (a tenth more, for the
        gap a chart wants between labels), under `title` and above `bottom` pixels."""
        room = self.height - self.title_px(title) - bottom
        return max(1, int(room // (1.1 * self.line_px())))

    def title_px(self, title: str) -> float:
        """Height of the chart title, on as many lines as it wraps to, with the chart's top
        margin and the gap below it."""
        lines = math.ceil(self.text_px(title, 12) / (self.seen_width * 0.8))
        return 22 + lines * self.line_px(12)

    def font(self, size: float = 9, **extra: Any) -> dict[str, Any]:
        return {
            "name": FONTS[self.lang]["font_name"],
            "size": size,
            "color": PALETTE["ink"],
            **extra,
        }

    def chart(self, kind: str, title: str, subtype: str | None = None) -> Any:
        """A chart in the dashboard's house style: plain white, thin rule, title top left."""
        options = {"type": kind}
        if subtype:
            options["subtype"] = subtype
        chart = self.book.add_chart(options)
        chart.set_title(
            {
                "name": title,
                "name_font": self.font(12, bold=True, color=PALETTE["navy"]),
                "overlay": False,
            }
        )
        chart.set_chartarea({"border": {"color": PALETTE["rule"]}, "fill": {"color": "#FFFFFF"}})
        chart.set_legend({"position": "bottom", "font": self.font(self.small)})
        return chart

    def value_axis(self, **options: Any) -> dict[str, Any]:
        return {
            "num_font": self.font(self.small, color=PALETTE["muted"]),
            "name_font": self.font(self.small, bold=False, color=PALETTE["muted"]),
            "major_gridlines": {"visible": True, "line": {"color": "#E3E8EE"}},
            "line": {"none": True},
            **options,
        }

    def category_axis(self, **options: Any) -> dict[str, Any]:
        return {
            "num_font": self.font(self.small),
            "interval_unit": 1,
            "name_font": self.font(self.small, bold=False, color=PALETTE["muted"]),
            "line": {"color": PALETTE["rule"]},
            "major_tick_mark": "none",
            **options,
        }


def money_axis_format(currency: str | None, most: float) -> str:
    """The plan's money format, in thousands ("$35k") once amounts reach five digits, so the
    axis labels of a small chart do not run into each other. (LibreOffice ignores an axis's
    display units, so "¥20万" is not on offer: it would print "¥200,000万".)"""
    fmt = currency_format(currency)
    if most >= 10_000:
        thousands = fmt.replace("#,##0", '#,##0,"k"', 1)
        return f"{thousands};-{thousands};{fmt.replace('#,##0', '0', 1)}"
    return fmt


def money_text(num_format: str, amount: float) -> str:
    """Roughly how `amount` prints in `num_format` (its widest axis label, to measure)."""
    section = num_format.split(";")[0]
    section = section.replace("#,##0,", f"{amount / 1000:,.0f}").replace("#,##0", f"{amount:,.0f}")
    return re.sub(r"\\(.)|[\"\[\]]", r"\1", section)


def money_unit(most: float, steps: int = 4) -> float:
    """A round major unit (1, 2, 2.5 or 5 times a power of ten) that reaches `most` in at most
    two to `steps` steps with the least room to spare past it (then the most gridlines), so
    a money axis has few labels, each wide enough to stay level."""
    if most <= 0:
        return 1.0
    power = max(10 ** math.floor(math.log10(most / steps)), 1)  # whole amounts
    units = [power * m for m in (1, 2, 2.5, 5, 10, 20, 25, 50)]
    fitting = [u for u in units if 2 <= math.ceil(most / u - 1e-9) <= max(steps, 2)]
    return min(fitting or units[:1], key=lambda u: (u * math.ceil(most / u - 1e-9), u))


def level_rank(level: KpiLevel | None) -> int:
    """Strategic KPIs first, then tactical, execution, conversion, then those without a level
    (a stable sort keeps sheet order within a level)."""
    order = list(KpiLevel)
    return order.index(level) if level in order else len(order)


def cut_note(kit: Kit, chosen: Any, key: str = "dash.chart.worst") -> str:
    """ " (10 of 18, most behind first)" after a chart title, only when items were left out."""
    if not chosen.cut:
        return ""
    return kit.t(key, shown=len(chosen.ids), total=chosen.total)


def clip(text: str, limit: int) -> str:
    """Cut `text` to about `limit` columns (a Chinese character takes two), ending with …."""
    out, used = "", 0
    for ch in text:
        w = text_width(ch)
        if used + w > limit:
            return out.rstrip() + "…"
        out, used = out + ch, used + w
    return out


def text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fraction(value: float | None, base: float | None, target: float | None) -> float | None:
    if value is None or base is None or target is None or target == base:
        return None
    return (value - base) / (target - base)


def percent_range(values: Sequence[float | None]) -> tuple[float, float]:
    """0–100 %, widened in quarter steps only when a value lies outside it."""
    numbers = [v for v in values if v is not None]
    low = min([0.0, *numbers])
    high = max([1.0, *numbers])
    return math.floor(low * 4) / 4, math.ceil(high * 4) / 4


def major_unit(span: float, whole: bool = False) -> float:
    """A major unit giving four to eight gridlines."""
    if whole:
        return max(1, math.ceil(span / 6))
    for unit in (0.1, 0.2, 0.25, 0.5, 1.0, 2.0):
        if span / unit <= 6:
            return unit
    return 5.0


def month_label(first: date, lang: Lang, short: bool = False) -> str:
    """ "Jul" / "7月" when the chart spans one year, else "Jul 2026" / "2026年7月"."""
    name = labels.text("dash.months", lang).split("|")[first.month - 1]
    return name if short else labels.text("dash.month", lang, name=name, year=first.year)
