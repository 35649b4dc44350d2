"""Pieces every data sheet of a refresh shares: typed safe cells, fitted widths, tables with a
fallback to a plain filter, status colours, progress bars and print set-up.

Input sheets (inputs.py) and report sheets (reports.py) both use them, so a Status column
looks and prints the same wherever it appears.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

import xlsxwriter

from .. import labels
from ..labels import LANGS, Lang
from ..package.xml import RISKY_START
from .carry import Carried
from .styles import PALETTE, STATUS_TOKENS, TABLE_STYLE, FormatCache
from .template import display_width, page_setup

MAX_WIDTH = 60
MIN_WIDTH = 6
SAMPLE_ROWS = 1000
"""Widths are fitted on the first and last rows of a long sheet: a 100,000-row log's widths
come from its first and last thousand rows, in a few milliseconds."""

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TIME_FORMAT = "hh:mm:ss"
DURATION_FORMAT = "[h]:mm:ss"

NOT_A_NUMBER = -100
"""Loss code of a NaN or infinite value (Excel has no such number): written blank."""
LOSS_CODES = {
    -1: "refresh.loss.out_of_range",
    -2: "refresh.loss.truncated",
    NOT_A_NUMBER: "refresh.loss.not_a_number",
}


class Losses:
    """Cells XlsxWriter refused or cut (a return code below zero): listed on Data Checks, never
    dropped silently."""

    def __init__(self) -> None:
        self.items: list[tuple[str, int, int, int]] = []

    def add(self, sheet: str, row: int, col: int, code: int) -> None:
        self.items.append((sheet, row, col, code))


class RefreshBook(xlsxwriter.Workbook):
    """The refreshed workbook being written, with what all its writers share: the cells that
    could not be written (for Data Checks) and what is carried over from the user's file."""

    def __init__(self, path: str, options: dict[str, Any], carried: Carried) -> None:
        super().__init__(path, options)
        self.losses = Losses()
        self.carried = carried
        self.renamed: list[tuple[str, str]] = []
        """(name in the user's file, name written) of sheets whose name Excel would refuse."""

    def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Any:
        """A sheet under a name Excel accepts: a name from a file not written by Excel (too
        long, `[]:*?/\\`, quotes at the ends, a case-insensitive duplicate, "History") is made
        legal and the change recorded for Data Checks."""
        if name is not None:
            legal = legal_sheet_name(name, {ws.name.casefold() for ws in self.worksheets()})
            if legal != name:
                self.renamed.append((name, legal))
                name = legal
        if worksheet_class is None:
            return super().add_worksheet(name)
        return super().add_worksheet(name, worksheet_class)


def legal_sheet_name(name: str, taken: set[str]) -> str:
    """`name` as Excel allows it, unique (ignoring case) among `taken`."""
    text = re.sub(r"[\[\]:*?/\\\x00-\x1f]", "_", name).strip("'") or "Sheet"
    if text.casefold() == "history":
        text = f"{text}_"
    text = text[:31]
    candidate, n = text, 1
    while candidate.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = text[: 31 - len(suffix)] + suffix
    return candidate


class Style:
    """A cell format and the same look with a quote prefix, for text that starts like a formula
    (Excel then keeps it text even after F2+Enter)."""

    __slots__ = ("fmt", "quoted")

    def __init__(self, formats: FormatCache, *tokens: str, **overrides: Any):
        self.fmt = formats.get(*tokens, **overrides) if tokens or overrides else None
        self.quoted = formats.get(*tokens, **overrides, quote_prefix=True)


def styled(formats: FormatCache, *tokens: str, **overrides: Any) -> Style:
    """A Style made once per workbook for each distinct look (cells of a report ask per row)."""
    cache = formats.__dict__.setdefault("_sheetplan_styles", {})
    key = (tokens, tuple(sorted(overrides.items())))
    found = cache.get(key)
    if found is None:
        found = cache[key] = Style(formats, *tokens, **overrides)
    return found


def put(ws: Any, row: int, col: int, value: Any, style: Style, book: Any) -> None:
    """Write one value with its own type (text stays text, quote-prefixed when it looks like a
    formula); a refused or cut cell is recorded in Losses."""
    if value is None or value == "":
        return
    fmt = style.fmt
    if isinstance(value, str):
        if value.startswith(RISKY_START):
            fmt = style.quoted
        rc = ws.write_string(row, col, value, fmt)
    elif isinstance(value, bool):
        rc = ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            book.losses.add(ws.name, row, col, NOT_A_NUMBER)
            return
        rc = ws.write_number(row, col, value, fmt)
    elif isinstance(value, (date, time, timedelta)):
        rc = ws.write_datetime(row, col, value, fmt)
    else:
        rc = ws.write_string(row, col, str(value), fmt)
    if rc < 0:
        book.losses.add(ws.name, row, col, rc)


def temporal_format(value: Any) -> str:
    """The number format that shows a date, a date-time, a time or a duration as typed."""
    if isinstance(value, datetime):
        if value.hour or value.minute or value.second:
            return DATETIME_FORMAT
        return "yyyy-mm-dd"
    if isinstance(value, time):
        return TIME_FORMAT
    if isinstance(value, timedelta):
        return DURATION_FORMAT
    return "yyyy-mm-dd"


def fitted_width(header: Any, values: Iterable[Any], *, minimum: float = 0) -> float:
    """Characters wide enough for the header with its filter button and the longest value
    (CJK characters count double), capped so one long note doesn't push the sheet off screen."""
    width = max(minimum, MIN_WIDTH, text_width(header) * 1.1 + 4)
    for value in values:
        if value is None or value == "":
            continue
        width = max(width, text_width(value) + 2)
        if width >= MAX_WIDTH:
            return MAX_WIDTH
    return round(min(width, MAX_WIDTH), 1)


def text_width(value: Any) -> float:
    if isinstance(value, str):
        longest = max(value.split("\n"), key=len) if "\n" in value else value
        return display_width(longest)
    if isinstance(value, bool):
        return 5
    if isinstance(value, float):
        if value.is_integer():
            return len(f"{value:,.0f}") + 1
        return min(len(f"{value:,.2f}") + 1, 14)
    if isinstance(value, int):
        return len(f"{value:,}") + 1
    if isinstance(value, datetime) and (value.hour or value.minute):
        return 16
    if isinstance(value, (date, datetime)):
        return 10.5
    return len(str(value))


_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)(-?\d+(?:\.\d+)?)\]")
_DIGITS = re.compile(r"[#0][#0,]*(?:\.[#0]+)?")
_DECORATION = re.compile(r'"([^"]*)"|\\(.)|\[[^\]]*\]|_(.)|\*.')


def shown_number(value: float, num_format: str | None) -> str:
    """A number as its number format prints it (sections, conditions, quoted text such as a
    currency, thousands separators, decimals, percent): widths come from what is printed, not
    from the raw value."""
    if not num_format or num_format == "General":
        return _general(value)
    sections = num_format.split(";")
    section, sign = sections[0], "-" if value < 0 else ""
    condition = _CONDITION.search(section)
    if condition is not None:
        operator, limit = condition[1], float(condition[2])
        holds = {
            "<": value < limit,
            ">": value > limit,
            "<=": value <= limit,
            ">=": value >= limit,
            "=": value == limit,
            "<>": value != limit,
        }[operator]
        if not holds and len(sections) > 1:
            section, sign = sections[1], "-" if value < 0 and ";" not in sections[1] else ""
    elif value < 0 and len(sections) > 1:
        section, sign = sections[1], ""
    if "General" in section:
        digits = _general(abs(value))
        return sign + _DECORATION.sub(_literal, section).replace("General", digits, 1)
    core = _DIGITS.search(section)
    if core is None:
        return sign + _DECORATION.sub(_literal, section)
    number = abs(value) * (100 if "%" in section else 1)
    places = len(core[0].partition(".")[2])
    digits = f"{number:,.{places}f}" if "," in core[0] else f"{number:.{places}f}"
    before = _DECORATION.sub(_literal, section[: core.start()])
    after = _DECORATION.sub(_literal, section[core.end() :])
    return sign + before + digits + after


def _literal(match: re.Match) -> str:
    if match[1] is not None:
        return match[1]
    if match[2] is not None:
        return match[2]
    return " " if match[3] is not None else ""


def _general(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e11:
        return str(int(value))
    return f"{value:.10g}"


def sample(rows: Sequence[Any]) -> Iterable[Any]:
    """Every row of a short sheet; the first and last SAMPLE_ROWS of a long one."""
    if len(rows) <= 2 * SAMPLE_ROWS:
        return rows
    return [*rows[:SAMPLE_ROWS], *rows[-SAMPLE_ROWS:]]


def table_or_filter(
    ws: Any,
    first_row: int,
    last_row: int,
    headers: Sequence[Any],
    header_styles: Sequence[Style],
    *,
    name: str | None = None,
    first_col: int = 0,
) -> bool:
    """An Excel table over the header row and the rows below it; when the headers can't name
    table columns (blank, duplicate, not text), a plain autofilter instead. True for a table."""
    last_col = first_col + len(headers) - 1
    if last_col < first_col:
        return False
    last_row = max(last_row, first_row + 1)
    if not _table_headers_ok(headers):
        for col, header in enumerate(headers, start=first_col):
            if header not in (None, ""):
                style = header_styles[col - first_col]
                risky = isinstance(header, str) and header.startswith(RISKY_START)
                _write_any(ws, first_row, col, header, style.quoted if risky else style.fmt)
        ws.autofilter(first_row, first_col, last_row, last_col)
        return False
    columns = [
        {"header": h, "header_format": s.fmt} for h, s in zip(headers, header_styles, strict=True)
    ]
    options: dict[str, Any] = {"style": TABLE_STYLE, "columns": columns}
    if name:
        options["name"] = name
    _add_table(ws, first_row, first_col, last_row, last_col, options)
    for col, header in enumerate(headers, start=first_col):
        if header.startswith(RISKY_START):
            ws.write_string(first_row, col, header, header_styles[col - first_col].quoted)
    return True


def status_colours(
    ws: Any,
    first_row: int,
    last_row: int,
    col: int,
    prefixes: Iterable[str],
    formats: FormatCache,
    langs: Iterable[Lang] = LANGS,
    extra: dict[str, str] | None = None,
) -> None:
    """Green / amber / red / grey fills on a column of status labels, as conditional formats,
    so a user who types over a status sees the colour follow."""
    if last_row < first_row:
        return
    rules: dict[str, str] = {}
    for prefix in prefixes:
        for key in labels.keys_with_prefix(f"{prefix}."):
            value = key.removeprefix(f"{prefix}.")
            token = STATUS_TOKENS.get(value)
            if token:
                for lang in langs:
                    rules.setdefault(labels.text(key, lang), token)
    for text, token in (extra or {}).items():
        rules.setdefault(text, token)
    for text, token in rules.items():
        ws.conditional_format(
            first_row,
            col,
            last_row,
            col,
            {
                "type": "cell",
                "criteria": "==",
                "value": '"' + text.replace('"', '""') + '"',
                "format": formats.get(token),
            },
        )


def progress_bars(ws: Any, first_row: int, last_row: int, col: int) -> None:
    """A data bar from 0 % to 100 %, so progress reads at a glance in any previewer; the
    gradient fades to white, so the percentage written over it stays readable. Excel 2007's
    rule: its 2010 form lives in the sheet's extLst, which a spliced column does not carry."""
    if last_row < first_row:
        return
    ws.conditional_format(
        first_row,
        col,
        last_row,
        col,
        {
            "type": "data_bar",
            "bar_color": PALETTE["teal"],
            "min_type": "num",
            "min_value": 0,
            "max_type": "num",
            "max_value": 1,
        },
    )


def print_setup(
    ws: Any,
    lang: Lang,
    header_row: int,
    *,
    landscape: bool = True,
    paper: int | None = None,
    id_column: bool = False,
) -> None:
    """The template's page set-up (template.page_setup) with the rows down to `header_row`
    repeated: one page wide only while text stays at 8 pt, else full size with the ID column
    repeated too. Call after the column widths are set."""
    page_setup(
        ws,
        lang,
        landscape=landscape,
        paper=paper,
        header_rows=header_row + 1 if header_row >= 0 else 0,
        id_column=id_column,
    )


def same_paper(book: Any, paper: int, leave_out: Iterable[str] = ()) -> None:
    """Every sheet of the workbook on the same paper, and the sheets in `leave_out` (the
    Actuals log, the Trend log) out of the default print. Run last, before the book closes:
    XlsxWriter writes page set-up only then."""
    from .template import leave_out_of_print

    skip = set(leave_out)
    for ws in book.worksheets():
        ws.set_paper(paper)
        if ws.name in skip:
            last = max(getattr(ws, "col_info", {}) or {0: None})
            leave_out_of_print(ws, max(last, getattr(ws, "dim_colmax", 0) or 0) + 2)


# ---------------------------------------------------------------------------------------------


def _add_table(ws: Any, first_row: int, first_col: int, last_row: int, last_col: int, options):
    """add_table, without XlsxWriter's cell-by-cell overlap check on a long sheet.

    That check (sound, but 600,000 dictionary writes for a 100,000-row log: a tenth of the
    time the whole refresh may take) guards against two tables or merges on one range; a
    data sheet here has exactly one table and no merges. So a long table is added over its
    header and first row, then given its full range — only when XlsxWriter's table record
    has the shape this was written against, else the normal call runs."""
    from xlsxwriter.utility import xl_range

    if last_row - first_row <= _BIG_TABLE or ws.merged_cells:
        ws.add_table(first_row, first_col, last_row, last_col, options)
        return
    small = xl_range(first_row, first_col, first_row + 1, last_col)
    ws.add_table(first_row, first_col, first_row + 1, last_col, options)
    table = ws.tables[-1] if ws.tables else {}
    if table.get("range") != small or table.get("a_range") != small:
        ws.tables.pop()
        for col in range(first_col, last_col + 1):
            ws.table_cells.pop((first_row, col), None)
            ws.table_cells.pop((first_row + 1, col), None)
        ws.add_table(first_row, first_col, last_row, last_col, options)
        return
    table["range"] = table["a_range"] = xl_range(first_row, first_col, last_row, last_col)
    if table.get("autofilter"):
        table["autofilter"] = table["a_range"]


_BIG_TABLE = 5000


def _table_headers_ok(headers: Sequence[Any]) -> bool:
    seen: set[str] = set()
    for header in headers:
        if not isinstance(header, str) or not header.strip() or len(header) > 255:
            return False
        if any(ord(ch) < 32 for ch in header):
            return False
        folded = header.casefold()
        if folded in seen:
            return False
        seen.add(folded)
    return True


def _write_any(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    if isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, (date, time, timedelta)):
        ws.write_datetime(row, col, value, fmt)
