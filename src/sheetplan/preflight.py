"""Look at a file before any reader parses it, and say in one line what is wrong with it.

Readers give poor or misleading errors on broken files (calamine calls a CRC error "Cannot
detect file format"), and some hostile files exhaust memory or abort the whole process (cells
far apart make calamine allocate the dense grid between them). So the bytes, the zip directory
and the XML prologs are looked at first, with bounded work, and the worksheets are scanned for
their real extent before any grid is built (shared/research/reliability.md has the measured
behaviour of every reader).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import labels
from .errors import InputError
from .labels import Lang

MAX_PARTS = 10_000
"""Zip entries a workbook may hold (a real plan has 15–100)."""
MAX_EXPANDED_BYTES = 500_000_000
"""Declared uncompressed size of all entries together: a 1,000,000-row log is about 210 MB."""
MAX_RATIO = 200
"""Uncompressed : compressed size allowed for one entry above GRACE_BYTES. Real sheets compress
about 9:1 and repetitive styles up to 100:1; deflate bombs reach about 1000:1."""
GRACE_BYTES = 1024 * 1024
"""Entries smaller than this are not ratio-checked (tiny parts compress wildly)."""
MAX_CELLS = 20_000_000
"""Rows × columns a sheet's grid may span: a 1,000,000-row log 20 columns wide."""

EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
SMALL_PART = 4 * 1024 * 1024
"""Worksheets under this size get an exact scan of every cell reference; bigger ones (logs) a
few fast passes that are exact for files written in row order and safe bounds otherwise."""

_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)
_REF = re.compile(rb'\br="([A-Za-z]{0,4})(\d*)"')
_REF_LETTERS = re.compile(rb'\br="([A-Za-z]{0,4})\d*"')
_REF_DIGITS = re.compile(rb'\br="[A-Za-z]{0,4}(\d*)"')
_CELL_LETTERS = re.compile(rb'<c r="([A-Za-z]{0,4})\d*"')
_CELL_DIGITS = re.compile(rb'<c r="[A-Za-z]{0,4}(\d*)"')
_ROW_DIGITS = re.compile(rb'<row r="(\d*)"')
_REF_WITHOUT_ROW = re.compile(rb'\br="([A-Za-z]{0,4})"')
_ROW_REF = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_IMPLICIT_CELL = re.compile(rb'<c(?! r=")[ >/]')
_IMPLICIT_ROW = re.compile(rb'<row(?! r=")[ >/]')
_CHAR_REF = re.compile(rb"&#(x[0-9A-Fa-f]+|[0-9]+);")
_CONTROL_BYTES = tuple(bytes([code]) for code in range(32) if code not in (0x9, 0xA, 0xD))
_TABLE_ROOT = re.compile(rb"<(?:\w+:)?table\b[^>]*>")
_TOTALS_COUNT = re.compile(rb'\btotalsRowCount="(\d+)"')
_TABLE_REF = re.compile(rb'\bref="\$?[A-Za-z]{1,3}\$?\d+:\$?[A-Za-z]{1,3}\$?(\d+)"')
_REL_TARGET = re.compile(rb'\bTarget="([^"]*)"')
_XML_PART = re.compile(r"\.(xml|rels|vml)$", re.I)
_WORKBOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
"""Read first: they give the sheet list, which decides whether the file is a plan at all."""


@dataclass
class Preflight:
    """What the checks learned that the reader can use: the inflated worksheets (so they are
    not inflated twice) and the sheet name → part map."""

    sheet_parts: dict[str, str] = field(default_factory=dict)
    sheet_xml: dict[str, bytes] = field(default_factory=dict)
    """Part name → its bytes, for every worksheet."""
    table_totals: dict[str, set[int]] = field(default_factory=dict)
    """Worksheet part → the rows (1-based) that are an Excel table's totals row."""


def check_workbook_file(
    path: Path, lang: Lang = "en", *, sheet_list: Callable[[list[str]], None] | None = None
) -> Preflight:
    """Raise InputError with a one-line message when `path` is not a .xlsx workbook sheetplan
    can read safely; otherwise return what was learned on the way.

    `sheet_list` is called with the workbook's sheet names as soon as they are known, before
    any worksheet is inflated or scanned, so a workbook that is not a plan at all is told so
    at once (a 1 MB macro dashboard took 17 s to be told "the sheet Goals is missing")."""
    name = path.name

    def fail(key: str, **values: object) -> InputError:
        return InputError(labels.text(key, lang, file=name, **values))

    if not path.exists():
        raise fail("file.not_found")
    if path.is_dir():
        raise fail("file.is_directory")
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except PermissionError as error:
        raise fail("file.permission_denied") from error
    except OSError as error:
        raise fail("file.unreadable", reason=error.strerror or error) from error
    if not head:
        raise fail("file.empty")
    lock = _lock_file_of(name, head)
    if lock:
        raise fail(f"file.lock_{lock}", workbook=_locked_workbook(name, lock))
    if head.startswith(OLE_MAGIC):
        raise fail("file.encrypted" if _is_encrypted(path) else "file.legacy_xls")
    if not head.startswith(b"PK"):
        raise fail(f"file.looks_like_{_text_kind(head)}")
    try:
        archive = zipfile.ZipFile(path)
    except OSError as error:
        raise fail("file.damaged", reason=error.strerror or error) from error
    except Exception as error:  # BadZipFile, and NotImplementedError or ValueError on junk
        raise fail("file.damaged", reason=error) from error
    with archive:
        return _check_archive(archive, fail, sheet_list)


# ---------------------------------------------------------------------------------------------


def _check_archive(archive: zipfile.ZipFile, fail, sheet_list=None) -> Preflight:
    entries = archive.infolist()
    names = {entry.filename for entry in entries}
    if "mimetype" in names and b"opendocument" in _read(archive, "mimetype", fail)[:80]:
        raise fail("file.opendocument")
    if "xl/workbook.bin" in names:
        raise fail("file.xlsb")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise fail("file.not_a_workbook")
    if len(entries) > MAX_PARTS:
        raise fail("file.too_many_parts", count=len(entries), limit=MAX_PARTS)
    total = sum(entry.file_size for entry in entries)
    if total > MAX_EXPANDED_BYTES:
        raise fail("file.bomb", size=_mb(total), limit=_mb(MAX_EXPANDED_BYTES))
    for entry in entries:
        if entry.file_size > GRACE_BYTES and entry.file_size > MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise fail(
                "file.bomb_ratio",
                part=entry.filename,
                size=_mb(entry.file_size),
                ratio=entry.file_size // max(entry.compress_size, 1),
                limit=MAX_RATIO,
            )
    found = Preflight()
    for part in _WORKBOOK_PARTS:
        if part in names and _declares_entities(_read(archive, part, fail)):
            raise fail("file.unsafe_xml", part=part)
    try:
        found.sheet_parts = _sheet_parts(archive)
    except Exception as error:  # defusedxml refusals, syntax errors, missing parts
        raise fail("file.unreadable", reason=error) from error
    if sheet_list is not None:
        sheet_list(list(found.sheet_parts))
    worksheets = {n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    tables: dict[str, set[int]] = {}
    rels: dict[str, bytes] = {}
    for entry in entries:
        if not _XML_PART.search(entry.filename) or entry.filename in _WORKBOOK_PARTS:
            continue
        data = _read(archive, entry.filename, fail)
        if _declares_entities(data):
            raise fail("file.unsafe_xml", part=entry.filename)
        if entry.filename in worksheets or entry.filename == "xl/sharedStrings.xml":
            _check_characters(data, entry.filename, fail)
        if entry.filename in worksheets:
            found.sheet_xml[entry.filename] = data
        elif entry.filename.startswith("xl/tables/"):
            tables[entry.filename] = _totals_rows(data)
        elif entry.filename.startswith("xl/worksheets/_rels/"):
            rels[entry.filename] = data
    found.table_totals = _table_totals(tables, rels)
    for sheet, part in found.sheet_parts.items():
        data = found.sheet_xml.get(part)
        if data is None and part in names:
            data = found.sheet_xml[part] = _read(archive, part, fail)
        if data is not None:
            _check_extent(data, sheet, fail)
    return found


def _totals_rows(data: bytes) -> set[int]:
    """The rows of a table part's totals row (`totalsRowCount`), from its root element only."""
    root = _TABLE_ROOT.search(data, 0, 4096)
    if root is None:
        return set()
    count = _TOTALS_COUNT.search(root.group(0))
    area = _TABLE_REF.search(root.group(0))
    if count is None or area is None or not int(count.group(1)):
        return set()
    last = int(area.group(1))
    return set(range(max(1, last - int(count.group(1)) + 1), last + 1))


def _table_totals(tables: dict[str, set[int]], rels: dict[str, bytes]) -> dict[str, set[int]]:
    """Worksheet part → its tables' totals rows, through the worksheet's relationships."""
    out: dict[str, set[int]] = {}
    for rel_part, data in rels.items():
        folder, _, name = rel_part.rpartition("/_rels/")
        sheet_part = f"{folder}/{name.removesuffix('.rels')}"
        for target in _REL_TARGET.findall(data):
            target = target.decode("utf-8", "replace")
            if "tables/" not in target:
                continue
            absolute = target.startswith("/")
            part = target.lstrip("/") if absolute else _collapse(f"{folder}/{target}")
            rows = tables.get(part)
            if rows:
                out.setdefault(sheet_part, set()).update(rows)
    return out


def _collapse(part: str) -> str:
    from .reader import collapse_path

    return collapse_path(part)


def _read(archive: zipfile.ZipFile, part: str, fail) -> bytes:
    """A whole part; zipfile never inflates past the declared size and checks the CRC, so a
    header that lies or a damaged entry ends here as "damaged"."""
    try:
        return archive.read(part)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as error:
        raise fail("file.damaged", reason=error) from error
    except RuntimeError as error:  # an encrypted zip entry
        raise fail("file.damaged", reason=error) from error
    except OSError as error:
        raise fail("file.damaged", reason=error.strerror or error) from error


def _declares_entities(data: bytes) -> bool:
    """A DTD can only stand in the prolog, before the root element; a part in UTF-16 is
    decoded first."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return True
    prolog = _PROLOG.match(data)
    start = prolog.end() if prolog else 0  # an offset, not a slice: a log's part is 20 MB
    return data.startswith(b"<!", start) or b"<!ENTITY" in data[start : start + 4096]


def _check_characters(data: bytes, part: str, fail) -> None:
    """Characters XML 1.0 forbids (`&#7;`, raw control bytes): calamine reads them, Excel
    refuses the file."""
    if len(data) > SMALL_PART and part != "xl/sharedStrings.xml":
        return  # a big log's cells are plain values; its text sits in sharedStrings
    if b"&#" in data:
        for match in _CHAR_REF.finditer(data):
            text = match.group(1)
            code = int(text[1:], 16) if text[:1] in (b"x",) else int(text)
            if not _allowed(code):
                raise fail("file.invalid_xml", part=part)
    if any(byte in data for byte in _CONTROL_BYTES):  # memchr passes, faster than a pattern
        raise fail("file.invalid_xml", part=part)


def _allowed(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _check_extent(data: bytes, sheet: str, fail) -> None:
    """Refuse a sheet whose real cells span more than MAX_CELLS or leave Excel's grid, before
    calamine builds the dense grid. `<dimension>` is never trusted."""
    if len(data) <= SMALL_PART or _has_implicit_positions(data):
        rows, columns = _exact_extent(data, sheet, fail)
    else:
        rows, columns = _fast_extent(data, sheet, fail)
    if rows > EXCEL_ROWS or columns > EXCEL_COLUMNS:
        raise fail("file.invalid_reference", sheet=sheet, ref=f"{_letters(columns)}{rows}")
    if rows * columns > MAX_CELLS:
        raise fail("file.sheet_too_large", sheet=sheet, cells=f"{rows * columns:,}")


def _has_implicit_positions(data: bytes) -> bool:
    """A cell or row whose reference is not its first attribute, or is missing: one pattern
    pass each, whose literal start the regex engine skips to (eight counting passes took four
    times as long on a 100,000-row log)."""
    return _IMPLICIT_CELL.search(data) is not None or _IMPLICIT_ROW.search(data) is not None


def _exact_extent(data: bytes, sheet: str, fail) -> tuple[int, int]:
    """Every cell reference, with implicit positions (a cell or row without `r` follows the one
    before it) counted as one further on. The references are gathered by C-level passes into
    sets, so Python only looks at distinct column letters and row numbers (a sheet formatted
    down to row 4,000 has 50,000 references but a dozen letters)."""
    spans = _outside_dimension(data)
    letters: set[bytes] = set()
    digits: set[bytes] = set()
    if _has_implicit_positions(data):
        patterns = (_REF_LETTERS, _REF_DIGITS), ()
    else:  # every reference is a first attribute: patterns with a literal start run faster
        patterns = (_CELL_LETTERS, _CELL_DIGITS), (_ROW_DIGITS,)
    for start, end in spans:
        letters.update(patterns[0][0].findall(data, start, end))
        for pattern in (patterns[0][1], *patterns[1]):
            digits.update(pattern.findall(data, start, end))
    if b"" in digits:  # a reference without a row number: name it
        for start, end in spans:
            bad = _REF_WITHOUT_ROW.search(data, start, end)
            if bad:
                raise fail("file.invalid_reference", sheet=sheet, ref=bad.group(1).decode())
    columns = 0
    for text in letters:
        if not text:
            continue
        if not text.isupper() or len(text) > 3:
            raise fail("file.invalid_reference", sheet=sheet, ref=_first_ref(data, text))
        columns = max(columns, _column_number(text))
    rows = max((int(d) for d in digits if d), default=0)
    implicit_rows = data.count(b"<row>") + data.count(b"<row/>")
    implicit_cells = data.count(b"<c>") + data.count(b"<c/>")
    return rows + implicit_rows, columns + implicit_cells


def _fast_extent(data: bytes, sheet: str, fail) -> tuple[int, int]:
    """For a big log, one pass: the last row's number, then only the references past column Z
    or with as many digits as that row or more (rows out of order cannot hide)."""
    last = _ROW_REF.search(data, max(0, data.rfind(b"<row ")))
    top = int(last.group(1)) if last else 0
    digits = len(str(top))
    unusual = re.compile(rb'r="(?:[A-Z]{2}|[A-Z]?\d{%d})' % digits)
    columns = 26
    for match in unusual.finditer(data):
        ref = _REF.match(data, match.start() - 1) or _REF.match(data, match.start())
        if ref is None:
            continue
        letters, number = ref.group(1), ref.group(2)
        if len(letters) > 3 or (letters and not letters.isupper()):
            raise fail("file.invalid_reference", sheet=sheet, ref=(letters + number).decode())
        if letters:
            columns = max(columns, _column_number(letters))
        if number:
            top = max(top, int(number))
    if columns == 26 and top * 26 > MAX_CELLS:
        columns = _single_letter_width(data, top)
    return top, columns


def _single_letter_width(data: bytes, rows: int) -> int:
    """How wide a log with no two-letter reference is, when all 26 letters would be too many
    for its rows (over 769,230 of them): one pass finds whether any reference lies past the
    widest grid MAX_CELLS allows (a bound is enough then), the exact letter only when one
    does (a 1,000,000-row log six columns wide was refused as 26 million cells)."""
    widest = MAX_CELLS // rows
    if widest < 1 or re.search(rb'r="[%c-Z]' % (65 + widest), data):
        for number in range(26, max(widest, 0), -1):
            if re.search(rb'r="%c' % (64 + number), data):
                return number
        return 26
    return widest


def _outside_dimension(data: bytes) -> list[tuple[int, int]]:
    """The spans of the part around its `<dimension>` element (which is never trusted)."""
    start = data.find(b"<dimension")
    if start < 0 or start > 65536:
        return [(0, len(data))]
    end = data.find(b">", start)
    if end < 0:
        return [(0, len(data))]
    return [(0, start), (end + 1, len(data))]


def _first_ref(data: bytes, letters: bytes) -> str:
    match = re.search(rb'\br="(' + re.escape(letters) + rb'\d*)"', data)
    return match.group(1).decode() if match else letters.decode()


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters:
        number = number * 26 + byte - 64
    return number


def _letters(number: int) -> str:
    text = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        text = chr(65 + rest) + text
    return text or "A"


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    from .reader import sheet_parts

    return sheet_parts(archive)


def _lock_file_of(name: str, head: bytes) -> str | None:
    if name.startswith("~$") and not head.startswith(b"PK"):
        return "excel"
    if name.startswith(".~lock.") and name.endswith("#"):
        return "libreoffice"
    return None


def _locked_workbook(name: str, lock: str) -> str:
    if lock == "excel":
        return name[2:]
    return name.removeprefix(".~lock.").removesuffix("#")


def _is_encrypted(path: Path) -> bool:
    """An OLE compound file holding an `EncryptedPackage` stream is an encrypted .xlsx; any
    other OLE file is a legacy .xls (or another Office 97 document). The stream name sits in
    the directory sectors, so a bounded byte search is enough."""
    with path.open("rb") as handle:
        data = handle.read(8 * 1024 * 1024)
    return ENCRYPTED_STREAM in data


def _text_kind(head: bytes) -> str:
    """ "csv", "html", "text" or "binary", from the first bytes."""
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = head[: len(head) - 3].decode("utf-8-sig") if len(head) >= 4096 else ""
        except UnicodeDecodeError:
            text = ""
        if not text:
            try:
                text = head.decode("utf-16")
            except UnicodeDecodeError:
                return "binary"
    if any(ch in text for ch in "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f"):
        return "binary"
    lowered = text.lstrip().lower()
    if lowered.startswith(("<!doctype html", "<html", "<table", "<?xml")) or "<html" in lowered:
        return "html"
    lines = [line for line in text.splitlines()[:10] if line.strip()]
    if lines and all(sum(line.count(s) for s in ",;\t") >= 1 for line in lines[:3]):
        return "csv"
    return "text"


def _mb(size: int) -> str:
    return f"{size / 1_000_000:,.0f} MB"
