"""Checks, written apart from sheetplan's own code, that a refresh left a sheet's notes as the
user had them: it may add or replace only its notes on the header row (row 1 in these plans)."""

from __future__ import annotations

import re

from lxml import etree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SHAPES = re.compile(rb"<v:shape(?:type)?\b(?:[^>]*/>|.*?</v:shape(?:type)?>)", re.S)


def comments(xml: bytes) -> set[tuple[str, str, bytes]]:
    """Each note of a comments part: (cell, author's name, its text with runs as XML)."""
    root = etree.fromstring(xml)
    authors = [a.text or "" for a in root.iter(f"{_MAIN}author")]
    return {
        (
            e.get("ref"),
            authors[int(e.get("authorId"))],
            etree.tostring(e.find(f"{_MAIN}text"), method="c14n"),
        )
        for e in root.iter(f"{_MAIN}comment")
    }


def without_header_notes(vml: bytes) -> bytes:
    """The VML drawing without note shapes on row 1 and without the note shape type."""

    def keep(match: re.Match) -> bytes:
        block = match[0]
        if block.startswith(b"<v:shapetype"):
            return b"" if b'id="_x0000_t202"' in block else block
        header_note = b'ObjectType="Note"' in block and b"<x:Row>0</x:Row>" in block
        return b"" if header_note else block

    return _SHAPES.sub(keep, vml)


def assert_notes_kept(old: bytes, new: bytes, part: str) -> None:
    """`new` is `old` with only header notes added or changed (a comments or VML part)."""
    if part.endswith(".vml"):
        assert without_header_notes(old) == without_header_notes(new), f"{part} changed"
    else:
        gone = comments(old) - comments(new)
        theirs = [c for c in gone if c[1] != "sheetplan" or not re.fullmatch(r"[A-Z]+1", c[0])]
        assert not theirs, f"{part}: a note of the user's changed: {theirs}"
