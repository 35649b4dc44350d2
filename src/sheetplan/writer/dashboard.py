"""The Dashboard: the state of the plan in ten seconds, on one landscape page.

A fixed grid of 18 equal columns, read top to bottom, answer first: the plan name and stamp;
six tiles (goals, KPIs and tactics on track, overdue, budget, unallocated); four short lists
that name what needs attention; then two bands of three native charts. The charts' numbers
sit in a data block to the right of the printed area (charts.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .. import labels
from ..report import plan_title
from ..results import TONE, Tone
from . import chartkit, charts, choose
from .chartkit import SMALL_PT
from .context import RefreshContext
from .styles import PALETTE, FormatCache
from .tiles import Tile, tiles

COLS = 18
COL_PX = 72
GUTTER = 6
"""Pixels left free between neighbouring charts and tiles."""
DATA_COL = COLS + 2
"""First column of the chart data block: right of the print area, after a spacer column."""
LIST_ROWS = 5

ROWS: tuple[tuple[str, int], ...] = (
    ("title", 40),
    ("stamp", 22),
    ("gap_head", 10),
    ("tile_label", 24),
    ("tile_number", 46),
    ("tile_detail", 66),
    ("gap_tiles", 14),
    ("list_title", 26),
    ("list_head", 22),
    *((f"list_{i}", 22) for i in range(LIST_ROWS)),
    ("gap_lists", 14),
    ("band_1", 240),
    ("gap_bands", 10),
    ("band_2", 240),
    ("footer", 24),
)
"""The dashboard's rows, top to bottom, with their heights in pixels."""

ROW = {name: index for index, (name, _) in enumerate(ROWS)}

BAND_PX = {"en": 240, "zh": 320}
"""Chart band heights per language. A Chinese workbook's columns come out wider (see
SMALL_PT), so its grid is fitted to the page's width with room left below; the charts take
that room, which their taller type (12 pt Chinese lines are about 1.45 em) needs so that no
axis label is skipped."""


def row_heights(lang: str) -> list[int]:
    """Each row's height in pixels for the plan's language."""
    return [BAND_PX[lang] if name.startswith("band_") else px for name, px in ROWS]


TILE_COLS = 3
CHART_COLS = 6
LISTS = (("top", 6), ("overdue", 4), ("over", 4), ("stale", 4))
"""Short lists and their widths in grid columns (18 in all)."""

TONE_TOKEN = {Tone.GOOD: "good", Tone.WARN: "warn", Tone.BAD: "bad", Tone.MUTED: "neutral"}
TONE_INK = {
    Tone.GOOD: PALETTE["green"],
    Tone.WARN: PALETTE["amber"],
    Tone.BAD: PALETTE["red"],
    Tone.MUTED: PALETTE["grey"],
    None: PALETTE["navy"],
}
TONE_BAR = {**TONE_INK, Tone.WARN: PALETTE["amber_mid"], None: PALETTE["navy"]}


def write_dashboard(
    book: Any, sheet: Any, formats: FormatCache, ctx: RefreshContext, names: dict[str, str]
) -> None:
    """Fill the Dashboard sheet (created first by the workbook writer, so it is the first tab)."""
    board = Board(book, sheet, formats, ctx, names)
    board.grid()
    board.header()
    for index, tile in enumerate(tiles(ctx)):
        board.tile(index * TILE_COLS, tile)
    col = 0
    for key, width in LISTS:
        LIST_WRITERS[key](board, col, width)
        col += width
    board.charts()
    board.footer()
    board.print_setup()


class Board:
    """The sheet, its formats and its grid: where each piece goes and how it looks."""

    def __init__(self, book, sheet, formats: FormatCache, ctx: RefreshContext, names):
        self.book, self.sheet, self.formats, self.ctx, self.names = book, sheet, formats, ctx, names
        self.lang = ctx.lang
        self.small = SMALL_PT[ctx.lang]
        self.f = formats.get

    def t(self, key: str, **values: object) -> str:
        return labels.text(key, self.lang, **values)

    def grid(self) -> None:
        self.sheet.set_column_pixels(0, COLS - 1, COL_PX)
        self.sheet.set_column_pixels(COLS, COLS + 1, 24)
        for index, height in enumerate(row_heights(self.lang)):
            self.sheet.set_row_pixels(index, height)
        self.sheet.hide_gridlines(2)
        self.sheet.set_tab_color(PALETTE["navy"])

    def header(self) -> None:
        s, ctx = self.ctx.results.summary, self.ctx
        title = plan_title(s, ctx.raw.path.name)
        self.sheet.merge_range(ROW["title"], 0, ROW["title"], 11, title, self.f("title"))
        stamp = self.t(
            "dash.stamp",
            as_of=ctx.as_of.isoformat(),
            refreshed=ctx.refreshed_at.strftime("%Y-%m-%d %H:%M"),
            version=ctx.version,
        )
        right = self.f(
            "muted", align="right", valign="vcenter", text_wrap=False, font_size=self.small
        )
        self.sheet.merge_range(ROW["title"], 12, ROW["title"], COLS - 1, stamp, right)
        if s.goal_total + s.kpi_total + s.tactic_total == 0:
            line, fmt = self.t("dash.empty"), self.f("warn", bold=True, valign="vcenter")
        elif s.start and s.end:
            line = self.t("dash.period", start=s.start.isoformat(), end=s.end.isoformat())
            fmt = self.f("muted", valign="vcenter", font_size=self.small)
        else:
            line, fmt = "", self.f("muted")
        self.sheet.merge_range(ROW["stamp"], 0, ROW["stamp"], COLS - 1, line, fmt)
        rule = self.f(bottom=2, bottom_color=PALETTE["teal"])
        for c in range(COLS):
            self.sheet.write_blank(ROW["gap_head"], c, None, rule)

    def tile(self, col: int, tile: Tile) -> None:
        last = col + TILE_COLS - 1
        box = {
            "bg_color": PALETTE["paper"],
            "left": 2,
            "left_color": "#FFFFFF",
            "right": 2,
            "right_color": "#FFFFFF",
        }
        label = self.f(
            bold=True,
            font_size=self.small,
            font_color=PALETTE["muted"],
            valign="vcenter",
            indent=1,
            top=5,
            top_color=TONE_BAR[tile.tone],
            **box,
        )
        self.sheet.merge_range(ROW["tile_label"], col, ROW["tile_label"], last, tile.label, label)
        number = {
            "bold": True,
            "font_size": 24,
            "font_color": TONE_INK[tile.tone],
            "valign": "vcenter",
            "align": "left",
            "indent": 1,
            **box,
        }
        tokens = ("money",) if tile.money else ()
        if tile.num_format:
            number["num_format"] = tile.num_format
        fmt = self.f(*tokens, **number)
        row = ROW["tile_number"]
        if tile.number is None:
            self.sheet.merge_range(row, col, row, last, "—", fmt)
        else:
            self.sheet.merge_range(row, col, row, last, None, fmt)
            self.sheet.write_number(row, col, tile.number, fmt)
        detail = self.f(font_size=self.small, valign="top", text_wrap=True, indent=1, **box)
        row = ROW["tile_detail"]
        self.sheet.merge_range(row, col, row, last, "", detail)
        parts: list[Any] = []
        for text, tone, sep in detail_lines(tile.detail, choose_fits(TILE_COLS)):
            if sep:
                parts += [self.f(font_size=self.small), sep]
            parts += [
                self.f(
                    font_size=self.small,
                    font_color=TONE_INK[tone],
                    bold=tone in (Tone.BAD, Tone.WARN),
                ),
                text,
            ]
        if not parts:
            return
        if len(parts) == 2:
            self.sheet.write_string(
                row,
                col,
                parts[1],
                self.f(
                    font_size=self.small,
                    font_color=TONE_INK[tile.detail[0][1]],
                    valign="top",
                    text_wrap=True,
                    indent=1,
                    **box,
                ),
            )
        else:
            self.sheet.write_rich_string(row, col, *parts, detail)

    def short_list(
        self,
        col: int,
        width: int,
        title_key: str,
        heads: Sequence[tuple[str, int]],
        rows: Sequence[Sequence[tuple[str, str | None]]],
        none_key: str,
        more: int = 0,
        more_sheet: str = "",
    ) -> None:
        """A titled list of at most five rows; `heads` and each row give (text, span) cells,
        row cells carry a status token; an empty list says so in green."""
        last = col + width - 1
        gap = {"right": 2, "right_color": "#FFFFFF"}
        self.sheet.merge_range(
            ROW["list_title"],
            col,
            ROW["list_title"],
            last,
            self.t(title_key),
            self.f("section", **gap),
        )
        head = self.f(
            bold=True,
            font_size=self.small,
            font_color=PALETTE["muted"],
            valign="vcenter",
            bottom=1,
            bottom_color=PALETTE["rule"],
        )
        if not rows:
            text = self.t(none_key)
            fmt = self.f("good", font_size=self.small, valign="vcenter", indent=1, **gap)
            self.sheet.merge_range(ROW["list_head"], col, ROW["list_head"], last, text, fmt)
            return
        self._cells(ROW["list_head"], col, [(h, span, None) for h, span in heads], head)
        for i, cells in enumerate(rows[:LIST_ROWS]):
            row = ROW[f"list_{i}"]
            spans = [span for _, span in heads]
            self._cells(
                row,
                col,
                [(text, span, token) for (text, token), span in zip(cells, spans, strict=True)],
                None,
            )
        if more:
            row = ROW[f"list_{LIST_ROWS - 1}"]
            text = self.t("dash.more", count=more + 1, sheet=more_sheet)
            self.sheet.merge_range(
                row,
                col,
                row,
                last,
                text,
                self.f("muted", font_size=self.small, valign="vcenter", italic=True),
            )

    def _cells(self, row: int, col: int, cells, base) -> None:
        for text, span, token in cells:
            if base is not None:
                fmt = base
            else:
                tokens = (token,) if token else ()
                fmt = self.f(
                    *tokens,
                    font_size=self.small,
                    valign="vcenter",
                    bottom=1,
                    bottom_color="#E3E8EE",
                )
            if span > 1:
                self.sheet.merge_range(row, col, row, col + span - 1, text, fmt)
            else:
                self.sheet.write_string(row, col, text, fmt)
            col += span

    def charts(self) -> None:
        data = chartkit.DataBlock(self.sheet, self.formats, self.sheet.name, DATA_COL)
        self.sheet.write_string(
            0, DATA_COL, self.t("dash.data.title"), self.f("muted", text_wrap=False, bold=True)
        )
        data.row = 2
        width, height = CHART_COLS * COL_PX - GUTTER, BAND_PX[self.lang]
        kit = chartkit.Kit(self.book, self.ctx, data, width, height)
        slots = [(band, c) for band in ("band_1", "band_2") for c in range(0, COLS, CHART_COLS)]
        for draw, (band, col) in zip(charts.CHARTS, slots, strict=True):
            made = draw(kit)
            row = ROW[band]
            if isinstance(made, str):
                self.placeholder(row, col, self.t(made))
            else:
                made.set_size({"width": width, "height": height})
                self.sheet.insert_chart(
                    row, col, made, {"x_offset": GUTTER // 2, "object_position": 3}
                )
        data.finish()

    def placeholder(self, row: int, col: int, text: str) -> None:
        fmt = self.f(
            font_size=self.small,
            font_color=PALETTE["muted"],
            bg_color=PALETTE["paper"],
            align="center",
            valign="vcenter",
            text_wrap=True,
            italic=True,
            border=1,
            border_color="#FFFFFF",
        )
        self.sheet.merge_range(row, col, row, col + CHART_COLS - 1, text, fmt)

    def footer(self) -> None:
        counts = {"error": 0, "warning": 0}
        for problem in self.ctx.problems:
            if problem.severity.value in counts:
                counts[problem.severity.value] += 1
        sheet_name = self.names["data_checks"]
        row = ROW["footer"]
        if counts["error"] or counts["warning"]:
            text = self.t(
                "dash.footer.problems",
                errors=counts["error"],
                warnings=counts["warning"],
                sheet=sheet_name,
            )
            tone = "bad" if counts["error"] else "warn"
            from xlsxwriter.utility import quote_sheetname

            self.sheet.merge_range(row, 0, row, COLS - 1, "", self.f(tone))
            self.sheet.write_url(
                row,
                0,
                f"internal:{quote_sheetname(sheet_name)}!A1",
                self.f(tone, valign="vcenter", indent=1, font_size=self.small),
                string=text,
            )
        else:
            self.sheet.merge_range(
                row,
                0,
                row,
                COLS - 1,
                self.t("dash.footer.clean"),
                self.f("muted", valign="vcenter", indent=1, font_size=self.small),
            )

    def print_setup(self) -> None:
        """One landscape page holding exactly the grid, gridlines off, centred; then every
        sheet of the workbook on the same paper, and the two logs (Actuals, Trend) left out
        of the default print (the Guide says how to print them)."""
        from .sheetkit import same_paper
        from .template import paper_for

        paper = paper_for(self.ctx.currency, self.lang)
        self.sheet.print_area(0, 0, len(ROWS) - 1, COLS - 1)
        self.sheet.set_landscape()
        self.sheet.set_paper(paper)
        self.sheet.fit_to_pages(1, 1)
        self.sheet.set_margins(left=0.3, right=0.3, top=0.3, bottom=0.3)
        self.sheet.center_horizontally()
        logs = [self.names.get("trend", "")]
        if "actuals" in self.ctx.raw.sheets:
            logs.append(self.ctx.raw.sheets["actuals"].name)
        same_paper(self.book, paper, logs)


CHARS_PER_COL = 11
"""Columns of SMALL text (a Chinese character is two) one grid column holds."""


def fits(span: int) -> int:
    return span * CHARS_PER_COL - 1


NARROW_COLS = {"en": 1.0, "zh": 1.3}
"""Columns a Latin letter or digit takes in a list cell (a Chinese character takes two): a
Chinese workbook draws Latin text in its CJK font's Latin fallback, wider than Calibri."""


def cols(text: str, lang: str) -> float:
    """Columns `text` takes in a list cell of the plan's language."""
    wide = choose.width(text) - len(text)
    return 2 * wide + NARROW_COLS[lang] * (len(text) - wide)


def owner_span(owners: Sequence[str], most: int = 2, lang: str = "en") -> int:
    """Grid columns the owner cells need so that no name is cut (up to `most`)."""
    longest = max((cols(o, lang) for o in owners), default=0)
    for span in range(1, most + 1):
        if longest <= fits(span):
            return span
    return most


def items(pairs: Sequence[tuple[str, str | None]], span: int) -> list[str]:
    """ "T7 · Launch video on…" for each (ID, name): the ID always whole, the name cut at a word
    to fit `span`; where names start alike, the words that tell them apart (distinct_labels)."""
    room = fits(span) - max((choose.width(i) for i, _ in pairs), default=0) - 3
    tags = choose.distinct_labels(pairs, max(room, 4))
    return [
        f"{ident} · {tag[len(ident) + 1 :]}" if tag != ident else ident
        for (ident, _), tag in zip(pairs, tags, strict=True)
    ]


def choose_fits(span: int) -> int:
    return fits(span) - 2  # the tile's indent


def detail_lines(detail, limit: int) -> list[tuple[str, Any, str]]:
    """A tile's detail items as (text, tone, separator before it): items stay whole (no-break
    spaces inside), and a line break goes between items once a line is full."""
    out: list[tuple[str, Any, str]] = []
    used = 0
    for text, tone in detail:
        words = "\u00a0".join(text.split())
        w = choose.width(words)
        if not out:
            sep = ""
        elif used + 2 + w <= limit:
            sep = "  "
        else:
            sep, used = "\n", 0
        used += (len(sep) if sep == "  " else 0) + w
        out.append((words, tone, sep))
    return out


def _top_list(board: Board, col: int, width: int) -> None:
    s, lang = board.ctx.results.summary, board.lang
    nobody = labels.text("report.no_owner", lang)
    owners = [p.owner or nobody for p in s.top_priorities]
    span = owner_span(owners, lang=lang)
    names = items([(p.tactic_id, p.name) for p in s.top_priorities], width - 2 - span)
    rows = []
    for p, owner, name in zip(s.top_priorities, owners, names, strict=True):
        tone = TONE[p.due_status]
        rows.append(
            [
                (name, None),
                (owner, None),
                (short_date(p.due, s.end), None),
                (labels.text(p.due_status.label_key, lang), TONE_TOKEN[tone]),
            ]
        )
    heads = [
        (board.t("dash.col.tactic"), width - 2 - span),
        (board.t("dash.col.owner"), span),
        (board.t("dash.col.due"), 1),
        (board.t("dash.col.status"), 1),
    ]
    board.short_list(col, width, "dash.table.top", heads, rows, "dash.none.top")


def _overdue_list(board: Board, col: int, width: int) -> None:
    s, lang = board.ctx.results.summary, board.lang
    nobody = labels.text("report.no_owner", lang)
    owners = [o.owner or nobody for o in s.overdue]
    span = owner_span(owners[:LIST_ROWS], most=1, lang=lang)
    rows = [
        [
            (name, None),
            (owner, None),
            (board.t("dash.days", days=o.days_overdue), "bad"),
        ]
        for o, owner, name in zip(
            s.overdue,
            owners,
            items([(o.tactic_id, o.name) for o in s.overdue], width - 1 - span),
            strict=True,
        )
    ]
    heads = [
        (board.t("dash.col.tactic"), width - 1 - span),
        (board.t("dash.col.owner"), span),
        (board.t("dash.col.late"), 1),
    ]
    more = len(rows) - LIST_ROWS if len(rows) > LIST_ROWS else 0
    tactics_sheet = (
        board.ctx.raw.sheets["tactics"].name if "tactics" in board.ctx.raw.sheets else ""
    )
    board.short_list(
        col,
        width,
        "dash.table.overdue",
        heads,
        rows[: LIST_ROWS - 1] if more else rows,
        "dash.none.overdue",
        more,
        tactics_sheet,
    )


def _over_list(board: Board, col: int, width: int) -> None:
    """Owner, hours of capacity, load: the hours take a second grid column when their text
    would run into the load beside them ("220/200小时" does at 12 pt), unless the owners'
    names need it (a name is never cut)."""
    s = board.ctx.results.summary
    hours = [
        board.t("dash.hours_of", hours=_num(o.hours), capacity=_num(o.capacity or 0))
        for o in s.over_allocated
    ]
    owners = owner_span([o.name for o in s.over_allocated[:LIST_ROWS]], lang=board.lang)
    hours_span = 1 if all(cols(h, board.lang) <= fits(1) for h in hours[:LIST_ROWS]) else 2
    hours_span = max(1, min(hours_span, width - 1 - owners))
    rows = [
        [
            (o.name, None),
            (text, None),
            (f"{o.utilisation:.0%}" if o.utilisation is not None else "—", "bad"),
        ]
        for o, text in zip(s.over_allocated, hours, strict=True)
    ]
    heads = [
        (board.t("dash.col.owner"), width - 1 - hours_span),
        (board.t("dash.col.hours"), hours_span),
        (board.t("dash.col.use"), 1),
    ]
    board.short_list(col, width, "dash.table.over", heads, rows, "dash.none.over")


def _stale_list(board: Board, col: int, width: int) -> None:
    s = board.ctx.results.summary
    rows = [
        [
            (name, None),
            (short_date(k.last_update, s.end), None),
            (board.t("dash.days", days=k.days_since), "warn"),
        ]
        for k, name in zip(
            s.stale_kpis, items([(k.kpi_id, k.name) for k in s.stale_kpis], 2), strict=True
        )
    ]
    heads = [
        (board.t("dash.col.kpi"), 2),
        (board.t("dash.col.last_update"), 1),
        (board.t("dash.col.age"), 1),
    ]
    more = len(rows) - LIST_ROWS if len(rows) > LIST_ROWS else 0
    kpis_sheet = board.ctx.raw.sheets["kpis"].name if "kpis" in board.ctx.raw.sheets else ""
    board.short_list(
        col,
        width,
        "dash.table.stale",
        heads,
        rows[: LIST_ROWS - 1] if more else rows,
        "dash.none.stale",
        more,
        kpis_sheet,
    )


def short_date(day, end) -> str:
    """ "12-28" when the year is the plan's (the period line above says which), else in full,
    so a date fits one grid column at the Dashboard's type size."""
    if day is None:
        return "—"
    if end is not None and day.year == end.year:
        return day.strftime("%m-%d")
    return day.isoformat()


def _num(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


LIST_WRITERS: dict[str, Callable[[Board, int, int], None]] = {
    "top": _top_list,
    "overdue": _overdue_list,
    "over": _over_list,
    "stale": _stale_list,
}
