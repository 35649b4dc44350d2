"""Proof, before the safe save replaces anything, that a refresh changed only what sheetplan
owns: every other part byte-identical, the shared parts only grown, and on the patched input
sheets every cell outside the computed columns as it was."""

from __future__ import annotations

import re
import zipfile
import zlib
from typing import Any

from . import notes
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
            if name in change.note_cells:
                cells = change.note_cells[name]
                _notes_only(name, before.read(name), after.read(name), cells, change.note_author)
                continue
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
        if (
            name in change.noted_sheets
            and a.find(q("legacyDrawing", a.tag[1:].split("}")[0])) is None
        ):
            _drop_legacy_drawing(b)
        _sheet(a, b, name, change.owned_columns.get(name, set()))
    elif local == "calcChain":
        _subset({canonical(e) for e in b}, {canonical(e) for e in a}, name)


def _notes_only(name: str, old: bytes, new: bytes, cells: frozenset, author: str) -> None:
    """A comments or VML part of a patched sheet: changed only in the notes on `cells` (the
    headers of sheetplan's columns); the user's notes, authors and shapes as they were."""
    if name.lower().endswith(".vml"):
        before, after = notes.without_notes(old, set(cells)), notes.without_notes(new, set(cells))
        if not notes.note_type_in(before):
            after = notes.without_note_type(after)
        if before != after:
            raise NotKept(f"{name} changed beyond the notes on sheetplan's headers")
        return
    a, b = parse(old), parse(new)
    ns = a.tag[1:].split("}")[0]
    old_authors, new_authors = _children(a, "authors", ns), _children(b, "authors", ns)
    if new_authors[: len(old_authors)] != old_authors:
        raise NotKept(f"{name} › authors lost or renumbered")
    ours = {str(i) for i, e in enumerate(b.find(q("authors", ns))) if e.text == author}
    old_notes = {canonical(e) for e in a.iter(q("comment", ns))}
    new_notes = {canonical(e) for e in b.iter(q("comment", ns))}
    for note in old_notes ^ new_notes:
        attributes = dict(note[1])
        if (
            cell_ref(attributes.get("ref", "")) not in cells
            or attributes.get("authorId") not in ours
        ):
            raise NotKept(f"{name} › a note other than sheetplan's header notes changed")
    other = {"authors", "commentList"}
    if [canonical(e) for e in a if _local(e) not in other] != [
        canonical(e) for e in b if _local(e) not in other
    ]:
        raise NotKept(f"{name} changed beyond its notes")


def _drop_legacy_drawing(root: Any) -> None:
    """Take out the <legacyDrawing> sheetplan added for its first notes (from the result's
    tree, parsed for this comparison only: no copy of a whole sheet)."""
    for element in list(root.iterfind(q("legacyDrawing", root.tag[1:].split("}")[0]))):
        root.remove(element)


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


# -- an append to the Actuals log (package.append) ----------------------------------------------


def appended_only(source, result, change) -> None:
    """Proof for `package.append.append_log`: every part but the log sheet, the styles, the
    workbook and the log's tables byte-identical; the styles only grown; the workbook changed
    only in its recalculation flag and filter name; a table only in its range's last row; and
    on the log sheet every original cell as it was but the updated values, new cells only in
    rows below the log's last row. The log is compared as two streams, row by row."""
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(result) as after:
        new = {info.filename: info for info in after.infolist()}
        for info in before.infolist():
            name = info.filename
            if name not in new:
                raise NotKept(f"{name} is missing")
            if name == change.sheet_part:
                check = _LogCheck(before, after, info, new[name], change)
                try:
                    check.run()
                finally:
                    check.close()
                continue
            if name not in change.rewritten:
                other = new[name]
                if (info.CRC, info.file_size) != (other.CRC, other.file_size):
                    raise NotKept(f"{name} is not byte-identical")
                continue
            a, b = parse(before.read(name)), parse(after.read(name))
            local = _local(a)
            if local == "styleSheet":
                _styles_grown(a, b, name)
            elif local == "workbook":
                _recalculated_only(a, b, name, change.filter_rows.get(name))
            elif local == "table":
                _table_grown(a, b, name, change.filter_rows.get(name))
            else:
                raise NotKept(f"{name} changed")
        extra = sorted(set(new) - {info.filename for info in before.infolist()})
        if extra:
            raise NotKept(f"{extra[0]} was added")


def _styles_grown(a: Any, b: Any, name: str) -> None:
    ns = a.tag[1:].split("}")[0]
    kept = [canonical(e) for e in a if isinstance(e.tag, str) and _local(e) not in ORDER]
    if kept != [canonical(e) for e in b if isinstance(e.tag, str) and _local(e) not in ORDER]:
        raise NotKept(f"{name} changed outside its lists of formats")
    for collection in ORDER:
        old_list = _children(a, collection, ns)
        if _children(b, collection, ns)[: len(old_list)] != old_list:
            raise NotKept(f"{name} › {collection} lost or renumbered entries")


def _recalculated_only(a: Any, b: Any, name: str, filter_row: int | None) -> None:
    """The workbook part: only calcPr's recalculation flag, and a hidden filter name's last
    row (grown to the log filter's new last row)."""
    ns = a.tag[1:].split("}")[0]
    old_names, new_names = list(a.iter(q("definedName", ns))), list(b.iter(q("definedName", ns)))
    if len(old_names) != len(new_names):
        raise NotKept(f"{name} › defined names added or removed")
    for old, new in zip(old_names, new_names, strict=True):
        if old.text == new.text:
            continue
        grown = re.sub(r"\d+$", str(filter_row), old.text or "") if filter_row else None
        if old.get("name") != "_xlnm._FilterDatabase" or new.text != grown:
            raise NotKept(f"{name} › the name {old.get('name')} changed")
        new.text = old.text

    def shape(root: Any) -> list:
        out = []
        for element in root:
            if not isinstance(element.tag, str):
                continue
            if _local(element) == "calcPr":
                drop = ("fullCalcOnLoad", "calcId")
                attrs = tuple(sorted((k, v) for k, v in element.attrib.items() if k not in drop))
                if attrs:
                    out.append(("calcPr", attrs))
                continue
            out.append(canonical(element))
        return out

    if shape(a) != shape(b):
        raise NotKept(f"{name} changed beyond its recalculation flag")


def _table_grown(a: Any, b: Any, name: str, last_row: int | None) -> None:
    ns = a.tag[1:].split("}")[0]
    pairs = [(a, b)]
    old_filter, new_filter = a.find(q("autoFilter", ns)), b.find(q("autoFilter", ns))
    if old_filter is not None and new_filter is not None:
        pairs.append((old_filter, new_filter))
    for old, grown in pairs:
        before, after = range_bounds(old.get("ref", "")), range_bounds(grown.get("ref", ""))
        if before is None or after is None or last_row is None:
            raise NotKept(f"{name} › its range is unreadable")
        if after[:2] != before[:2] or after[3] != before[3] or after[2] != last_row - 1:
            raise NotKept(f"{name} › its range changed beyond its last row")
        grown.set("ref", old.get("ref"))
    if canonical(a) != canonical(b):
        raise NotKept(f"{name} changed beyond its range")


_ROW_R = re.compile(rb'\sr="(\d+)"')
_SHEET_DATA = re.compile(rb"<([\w.-]+:)?sheetData\b[^>]*?(/?)>")
_NS_DECL = re.compile(rb'\sxmlns(?::[\w.-]+)?="[^"]*"')
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
_CELL_ROW = re.compile(rb'<(?:[\w.-]+:)?c\b[^>]*?\sr="[A-Za-z]+(\d+)"')


class _SheetRows:
    """A worksheet's XML read as a stream: its head (to the sheetData tag), then its rows one
    by one with their numbers (implied ones counted), then its tail."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        self._stream = archive.open(info)
        buf = b""
        while (match := _SHEET_DATA.search(buf)) is None:
            more = self._stream.read(1 << 20)
            if not more:
                self._stream.close()
                raise NotKept(f"{info.filename} has no sheetData")
            buf += more
        self.prefix = p = match[1] or b""
        self.head = buf[: match.end()]
        self.empty = bool(match[2])
        self.tail = b""
        self.number = 0
        self.skip = True
        """Whether runs of identical rows may still be skipped (not after an implied row
        number was met)."""
        self._row_open, self._row_close = b"<" + p + b"row", b"</" + p + b"row>"
        self._data_close = b"</" + p + b"sheetData>"
        self._buf, self._pos = buf[match.end() :], 0
        self._close = self._buf.find(self._data_close)

    def close(self) -> None:
        self._stream.close()

    def _fill(self) -> bool:
        """Read the next megabyte (dropping what was read past); False at the end."""
        more = self._stream.read(1 << 20)
        if not more:
            return False
        self._buf, self._pos = self._buf[self._pos :] + more, 0
        self._close = self._buf.find(self._data_close)  # once per read: rows never hold it
        return True

    def next_row(self) -> tuple[int, bytes] | None:
        """The next row as (number, bytes), or None after the last (the tail is then read)."""
        if self.empty:
            self.tail = self._buf + self._stream.read()
            return None
        while True:
            buf, pos = self._buf, self._pos
            start = buf.find(self._row_open, pos)
            close = self._close
            if close >= 0 and (start < 0 or close < start):
                self.tail = buf[close:] + self._stream.read()
                return None
            end = tag_end = -1
            if start >= 0:
                tag_end = buf.find(b">", start)
                if tag_end > 0 and buf[tag_end - 1 : tag_end] == b"/":
                    end = tag_end + 1
                elif tag_end > 0:
                    end = buf.find(self._row_close, tag_end)
                    end = end + len(self._row_close) if end >= 0 else -1
            if end < 0:
                if not self._fill():
                    raise NotKept("a sheet is cut short")
                continue
            found = _ROW_R.search(buf, start, tag_end)
            self.number = int(found[1]) if found else self.number + 1
            self._pos = end
            return self.number, buf[start:end]


def _skip_identical(a: _SheetRows, b: _SheetRows, last_row: int) -> None:
    """Move both streams past the rows they share byte for byte (down to the log's last row
    at most): rows that are the same bytes are the same cells, so a long unchanged log is
    compared a megabyte at a time instead of row by row."""
    while True:
        if a.empty or b.empty or not (a.skip and b.skip):
            return
        size = min(len(a._buf) - a._pos, len(b._buf) - b._pos)
        if a._close >= 0:
            size = min(size, a._close - a._pos)
        if size < 65536:
            if not (a._fill() and b._fill()):
                return
            size = min(len(a._buf) - a._pos, len(b._buf) - b._pos)
            if a._close >= 0:
                size = min(size, a._close - a._pos)
        same = _common_length(a._buf, a._pos, b._buf, b._pos, size)
        end = a._pos + same
        cut = a._buf.rfind(a._row_open, a._pos, end)
        tag_end = -1
        while cut > a._pos:  # a row whose start tag (its number) both streams share
            tag_end = a._buf.find(b">", cut, end)
            if tag_end >= 0:
                break
            cut = a._buf.rfind(a._row_open, a._pos, cut)
        if cut <= a._pos:
            return
        found = _ROW_R.search(a._buf, cut, tag_end)
        if found is not None and int(found[1]) > last_row + 1:
            after = b'%s r="%d"' % (a._row_open, last_row + 1)
            cut = a._buf.find(after, a._pos, a._pos + same)
            found = _ROW_R.search(a._buf, cut, cut + len(after)) if cut > a._pos else None
        if found is None:  # a reference left implied, or cut short: row by row from here
            a.skip = b.skip = False
            return
        step = cut - a._pos
        a._pos += step
        b._pos += step
        a.number = b.number = int(found[1]) - 1
        if same < size:
            return


def _common_length(a: bytes, i: int, b: bytes, j: int, size: int) -> int:
    """How many bytes a[i:] and b[j:] share (at most `size`): windows doubling from 4 KB, then
    halving, so a difference near the start costs little."""
    view_a, view_b = memoryview(a), memoryview(b)
    low, width = 0, 4096
    while low < size:
        high = min(size, low + width)
        if view_a[i + low : i + high] != view_b[j + low : j + high]:
            while high - low > 1:
                middle = (low + high) // 2
                if view_a[i + low : i + middle] == view_b[j + low : j + middle]:
                    low = middle
                else:
                    high = middle
            return low
        low, width = high, width * 2
    return size


class _LogCheck:
    def __init__(self, before, after, old_info, new_info, change) -> None:
        self.old = _SheetRows(before, old_info)
        try:
            self.new = _SheetRows(after, new_info)
        except NotKept:
            self.old.close()
            raise
        self.change = change
        self.name = change.sheet_part
        decls: dict[bytes, bytes] = {}
        for decl in _NS_DECL.findall(self.old.head):
            decls.setdefault(decl.split(b"=")[0].strip(), decl)
        self._open = b"<wrap" + b"".join(decls.values()) + b">"
        self._batch: list[bytes] = []

    def close(self) -> None:
        self.old.close()
        self.new.close()

    def run(self) -> None:
        change, last = self.change, self.change.last_row
        olds, news = self.old, self.new
        _skip_identical(olds, news, last)
        old, new = olds.next_row(), news.next_row()
        added = 0
        while old is not None or new is not None:
            if new is None or (old is not None and old[0] < new[0]):
                raise NotKept(f"{self.name} › row {old[0]} is gone")
            if old is None or new[0] < old[0]:
                if not last < new[0] <= last + change.added_rows:
                    raise NotKept(f"{self.name} › a row {new[0]} was added")
                if _FORMULA.search(new[1]):
                    raise NotKept(f"{self.name} › new row {new[0]} holds a formula")
                if any(int(n) != new[0] for n in _CELL_ROW.findall(new[1])):
                    raise NotKept(f"{self.name} › new row {new[0]} holds another row's cell")
                self._new_row(new[1])
                added += 1
                new = news.next_row()
                continue
            if old[1] != new[1]:
                if old[0] <= last:
                    self._same_row(old, new)
                else:
                    self._kept_below(old, new)
                    added += last < old[0] <= last + change.added_rows
            elif last < old[0] <= last + change.added_rows:
                raise NotKept(f"{self.name} › row {old[0]} did not take a new row")
            if old[0] < last:
                _skip_identical(olds, news, last)
            old, new = olds.next_row(), news.next_row()
        self._parse_batch()
        if added != change.added_rows:
            raise NotKept(f"{self.name} › {added} rows added, not {change.added_rows}")
        self._frame()

    # -- rows ---------------------------------------------------------------------------------

    def _parse(self, raw: bytes) -> Any:
        try:
            return parse(self._open + raw + b"</wrap>")
        except Exception as error:
            raise NotKept(f"{self.name} › a changed row is not well-formed") from error

    def _new_row(self, raw: bytes) -> None:
        self._batch.append(raw)
        if len(self._batch) >= 2000:
            self._parse_batch()

    def _parse_batch(self) -> None:
        if self._batch:
            self._parse(b"".join(self._batch))
            self._batch = []

    def _cells(self, raw: bytes, number: int) -> tuple[dict, dict]:
        """(row attributes but spans, column → (attributes but r, children)) of a row."""
        from lxml import etree

        row = self._parse(raw)[0]
        attrs = {k: v for k, v in row.attrib.items() if k not in ("spans", "r")}
        cells: dict[int, tuple] = {}
        column = -1
        for cell in row:
            if not isinstance(cell.tag, str) or _local(cell) != "c":
                cells[("other", len(cells))] = ((), (etree.tostring(cell, with_tail=False),))
                continue
            position = cell_ref(cell.get("r", ""))
            if position is not None and position[0] != number - 1:
                raise NotKept(f"{self.name} › cell {cell.get('r')} sits in row {number}")
            column = position[1] if position is not None else column + 1
            cells[column] = (
                tuple(sorted((k, v) for k, v in cell.attrib.items() if k != "r")),
                tuple(etree.tostring(child, with_tail=False) for child in cell),
            )
        return attrs, cells

    def _same_row(self, old, new) -> None:
        number = old[0]
        old_attrs, before = self._cells(old[1], number)
        new_attrs, after = self._cells(new[1], number)
        if old_attrs != new_attrs:
            raise NotKept(f"{self.name} › row {number} changed its format")
        value = self.change.updates.get(number)
        if value is not None:
            column = self.change.value_column
            _updated(before.pop(column, None), after.pop(column, None), value, self.name, number)
        if before != after:
            changed = next(c for c in [*before, *after] if before.get(c) != after.get(c))
            raise NotKept(f"{self.name} › row {number} changed (column {changed})")

    def _kept_below(self, old, new) -> None:
        """A row below the log's last: its cells kept; empty ones may give way to new ones
        (only in the rows the new ones fill)."""
        number = old[0]
        _attrs, before = self._cells(old[1], number)
        _attrs, after = self._cells(new[1], number)
        taking = self.change.last_row < number <= self.change.last_row + self.change.added_rows
        for column, cell in before.items():
            if after.get(column) == cell:
                continue
            empty = not any(_is_value(child) for child in cell[1])
            if not (taking and empty and column in after):
                raise NotKept(f"{self.name} › row {number} lost or changed a cell")
        for column, cell in after.items():
            fresh = before.get(column) != cell
            if fresh and any(_FORMULA.match(child) for child in cell[1]):
                raise NotKept(f"{self.name} › new cell in row {number} holds a formula")

    # -- the rest of the sheet ----------------------------------------------------------------

    def _frame(self) -> None:
        """Everything around the rows: the same but the used range (grown to take the new
        rows) and a sheet filter over the log (grown to the new last row)."""
        from lxml import etree

        def skeleton(sheet: _SheetRows) -> Any:
            head = sheet.head if not sheet.empty else sheet.head[:-2] + b">"
            tail = (
                sheet.tail if not sheet.empty else b"</" + sheet.prefix + b"sheetData>" + sheet.tail
            )
            return parse(head + tail)

        a, b = skeleton(self.old), skeleton(self.new)
        new_last = self.change.last_row + self.change.added_rows
        for tag in ("dimension", "autoFilter"):
            old_el, new_el = (
                a.find(q(tag, a.tag[1:].split("}")[0])),
                b.find(q(tag, a.tag[1:].split("}")[0])),
            )
            if old_el is None or new_el is None or old_el.get("ref") == new_el.get("ref"):
                continue
            before, after = range_bounds(old_el.get("ref", "")), range_bounds(new_el.get("ref", ""))
            if before is None or after is None:
                raise NotKept(f"{self.name} › {tag} is unreadable")
            if tag == "dimension":
                ok = (
                    after[0] <= before[0]
                    and after[1] <= before[1]
                    and after[3] >= before[3]
                    and after[2] == max(before[2], new_last - 1)
                )
            else:
                ok = (
                    after[:2] == before[:2]
                    and after[3] == before[3]
                    and before[2] == self.change.last_row - 1
                    and after[2] == new_last - 1
                )
            if not ok:
                raise NotKept(f"{self.name} › {tag} changed beyond the new rows")
            new_el.set("ref", old_el.get("ref"))
        old_frame = [etree.tostring(e, with_tail=False) for e in a if _local(e) != "sheetData"]
        new_frame = [etree.tostring(e, with_tail=False) for e in b if _local(e) != "sheetData"]
        if old_frame != new_frame or a.attrib != b.attrib:
            raise NotKept(f"{self.name} changed outside its rows")


def _updated(old, new, value: float, name: str, number: int) -> None:
    """An updated value cell: a plain number holding `value`, its other attributes kept."""
    if new is None:
        raise NotKept(f"{name} › row {number} lost its value")
    attrs = dict(new[0])
    if attrs.get("t", "n") != "n" or len(new[1]) != 1 or _FORMULA.search(new[1][0]):
        raise NotKept(f"{name} › row {number}: the updated value is not a plain number")
    text = re.sub(rb"<[^>]*>", b"", new[1][0])
    if float(text) != value:
        raise NotKept(f"{name} › row {number}: the value is {text!r}, not {value}")
    if old is not None:
        drop = ("t", "cm", "vm")
        kept = {k: v for k, v in old[0] if k not in drop}
        if kept != {k: v for k, v in attrs.items() if k not in drop}:
            raise NotKept(f"{name} › row {number}: the updated cell lost its format")


def _is_value(child: bytes) -> bool:
    return re.match(rb"<(?:[\w.-]+:)?(?:v|f|is)[\s>/]", child) is not None
