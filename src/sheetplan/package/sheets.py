"""Worksheet XML edits: sheetplan's own sheets moved in from the donor (style indexes mapped,
shared strings made inline so the user's string table is never touched), and the computed
columns spliced into the user's Goals, KPIs and Tactics without touching any other cell."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from .styles import StyleMap
from .xml import MAIN, cell_ref, column_letters, q, range_bounds

_STYLE_ATTR = re.compile(rb'(<(?:c|row)\b[^>]*? s=")(\d+)(")')
_COL_STYLE = re.compile(rb'(<col\b[^>]*? style=")(\d+)(")')
_DXF = re.compile(rb'(<cfRule\b[^>]*? dxfId=")(\d+)(")')
_SHARED_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")? t="s"><v>([0-9]+)</v></c>')
_SI = re.compile(rb"<si>(.*?)</si>", re.S)
_TAB_SELECTED = re.compile(rb'\s+tabSelected="(?:1|true)"')

WORKSHEET_ORDER = (
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)


def shared_strings(donor_sst: bytes | None) -> list[bytes]:
    """The donor's string table as the inner XML of each item (rich runs included)."""
    if not donor_sst:
        return []
    return _SI.findall(donor_sst)


def report_sheet(xml: bytes, styles: StyleMap, strings: list[bytes]) -> bytes:
    """A donor sheet (XlsxWriter's regular output) ready for the user's package."""
    xf, dxf = styles.xf, styles.dxf
    xml = _STYLE_ATTR.sub(lambda m: m[1] + str(xf.get(int(m[2]), 0)).encode() + m[3], xml)
    xml = _COL_STYLE.sub(lambda m: m[1] + str(xf.get(int(m[2]), 0)).encode() + m[3], xml)
    xml = _DXF.sub(lambda m: m[1] + str(dxf.get(int(m[2]), 0)).encode() + m[3], xml)

    def inline(m: re.Match) -> bytes:
        return b'<c r="%s"%s t="inlineStr"><is>%s</is></c>' % (
            m[1],
            m[2] or b"",
            strings[int(m[3])],
        )

    return _SHARED_CELL.sub(inline, xml)


def without_tab_selected(head: bytes) -> bytes | None:
    """The head of a sheet with its selected-tab flag removed, or None when it has none (only
    the sheet views before <sheetData> are looked at)."""
    end = head.find(b"<sheetData")
    views = head if end < 0 else head[:end]
    match = _TAB_SELECTED.search(views)
    if not match:
        return None
    return head[: match.start()] + head[match.end() :]


@dataclass(frozen=True)
class Splice:
    """What the package editor does to one input sheet."""

    columns: tuple[int, ...]
    """0-based columns sheetplan owns on this sheet (its computed columns)."""
    header_row: int
    """0-based row of the headers."""
    record_rows: frozenset[int]
    """0-based rows holding a goal, KPI or tactic (their computed cells are rewritten)."""
    new_columns: frozenset[int] = frozenset()
    """Columns placed by this refresh (no earlier refresh wrote them): they get sheetplan's
    width; existing ones keep any width the user gave them."""
    stale_columns: tuple[int, ...] = ()
    """Columns an earlier refresh computed that this one no longer writes: cleared."""
    donor_sheet: str = ""
    """The donor sheet holding the columns' cells (its name is a placeholder: the user's
    sheet name may be one XlsxWriter would refuse)."""


def splice_columns(
    root: Any, donor_root: Any, splice: Splice, styles: StyleMap, strings: list[bytes]
) -> dict[str, Any]:
    """Put the donor's cells, column widths and conditional formats of the owned columns into
    the user's sheet `root` (edited in place). Returns the table-extension facts for the
    caller: the columns and header texts written on the header row."""
    ns = root.nsmap.get(root.prefix) or MAIN
    owned = set(splice.columns) | set(splice.stale_columns)
    donor_cells = _donor_cells(donor_root, styles, strings, ns)
    data = _child(root, "sheetData", ns, create=True)
    rows: dict[int, Any] = {}
    placed: dict[int, list[tuple[int, Any]]] = {}
    """Row index → (column, cell) of every cell the row holds, kept up to date below."""
    for index, row, cells in explicit_refs(data, ns):
        rows[index], placed[index] = row, cells
    formula = q("f", ns)
    for index, row in rows.items():
        kept = []
        for column, cell in placed[index]:
            if column in owned and not (
                index != splice.header_row
                and index not in splice.record_rows
                and cell.find(formula) is not None  # the user's own (a total under a column)
            ):
                row.remove(cell)
            else:
                kept.append((column, cell))
        placed[index] = kept
    for index in sorted(donor_cells):
        row = rows.get(index)
        if row is None:
            row = _new_row(data, index, rows, ns)
            rows[index], placed[index] = row, []
        _insert_cells(row, donor_cells[index], placed[index])
    for index, row in rows.items():
        _fix_spans(row, placed[index])
    _dimension(root, ns, donor_cells)
    _columns(root, donor_root, splice, styles, ns)
    _conditional_formats(root, donor_root, owned, styles, ns)
    for view in root.iter(q("sheetView", ns)):
        view.attrib.pop("tabSelected", None)
    return {
        column: "".join(cell.itertext()) for column, cell in donor_cells.get(splice.header_row, [])
    }


def _donor_cells(donor_root: Any, styles: StyleMap, strings: list[bytes], ns: str) -> dict:
    """Row index → (column, cell) of the donor's cells, made ready for the user's sheet: style
    indexes mapped, shared strings inline. The donor tree is thrown away afterwards, so its
    cells are changed in place and moved, not copied (a 1,000-row Tactics has 7,000)."""
    from lxml import etree

    cells: dict[int, list] = {}
    inline_of: dict[int, Any] = {}
    style_of: dict[str, str] = {}
    value_tag = q("v", MAIN)
    for row in donor_root.iter(q("row", MAIN)):
        index = int(row.get("r")) - 1
        for cell in row.iterfind(q("c", MAIN)):
            if ns == MAIN and cell.keys() in _PLAIN_CELL:
                made = cell
                made.tail = None
            else:  # another namespace, or attributes sheetplan does not write: built anew
                made = etree.Element(q("c", ns), nsmap=None)
                made.set("r", cell.get("r"))
                for child in cell:
                    made.append(_in_ns(copy.deepcopy(child), ns))
            style = cell.get("s")
            if style is not None:
                mapped = style_of.get(style)
                if mapped is None:
                    mapped = style_of[style] = str(styles.xf.get(int(style), 0))
                made.set("s", mapped)
            kind = cell.get("t")
            value = cell.find(value_tag) if kind == "s" else None
            if value is not None:
                made.set("t", "inlineStr")
                string = int(value.text)
                inline = inline_of.get(string)
                if inline is None:
                    inline = inline_of[string] = etree.fromstring(
                        b'<is xmlns="' + ns.encode() + b'">' + strings[string] + b"</is>"
                    )
                for child in list(made):
                    made.remove(child)
                made.append(copy.deepcopy(inline))
            elif kind and made is not cell:
                made.set("t", kind)
            cells.setdefault(index, []).append((cell_ref(made.get("r"))[1], made))
    return cells


_PLAIN_CELL = (["r"], ["r", "s"], ["r", "t"], ["r", "s", "t"])
"""Attributes of a donor cell changed in place (XlsxWriter writes them in this order)."""


def explicit_refs(data: Any, ns: str) -> list[tuple[int, Any, list[tuple[int, Any]]]]:
    """Rows and cells without a reference (allowed: they follow the previous one) get theirs
    written out, so cells can be placed by reference. Returns (0-based row, row, [(0-based
    column, cell)]) of every row, in document order."""
    found = []
    next_row = 1
    cell_tag = q("c", ns)
    for row in data.iterfind(q("row", ns)):
        if row.get("r") is None:
            row.set("r", str(next_row))
        number = int(row.get("r"))
        next_row = number + 1
        next_col = 0
        cells = []
        for cell in row.iterfind(cell_tag):
            position = cell_ref(cell.get("r", ""))
            if position is None:
                cell.set("r", f"{column_letters(next_col)}{number}")
                position = (number - 1, next_col)
            next_col = position[1] + 1
            cells.append((position[1], cell))
        found.append((number - 1, row, cells))
    return found


def _new_row(data: Any, index: int, rows: dict[int, Any], ns: str) -> Any:
    made = data.makeelement(q("row", ns))
    made.set("r", str(index + 1))
    later = [r for r in rows if r > index]
    if later:
        data.insert(data.index(rows[min(later)]), made)
    else:
        data.append(made)
    return made


def _insert_cells(row: Any, cells: list, existing: list[tuple[int, Any]]) -> None:
    """Put (column, cell) pairs into `row` by column; `existing` (the row's cells) grows."""
    cells = sorted(cells, key=lambda item: item[0])
    if not existing or cells[0][0] > max(column for column, _cell in existing):
        row.extend(cell for _column, cell in cells)  # the usual case: after the user's last
        existing.extend(cells)
        return
    for col, cell in cells:
        after = [c for position, c in existing if position > col]
        if after:
            row.insert(row.index(after[0]), cell)
        else:
            row.append(cell)
        existing.append((col, cell))
        existing.sort(key=lambda item: item[0])


def _fix_spans(row: Any, cells: list[tuple[int, Any]]) -> None:
    if row.get("spans") is None or not cells:
        return
    columns = [column for column, _cell in cells]
    first, last = (int(v) for v in row.get("spans").split(":")[:2])
    first, last = min(first, min(columns) + 1), max(last, max(columns) + 1)
    row.set("spans", f"{first}:{last}")


def _dimension(root: Any, ns: str, added: dict[int, list]) -> None:
    """The used range, grown to take the cells sheetplan added."""
    dimension = root.find(q("dimension", ns))
    if dimension is None or not added:
        return
    bounds = range_bounds(dimension.get("ref", "")) or (0, 0, 0, 0)
    first_row, first_col, last_row, last_col = bounds
    for index, cells in added.items():
        for col, _cell in cells:
            first_row, last_row = min(first_row, index), max(last_row, index)
            first_col, last_col = min(first_col, col), max(last_col, col)
    dimension.set(
        "ref",
        f"{column_letters(first_col)}{first_row + 1}:{column_letters(last_col)}{last_row + 1}",
    )


def _columns(root: Any, donor_root: Any, splice: Splice, styles: StyleMap, ns: str) -> None:
    donor_cols = donor_root.find(q("cols", MAIN))
    if donor_cols is None:
        return
    cols = _child(root, "cols", ns, create=True)
    covered = []
    for col in cols.iterfind(q("col", ns)):
        covered.append((int(col.get("min")) - 1, int(col.get("max")) - 1))
    for col in donor_cols.iterfind(q("col", MAIN)):
        first, last = int(col.get("min")) - 1, int(col.get("max")) - 1
        for index in range(first, last + 1):
            if index not in splice.new_columns or any(a <= index <= b for a, b in covered):
                continue
            made = _in_ns(copy.deepcopy(col), ns)
            made.set("min", str(index + 1))
            made.set("max", str(index + 1))
            if made.get("style") is not None:
                made.set("style", str(styles.xf.get(int(made.get("style")), 0)))
            later = [c for c in cols.iterfind(q("col", ns)) if int(c.get("min")) - 1 > index]
            if later:
                cols.insert(cols.index(later[0]), made)
            else:
                cols.append(made)
            covered.append((index, index))


def _conditional_formats(
    root: Any, donor_root: Any, owned: set[int], styles: StyleMap, ns: str
) -> None:
    """The user's rules stay; sheetplan's (those that lie wholly in its columns) are replaced."""
    priority = 0
    for block in list(root.iterfind(q("conditionalFormatting", ns))):
        if _within(block.get("sqref", ""), owned):
            root.remove(block)
            continue
        for rule in block.iterfind(q("cfRule", ns)):
            priority = max(priority, int(rule.get("priority", "0") or 0))
    added = []
    for block in donor_root.iterfind(q("conditionalFormatting", MAIN)):
        made = _in_ns(copy.deepcopy(block), ns)
        for rule in made.iterfind(q("cfRule", ns)):
            priority += 1
            rule.set("priority", str(priority))
            if rule.get("dxfId") is not None:
                rule.set("dxfId", str(styles.dxf.get(int(rule.get("dxfId")), 0)))
        added.append(made)
    if added:
        _place(root, added, "conditionalFormatting", ns)


def _within(sqref: str, columns: set[int]) -> bool:
    parts = sqref.split()
    if not parts:
        return False
    for part in parts:
        bounds = range_bounds(part)
        if bounds is None or any(c not in columns for c in range(bounds[1], bounds[3] + 1)):
            return False
    return True


def _place(root: Any, elements: list, tag: str, ns: str) -> None:
    """Insert `elements` after the last `tag` child, or where the schema's order puts them."""
    same = list(root.iterfind(q(tag, ns)))
    if same:
        index = root.index(same[-1]) + 1
    else:
        later = WORKSHEET_ORDER[WORKSHEET_ORDER.index(tag) + 1 :]
        index = len(root)
        for i, child in enumerate(root):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] in later:
                index = i
                break
    for offset, element in enumerate(elements):
        root.insert(index + offset, element)


def place_child(root: Any, element: Any, tag: str, ns: str) -> None:
    """Insert `element` where the worksheet schema's order puts a `tag`."""
    _place(root, [element], tag, ns)


def _child(root: Any, tag: str, ns: str, *, create: bool = False) -> Any:
    found = root.find(q(tag, ns))
    if found is None and create:
        found = root.makeelement(q(tag, ns))
        _place(root, [found], tag, ns)
    return found


def _in_ns(element: Any, ns: str) -> Any:
    if ns != MAIN:
        for el in element.iter():
            if isinstance(el.tag, str) and el.tag.startswith("{" + MAIN + "}"):
                el.tag = q(el.tag.rsplit("}", 1)[-1], ns)
    return element
