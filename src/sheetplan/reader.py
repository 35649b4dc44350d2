"""Workbook file → raw sheets: cell values by row, with the sheet and header names the user typed.

python-calamine reads the cells (8× faster than openpyxl read-only on a 100,000-row log,
see shared/research/performance.md); a few small XML parts are read from the zip for what
calamine does not tell (formulas whose result was never saved). Sheets and headers are found
in either language, in any order; extra columns and sheets are listed, never dropped.
"""

from __future__ import annotations

import re
import threading
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

from . import labels
from .errors import InputError
from .labels import Lang, Matcher, normalize
from .parse import is_blank
from .schema import INPUT_SHEETS, OUTPUT_SHEET_KEYS, SHEETS_BY_KEY, Sheet

HEADER_SEARCH_ROWS = 10
"""A header row may sit below a title or a blank line; it is looked for in the first rows."""


@dataclass
class RawSheet:
    key: str
    name: str
    header_row: int
    """1-based row of the headers (0 when the sheet has none, as a bare Settings list may)."""
    columns: dict[str, int]
    """Column key → 0-based position, for the columns sheetplan knows."""
    headers: dict[int, str]
    """0-based position → header text as typed, for every non-blank header (known or not)."""
    grid: list[list] = field(repr=False)
    """Every row from A1, as calamine read it ("" for an empty cell)."""
    data_start: int = 0
    """0-based index in `grid` of the first row below the header."""
    duplicate_headers: list[tuple[str, str]] = field(default_factory=list)
    """(column key, header text) of a second column that claims a column already found."""
    computed: dict[str, int] = field(default_factory=dict)
    """Computed column key (e.g. "computed.goals.progress") → position: written by an earlier
    refresh, rebuilt by the next one, never read as user data."""
    total_rows: dict[int, str] = field(default_factory=dict)
    """1-based row → what it shows ("Total", "合计", a sum): rows that add up the others (an
    Excel table's totals row, a Total line typed under the data). Kept in `grid` so a refresh
    writes them back; never read as data."""

    @cached_property
    def rows(self) -> list[tuple[int, list]]:
        """(1-based row number, cells) for every non-blank row below the header that is not a
        totals row."""
        skip = self.total_rows
        return [
            (number, cells)
            for number, cells in enumerate(self.grid[self.data_start :], self.data_start + 1)
            if cells and (cells[0] != "" or cells.count("") != len(cells)) and number not in skip
        ]

    def header_of(self, key: str) -> str:
        return self.headers[self.columns[key]]

    @property
    def extra_columns(self) -> dict[int, str]:
        """The user's own columns: neither an input column nor one sheetplan computes."""
        known = set(self.columns.values()) | set(self.computed.values())
        return {i: h for i, h in self.headers.items() if i not in known}


@dataclass
class RawWorkbook:
    path: Path
    sheet_names: list[str]
    sheets: dict[str, RawSheet]
    extra_sheets: list[str]
    output_sheets: dict[str, str]
    """Sheet key → name, for the sheets sheetplan writes itself (rebuilt, never read)."""
    language: Lang
    trend: list[list] = field(default_factory=list)
    """The rows of the Trend sheet an earlier refresh wrote (header first), to append to."""
    duplicate_sheets: list[tuple[str, str]] = field(default_factory=list)
    unsaved_formulas: dict[str, list[str]] = field(default_factory=dict)
    """Sheet name → cells (A1 style) holding a formula whose result was never saved."""
    extra_grids: dict[str, list[list]] = field(default_factory=dict)
    """The user's own sheets, every row from A1 (read only for a refresh)."""
    formula_cells: dict[str, int] = field(default_factory=dict)
    """Sheet name → formulas the user typed there."""
    hidden_sheets: list[str] = field(default_factory=list)
    """Input sheets the user hid (read all the same, by name): a hidden sheet is easy to forget
    when a number looks wrong."""
    """Sheet name → formulas the user typed there (input and own sheets): a refresh writes
    values, so it says these would be lost."""


def read_workbook(path: Path, lang: Lang = "en", *, extra_sheets: bool = False) -> RawWorkbook:
    """Read every sheet sheetplan knows from `path` (and the user's other sheets, for a refresh
    that writes them back, when `extra_sheets` is set).

    Raises InputError (one line, in `lang` until the workbook's own language is known) when
    the file is not a readable workbook or a required sheet or column is missing."""
    from . import preflight

    def plan_sheets(names: list[str]) -> None:
        found = _classify_sheets(names)[0]
        require_sheets(path, found, _detect_language(names, {}) or lang)

    checked = preflight.check_workbook_file(path, lang, sheet_list=plan_sheets)
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises several unrelated types for a bad file
        book = without_macro_sheets(path, checked.sheet_parts)
        if book is None:
            raise InputError(
                labels.text("file.unreadable", lang, file=path.name, reason=error)
            ) from error
    formulas: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    sum_rows: dict[str, dict[int, set[int]]] = {}
    scan = None
    try:
        names = list(book.sheet_names)
        found, extra, outputs, duplicates = _classify_sheets(names)
        hidden = [
            sheet.name
            for sheet in book.sheets_metadata
            if sheet.name in found.values()
            and sheet.visible != python_calamine.SheetVisibleEnum.Visible
        ]
        scan = threading.Thread(
            target=_scan_formulas,
            args=(checked, set(found.values()) | set(extra), formulas, counts, sum_rows),
        )
        scan.start()  # calamine releases the GIL: the XML scan runs beside the parse
        sheets: dict[str, RawSheet] = {}
        for key, name in list(found.items()):
            grid = _cells(book, name, path, lang)
            sheet = SHEETS_BY_KEY[key]
            raw = _raw_sheet(sheet, name, grid)
            if sheet.claimed_by_headers and not _claims(sheet, raw):
                del found[key]
                extra = [n for n in names if n in extra or n == name]
                hidden = [n for n in hidden if n != name]
                continue
            sheets[key] = raw
        extra_grids = {}
        if extra_sheets:
            for name in extra:
                extra_grids[name] = _cells(book, name, path, lang)
        trend = []
        if "trend" in outputs:
            trend = _cells(book, outputs["trend"], path, lang, skip_empty_area=True)
    finally:
        book.close()
        if scan is not None:
            scan.join()
    language = _detect_language(names, sheets) or lang
    _require(path, sheets, language)
    for raw in sheets.values():
        part = checked.sheet_parts.get(raw.name, "")
        raw.total_rows = _total_rows(
            raw, checked.table_totals.get(part, set()), sum_rows.get(raw.name, {})
        )
    unsaved = {name: cells for name, cells in formulas.items() if name in found.values()}
    return RawWorkbook(
        path,
        names,
        sheets,
        extra,
        outputs,
        language,
        trend,
        duplicates,
        unsaved,
        extra_grids,
        counts,
        hidden,
    )


_MACRO_PARTS = ("xl/macrosheets/", "xl/dialogsheets/")
_SHEET_ELEMENT = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?/>")
_SHEET_NAME = re.compile(rb'\bname="([^"]*)"')


def without_macro_sheets(path: Path, parts: dict[str, str]):
    """calamine refuses a whole workbook that holds an Excel 4 macro sheet or a dialog sheet
    ("Unrecognized sheet type"); such sheets are never plan data, so the workbook is read
    from an in-memory copy whose sheet list leaves them out (the file itself is untouched).
    None when that is not the reason."""
    import html
    import io

    import python_calamine

    macro = {name for name, part in parts.items() if part.startswith(_MACRO_PARTS)}
    if not macro:
        return None

    def keep(match: re.Match) -> bytes:
        name = _SHEET_NAME.search(match.group(0))
        if name and html.unescape(name.group(1).decode("utf-8", "replace")) in macro:
            return b""
        return match.group(0)

    copy = io.BytesIO()
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
            for entry in source.infolist():
                data = source.read(entry.filename)
                if entry.filename == "xl/workbook.xml":
                    data = _SHEET_ELEMENT.sub(keep, data)
                target.writestr(entry, data)
        copy.seek(0)
        return python_calamine.CalamineWorkbook.from_filelike(copy)
    except Exception:
        return None


def _cells(book, name: str, path: Path, lang: Lang, *, skip_empty_area: bool = False) -> list:
    """Every row of one sheet. calamine raises many unrelated types for a damaged sheet, and a
    Rust panic (e.g. a date serial too big for a date) arrives as a BaseException: all of them
    become one line naming the sheet."""
    try:
        return book.get_sheet_by_name(name).to_python(skip_empty_area=skip_empty_area)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(
            labels.text("file.sheet_unreadable", lang, file=path.name, sheet=name, reason=reason)
        ) from error


# ---------------------------------------------------------------------------------------------


def _total_rows(
    raw: RawSheet, table_rows: set[int], sum_rows: dict[int, set[int]]
) -> dict[int, str]:
    """Rows below the header that are totals, not data: an Excel table's totals row; a row
    whose first text is Total / 合计 / 总计 (labels `total.row`); a row with no ID (or no key
    cell, on sheets without IDs) whose numbers are all SUM or SUBTOTAL formulas."""
    if raw.key == "settings" or not raw.header_row:
        return {}
    words = Matcher(["total.row"])
    sheet = SHEETS_BY_KEY[raw.key]
    key = sheet.id_column or next((c.key for c in sheet.columns if c.required), None)
    key_at = raw.columns.get(key) if key else None
    found: dict[int, str] = {}
    candidates = sorted(table_rows | set(sum_rows))
    initials = {normalize(name)[:1] for name in labels.label("total.row").names()}
    for number, cells in enumerate(raw.grid[raw.data_start :], raw.data_start + 1):
        first = cells[0] if cells else None
        if first.__class__ is not str:
            continue  # a date or a number first (every row of a typed log): not a label
        if not first.strip():
            first = next((c for c in cells if not is_blank(c)), None)
            if not isinstance(first, str):
                continue
        if normalize(first)[:1] in initials and words.match(first):
            found[number] = first.strip()
    for number in candidates:
        if number <= raw.data_start or number in found:
            continue
        cells = raw.grid[number - 1] if number <= len(raw.grid) else []
        first = next((c for c in cells if not is_blank(c)), None)
        keyless = key_at is None or key_at >= len(cells) or is_blank(cells[key_at])
        summed = sum_rows.get(number, set())
        only_sums = all(
            i in summed for i, c in enumerate(cells) if not is_blank(c) and not isinstance(c, str)
        )
        if number in table_rows or (keyless and summed and only_sums):
            found[number] = "SUM" if first is None else _cell_text(first)
    return found


def _claims(sheet: Sheet, raw: RawSheet) -> bool:
    """Whether a sheet found by its name has a header of one of the sheet's required columns
    (a Notes column alone does not make the user's "Sources" sheet ours)."""
    return any(column.key in raw.columns for column in sheet.columns if column.required)


def _classify_sheets(
    names: list[str],
) -> tuple[dict[str, str], list[str], dict[str, str], list[tuple[str, str]]]:
    inputs = Matcher(sheet.label_key for sheet in INPUT_SHEETS)
    outputs = Matcher(f"sheet.{key}" for key in OUTPUT_SHEET_KEYS)
    found: dict[str, str] = {}
    produced: dict[str, str] = {}
    extra: list[str] = []
    duplicates: list[tuple[str, str]] = []
    for name in names:
        key = inputs.match(name)
        if key:
            key = key.removeprefix("sheet.")
            if key in found:
                duplicates.append((key, name))
            else:
                found[key] = name
            continue
        key = outputs.match(name)
        if key:
            produced.setdefault(key.removeprefix("sheet."), name)
        else:
            extra.append(name)
    return found, extra, produced, duplicates


def _raw_sheet(sheet: Sheet, name: str, grid: list[list]) -> RawSheet:
    if sheet.key == "settings":
        return _settings_sheet(sheet, name, grid)
    matcher = Matcher(column.label_key for column in sheet.columns)
    header_index, best = -1, 0
    for index, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        hits = sum(1 for cell in cells if isinstance(cell, str) and matcher.match(cell))
        if hits > best:
            header_index, best = index, hits
    if header_index < 0:
        return RawSheet(sheet.key, name, 0, {}, {}, grid, len(grid))
    columns: dict[str, int] = {}
    headers: dict[int, str] = {}
    computed: dict[str, int] = {}
    duplicates: list[tuple[str, str]] = []
    computed_matcher = Matcher(labels.keys_with_prefix(f"computed.{sheet.key}."))
    for position, cell in enumerate(grid[header_index]):
        if is_blank(cell):
            continue
        header = str(cell).strip() if isinstance(cell, str) else _cell_text(cell)
        headers[position] = header
        key = matcher.match(header)
        if key is None:
            done = computed_matcher.match(header)
            if done and done not in computed:
                computed[done] = position
            continue
        key = key.removeprefix("col.")
        if key in columns:
            duplicates.append((key, header))
        else:
            columns[key] = position
    return RawSheet(
        sheet.key,
        name,
        header_index + 1,
        columns,
        headers,
        grid,
        header_index + 1,
        duplicates,
        computed,
    )


def _settings_sheet(sheet: Sheet, name: str, grid: list[list]) -> RawSheet:
    """Settings is a key/value list, read by position (first two non-blank columns of the header)
    when its headers are not Key / Value."""
    matcher = Matcher(column.label_key for column in sheet.columns)
    start, header_row = 0, 0
    key_col, value_col = 0, 1
    for index, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        named = {
            matcher.match(cell): position
            for position, cell in enumerate(cells)
            if isinstance(cell, str) and matcher.match(cell)
        }
        if "col.setting_key" in named or "col.setting_value" in named:
            key_col = named.get("col.setting_key", 0)
            value_col = named.get("col.setting_value", key_col + 1)
            start, header_row = index + 1, index + 1
            break
    headers = {}
    if header_row:
        headers = {
            position: _cell_text(cell)
            for position, cell in enumerate(grid[header_row - 1])
            if not is_blank(cell)
        }
    headers.setdefault(key_col, labels.text("col.setting_key", "en"))
    headers.setdefault(value_col, labels.text("col.setting_value", "en"))
    columns = {"setting_key": key_col, "setting_value": value_col}
    return RawSheet(sheet.key, name, header_row, columns, headers, grid, start)


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def _cell_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _detect_language(names: list[str], sheets: dict[str, RawSheet]) -> Lang | None:
    """The language most of the sheet names and headers are written in."""
    votes = {"en": 0, "zh": 0}
    sheet_matcher = Matcher(sheet.label_key for sheet in INPUT_SHEETS)
    for name in names:
        _, lang = sheet_matcher.match_with_language(name)
        if lang:
            votes[lang] += 1
    for raw in sheets.values():
        matcher = Matcher(column.label_key for column in SHEETS_BY_KEY[raw.key].columns)
        for header in raw.headers.values():
            _, lang = matcher.match_with_language(header)
            if lang:
                votes[lang] += 1
    if votes["zh"] == votes["en"]:
        return None
    return "zh" if votes["zh"] > votes["en"] else "en"


def require_sheets(path: Path, found: dict[str, object], lang: Lang) -> None:
    """A required sheet missing is decided from the sheet list alone."""
    for sheet in INPUT_SHEETS:
        if sheet.required and sheet.key not in found:
            label = labels.label(sheet.label_key)
            raise InputError(
                labels.text("file.missing_sheet", lang, file=path.name, en=label.en, zh=label.zh)
            )


def _require(path: Path, sheets: dict[str, RawSheet], lang: Lang) -> None:
    require_sheets(path, sheets, lang)
    for sheet in INPUT_SHEETS:
        if sheet.key not in sheets:
            continue
        raw = sheets[sheet.key]
        for column in sheet.columns:
            if column.required and column.key not in raw.columns:
                col = labels.label(column.label_key)
                near = Matcher([column.label_key])
                close = [h for h in raw.extra_columns.values() if near.closest(h, cutoff=0.75)]
                raise InputError(
                    labels.text(
                        "file.missing_column_close" if close else "file.missing_column",
                        lang,
                        file=path.name,
                        sheet=raw.name,
                        en=col.en,
                        zh=col.zh,
                        found=close[0] if close else "",
                    )
                )


# ---------------------------------------------------------------------------------------------
# Formulas whose result was never saved: calamine reads them as blank, so look in the XML.

_FORMULA = re.compile(rb"<f[ >/]")
_CELL_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_VALUE = re.compile(rb"<v>[^<]")
_SPLIT_REF = re.compile(rb"([A-Z]+)([0-9]+)")
_SHARED_INDEX = re.compile(rb'\bsi="([0-9]+)"')


def _scan_formulas(
    checked,
    wanted: set[str],
    unsaved: dict[str, list[str]],
    counts: dict[str, int],
    sum_rows: dict[str, dict[int, set[int]]],
) -> None:
    """Thread body: fills `unsaved` (sheet → cells whose formula has no saved result) and
    `counts` (sheet → formulas). A part the scan cannot parse only means no formula warning for
    it; the cells themselves are read (and checked) by calamine either way."""
    try:
        for name, part in checked.sheet_parts.items():
            data = checked.sheet_xml.get(part)
            if name not in wanted or data is None:
                continue
            if b"<f" not in data:
                continue
            cells, total, sums = formula_cells(data)
            if cells:
                unsaved[name] = cells
            counts[name] = total
            if sums:
                sum_rows[name] = sums
    except Exception:
        unsaved.clear()
        sum_rows.clear()


def formula_cells(data: bytes) -> tuple[list[str], int, dict[int, set[int]]]:
    """(cells whose formula has no saved result, formulas in all, row → 0-based columns of its
    SUM or SUBTOTAL formulas) of one worksheet's XML.

    Linear in the size of the part: each `<f` is found once, and the cell around it is looked
    for only between the previous formula cell's end and this one (a pattern that scanned
    forward from every `<c` backtracked over formatted empty cells `<c r="B2" s="3"/>`,
    quadratic in their number: 16 s for 3,000 of them)."""
    cells: list[str] = []
    total = 0
    sums: dict[int, set[int]] = {}
    shared_sums: set[bytes] = set()
    done = 0
    for match in _FORMULA.finditer(data):
        at = match.start()
        if at < done:
            continue
        start = max(data.rfind(b"<c ", done, at), data.rfind(b"<c>", done, at))
        end = data.find(b"</c>", at)
        if end < 0:
            break
        if start < 0:
            done = at + 2
            continue
        total += 1
        tag_end = data.find(b">", start, at)
        ref = _CELL_REF.search(data, start, tag_end if tag_end > 0 else at)
        if not _VALUE.search(data, at, end):
            cells.append(ref.group(1).decode() if ref else "?")
        if ref is not None and _sums(data, at, end, shared_sums):
            letters, digits = _SPLIT_REF.match(ref.group(1)).groups()
            sums.setdefault(int(digits), set()).add(_column_index(letters))
        done = end + 4
    return cells, total, sums


def _sums(data: bytes, at: int, end: int, shared: set[bytes]) -> bool:
    """Whether the formula at `at` is a SUM or SUBTOTAL (a shared formula's other cells carry
    only its `si`, so the master's answer is remembered by it)."""
    close = data.find(b">", at, end)
    if close < 0:
        return False
    tag = data[at:close]
    index = _SHARED_INDEX.search(tag)
    if tag.endswith(b"/"):
        return index is not None and index.group(1) in shared
    text = data[close + 1 : close + 40].lstrip(b"= ").upper()
    is_sum = text.startswith((b"SUM(", b"SUBTOTAL(", b"_XLFN.SUBTOTAL("))
    if is_sum and index is not None:
        shared.add(index.group(1))
    return is_sum


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part inside the zip."""
    from defusedxml import ElementTree

    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    parts = {}
    for element in workbook.iter():
        if element.tag.endswith("}sheet"):
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            if not target:
                continue
            if target.startswith("/"):
                part = target.lstrip("/")
            else:
                part = str(PurePosixPath("xl") / target)
            parts[element.get("name", "")] = collapse_path(part)
    return parts


def collapse_path(part: str) -> str:
    out: list[str] = []
    for piece in part.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece and piece != ".":
            out.append(piece)
    return "/".join(out)
