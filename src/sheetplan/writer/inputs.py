"""The user's sheets, written back: every cell as typed, the computed columns at the right.

Values keep their type (text stays text, quote-prefixed when it starts like a formula; dates
stay dates), extra columns stay where the user put them, notes come back, and the columns an
earlier refresh computed are dropped and rebuilt. The sheets then get what makes them easy to
work in: an Excel table with filters, frozen headers, fitted widths, number formats per
column kind, status colours, progress bars and the template's dropdowns.

The Actuals log can hold 100,000+ rows, so cells are written in one tight loop with a format
chosen per column beforehand (SPEC §8: refresh within 1.3× of reading and writing the cells).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from .. import labels
from ..labels import Lang, Matcher
from ..schema import SETTINGS, SHEETS_BY_KEY, Kind
from . import computed as computed_columns
from .carry import Carried
from .context import RefreshContext
from .sheetkit import (
    MAX_WIDTH,
    RISKY_START,
    Style,
    fitted_width,
    print_setup,
    progress_bars,
    put,
    sample,
    status_colours,
    table_or_filter,
    temporal_format,
    text_width,
)
from .styles import FormatCache
from .template import LAST_ROW, TAB_COLORS, display_width, dropdown_rule, list_rule, quoted

_RISKY_FIRST = "".join(RISKY_START)
_KIND_TOKENS: dict[Kind, tuple[str, ...]] = {
    Kind.ID: ("id",),
    Kind.MONEY: ("money",),
    Kind.PERCENT: ("percent",),
    Kind.NUMBER: ("number",),
    Kind.HOURS: ("hours",),
    Kind.INTEGER: ("integer",),
}
"""Number formats per column kind. Scores stay General: a 4.5 must not show as 5."""
_WRAP_ROWS = 2000
"""Sheets up to this many rows get wrapped long text and taller rows; the log stays one line
per row (wrapping 100,000 rows would make every viewer re-measure every row)."""
_LINE_PT = {"en": 15.0, "zh": 16.5}


def write_input_sheet(book: Any, formats: FormatCache, ctx: RefreshContext, raw: Any) -> None:
    """One input sheet: the user's cells, then (Goals, KPIs, Tactics) the computed columns."""
    from ..api import paused_gc

    with paused_gc():
        _write_input_sheet(book, formats, ctx, raw)


def _write_input_sheet(book: Any, formats: FormatCache, ctx: RefreshContext, raw: Any) -> None:
    ws = book.add_worksheet(raw.name)
    keep = _kept_columns(raw)
    grid = _without(raw, keep)
    schema = SHEETS_BY_KEY[raw.key]
    kinds = {pos: schema.column(key).kind for key, pos in raw.columns.items()}
    new_of = {old: new for new, old in enumerate(keep)}
    width = len(keep)
    header_index = raw.header_row - 1
    headers = [grid[header_index][c] if header_index >= 0 else "" for c in range(width)]
    if header_index >= 0:
        headers = [(grid[header_index] + [""] * width)[c] for c in range(width)]
    data_start = header_index + 1 if header_index >= 0 else 0
    wrapped = _wrapped_columns(grid, data_start, width)
    big = len(grid) - data_start > _WRAP_ROWS
    columns = [
        _ColumnStyles(formats, kinds.get(old), wrap=new in wrapped, plain=big)
        for new, old in enumerate(keep)
    ]
    for r in range(max(header_index, 0)):
        _write_plain_row(ws, r, grid[r], formats, book)
    write_rows(ws, grid, data_start, columns, book)
    if raw.key == "settings":
        _settings_values(ws, grid, raw, formats, book)
    extra_cols = computed_columns.columns(ctx, raw.key)
    last_row = max(len(grid) - 1, data_start)
    for offset, column in enumerate(extra_cols):
        column.write(ws, width + offset, formats, book)
    all_headers = headers + [c.header for c in extra_cols]
    if header_index >= 0:
        header_styles = [Style(formats, "header")] * width
        header_styles += [Style(formats, "header", "computed_header")] * len(extra_cols)
        if raw.key == "settings":
            for c, header in enumerate(headers):
                put(ws, header_index, c, header, header_styles[c], book)
        else:
            table_or_filter(
                ws, header_index, last_row, all_headers, header_styles, name=f"tbl_{raw.key}"
            )
        ws.set_row(header_index, 26)
    carried = _carried(book, ctx)
    widths = _widths(ws, grid, data_start, headers, kinds, keep, carried.columns.get(raw.name, []))
    wrapped = {c: widths[c] for c in wrapped}
    for offset, column in enumerate(extra_cols):
        ws.set_column(width + offset, width + offset, column.width(), column.column_format)
    _row_heights(ws, grid, data_start, wrapped, ctx.lang)
    _colours(ws, raw, new_of, data_start, last_row, extra_cols, width, formats)
    _dropdowns(ws, raw, new_of, data_start, ctx)
    moved = dict(new_of)
    for offset, column in enumerate(extra_cols):
        if column.key in raw.computed:
            moved[raw.computed[column.key]] = width + offset
    _notes(ws, carried.notes.get(raw.name, []), moved.get)
    if header_index >= 0:
        notes = carried.notes.get(raw.name, [])
        _header_notes(ws, header_index, width, extra_cols, notes, moved, ctx.lang)
    id_first = schema.id_column is not None and raw.columns.get(schema.id_column) == 0
    if header_index >= 0:
        ws.freeze_panes(header_index + 1, 1 if id_first or raw.key == "settings" else 0)
    print_setup(ws, ctx.lang, header_index, landscape=raw.key != "settings")
    ws.set_tab_color(TAB_COLORS.get(raw.key, TAB_COLORS["settings"]))


def write_extra_sheet(
    book: Any, formats: FormatCache, ctx: RefreshContext, name: str, grid: list[list]
) -> None:
    """A sheet of the user's own: values with their types, widths and notes as they were."""
    ws = book.add_worksheet(name)
    width = max((len(row) for row in grid), default=0)
    columns = [_ColumnStyles(formats, None) for _ in range(width)]
    write_rows(ws, grid, 0, columns, book)
    carried = _carried(book, ctx)
    looks = carried.columns.get(name, [])
    for c in range(width):
        fitted = fitted_width("", (row[c] for row in sample(grid) if c < len(row)))
        ws.set_column(c, c, fitted)
    for look in looks:
        ws.set_column(
            look.first,
            look.last,
            _chars(look.width) if look.width is not None else None,
            None,
            {"hidden": look.hidden},
        )
    _notes(ws, carried.notes.get(name, []), lambda col: col)


def write_guide(book: Any, formats: FormatCache, ctx: RefreshContext, name: str) -> None:
    """The Guide sheet, rebuilt in the plan's language with the workbook's own sheet names."""
    from .guide import write_guide as guide_sheet
    from .template import page_setup, sheet_names

    ws = book.add_worksheet(name)
    names = sheet_names(ctx.lang)
    names.update({key: raw.name for key, raw in ctx.raw.sheets.items()})
    names["guide"] = name
    guide_sheet(ws, formats, ctx.lang, names)
    page_setup(ws, ctx.lang, landscape=False)
    ws.set_tab_color(TAB_COLORS["guide"])


def write_rows(ws: Any, grid: list[list], start: int, columns: list, book: Any) -> None:
    """Rows `start`… of `grid` at the same place, each value typed, formats chosen per column.

    The hot loop of a refresh: locals for the bound methods, one type test per cell, the
    formula-prefix test only on text, return codes checked (non-zero means refused or cut).
    Dates are written as their Excel serial number with a date format — the same cell
    write_datetime makes — converted once per distinct date (a log repeats its dates)."""
    # The underscore methods are what write_string / write_number call after checking for
    # "A1" arguments; the loop passes numbers, so it calls them directly (fallback: public).
    write_string = getattr(ws, "_write_string", ws.write_string)
    write_number = getattr(ws, "_write_number", ws.write_number)
    text = [c.text.fmt for c in columns]
    quoted_text = [c.text.quoted for c in columns]
    number = [c.number.fmt for c in columns]
    day = [c.date.fmt for c in columns]
    stamp = [c.datetime.fmt for c in columns]
    risky = _RISKY_FIRST
    serials: dict[Any, float] = {}
    serial_of = _serial if not getattr(book, "date_1904", False) else None
    lost = []
    for r in range(start, len(grid)):
        try:
            for c, value in enumerate(grid[r]):
                kind = type(value)
                if kind is str:
                    if value:
                        if value[0] in risky:
                            rc = write_string(r, c, value, quoted_text[c])
                        else:
                            rc = write_string(r, c, value, text[c])
                        if rc:
                            lost.append((r, c, rc))
                elif kind is float:
                    write_number(r, c, value, number[c])
                elif kind is date or kind is datetime:
                    serial = serials.get(value)
                    if serial is None:
                        serial = serials[value] = serial_of(value)  # type: ignore[misc]
                    if kind is date or not (value.hour or value.minute or value.second):
                        write_number(r, c, serial, day[c])
                    else:
                        write_number(r, c, serial, stamp[c])
                elif value is not None:
                    _write_other(ws, r, c, value, columns[c], book)
        except (TypeError, IndexError, ValueError):
            _write_plain_row(ws, r, grid[r], None, book, columns)
    if lost:
        losses = book.losses
        for r, c, rc in lost:
            losses.add(ws.name, r, c, rc)


def _serial(value: date | datetime) -> float:
    """Excel's 1900-system serial number of a date or date-time (as XlsxWriter computes it);
    dates before March 1900, where Excel's calendar is off by a day, go the careful way."""
    if value < _EXCEL_SAFE[type(value)]:
        raise ValueError("before 1900-03-01")
    if type(value) is date:
        return float((value - _EPOCH_DATE).days)
    delta = value - _EPOCH
    return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400


_EPOCH = datetime(1899, 12, 30)
_EPOCH_DATE = date(1899, 12, 30)
_EXCEL_SAFE = {date: date(1900, 3, 1), datetime: datetime(1900, 3, 1)}


# ---------------------------------------------------------------------------------------------


class _ColumnStyles:
    """The formats of one column, one per type of value it may hold."""

    __slots__ = ("date", "datetime", "number", "other", "text")

    def __init__(
        self, formats: FormatCache, kind: Kind | None, *, wrap: bool = False, plain: bool = False
    ):
        number_tokens = _KIND_TOKENS.get(kind, ()) if kind else ()
        text_tokens = ("id",) if kind is Kind.ID else ("text",)
        if wrap:
            text_tokens = (*text_tokens, "wrap")
        self.text = Style(formats, *text_tokens, valign="vcenter")
        if plain and kind is not Kind.ID:
            # A long log's text needs no look of its own (rows are one line high); leaving
            # the style out of 300,000 cells saves a tenth of the time the file takes to save.
            self.text.fmt = None
        self.number = Style(formats, *number_tokens, valign="vcenter")
        self.date = Style(formats, "date", valign="vcenter")
        stamp = temporal_format(datetime(1, 1, 1, 1))
        self.datetime = Style(formats, "date", num_format=stamp, valign="vcenter")
        self.other = formats


def _write_other(ws: Any, r: int, c: int, value: Any, column: _ColumnStyles, book: Any) -> None:
    if isinstance(value, bool):
        put(ws, r, c, value, Style(column.other), book)
    elif isinstance(value, (int, float)):
        put(ws, r, c, value, column.number, book)
    else:
        fmt = Style(column.other, "date", num_format=temporal_format(value), valign="vcenter")
        put(ws, r, c, value, fmt, book)


def _write_plain_row(
    ws: Any, r: int, row: list, formats: FormatCache | None, book: Any, columns=None
) -> None:
    """A row through the careful path (title rows above the header, or a row the fast loop
    could not write, such as a number too big for Excel)."""
    for c, value in enumerate(row):
        if columns is not None:
            column = columns[c]
            style = column.text if isinstance(value, str) else column.number
            if isinstance(value, (date, datetime)):
                style = Style(column.other, "date", num_format=temporal_format(value))
            put(ws, r, c, value, style, book)
        else:
            style = Style(formats, "key") if isinstance(value, str) else Style(formats)
            if isinstance(value, (date, datetime)):
                style = Style(formats, "date", num_format=temporal_format(value))
            put(ws, r, c, value, style, book)


def _kept_columns(raw: Any) -> list[int]:
    width = max((len(row) for row in raw.grid), default=0)
    drop = set(raw.computed.values())
    return [c for c in range(width) if c not in drop]


def _without(raw: Any, keep: list[int], rows: slice = slice(None)) -> list[list]:
    """The grid without the columns an earlier refresh computed (the same list when none)."""
    if not raw.computed:
        return raw.grid[rows]
    return [[row[c] for c in keep if c < len(row)] for row in raw.grid[rows]]


def _carried(book: Any, ctx: RefreshContext) -> Carried:
    """Notes and column looks of every user sheet, read once per workbook (by write_refreshed)."""
    return book.carried


def _settings_values(ws: Any, grid: list[list], raw: Any, formats: FormatCache, book) -> None:
    """Settings values get the format of their setting (money, percentages) row by row."""
    key_col, value_col = raw.columns["setting_key"], raw.columns["setting_value"]
    matcher = Matcher(s.label_key for s in SETTINGS)
    kinds = {s.label_key: s.kind for s in SETTINGS}
    tokens = {Kind.MONEY: "money", Kind.PERCENT: "percent", Kind.INTEGER: "integer"}
    for r in range(raw.data_start, len(grid)):
        row = grid[r]
        if key_col < len(row) and value_col < len(row) and isinstance(row[key_col], str):
            token = tokens.get(kinds.get(matcher.match(row[key_col]) or ""))
            if token and type(row[value_col]) is float:
                put(ws, r, value_col, row[value_col], _setting_style(formats, token), book)


def _widths(
    ws: Any,
    grid: list[list],
    data_start: int,
    headers: list,
    kinds: dict[int, Kind],
    keep: list[int],
    looks: list,
) -> list[float]:
    """Fitted widths (never narrower than the user made a column); returns them."""
    rows = sample(grid[data_start:])
    widths = []
    user = {}
    for look in looks:
        for old in range(look.first, min(look.last, 16383) + 1):
            user[old] = look
    for new, old in enumerate(keep):
        minimum = 0.0
        kind = kinds.get(old)
        if kind is not None:
            minimum = 10.5 if kind is Kind.DATE else 0
        look = user.get(old)
        if look is not None and look.width is not None:
            minimum = max(minimum, _chars(look.width))
        width = fitted_width(
            headers[new], (row[new] for row in rows if new < len(row)), minimum=minimum
        )
        options = {"hidden": True} if look is not None and look.hidden else None
        ws.set_column(new, new, width, None, options)
        widths.append(width)
    return widths


def _wrapped_columns(grid: list[list], data_start: int, width: int) -> dict[int, float]:
    """On short sheets, columns holding text longer than the widest column a sheet gets:
    they wrap, and their rows grow to show it. Column → width."""
    if len(grid) - data_start > _WRAP_ROWS:
        return {}
    wrapped = {}
    for c in range(width):
        values = [row[c] for row in grid[data_start:] if c < len(row)]
        if any(isinstance(v, str) and text_width(v) + 2 > MAX_WIDTH for v in values):
            wrapped[c] = float(MAX_WIDTH)
    return wrapped


def _row_heights(ws: Any, grid: list[list], data_start: int, wrapped: dict, lang: Lang) -> None:
    """Excel does not grow a row for wrapped text it did not type itself: set the height."""
    if not wrapped:
        return
    for r in range(data_start, len(grid)):
        row = grid[r]
        lines = 1
        for c, width in wrapped.items():
            if c < len(row) and isinstance(row[c], str) and row[c]:
                for paragraph in row[c].split("\n"):
                    lines_here = -(-int(text_width(paragraph) * 0.9) // int(width - 1))
                    lines = max(lines, lines_here + row[c].count("\n"))
        if lines > 1:
            ws.set_row(r, 6 + min(lines, 15) * _LINE_PT[lang])


def _colours(ws, raw, new_of, first, last, extra_cols, width, formats) -> None:
    if raw.key == "tactics" and "status" in raw.columns:
        status_colours(ws, first, last, new_of[raw.columns["status"]], ["status"], formats)
    if raw.key == "tactics" and "percent_complete" in raw.columns:
        progress_bars(ws, first, last, new_of[raw.columns["percent_complete"]])
    for offset, column in enumerate(extra_cols):
        column.decorate(ws, first, last, width + offset, formats)


def _dropdowns(ws: Any, raw: Any, new_of: dict[int, int], first: int, ctx: RefreshContext) -> None:
    """The template's dropdowns again: closed lists, scores, percentages, and ID / owner lists
    that read the other sheet's column where it really is and grow with it."""
    schema = SHEETS_BY_KEY[raw.key]
    if raw.key == "settings":
        _settings_dropdowns(ws, raw, ctx.lang)
        return
    names = {key: sheet.name for key, sheet in ctx.raw.sheets.items()}
    for key, old in raw.columns.items():
        column = schema.column(key)
        rule = None
        if column.kind in (Kind.REF, Kind.OWNER) and column.refers_to:
            rule = _reference_rule(column, ctx, names)
        elif column.choices is not None or column.kind in (Kind.SCORE, Kind.PERCENT):
            rule = dropdown_rule(column, ctx.lang, names)
        if rule:
            ws.data_validation(first, new_of[old], LAST_ROW, new_of[old], rule)


def _reference_rule(column, ctx: RefreshContext, names: dict[str, str]) -> dict | None:
    target = ctx.raw.sheets.get(column.refers_to)
    if target is None or target.header_row < 1:
        return None
    schema = SHEETS_BY_KEY[target.key]
    key = schema.id_column or schema.columns[0].key
    position = target.columns.get(key)
    if position is None:
        return None
    position = _kept_columns(target).index(position)
    rule = dropdown_rule(column, ctx.lang, names)
    if rule is None:
        return None
    letter = _col_letter(position)
    above = sum(
        1
        for row in _without(target, _kept_columns(target), slice(0, target.header_row))
        if position < len(row) and row[position] not in ("", None)
    )
    name = quoted(target.name)
    first = target.header_row + 1
    rule["source"] = (
        f"=OFFSET({name}!${letter}${first},0,0,MAX(1,COUNTA({name}!${letter}:${letter})-{above}),1)"
    )
    return rule


def _settings_dropdowns(ws: Any, raw: Any, lang: Lang) -> None:
    from .template import CURRENCY_FORMATS

    key_col, value_col = raw.columns["setting_key"], raw.columns["setting_value"]
    matcher = Matcher(s.label_key for s in SETTINGS)
    for index, row in enumerate(raw.grid[raw.data_start :], raw.data_start):
        key = matcher.match(row[key_col]) if isinstance(row[key_col], str) else None
        if key == "setting.language":
            languages = [labels.text(f"language.{code}", lang) for code in ("en", "zh")]
            ws.data_validation(index, value_col, index, value_col, list_rule(languages, lang))
        elif key == "setting.currency":
            codes = [code for code in CURRENCY_FORMATS if code != "RMB"]
            rule = list_rule(codes, lang, open_list=True)
            rule["error_message"] = labels.text("template.currency_message", lang)
            ws.data_validation(index, value_col, index, value_col, rule)


def _notes(ws: Any, notes: list, place: Callable[[int], int | None]) -> None:
    """The user's cell notes, back on the same cells, unchanged (a note on a column sheetplan
    computes moves with that column)."""
    for note in notes:
        col = place(note.col)
        if col is None:
            continue
        lines = note.text.count("\n") + 1 + int(display_width(note.text)) // 36
        ws.write_comment(
            note.row,
            col,
            note.text,
            {"author": note.author, "width": 240, "height": min(400, 20 + 15 * lines)},
        )


def _header_notes(
    ws: Any, row: int, width: int, extra_cols: list, notes: list, moved: dict, lang: Lang
) -> None:
    """The computed headers' own notes (over the one an earlier refresh left); a note the user
    put on such a header stays instead."""
    from .template import header_note

    ours = set(labels.label("template.comment_author").names())
    theirs = {moved.get(n.col) for n in notes if n.row == row and n.author not in ours}
    for offset, column in enumerate(extra_cols):
        if column.note and width + offset not in theirs:
            header_note(ws, row, width + offset, column.note, lang)


def _chars(width: float) -> float:
    """A stored column width (with Excel's padding) as the character count set_column takes."""
    return max(0.0, round(width - 0.71, 2))


def _col_letter(col: int) -> str:
    from ..package.xml import column_letters

    return column_letters(col)


def _setting_style(formats: FormatCache, token: str) -> Style:
    return Style(formats, token, align="left", indent=1, valign="vcenter")
