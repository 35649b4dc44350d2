"""New rows appended to the user's Actuals log, and some of its values changed, in place.

The log can hold a million rows, so its sheet is never parsed into a tree: its XML streams
from the original zip member to the new one, whole megabytes at a time where no row changes,
and only the rows that change (updated values, the last row, anything below it) are taken
apart. Every other part is copied as its stored bytes; the styles part only gains formats,
an Excel table or filter over the log grows to the new last row, and `verify.appended_only`
proves the rest before the safe save puts the result in place.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..model import Actual
from . import zipraw
from .editor import Edit, PackageProblem, StrictWorkbook, recalculate_on_open
from .styles import add_cell_format, add_number_format, is_date_format
from .xml import (
    OFFICE_DOCUMENT,
    RISKY_START,
    STRICT_MAIN,
    R,
    column_index,
    column_letters,
    parse,
    q,
    range_bounds,
    rels_path,
    resolve,
    serialise,
)

COLUMN_KEYS = ("date", "kpi_id", "actual_value", "channel", "source", "notes")
DATE_FORMAT = "yyyy-mm-dd"
"""The number format of appended dates when the log's own date cells have none."""

_CHUNK = 1 << 20
_EPOCH_1900 = date(1899, 12, 30)
_EPOCH_1904 = date(1904, 1, 1)
_FIRST_SAFE_DAY = date(1900, 3, 1)
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_CELL_REF = re.compile(rb'\sr="([A-Za-z]{1,3})(\d+)"')
_STYLE = re.compile(rb'\ss="(\d+)"')
_TYPE = re.compile(rb'\st="(\w+)"')
_SPANS = re.compile(rb'\sspans="(\d+):(\d+)"')
_TOTAL_FORMULA = re.compile(rb"\b(?:SUM|SUBTOTAL|AGGREGATE)\s*\(", re.I)
_ESCAPED = re.compile(r"_x[0-9A-Fa-f]{4}_")
_PLAIN_UNSAFE = re.compile(r"[&<>_\x00-\x1f\ufffe\uffff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


LogRow = Actual
"""One new Actuals row: the engine's record of a logged measurement (its `row` is not used);
None or empty text leaves a cell blank."""


@dataclass(frozen=True)
class LogChange:
    """What an import does to the Actuals log."""

    sheet: str
    """The Actuals sheet's name as in the workbook."""
    header_row: int
    """1-based row of the headers."""
    columns: dict[str, int]
    """Column key (COLUMN_KEYS) → 0-based column; an absent key is not written."""
    last_row: int
    """1-based last row of the log as read: new rows go below it."""
    rows: tuple[LogRow, ...] = ()
    updates: tuple[tuple[int, float], ...] = ()
    """(1-based row, new value) of existing rows whose value cell changes."""


class AppendRefused(PackageProblem):
    """The log cannot take rows below its last one (a total there, something in the way).

    `code` says which ("total_row", "table_totals", "below_log", "merged_below",
    "formula_value", "missing_row", "no_styles"); `row` is the 1-based row concerned (0 when
    none)."""

    def __init__(self, code: str, row: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.row = code, row


@dataclass
class Appended(Edit):
    """What append_log changed, for `verify.appended_only`."""

    sheet_part: str = ""
    last_row: int = 0
    added_rows: int = 0
    value_column: int | None = None
    updates: dict[int, float] = field(default_factory=dict)
    """1-based row → new value of the value cell."""
    filter_rows: dict[str, int] = field(default_factory=dict)
    """Rewritten part (table, workbook) → the last row its range was extended to."""


def append_log(source: Path, target: Path, change: LogChange) -> Appended:
    """Write `target`: `source` with `change` applied to its Actuals sheet. Raises
    AppendRefused (a PackageProblem), PackageProblem or StrictWorkbook; ValueError for a
    change that does not fit the log (a row to update outside it, a value that is no number)."""
    from lxml import etree

    _check(change)
    try:
        with zipfile.ZipFile(source) as archive:
            return _Appender(archive, change).write(target)
    except etree.XMLSyntaxError as error:
        raise PackageProblem(str(error).splitlines()[0]) from error


def _check(change: LogChange) -> None:
    unknown = set(change.columns) - set(COLUMN_KEYS)
    if unknown:
        raise ValueError(f"unknown log columns {sorted(unknown)}")
    places = list(change.columns.values())
    if len(set(places)) != len(places) or not all(0 <= c <= 16383 for c in places):
        raise ValueError(f"log columns overlap or lie off the sheet: {change.columns}")
    if not 1 <= change.header_row <= change.last_row:
        raise ValueError("the log's last row is above its header row")
    if change.last_row + len(change.rows) > 1_048_576:
        raise ValueError("the log would pass Excel's last row")
    for row in change.rows:
        if not math.isfinite(row.value):
            raise ValueError(f"{row.value} is not a number Excel can hold")
        if _day(row.date) < _FIRST_SAFE_DAY:
            raise ValueError(f"{row.date} is before 1900-03-01, where Excel's calendar is off")
    for number, value in change.updates:
        if not change.header_row < number <= change.last_row:
            raise ValueError(f"row {number} to update is outside the log")
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a number Excel can hold")
    if change.updates and "actual_value" not in change.columns:
        raise ValueError("values to update but no value column")


class _Appender:
    def __init__(self, archive: zipfile.ZipFile, change: LogChange) -> None:
        self.archive, self.change = archive, change
        self.infos = {info.filename: info for info in archive.infolist()}
        self.out: dict[str, bytes] = {}
        self.result = Appended(
            last_row=change.last_row,
            added_rows=len(change.rows),
            value_column=change.columns.get("actual_value"),
            updates=dict(change.updates),
        )

    def read(self, name: str) -> bytes:
        if name not in self.infos:
            raise PackageProblem(f"{name} is missing")
        return self.archive.read(name)

    def write(self, target: Path) -> Appended:
        root_rels = parse(self.read("_rels/.rels"))
        workbook = next(
            (resolve("", r.get("Target")) for r in root_rels if r.get("Type") == OFFICE_DOCUMENT),
            "xl/workbook.xml",
        )
        self.result.workbook = workbook
        book = parse(self.read(workbook))
        if book.tag == q("workbook", STRICT_MAIN):
            raise StrictWorkbook
        ns = book.tag[1:].split("}")[0]
        book_rels = parse(self.read(rels_path(workbook)))
        targets = {rel.get("Id"): rel for rel in book_rels}
        sheets = list(book.find(q("sheets", ns)))
        index = next((i for i, s in enumerate(sheets) if s.get("name") == self.change.sheet), None)
        if index is None:
            raise PackageProblem(f"no sheet {self.change.sheet}")
        rel = targets.get(sheets[index].get(q("id", R)))
        if rel is None:
            raise PackageProblem(f"{self.change.sheet} has no part")
        part = resolve(workbook, rel.get("Target"))
        self.result.sheet_part = part
        pr = book.find(q("workbookPr", ns))
        epoch = _EPOCH_1904 if pr is not None and _true(pr.get("date1904")) else _EPOCH_1900
        styles_part = next(
            (
                resolve(workbook, r.get("Target"))
                for r in book_rels
                if r.get("Type", "").endswith("/styles")
            ),
            None,
        )
        strings_part = next(
            (
                resolve(workbook, r.get("Target"))
                for r in book_rels
                if r.get("Type", "").endswith("/sharedStrings")
            ),
            None,
        )
        new_last = self.change.last_row + len(self.change.rows)
        tables = self._tables(part, new_last)
        styles = (
            parse(self.read(styles_part)) if styles_part and styles_part in self.infos else None
        )
        sheet = _SheetEdit(self, part, styles, epoch, strings_part)
        counts = _style_counts(styles)
        staging = io.BytesIO()
        staged = zipraw.PackageWriter(staging)
        try:
            with self.archive.open(self.infos[part]) as stream:
                chunks = iter(lambda: stream.read(_CHUNK), b"")
                staged.write_chunks(part, _coalesced(sheet.edited(chunks)))
        finally:
            staged.close()
        self.result.rewritten.add(part)
        if _style_counts(styles) != counts:
            self.out[styles_part] = serialise(styles)
            self.result.rewritten.add(styles_part)
        self.out.update(tables)
        if self.change.rows or self.change.updates:
            self._workbook(book, ns, index, workbook, sheet.filter_extended, new_last)
        with zipfile.ZipFile(staging) as staged_zip:
            self._save(target, part, staged_zip)
        return self.result

    def _tables(self, part: str, new_last: int) -> dict[str, bytes]:
        """Excel tables over the log's header row, grown to the new last row (checked before
        anything is written: a table with a totals row refuses the append)."""
        rels_name = rels_path(part)
        if rels_name not in self.infos or not self.change.rows:
            return {}
        out = {}
        for rel in parse(self.read(rels_name)):
            if not rel.get("Type", "").endswith("/table") or rel.get("TargetMode") == "External":
                continue
            table_part = resolve(part, rel.get("Target"))
            if table_part not in self.infos:
                continue
            data = self.read(table_part)
            table = parse(data)
            bounds = range_bounds(table.get("ref", ""))
            if bounds is None or bounds[0] != self.change.header_row - 1:
                continue
            if int(table.get("totalsRowCount", "0") or 0) > 0:
                raise AppendRefused(
                    "table_totals",
                    bounds[2] + 1,
                    f"the table {table.get('displayName') or table.get('name')} has a totals "
                    f"row (row {bounds[2] + 1}); new rows would go below it",
                )
            if bounds[2] + 1 < self.change.last_row or bounds[2] + 1 >= new_last:
                continue
            out[table_part] = _extend_ranges(data, new_last)
            self.result.rewritten.add(table_part)
            self.result.filter_rows[table_part] = new_last
        return out

    def _workbook(self, book, ns, index, workbook, filtered: bool, new_last: int) -> None:
        """Formulas over the log recalculate when the workbook opens; the hidden name behind
        a sheet filter follows the filter's new range."""
        changed = False
        if filtered:
            names = book.find(q("definedNames", ns))
            for defined in [] if names is None else names:
                if (
                    defined.get("name") == "_xlnm._FilterDatabase"
                    and defined.get("localSheetId") == str(index)
                    and defined.text
                ):
                    defined.text = re.sub(
                        r"(:\$?[A-Za-z]{1,3}\$?)\d+$", rf"\g<1>{new_last}", defined.text
                    )
                    changed = True
        changed = recalculate_on_open(book, ns) or changed
        if not changed:
            return
        self.out[workbook] = serialise(book)
        self.result.rewritten.add(workbook)
        if filtered:
            self.result.filter_rows[workbook] = new_last

    def _save(self, target: Path, part: str, staged: zipfile.ZipFile) -> None:
        writer = zipraw.PackageWriter(target)
        try:
            for info in self.archive.infolist():
                name = info.filename
                if name == part:
                    writer.copy_raw(staged, staged.getinfo(part))
                elif name in self.out:
                    writer.write(name, self.out[name])
                else:
                    writer.copy_raw(self.archive, info)
        finally:
            writer.close()


def _true(flag: str | None) -> bool:
    return (flag or "").strip().lower() in ("1", "true")


def _extend_ranges(data: bytes, new_last: int) -> bytes:
    """A table part with its ref and its autoFilter's ref ending at `new_last` (a text edit:
    nothing else in the part changes)."""

    def grow(match: re.Match) -> bytes:
        return match[1] + re.sub(rb"\d+$", str(new_last).encode(), match[2]) + match[3]

    data = re.sub(rb'(<(?:\w+:)?table\b[^>]*?\sref="[^":]+:)([^"]+)(")', grow, data, count=1)
    return re.sub(rb'(<(?:\w+:)?autoFilter\b[^>]*?\sref="[^":]+:)([^"]+)(")', grow, data, count=1)


def number_text(value: float) -> bytes:
    """A number as Excel stores it: whole numbers without a decimal point, others in the
    shortest form that reads back as the same float."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value)).encode()
    return repr(float(value)).encode()


def inline_text(text: str, prefix: bytes = b"") -> bytes:
    """The inner XML of an inline string: escaped, Excel's _xHHHH_ escapes for characters XML
    cannot hold, a carriage return as a character reference, spaces kept."""
    if not _PLAIN_UNSAFE.search(text) and text == text.strip():
        return b"<%st>%s</%st>" % (prefix, text.encode(), prefix)
    text = _ESCAPED.sub(lambda m: "_x005F" + m[0], text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m[0]):04X}_", text)
    body = (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )
    keep = text != text.strip() or "\n" in text or "\t" in text or "\r" in text
    space = ' xml:space="preserve"' if keep else ""
    p = prefix.decode()
    return f"<{p}t{space}>{body}</{p}t>".encode()


class _SheetEdit:
    """The Actuals sheet's XML, streamed with the change applied."""

    def __init__(self, appender: _Appender, part: str, styles, epoch: date, strings_part) -> None:
        self.appender = appender
        self.change = appender.change
        self.part = part
        self.styles = styles
        self.epoch = epoch
        self.strings_part = strings_part
        self.filter_extended = False
        self.updates = dict(self.change.updates)
        self.pending_updates = sorted(self.updates)
        self.next_update = 0
        self.value_col = self.change.columns.get("actual_value")
        self.log_columns = set(self.change.columns.values())
        self.last_cells: dict[int, tuple[bytes, bytes]] | None = None
        """Column → (attributes, inner XML) of the log's last row, once it has been seen."""
        self.next_new = 0
        self.number = 0
        self.prefix = b""
        self._layout: list | None = None
        self._serials: dict[date, int] = {}
        self._styles: dict[tuple[str, bool], int] = {}
        self.written_columns = {
            self.change.columns[key]
            for key in COLUMN_KEYS
            if key in self.change.columns
            and any(_field(row, key) not in (None, "") for row in self.change.rows)
        }

    # -- the stream ---------------------------------------------------------------------------

    def edited(self, chunks: Iterator[bytes]) -> Iterator[bytes]:
        buf = b""
        chunks = iter(chunks)
        while True:
            match = re.search(rb"<([\w.-]+:)?sheetData\b[^>]*?(/?)>", buf)
            if match:
                break
            more = next(chunks, None)
            if more is None:
                raise PackageProblem(f"{self.part} has no sheetData")
            buf += more
        self.prefix = match[1] or b""
        head = self._head(buf[: match.start()])
        if match[2]:  # <sheetData/>: the log has no row at all
            yield head + b"<" + self.prefix + b"sheetData>"
            yield from self._rows_to(None)
            yield b"</" + self.prefix + b"sheetData>"
            yield self._tail(buf[match.end() :] + b"".join(chunks))
            return
        yield head + buf[match.start() : match.end()]
        buf = buf[match.end() :]
        p = self.prefix
        row_open, data_close = b"<" + p + b"row", b"</" + p + b"sheetData>"
        done = False
        while not done:
            more = next(chunks, None)
            if more is not None:
                buf += more
            end = buf.find(data_close)
            if end >= 0:
                region, rest, done = buf[:end], buf[end:], True
            elif more is None:
                raise PackageProblem(f"{self.part} is cut short")
            else:
                cut = buf.rfind(row_open)
                if buf.find(b">", cut) < 0:  # its start tag is cut short: the row before
                    cut = buf.rfind(row_open, 0, cut)
                if cut <= 0:
                    continue
                region, buf = buf[:cut], buf[cut:]
                number = _ROW_NUMBER.search(buf, 0, buf.find(b">"))
                bound = int(number[1]) if number else None
                if bound is not None and bound <= self._next_interesting():
                    self.number = bound - 1
                    yield region  # no row in it changes: as it came
                    continue
                yield from self._region(region, bound)
                continue
            yield from self._region(region, None)
        self._missed(None)
        yield from self._rows_to(None)
        yield self._tail(rest + b"".join(chunks))

    def _missed(self, number: int | None) -> None:
        """Refuse an update of a row the sheet does not have (passed `number`, or the end)."""
        if self.next_update < len(self.pending_updates):
            wanted = self.pending_updates[self.next_update]
            if number is None or wanted < number:
                raise AppendRefused("missing_row", wanted, f"row {wanted} is not in the sheet")

    def _next_interesting(self) -> int:
        """The first row still to come that changes or must be looked at."""
        if self.next_update < len(self.pending_updates):
            return min(self.pending_updates[self.next_update], self.change.last_row)
        return self.change.last_row

    def _region(self, region: bytes, bound: int | None) -> Iterator[bytes]:
        """Complete rows (and what lies between them), taken apart where they change; rows
        before the next one that changes go through as they are, found by their reference
        (`bound`: the number of the row after the region, when known)."""
        p = self.prefix
        row_open, row_close = b"<" + p + b"row", b"</" + p + b"row>"
        pos = 0
        last = self.change.last_row
        missing = 0  # a row looked for by its reference and not found in this region
        while True:
            target = self._next_interesting()
            if self.number + 1 < target and target != missing:
                if bound is not None and bound <= target:
                    self.number = bound - 1
                    yield region[pos:]
                    return
                at = region.find(b'%s r="%d"' % (row_open, target), pos)
                missing = target if at < 0 else 0
                if at > pos:
                    self.number = target - 1
                    yield region[pos:at]
                    pos = at
            start = region.find(row_open, pos)
            if start < 0:
                gap = region[pos:]
                if gap.strip():
                    raise PackageProblem(f"{self.part}: unexpected content in sheetData")
                yield gap
                return
            tag_end = region.index(b">", start)
            if region[tag_end - 1 : tag_end] == b"/":
                end = tag_end + 1
            else:
                end = region.index(row_close, tag_end) + len(row_close)
            gap = region[pos:start]
            if gap.strip() and not gap.strip().startswith(b"<!--"):
                raise PackageProblem(f"{self.part}: unexpected content in sheetData")
            found = _ROW_NUMBER.search(region, start, tag_end)
            number = int(found[1]) if found else self.number + 1
            self.number = number
            self._missed(number)
            raw = region[start:end]
            pos = end
            if number < last and number not in self.updates:
                yield gap + raw
                continue
            if number <= last:
                if number in self.updates:
                    raw = self._update(raw, number)
                    self.next_update += 1
                if number == last:
                    self._last_row(raw, number)
                yield gap + raw
                continue
            yield gap
            yield from self._rows_to(number)
            yield self._below(raw, number)

    # -- existing rows ------------------------------------------------------------------------

    def _cells(self, raw: bytes, number: int) -> tuple[bytes, list, bytes]:
        """(start tag, [(column, attributes, inner or None, bytes)], end) of a row."""
        p = self.prefix
        tag_end = raw.index(b">") + 1
        if raw[tag_end - 2 : tag_end] == b"/>":
            return raw[:tag_end], [], b""
        cell_re = _cell_pattern(p)
        body = raw[tag_end : -len(b"</" + p + b"row>")]
        cells = []
        column = -1
        pos = 0
        for match in cell_re.finditer(body):
            if body[pos : match.start()].strip():
                raise PackageProblem(f"{self.part} › row {number}: unexpected content in a row")
            pos = match.end()
            ref = _CELL_REF.search(match[1])
            column = column_index(ref[1].decode()) if ref else column + 1
            cells.append((column, match[1], match[2], match[0]))
        rest = body[pos:]
        return raw[:tag_end], cells, rest

    def _update(self, raw: bytes, number: int) -> bytes:
        start, cells, rest = self._cells(raw, number)
        col = self.value_col
        value = self.updates[number]
        parts = []
        placed = False
        for column, attrs, inner, whole in cells:
            if column == col:
                if inner is not None and re.search(rb"<(?:[\w.-]+:)?f\b", inner):
                    raise AppendRefused(
                        "formula_value",
                        number,
                        f"row {number}: the value cell {column_letters(col)}{number} holds a "
                        "formula; it is not overwritten",
                    )
                kept = re.sub(rb'\s(?:r|t|cm|vm)="[^"]*"', b"", attrs).rstrip(b"/")
                parts.append(self._number_cell(col, number, kept, value))
                placed = True
                continue
            if not placed and column > col:
                parts.append(self._number_cell(col, number, None, value))
                placed = True
            parts.append(_with_ref(whole, column, number, self.prefix))
        if not placed:
            parts.append(self._number_cell(col, number, None, value))
        end = b"</" + self.prefix + b"row>"
        return _widened(_opened(start), col) + b"".join(parts) + rest + end

    def _number_cell(self, col: int, number: int, attrs: bytes | None, value: float) -> bytes:
        """A number cell; `attrs` are an existing cell's (kept), None for a new cell."""
        p = self.prefix
        if attrs is None:
            style = self._style("actual_value", text=None)
            attrs = b' s="%d"' % style if style else b""
        ref = f"{column_letters(col)}{number}".encode()
        return b'<%sc r="%s"%s><%sv>%s</%sv></%sc>' % (
            p,
            ref,
            attrs,
            p,
            number_text(value),
            p,
            p,
        )

    def _last_row(self, raw: bytes, number: int) -> None:
        """Remember the last row's cell formats; refuse when it is a total."""
        _start, cells, _rest = self._cells(raw, number)
        self.last_cells = {column: (attrs, inner) for column, attrs, inner, _w in cells}
        if number <= self.change.header_row:
            return
        for column, _attrs, inner, _whole in cells:
            if column not in self.log_columns or inner is None:
                continue
            formula = re.search(rb"<(?:[\w.-]+:)?f\b[^>]*>(.*?)</", inner, re.S)
            if formula and _TOTAL_FORMULA.search(formula[1]):
                raise AppendRefused(
                    "total_row",
                    number,
                    f"row {number} is a total ({formula[1].decode('utf-8', 'replace')}); "
                    "new rows would go below it",
                )
        filled = [
            (attrs, inner)
            for column, attrs, inner, _w in cells
            if column in self.log_columns and inner is not None and _has_value(inner)
        ]
        first = self._text_of(*filled[0]) if filled else None  # a date first: a data row
        if first is not None and _is_total_word(first):
            raise AppendRefused(
                "total_row",
                number,
                f'row {number} is a total ("{first.strip()}"); new rows would go below it',
            )

    def _text_of(self, attrs: bytes, inner: bytes) -> str | None:
        kind = _TYPE.search(attrs)
        kind = kind[1] if kind else b"n"
        if kind == b"inlineStr":
            return "".join(
                _unescape(t) for t in re.findall(rb"<(?:[\w.-]+:)?t\b[^>]*>(.*?)</", inner, re.S)
            )
        value = re.search(rb"<(?:[\w.-]+:)?v>(.*?)</", inner, re.S)
        if value is None:
            return None
        if kind == b"str":
            return _unescape(value[1])
        if kind == b"s" and self.strings_part:
            return _shared_string(self.appender, self.strings_part, int(value[1]))
        return None

    def _below(self, raw: bytes, number: int) -> bytes:
        """A row below the log's last: refused when it holds something in the log's columns;
        merged with the new row of the same number when it holds only empty (formatted)
        cells there; otherwise kept, its number written out."""
        start, cells, rest = self._cells(raw, number)
        for column, _attrs, inner, _whole in cells:
            if column in self.log_columns and inner is not None and _has_value(inner):
                raise AppendRefused(
                    "below_log",
                    number,
                    f"{column_letters(column)}{number} holds something below the log's last "
                    f"row {self.change.last_row}; new rows would go around it",
                )
        if not _ROW_NUMBER.search(start):
            start = (
                start[: len(self.prefix) + 4] + b' r="%d"' % number + start[len(self.prefix) + 4 :]
            )
        new = self._new_cells(number)
        kept = [
            (column, _with_ref(whole, column, number, self.prefix))
            for column, _a, _i, whole in cells
            if not (new and column in new)
        ]
        if not new:
            if not cells:
                return start if start.endswith(b"/>") else start + rest + self._row_end()
            return start + b"".join(w for _c, w in kept) + rest + self._row_end()
        self.next_new += 1
        merged = sorted([*kept, *new.items()], key=lambda item: item[0])
        start = _opened(start)
        for column in new:
            start = _widened(start, column)
        return start + b"".join(w for _c, w in merged) + rest + self._row_end()

    def _row_end(self) -> bytes:
        return b"</" + self.prefix + b"row>"

    # -- new rows -----------------------------------------------------------------------------

    def _rows_to(self, before: int | None) -> Iterator[bytes]:
        """The new rows numbered below `before` (all that are left when None)."""
        rows = self.change.rows
        first = self.change.last_row + 1
        p = self.prefix
        batch = []
        while self.next_new < len(rows):
            number = first + self.next_new
            if before is not None and number >= before:
                break
            cells = self._new_cells(number)
            batch.append(b'<%srow r="%d">%s</%srow>' % (p, number, b"".join(cells.values()), p))
            self.next_new += 1
            if len(batch) >= 4096:
                yield b"".join(batch)
                batch = []
        if batch:
            yield b"".join(batch)

    def _new_cells(self, number: int) -> dict[int, bytes]:
        """Column → cell XML of the new row numbered `number` (empty past the new rows)."""
        index = number - self.change.last_row - 1
        if not 0 <= index < len(self.change.rows):
            return {}
        row = self.change.rows[index]
        p = self.prefix
        if self._layout is None:  # the log's columns in order, their letters and date format
            self._layout = sorted(
                (col, key, column_letters(col).encode()) for key, col in self.change.columns.items()
            )
        cells = {}
        line = b"%d" % number
        for col, key, letters in self._layout:
            value = _field(row, key)
            if value is None or value == "":
                continue
            if key == "date":
                serial = self._serials.get(value)
                if serial is None:
                    serial = self._serials[value] = (_day(value) - self.epoch).days
                cells[col] = b'<%sc r="%s%s" s="%d"><%sv>%d</%sv></%sc>' % (
                    p,
                    letters,
                    line,
                    self._style("date", text=None),
                    p,
                    serial,
                    p,
                    p,
                )
            elif key == "actual_value":
                cells[col] = self._number_cell(col, number, None, value)
            else:
                text = str(value)
                style = self._style(key, text=text)
                attrs = b' s="%d"' % style if style else b""
                cells[col] = b'<%sc r="%s%s"%s t="inlineStr"><%sis>%s</%sis></%sc>' % (
                    p,
                    letters,
                    line,
                    attrs,
                    p,
                    inline_text(text, p),
                    p,
                    p,
                )
        return cells

    # -- formats ------------------------------------------------------------------------------

    def _style(self, key: str, *, text: str | None) -> int:
        """The format index of a new cell in column `key`: the log's last row's, a date
        format when that is none, a quote-prefixed copy for text Excel would take for a
        formula."""
        cache = self._styles
        risky = text is not None and text.startswith(RISKY_START)
        found = cache.get((key, risky))
        if found is not None:
            return found
        col = self.change.columns[key]
        attrs, _inner = (self.last_cells or {}).get(col, (b"", None))
        if self.change.last_row <= self.change.header_row:
            attrs = b""  # the header's formats are not the data's
        style = _STYLE.search(attrs)
        current = int(style[1]) if style else 0
        dated = bool(style) and self.styles is not None and is_date_format(self.styles, current)
        if key == "date":
            if not dated:
                current = self._added_date_format()
        elif dated:
            current = 0  # a number or text shown as a date would read as one: no format
        elif risky:
            current = self._quoted(current)
        cache[(key, risky)] = current
        return current

    def _needs_styles(self) -> Any:
        if self.styles is None:
            raise AppendRefused("no_styles", 0, "the workbook has no styles part")
        return self.styles

    def _added_date_format(self) -> int:
        from lxml import etree

        styles = self._needs_styles()
        number = add_number_format(styles, DATE_FORMAT)
        ns = styles.tag[1:].split("}")[0]
        xf = etree.Element(q("xf", ns))
        for attr, value in (
            ("numFmtId", str(number)),
            ("fontId", "0"),
            ("fillId", "0"),
            ("borderId", "0"),
            ("xfId", "0"),
            ("applyNumberFormat", "1"),
        ):
            xf.set(attr, value)
        return add_cell_format(styles, xf)

    def _quoted(self, current: int) -> int:
        import copy

        from lxml import etree

        styles = self._needs_styles()
        ns = styles.tag[1:].split("}")[0]
        xfs = styles.find(q("cellXfs", ns))
        existing = [] if xfs is None else list(xfs.iterfind(q("xf", ns)))
        if 0 <= current < len(existing):
            if _true(existing[current].get("quotePrefix")):
                return current
            xf = copy.deepcopy(existing[current])
        else:
            xf = etree.Element(q("xf", ns))
            for attr in ("numFmtId", "fontId", "fillId", "borderId", "xfId"):
                xf.set(attr, "0")
        xf.set("quotePrefix", "1")
        return add_cell_format(styles, xf)

    # -- head and tail ------------------------------------------------------------------------

    def _head(self, head: bytes) -> bytes:
        """The part before sheetData, its used range grown to take the new rows."""
        new_last = self.change.last_row + len(self.change.rows)
        if not self.change.rows:
            return head

        def grow(match: re.Match) -> bytes:
            bounds = range_bounds(match[2].decode())
            if bounds is None:
                return match[0]
            first_row, first_col, last_row, last_col = bounds
            first_col = min([first_col, *self.written_columns])
            last_col = max([last_col, *self.written_columns])
            last_row = max(last_row, new_last - 1)
            ref = (
                f"{column_letters(first_col)}{first_row + 1}:"
                f"{column_letters(last_col)}{last_row + 1}"
            )
            return match[1] + ref.encode() + match[3]

        return re.sub(rb'(<(?:[\w.-]+:)?dimension\b[^>]*?\sref=")([^"]*)(")', grow, head, count=1)

    def _tail(self, tail: bytes) -> bytes:
        """The part after sheetData; a sheet filter over the log grows to the new last row."""
        if not self.change.rows:
            return tail
        new_last = self.change.last_row + len(self.change.rows)
        for ref in re.findall(rb'<(?:[\w.-]+:)?mergeCell\b[^>]*?\sref="([^"]*)"', tail):
            bounds = range_bounds(ref.decode())
            if (
                bounds is not None
                and bounds[0] < new_last
                and bounds[2] >= self.change.last_row
                and any(bounds[1] <= c <= bounds[3] for c in self.written_columns)
            ):
                raise AppendRefused(
                    "merged_below",
                    bounds[0] + 1,
                    f"the merged cells {ref.decode()} lie where the new rows go",
                )

        def grow(match: re.Match) -> bytes:
            bounds = range_bounds(match[2].decode())
            if (
                bounds is None
                or bounds[0] != self.change.header_row - 1
                or bounds[2] + 1 != self.change.last_row
            ):
                return match[0]
            self.filter_extended = True
            ref = (
                f"{column_letters(bounds[1])}{bounds[0] + 1}:{column_letters(bounds[3])}{new_last}"
            )
            return match[1] + ref.encode() + match[3]

        return re.sub(rb'(<(?:[\w.-]+:)?autoFilter\b[^>]*?\sref=")([^"]*)(")', grow, tail, count=1)


def _style_counts(styles: Any) -> tuple[int, ...]:
    if styles is None:
        return ()
    return tuple(len(child) for child in styles if isinstance(child.tag, str))


def _field(row: LogRow, key: str) -> Any:
    return row.value if key == "actual_value" else getattr(row, key)


@lru_cache
def _cell_pattern(prefix: bytes) -> re.Pattern:
    p = re.escape(prefix)
    return re.compile(rb"<" + p + rb"c\b([^>]*?)(?:/>|>(.*?)</" + p + rb"c>)", re.S)


def _with_ref(cell: bytes, column: int, number: int, prefix: bytes) -> bytes:
    """A cell with its reference written out (a cell may leave it implied by its place)."""
    if _CELL_REF.search(cell, 0, cell.index(b">")):
        return cell
    at = len(prefix) + 2
    return cell[:at] + f' r="{column_letters(column)}{number}"'.encode() + cell[at:]


def _widened(start: bytes, column: int) -> bytes:
    """A row's start tag whose spans (a reading hint) take in `column`."""
    spans = _SPANS.search(start)
    if spans is None:
        return start
    first, last = int(spans[1]), int(spans[2])
    first, last = min(first, column + 1), max(last, column + 1)
    return start[: spans.start()] + b' spans="%d:%d"' % (first, last) + start[spans.end() :]


def _has_value(inner: bytes) -> bool:
    return re.search(rb"<(?:[\w.-]+:)?(?:v|f|is)\b", inner) is not None


def _unescape(text: bytes) -> str:
    from lxml import etree

    return etree.fromstring(b"<t>" + text + b"</t>").text or ""


def _is_total_word(text: str) -> bool:
    from ..labels import Matcher

    return Matcher(["total.row"]).match(text) is not None


def _shared_string(appender: _Appender, part: str, index: int) -> str | None:
    """One item of the shared string table, read up to it and no further."""
    from lxml import etree

    if part not in appender.infos:
        return None
    with appender.archive.open(appender.infos[part]) as stream:
        for position, (_event, item) in enumerate(
            etree.iterparse(stream, events=("end",), tag="{*}si", huge_tree=True)
        ):
            if position == index:
                return "".join(
                    t.text or ""
                    for t in item.iter("{*}t")
                    if t.getparent() is item or t.getparent().tag.endswith("}r")
                )
            item.clear()
    return None


def _coalesced(pieces: Iterator[bytes], size: int = _CHUNK) -> Iterator[bytes]:
    """Small pieces (a changed row, a gap) joined into chunks of about `size` bytes, so the
    compressor is called a few times per megabyte, not once per row."""
    batch: list[bytes] = []
    held = 0
    for piece in pieces:
        batch.append(piece)
        held += len(piece)
        if held >= size:
            yield b"".join(batch)
            batch, held = [], 0
    if batch:
        yield b"".join(batch)


def _opened(start: bytes) -> bytes:
    """A row's start tag that can take cells (`<row r="5"/>` becomes `<row r="5">`)."""
    return start[:-2].rstrip() + b">" if start.endswith(b"/>") else start


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value
