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
from .labels import Lang, Matcher
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

    @cached_property
    def rows(self) -> list[tuple[int, list]]:
        """(1-based row number, cells) for every non-blank row below the header."""
        return [
            (number, cells)
            for number, cells in enumerate(self.grid[self.data_start :], self.data_start + 1)
            if cells and (cells[0] != "" or cells.count("") != len(cells))
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
        raise InputError(
            labels.text("file.unreadable", lang, file=path.name, reason=error)
        ) from error
    formulas: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
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
            args=(checked, set(found.values()) | set(extra), formulas, counts),
        )
        scan.start()  # calamine releases the GIL: the XML scan runs beside the parse
        sheets: dict[str, RawSheet] = {}
        for key, name in found.items():
            grid = _cells(book, name, path, lang)
            sheets[key] = _raw_sheet(SHEETS_BY_KEY[key], name, grid)
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


def _scan_formulas(
    checked, wanted: set[str], unsaved: dict[str, list[str]], counts: dict[str, int]
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
            cells, total = formula_cells(data)
            if cells:
                unsaved[name] = cells
            counts[name] = total
    except Exception:
        unsaved.clear()


def formula_cells(data: bytes) -> tuple[list[str], int]:
    """(cells whose formula has no saved result, formulas in all) of one worksheet's XML.

    Linear in the size of the part: each `<f` is found once, and the cell around it is looked
    for only between the previous formula cell's end and this one (a pattern that scanned
    forward from every `<c` backtracked over formatted empty cells `<c r="B2" s="3"/>`,
    quadratic in their number: 16 s for 3,000 of them)."""
    cells: list[str] = []
    total = 0
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
        if not _VALUE.search(data, at, end):
            tag_end = data.find(b">", start, at)
            ref = _CELL_REF.search(data, start, tag_end if tag_end > 0 else at)
            cells.append(ref.group(1).decode() if ref else "?")
        done = end + 4
    return cells, total


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
