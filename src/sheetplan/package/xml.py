"""XML of a workbook package: namespaces, a parser that never fetches or expands anything, and
the relationship and cell-reference helpers every edit needs."""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from typing import Any

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET_REL = R + "/worksheet"
OFFICE_DOCUMENT = R + "/officeDocument"

RISKY_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make Excel (or a CSV round trip) take text for a formula: such text
is written with a quote prefix, whether a refresh writes it or an import appends it."""

_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def parser() -> Any:
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False
    )


def parse(data: bytes) -> Any:
    from lxml import etree

    return etree.fromstring(data, parser())


def serialise(root: Any) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def q(tag: str, ns: str = MAIN) -> str:
    return f"{{{ns}}}{tag}"


def rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(source_part: str, target: str) -> str:
    """The part a relationship of `source_part` points at (targets are relative to its folder,
    or absolute from the package root)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def relative(source_part: str, target_part: str) -> str:
    return posixpath.relpath(target_part, posixpath.dirname(source_part) or ".")


def column_index(letters: str) -> int:
    """0-based column of "A", "AB"…"""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@lru_cache(maxsize=1 << 16)
def cell_ref(ref: str) -> tuple[int, int] | None:
    """(0-based row, 0-based column) of "B7", or None."""
    match = _CELL_REF.match(ref)
    if not match:
        return None
    return int(match.group(2)) - 1, column_index(match.group(1))


def range_bounds(ref: str) -> tuple[int, int, int, int] | None:
    """(first row, first col, last row, last col), 0-based, of "A1:C9" or "B2"; whole columns
    and rows ("A:C", "2:5") are spread over Excel's grid."""
    first, _, last = ref.partition(":")
    last = last or first
    a, b = _bound(first, low=True), _bound(last, low=False)
    if a is None or b is None:
        return None
    return a[0], a[1], b[0], b[1]


def _bound(ref: str, *, low: bool) -> tuple[int, int] | None:
    ref = ref.replace("$", "")
    exact = cell_ref(ref)
    if exact:
        return exact
    if ref.isalpha():
        return (0 if low else 1048575), column_index(ref)
    if ref.isdigit():
        return int(ref) - 1, (0 if low else 16383)
    return None
