"""Proof, before the safe save replaces anything, that a refresh changed only what sheetplan
owns: every other part byte-identical, the shared parts only grown, and on the patched input
sheets every cell outside the computed columns as it was."""

from __future__ import annotations

import zipfile
import zlib
from typing import Any

from .editor import Edit, unselected
from .sheets import explicit_refs
from .styles import ORDER, canonical
from .xml import PKG_RELS, cell_ref, parse, q, range_bounds


class NotKept(Exception):
    """The result differs from the original somewhere sheetplan does not own."""


def unchanged_except(source, result, change: Edit) -> None:
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(result) as after:
        new = {info.filename: info for info in after.infolist()}
        for info in before.infolist():
            name = info.filename
            if name in change.removed:
                if name in new and name not in change.added:
                    raise NotKept(f"{name} should be gone")
                continue
            if name not in new:
                raise NotKept(f"{name} is missing")
            if name in change.rewritten:
                _grown(name, before.read(name), after.read(name), change)
                continue
            if name in change.view_only:
                crc = 0
                for chunk in unselected(before, info):
                    crc = zlib.crc32(chunk, crc)
                if crc != new[name].CRC:
                    raise NotKept(f"{name} changed beyond its selected-tab flag")
                continue
            other = new[name]
            if (info.CRC, info.file_size, info.compress_size) != (
                other.CRC,
                other.file_size,
                other.compress_size,
            ):
                raise NotKept(f"{name} is not byte-identical")


def _grown(name: str, old: bytes, new: bytes, change: Edit) -> None:
    a, b = parse(old), parse(new)
    local = a.tag.rsplit("}", 1)[-1]
    if name == "[Content_Types].xml":
        removed = {"/" + p for p in change.removed}
        kept = {canonical(e) for e in a if e.get("PartName") not in removed}
        _subset(kept, {canonical(e) for e in b}, name)
    elif name.endswith(".rels"):
        kept = {canonical(e) for e in a if e.tag == q("Relationship", PKG_RELS)}
        gone = {e for e in kept if _is_removed_rel(e, change)}
        _subset(kept - gone, {canonical(e) for e in b}, name)
    elif local == "styleSheet":
        ns = a.tag[1:].split("}")[0]
        for collection in ORDER:
            old_list = _children(a, collection, ns)
            new_list = _children(b, collection, ns)
            if new_list[: len(old_list)] != old_list:
                raise NotKept(f"{name} › {collection} lost or renumbered entries")
    elif local == "workbook":
        _workbook(a, b, name)
    elif local == "worksheet":
        _sheet(a, b, name, change.owned_columns.get(name, set()))
    elif local == "calcChain":
        _subset({canonical(e) for e in b}, {canonical(e) for e in a}, name)


def _is_removed_rel(rel: tuple, change: Edit) -> bool:
    target = dict(rel[1]).get("Target", "")
    return any(p.endswith(target.lstrip("./").split("/", 1)[-1]) for p in change.removed)


def _workbook(a: Any, b: Any, name: str) -> None:
    ns = a.tag[1:].split("}")[0]
    owned_tags = {"sheets", "definedNames", "calcPr", "bookViews"}
    old = [canonical(e) for e in a if _local(e) not in owned_tags and isinstance(e.tag, str)]
    new = [canonical(e) for e in b if _local(e) not in owned_tags and isinstance(e.tag, str)]
    if old != new:
        raise NotKept(f"{name} changed outside its sheet list")
    new_sheets = {canonical(e) for e in b.find(q("sheets", ns))}
    missing = [
        e.get("name")
        for e in a.find(q("sheets", ns))
        if canonical(e) not in new_sheets and not _report_name(e, b, ns)
    ]
    if missing:
        raise NotKept(f"{name} › sheets lost {missing}")


def _report_name(sheet: Any, book: Any, ns: str) -> bool:
    """A replaced report sheet keeps its name (with a new relationship)."""
    return any(e.get("name") == sheet.get("name") for e in book.find(q("sheets", ns)))


def _sheet(a: Any, b: Any, name: str, owned: set[int]) -> None:
    ns = a.tag[1:].split("}")[0]
    free = {"sheetData", "dimension", "cols", "conditionalFormatting", "sheetViews"}
    old = [canonical(e) for e in a if isinstance(e.tag, str) and _local(e) not in free]
    new = [canonical(e) for e in b if isinstance(e.tag, str) and _local(e) not in free]
    if old != new:
        raise NotKept(f"{name} changed outside its computed columns")
    data = a.find(q("sheetData", ns))
    # the editor wrote out implied references; compare like that
    laid_out = explicit_refs(data, ns) if data is not None else []
    if not _same_rows(a, b, ns, owned, laid_out):
        before, after = _cells(a, ns, owned), _cells(b, ns, owned)
        if before != after:
            changed = sorted(set(before.items()) ^ set(after.items()))[:1]
            raise NotKept(f"{name} › a cell outside the computed columns changed {changed}")
    kept_rules = {
        canonical(e)
        for e in a.iterfind(q("conditionalFormatting", ns))
        if not _within(e.get("sqref", ""), owned)
    }
    _subset(kept_rules, {canonical(e) for e in b.iterfind(q("conditionalFormatting", ns))}, name)
    old_cols = [canonical(e) for e in a.iter(q("col", ns))]
    _subset(set(old_cols), {canonical(e) for e in b.iter(q("col", ns))}, name)


def _same_rows(a: Any, b: Any, ns: str, owned: set[int], laid_out: list) -> bool:
    """The quick form of the cell comparison: with the cells of the owned columns taken out
    (from both trees, which are thrown away after), every row serialises alike — one call per
    row, not per cell. Row attributes (spans) and rows left empty are not compared, as cell
    by cell they are not. `laid_out` is explicit_refs' answer for `a` (its cells' columns).
    Only a yes is trusted: a no is settled cell by cell."""
    from lxml import etree

    serialised = []
    for root in (a, b):
        every_cell = root.xpath(
            "count(.//m:c) = count(m:sheetData[1]/m:row/m:c)", namespaces={"m": ns}
        )
        data = root.find(q("sheetData", ns))
        if data is None or not every_cell:
            return False  # a cell elsewhere: only the cell-by-cell comparison sees it
        kept = []
        for row, gone in _owned_cells(root is a, data, laid_out, ns, owned):
            for cell in gone:
                row.remove(cell)
            if len(row):
                row.attrib.clear()
                kept.append(etree.tostring(row, with_tail=False))
        serialised.append(kept)
    return serialised[0] == serialised[1]


def _owned_cells(original: bool, data: Any, laid_out: list, ns: str, owned: set[int]):
    """(row, its cells in the owned columns or with a reference that does not read) of each
    row: from explicit_refs' answer for the original, from the references as written for the
    result (as _cells reads them)."""
    if original:
        for _index, row, cells in laid_out:
            yield row, [cell for column, cell in cells if column in owned]
        return
    cell_tag, read = q("c", ns), cell_ref
    for row in data.iterfind(q("row", ns)):
        gone = []
        for cell in row.iterfind(cell_tag):
            position = read(cell.get("r", ""))
            if position is None or position[1] in owned:
                gone.append(cell)
        yield row, gone


def _cells(root: Any, ns: str, owned: set[int]) -> dict:
    from lxml import etree

    cells = {}
    for cell in root.iter(q("c", ns)):
        position = cell_ref(cell.get("r", ""))
        if position is not None and position[1] not in owned:
            cells[position] = etree.tostring(cell, with_tail=False)
    return cells


def _within(sqref: str, columns: set[int]) -> bool:
    parts = sqref.split()
    for part in parts:
        bounds = range_bounds(part)
        if bounds is None or any(c not in columns for c in range(bounds[1], bounds[3] + 1)):
            return False
    return bool(parts)


def _children(root: Any, collection: str, ns: str) -> list:
    parent = root.find(q(collection, ns))
    return [] if parent is None else [canonical(e) for e in parent if isinstance(e.tag, str)]


def _subset(kept: set, new: set, name: str) -> None:
    if not kept <= new:
        raise NotKept(f"{name} lost entries")


def _local(element: Any) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
