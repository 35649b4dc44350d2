"""`sheetplan new`: a plan workbook worth filling in — blank, or with the worked example.

Everything comes from the declarations: schema.py says which sheets and columns exist and
what each holds, data/labels says every word in both languages, styles.py how things look.
Data sheets are Excel tables (filters and row rules extend as the user types below them);
every closed list and every reference to another sheet gets a dropdown, references grow
with the sheet they read. The file is written to a temporary name and moved into place, and
its bytes depend only on the arguments (fixed creation date, no clock, no randomness).
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import labels
from ..labels import Lang
from ..model import Settings
from ..package.xml import RISKY_START
from ..schema import INPUT_SHEETS, SETTINGS, SETTINGS_SHEET, SHEETS_BY_KEY, Column, Kind, Sheet
from .sample import PlanData, sample_plan, suggested_sources
from .styles import CURRENCY_FORMATS, TABLE_STYLE, FormatCache, workbook_options

CREATED = datetime(2026, 1, 1)
"""The document's creation stamp: fixed, so the same command always writes the same bytes."""

LAST_ROW = 1_048_575
"""Dropdowns and formats cover every row, so they keep working as a sheet grows."""

BLANK_ROWS = 12
"""Empty table rows in the blank template: a form to fill in, not a bare header."""

DEFAULT_CURRENCY: dict[str, str] = {"en": "USD", "zh": "CNY"}

TAB_COLORS: dict[str, str] = {
    "guide": "#2A7F7F",
    "settings": "#8C99A6",
    "company_goals": "#1F3A5F",
    "goals": "#1F3A5F",
    "kpis": "#1F3A5F",
    "tactics": "#1F3A5F",
    "team": "#8C99A6",
    "weights": "#8C99A6",
    "actuals": "#1E7B46",
    "sources": "#5E9C76",
}

_KIND_TOKENS: dict[Kind, tuple[str, ...]] = {
    Kind.ID: ("id",),
    Kind.DATE: ("date",),
    Kind.MONEY: ("money",),
    Kind.PERCENT: ("percent",),
    Kind.NUMBER: ("number",),
    Kind.HOURS: ("hours",),
    Kind.SCORE: ("score",),
    Kind.INTEGER: ("integer",),
}
_HEADER_ALIGN = {
    Kind.MONEY: "right",
    Kind.PERCENT: "right",
    Kind.NUMBER: "right",
    Kind.HOURS: "right",
    Kind.SCORE: "center",
}
"""Headers sit over their numbers: right for amounts, centred over 1–5 scores."""
_MAX_WIDTH = 46
_WRAP_FROM = 30
"""Text columns declared this wide (goal, tactic, notes…) wrap instead of running under
the next column; the sample's rows are made tall enough for what they hold."""
_LINE_PT = {"en": 15.0, "zh": 17.0}


def write_plan_template(path: Path, *, lang: Lang, sample: bool) -> None:
    """Write the blank template (or the sample plan) in `lang` to `path`, replacing it."""
    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    from .guide import write_guide

    data = sample_plan(lang) if sample else blank_plan(lang)
    path = Path(path)
    handle, temp = tempfile.mkstemp(prefix=".sheetplan-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        workbook = xlsxwriter.Workbook(temp, workbook_options(lang))
        _properties(workbook, data, lang)
        styles = FormatCache(workbook, currency=data.settings.get("currency"))
        names = sheet_names(lang)
        guide = workbook.add_worksheet(names["guide"])
        write_guide(guide, styles, lang, names)
        paper = paper_for(data.settings.get("currency"), lang)
        page_setup(guide, lang, landscape=False, paper=paper, header_rows=0)
        guide.set_tab_color(TAB_COLORS["guide"])
        guide.activate()
        settings = workbook.add_worksheet(names["settings"])
        _settings_sheet(settings, styles, lang, data.settings, paper)
        for sheet in INPUT_SHEETS:
            if sheet is SETTINGS_SHEET:
                continue
            worksheet = workbook.add_worksheet(names[sheet.key])
            rows = data.rows.get(sheet.key, [])
            _data_sheet(worksheet, sheet, rows, styles, lang, names, paper)
        try:
            workbook.close()
        except FileCreateError as error:
            cause = error.args[0] if error.args else error
            raise cause if isinstance(cause, OSError) else OSError(str(cause)) from error
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def blank_plan(lang: Lang) -> PlanData:
    """Settings filled with their defaults (currency by language), every sheet empty but
    Sources, which lists the common export columns of each platform for the user to map."""
    defaults = Settings()
    settings: dict[str, Any] = {f.name: getattr(defaults, f.name) for f in fields(Settings)}
    low, high = defaults.score_scale
    settings.update(
        currency=DEFAULT_CURRENCY[lang],
        score_scale=f"{low:g}–{high:g}",
        language=labels.text(f"language.{lang}", lang),
        mail_to=None,
    )
    return PlanData(settings, {"sources": suggested_sources(lang)})


def sheet_names(lang: Lang) -> dict[str, str]:
    names = {sheet.key: labels.text(sheet.label_key, lang) for sheet in INPUT_SHEETS}
    names["guide"] = labels.text("sheet.guide", lang)
    return names


def display_width(text: str) -> float:
    """Width in Excel's character units: CJK and full-width characters take two."""
    if text.isascii():  # every ASCII character is narrow: no per-character lookup
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_lines(text: str, width: float) -> int:
    """How many lines `text` wraps to in a column `width` characters wide (a safe estimate:
    proportional Latin letters average a little under the digit width Excel measures in)."""
    lines = 0
    for paragraph in text.split("\n"):
        size = sum(2.15 if unicodedata.east_asian_width(ch) in "WF" else 0.88 for ch in paragraph)
        lines += max(1, -(-int(size) // int(width - 2)))
    return lines


def quoted(sheet_name: str) -> str:
    """A sheet name as a formula must spell it: always in quotes, inner quotes doubled."""
    return "'" + sheet_name.replace("'", "''") + "'"


def grows_with(sheet_name: str, column: int) -> str:
    """A list source that follows a column as rows are added (header in row 1)."""
    letter = _col_letter(column)
    name = quoted(sheet_name)
    return f"=OFFSET({name}!${letter}$2,0,0,MAX(1,COUNTA({name}!${letter}:${letter})-1),1)"


def write_cell(worksheet: Any, row: int, col: int, value: Any, fmt: Any, styles: Any) -> None:
    """One cell, typed: text always as text (quote-prefixed when it looks like a formula)."""
    if value is None:
        result = worksheet.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        if value.startswith(RISKY_START):
            fmt = styles.get("text", quote_prefix=True)
        result = worksheet.write_string(row, col, value, fmt)
    elif isinstance(value, bool):
        result = worksheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        result = worksheet.write_number(row, col, value, fmt)
    elif isinstance(value, (date, datetime)):
        result = worksheet.write_datetime(row, col, value, fmt)
    else:
        raise TypeError(f"cannot write {type(value).__name__} to a cell")
    if result < 0:
        raise ValueError(f"cell {_col_letter(col)}{row + 1} was not written ({result})")


# ---------------------------------------------------------------------------------------------


def _properties(workbook: Any, data: PlanData, lang: Lang) -> None:
    title = data.settings.get("plan_name") or labels.text("guide.title", lang)
    workbook.set_properties(
        {
            "title": title,
            "subject": labels.text("guide.subtitle", lang),
            "author": "sheetplan",
            "comments": "sheetplan new",
            "created": CREATED,
        }
    )
    workbook.set_calc_mode("auto")


def _settings_sheet(
    ws: Any, styles: FormatCache, lang: Lang, values: dict[str, Any], paper: int
) -> None:
    keys = [labels.text(s.label_key, lang) for s in SETTINGS]
    about_header = labels.text("template.setting_about", lang)
    headers = [labels.text(c.label_key, lang) for c in SETTINGS_SHEET.columns] + [about_header]
    key_width = max(22, *(display_width(k) * 1.1 + 3 for k in keys))
    about_width = 64
    ws.set_column(0, 0, key_width, styles.get("key"))
    ws.set_column(1, 1, 36, styles.get("text", align="left"))
    ws.set_column(2, 2, about_width, styles.get("muted"))
    notes = ["note.setting_key", "note.setting_value", "note.setting_about"]
    for col, (text, note) in enumerate(zip(headers, notes, strict=True)):
        ws.write_string(0, col, text, styles.get("header", "pad"))
        header_note(ws, 0, col, labels.text(note, lang), lang)
    ws.set_row(0, 26)
    value_tokens = {
        Kind.DATE: ("date",),
        Kind.PERCENT: ("percent",),
        Kind.MONEY: ("money",),
        Kind.INTEGER: ("integer",),
    }
    line = 15 if lang == "en" else 17
    for row, setting in enumerate(SETTINGS, start=1):
        about = labels.text(setting.note_key, lang)
        ws.write_string(row, 0, keys[row - 1], styles.get("key", "cell", "pad"))
        tokens = value_tokens.get(setting.kind, ())
        fmt = styles.get(*tokens, "input", align="left", indent=1)
        write_cell(ws, row, 1, values.get(setting.key), fmt, styles)
        ws.write_string(row, 2, about, styles.get("muted", "cell", "pad", valign="vcenter"))
        ws.set_row(row, 8 + line * text_lines(about, about_width))
    _settings_dropdowns(ws, lang)
    ws.freeze_panes(1, 1)
    page_setup(ws, lang, landscape=True, paper=paper, id_column=True)
    ws.set_tab_color(TAB_COLORS["settings"])


def _settings_dropdowns(ws: Any, lang: Lang) -> None:
    row_of = {s.key: row for row, s in enumerate(SETTINGS, start=1)}
    languages = [labels.text(f"language.{code}", lang) for code in ("en", "zh")]
    ws.data_validation(row_of["language"], 1, row_of["language"], 1, list_rule(languages, lang))
    codes = [code for code in CURRENCY_FORMATS if code != "RMB"]
    currency = list_rule(codes, lang, open_list=True)
    currency["error_message"] = labels.text("template.currency_message", lang)
    ws.data_validation(row_of["currency"], 1, row_of["currency"], 1, currency)


def _data_sheet(
    ws: Any,
    sheet: Sheet,
    rows: list[dict[str, Any]],
    styles: FormatCache,
    lang: Lang,
    names: dict[str, str],
    paper: int,
) -> None:
    headers = [labels.text(c.label_key, lang) for c in sheet.columns]
    last = len(rows) if rows else BLANK_ROWS
    tokens = [_KIND_TOKENS.get(c.kind, ("pad",)) for c in sheet.columns]
    wrapped = [c.kind is Kind.TEXT and c.width >= _WRAP_FROM for c in sheet.columns]
    cells = [styles.get(*t, "cell", text_wrap=w) for t, w in zip(tokens, wrapped, strict=True)]
    widths = [_width(column, headers[col], rows) for col, column in enumerate(sheet.columns)]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width, styles.get("text", *tokens[col], text_wrap=wrapped[col]))
    table_columns = []
    for column, header in zip(sheet.columns, headers, strict=True):
        side = _HEADER_ALIGN.get(column.kind, "left")
        align = {"align": side, "indent": 0 if side == "center" else 1}
        table_columns.append({"header": header, "header_format": styles.get("header", **align)})
    ws.add_table(
        0,
        0,
        last,
        len(sheet.columns) - 1,
        {"name": f"tbl_{sheet.key}", "style": TABLE_STYLE, "columns": table_columns},
    )
    line = _LINE_PT[lang]
    for row in range(1, last + 1):
        values = rows[row - 1] if rows else {}
        for col, column in enumerate(sheet.columns):
            write_cell(ws, row, col, values.get(column.key), cells[col], styles)
        lines = max(
            (
                text_lines(str(values[c.key]), widths[i])
                for i, c in enumerate(sheet.columns)
                if wrapped[i] and values.get(c.key)
            ),
            default=1,
        )
        if lines > 1:
            ws.set_row(row, lines * line + 5)
    for col, column in enumerate(sheet.columns):
        header_note(ws, 0, col, _note(sheet, column, lang), lang)
        rule = dropdown_rule(column, lang, names)
        if rule:
            ws.data_validation(1, col, LAST_ROW, col, rule)
    ws.set_row(0, 26)
    ws.freeze_panes(1, 1 if sheet.id_column else 0)
    page_setup(ws, lang, landscape=True, paper=paper, id_column=bool(sheet.id_column))
    if sheet.key == "actuals":
        leave_out_of_print(ws, len(sheet.columns) + 1)
    ws.set_tab_color(TAB_COLORS[sheet.key])


def _width(column: Column, header: str, rows: list[dict[str, Any]]) -> float:
    """Wide enough for the header (plus the filter button) and, in the sample, the content."""
    width = max(column.width, display_width(header) * 1.15 + 4)
    for values in rows:
        value = values.get(column.key)
        if isinstance(value, str):
            width = max(width, min(_MAX_WIDTH, display_width(value) + 2))
        elif isinstance(value, float) and column.kind in (Kind.NUMBER, Kind.MONEY):
            width = max(width, len(f"{value:,.0f}") + 4)
    return round(width, 1)


def _note(sheet: Sheet, column: Column, lang: Lang) -> str:
    specific = f"note.{sheet.key}.{column.key}"
    key = specific if specific in labels.all_labels() else column.note_key
    return labels.text(key, lang)


def dropdown_rule(column: Column, lang: Lang, names: dict[str, str]) -> dict[str, Any] | None:
    if column.choices is not None:
        values = [labels.text(member.label_key, lang) for member in column.choices]
        return list_rule(values, lang, open_list=column.open_list)
    if column.kind in (Kind.REF, Kind.OWNER) and column.refers_to:
        target = SHEETS_BY_KEY[column.refers_to]
        key = target.id_column or target.columns[0].key
        position = [c.key for c in target.columns].index(key)
        target_name = names[target.key]
        owner = column.kind is Kind.OWNER
        prefix = "template.owner" if owner else "template.ref"
        return {
            "validate": "list",
            "source": grows_with(target_name, position),
            "error_type": "warning" if owner else "stop",
            "error_title": labels.text(f"{prefix}_title", lang),
            "error_message": labels.text(f"{prefix}_message", lang, sheet=target_name),
        }
    if column.kind is Kind.SCORE:
        return {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 1,
            "maximum": 5,
            "error_type": "warning",
            "error_title": labels.text("template.score_title", lang),
            "error_message": labels.text("template.score_message", lang),
        }
    if column.kind is Kind.PERCENT:
        return {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": 1,
            "error_title": labels.text("template.percent_title", lang),
            "error_message": labels.text("template.percent_message", lang),
        }
    return None


def list_rule(values: list[str], lang: Lang, *, open_list: bool = False) -> dict[str, Any]:
    key = "template.open_list_message" if open_list else "template.list_message"
    return {
        "validate": "list",
        "source": values,
        "error_type": "warning" if open_list else "stop",
        "error_title": labels.text("template.list_title", lang),
        "error_message": labels.text(key, lang),
    }


def header_note(ws: Any, row: int, col: int, text: str, lang: Lang) -> None:
    """A note on a header cell, sized to its text, in the language's font (shown on hover)."""
    per_line = 34 if lang == "en" else 30
    lines = -(-int(display_width(text)) // per_line) + text.count("\n")
    font = "Calibri" if lang == "en" else "Microsoft YaHei"
    ws.write_comment(
        row,
        col,
        text,
        {
            "author": labels.text("template.comment_author", lang),
            "width": 240,
            "height": 16 + 16 * lines,
            "font_name": font,
            "font_size": 9,
        },
    )


LETTER_CURRENCIES = frozenset({"USD", "CAD", "MXN", "PHP", "CLP", "COP"})
"""Plans in these currencies print on US Letter (the countries that use it); all others on
A4. A plan without a currency follows its language's default currency."""
LETTER, A4 = 1, 9
MIN_PRINT_PT = 8.0
PRINTABLE_PX = {
    LETTER: ((11 - 1.0) * 96, (8.5 - 1.0) * 96),
    A4: ((11.69 - 1.0) * 96, (8.27 - 1.0) * 96),
}
"""Printable width of a landscape and a portrait page inside 0.5 in margins, in pixels."""
WIDER_IN_PRINT = {"en": 1.1, "zh": 1.35}
"""How much wider a sheet prints than XlsxWriter's pixel widths say (measured through
LibreOffice: a substituted font with wider digits widens every column, most in Chinese)."""


def paper_for(currency: str | None, lang: Lang) -> int:
    """XlsxWriter's paper code: Letter in USD/Letter territory, else A4; one for every sheet."""
    code = (currency or DEFAULT_CURRENCY[lang]).strip().upper()
    return LETTER if code in LETTER_CURRENCIES else A4


def sheet_width_px(ws: Any) -> float:
    """The width of a sheet's set columns in pixels (XlsxWriter keeps them in col_info)."""
    total = 0.0
    for info in getattr(ws, "col_info", {}).values():
        width = info[0] if isinstance(info, (list, tuple)) else getattr(info, "width", 64)
        if not (info[2] if isinstance(info, (list, tuple)) else getattr(info, "hidden", False)):
            total += width or 0
    return total


def fits_one_page_wide(ws: Any, lang: Lang, paper: int, *, landscape: bool = True) -> bool:
    """True when fitting the sheet to one page wide keeps its text at MIN_PRINT_PT or more."""
    base = 11.0 if lang == "en" else 10.0
    wide = PRINTABLE_PX[paper][0 if landscape else 1]
    width = sheet_width_px(ws) * WIDER_IN_PRINT[lang]
    return width <= 0 or base * min(1.0, wide / width) >= MIN_PRINT_PT


def page_setup(
    ws: Any,
    lang: Lang,
    *,
    landscape: bool,
    paper: int | None = None,
    header_rows: int | None = None,
    id_column: bool = False,
) -> None:
    """Paper from the plan's currency (A4 unless Letter territory), landscape where wide, one
    page wide only when the text stays at 8 pt or more; a wider sheet prints at full size with
    its header rows (and ID column) repeated on every page. Call after the widths are set."""
    paper = paper or paper_for(None, lang)
    if header_rows is None:
        header_rows = 1 if landscape else 0
    ws.set_paper(paper)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    if header_rows:
        ws.repeat_rows(0, header_rows - 1)
    if fits_one_page_wide(ws, lang, paper, landscape=landscape):
        ws.fit_to_pages(1, 0)
    elif id_column:
        ws.repeat_columns(0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&L&A&R" + labels.text("template.page_footer", lang), {"margin": 0.3})


def leave_out_of_print(ws: Any, col: int) -> None:
    """Keep a sheet out of the printed workbook: its print area is one empty cell right of
    its columns, and a blank page is never printed (Excel and LibreOffice skip it). Clearing
    the print area (the Guide says how) prints the sheet again."""
    col += 8  # clear of the header notes' boxes, which would print as a page of their own
    ws.print_area(0, col, 0, col)
    ws.repeat_row_range = ""  # repeated header rows would print on their own
    ws.repeat_col_range = ""
    ws.set_footer("")  # and so would a footer with the sheet name and page number


def _umask() -> int:
    """The process umask, so the file gets the same mode as any other new file."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _col_letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
