"""An export file → its rows of cells, whatever the platform saved it as.

CSV is streamed (a 50 MB export is never held whole): the encoding is found from the BOM
(UTF-8, UTF-16), else by a bounded pass that checks the bytes are UTF-8, else GB18030; the
delimiter (`,` `;` tab) from a `sep=` line or from the first lines. Workbooks (.xlsx, .xls,
whatever their file name says) are read with python-calamine, cached values only: a formula
is never evaluated, and text such as `=HYPERLINK(…)` stays text.
"""

from __future__ import annotations

import codecs
import csv
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExportProblem
from ..labels import Lang, text

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 << 20
_SAMPLE_LINES = 30
DELIMITERS = (",", ";", "\t")

Rows = Iterator[tuple[int, list[object]]]
"""(1-based line or row number, cells) for each record."""


@dataclass(frozen=True)
class Table:
    """One sheet of a workbook, or the whole of a CSV file."""

    sheet: str | None
    rows: Rows


def open_tables(path: Path, lang: Lang) -> Iterator[Table]:
    """Every table in the file, in order; raises ExportProblem when there is nothing to read."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
    except FileNotFoundError as error:
        raise ExportProblem(text("file.not_found", lang, file=path.name)) from error
    except IsADirectoryError as error:
        raise ExportProblem(text("export.is_directory", lang, file=path.name)) from error
    except OSError as error:
        raise ExportProblem(
            text("export.unreadable", lang, file=path.name, reason=error.strerror or error)
        ) from error
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ExportProblem(text("export.empty", lang, file=path.name))
    if head.startswith((_ZIP, _OLE)):
        yield from _workbook_tables(path, lang)
        return
    encoding = _encoding(path, head, lang)
    delimiter, skip = _dialect(path, encoding)
    yield Table(None, _csv_rows(path, encoding, delimiter, skip, lang))


def _encoding(path: Path, head: bytes, lang: Lang) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        odd = head[1::2]
        if odd.count(0) > len(odd) * 0.4 and head[0::2].count(0) < len(odd) * 0.1:
            return "utf-16-le"  # UTF-16 saved without its BOM
        raise ExportProblem(text("export.binary", lang, file=path.name))
    line = _first_bad_line(path, "utf-8")
    if line is None:
        return "utf-8"
    if _first_bad_line(path, "gb18030") is None:
        return "gb18030"
    raise ExportProblem(text("export.encoding", lang, file=path.name, line=line))


def _first_bad_line(path: Path, encoding: str) -> int | None:
    """The line of the first byte that `encoding` cannot decode, or None: one bounded pass."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                return lines + chunk.count(b"\n", 0, error.start)
            if not chunk:
                return None
            lines += chunk.count(b"\n")


def _dialect(path: Path, encoding: str) -> tuple[str, int]:
    """The delimiter, and how many lines to skip (1 for Excel's `sep=` line)."""
    with path.open(encoding=encoding, newline="") as handle:
        sample = list(itertools.islice(handle, _SAMPLE_LINES))
    first = next((line.strip() for line in sample if line.strip()), "")
    if first.casefold().startswith("sep=") and len(first) >= 5:
        return first[4], 1
    best, widest = ",", 0
    for delimiter in DELIMITERS:
        try:
            cells = max((len(r) for r in csv.reader(sample, delimiter=delimiter)), default=0)
        except csv.Error:
            continue
        if cells > widest:
            best, widest = delimiter, cells
    return best, 0


def _csv_rows(path: Path, encoding: str, delimiter: str, skip: int, lang: Lang) -> Rows:
    if csv.field_size_limit() < 1 << 24:
        csv.field_size_limit(1 << 24)  # a long multi-line caption is one cell
    with path.open(encoding=encoding, newline="") as handle:
        for _ in range(skip):
            handle.readline()
        reader = csv.reader(handle, delimiter=delimiter)
        start = skip + 1
        try:
            for cells in reader:
                yield start, cells
                start = skip + reader.line_num + 1
        except csv.Error as error:
            raise ExportProblem(
                text("export.malformed", lang, file=path.name, line=start, reason=error)
            ) from error
        except UnicodeDecodeError as error:
            problem = text("export.encoding", lang, file=path.name, line=start)
            raise ExportProblem(problem) from error


def _workbook_tables(path: Path, lang: Lang) -> Iterator[Table]:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except Exception as error:  # calamine raises several unrelated types for a bad file
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ExportProblem(
            text("export.unreadable", lang, file=path.name, reason=reason)
        ) from error
    for name in names:
        try:
            grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except BaseException as error:  # a Rust panic arrives as a BaseException
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise ExportProblem(
                text("export.unreadable", lang, file=path.name, reason=reason)
            ) from error
        yield Table(name, enumerate(grid, 1))
