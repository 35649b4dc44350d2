"""What calamine does not read but a refresh must carry over from the user's file: cell notes
(comments) and column widths, read straight from the .xlsx parts.

Only small parts are parsed whole (comments, relationships); a sheet's column widths sit
before its cell data, so only the head of each sheet part is read, even for a 100,000-row log.
XML goes through defusedxml, like the reader's.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

_HEAD_LIMIT = 1 << 20
"""Bytes of a sheet part searched for <cols>; it always comes before <sheetData>."""
_COLS = re.compile(rb"<(?:\w+:)?cols>(.*?)</(?:\w+:)?cols>", re.S)
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


@dataclass(frozen=True)
class Note:
    row: int
    """0-based."""
    col: int
    text: str
    author: str


@dataclass(frozen=True)
class ColumnLook:
    first: int
    """0-based, inclusive."""
    last: int
    width: float | None
    hidden: bool


@dataclass
class Carried:
    notes: dict[str, list[Note]] = field(default_factory=dict)
    """Sheet name → its cell notes, in the order the file lists them."""
    columns: dict[str, list[ColumnLook]] = field(default_factory=dict)
    """Sheet name → the widths and hidden flags the user gave columns."""


def read_carried(path: Path, sheets: set[str]) -> Carried:
    """Notes and column looks of the named sheets; a part that can't be read is skipped (the
    values still come back, only the look is lost)."""
    from ..reader import collapse_path, sheet_parts

    carried = Carried()
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for sheet, part in sheet_parts(archive).items():
                if sheet not in sheets or part not in names:
                    continue
                carried.columns[sheet] = _column_looks(archive, part)
                comments = _comments_part(archive, part, names, collapse_path)
                if comments:
                    carried.notes[sheet] = _notes(archive.read(comments))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError):
        return carried
    return carried


def column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


# ---------------------------------------------------------------------------------------------


def _column_looks(archive: zipfile.ZipFile, part: str) -> list[ColumnLook]:
    head = b""
    with archive.open(part) as handle:
        while len(head) < _HEAD_LIMIT:
            chunk = handle.read(65536)
            if not chunk:
                break
            head += chunk
            if b"sheetData" in head or b"</cols>" in head:
                break
    match = _COLS.search(head)
    if not match:
        return []
    looks = []
    for col in _COL.finditer(match.group(1)):
        attrs = {k.decode(): v.decode() for k, v in _ATTR.findall(col.group(1))}
        try:
            first, last = int(attrs["min"]) - 1, int(attrs["max"]) - 1
        except (KeyError, ValueError):
            continue
        width = None
        if attrs.get("customWidth") in ("1", "true") and "width" in attrs:
            try:
                width = float(attrs["width"])
            except ValueError:
                width = None
        hidden = attrs.get("hidden") in ("1", "true")
        if width is not None or hidden:
            looks.append(ColumnLook(first, min(last, 16383), width, hidden))
    return looks


def _comments_part(archive: zipfile.ZipFile, part: str, names: set[str], collapse) -> str | None:
    from defusedxml import ElementTree

    folder, base = part.rsplit("/", 1) if "/" in part else ("", part)
    rels = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    if rels not in names:
        return None
    for rel in ElementTree.fromstring(archive.read(rels)):
        if rel.get("Type", "").endswith("/comments") and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            if target.startswith("/"):
                found = target.lstrip("/")
            else:
                found = collapse(str(PurePosixPath(folder) / target))
            return found if found in names else None
    return None


def _notes(xml: bytes) -> list[Note]:
    from defusedxml import ElementTree

    root = ElementTree.fromstring(xml)
    authors: list[str] = []
    notes: list[Note] = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "author":
            authors.append(element.text or "")
        elif tag == "comment":
            match = _CELL_REF.match(element.get("ref", "").split(":")[0].replace("$", ""))
            if not match:
                continue
            text = _rich_text(element)
            try:
                author = authors[int(element.get("authorId", "0"))]
            except (ValueError, IndexError):
                author = ""
            col = column_index(match.group(1))
            notes.append(Note(int(match.group(2)) - 1, col, text, author))
    return notes


def _rich_text(comment) -> str:
    """The note's text: plain <t> or the runs' <t>, without phonetic hints (<rPh>)."""
    parts = []
    for body in comment:
        if _tag(body) != "text":
            continue
        for piece in body:
            if _tag(piece) == "t":
                parts.append(piece.text or "")
            elif _tag(piece) == "r":
                parts.extend(t.text or "" for t in piece if _tag(t) == "t")
    return "".join(parts)


def _tag(element) -> str:
    return element.tag.rsplit("}", 1)[-1]
