"""Helpers of the fidelity suite (tests/test_fidelity.py): read and edit a workbook package the
way Excel writes it, find a sheet's part by name, and compare features before and after."""

from __future__ import annotations

import re
import shutil
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PATCHED = ("Goals", "KPIs", "Tactics")
REPORTS = ("Dashboard", "Allocation", "Breakdown", "Trend", "Data Checks")


def q(tag: str, ns: str = MAIN) -> str:
    return f"{{{ns}}}{tag}"


def tiny_png() -> bytes:
    """A 2×2 red PNG (a logo, as far as a workbook can tell)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# -- editing a package as Excel leaves it -------------------------------------------------------


class Package:
    """A workbook package in memory: members in their order, edited as bytes, written back."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as archive:
            self.parts = {info.filename: archive.read(info) for info in archive.infolist()}

    def text(self, name: str) -> str:
        return self.parts[name].decode("utf-8")

    def put(self, name: str, data: bytes | str) -> None:
        self.parts[name] = data.encode("utf-8") if isinstance(data, str) else data

    def sub(self, name: str, old: str, new: str, count: int = 1) -> None:
        text = self.text(name)
        assert old in text, f"{old!r} not in {name}"
        self.put(name, text.replace(old, new, count))

    def insert_before(self, name: str, anchor: str, xml: str) -> None:
        """Put `xml` before the first `anchor` (a tag start such as "<pageMargins")."""
        self.sub(name, anchor, xml + anchor)

    def content_type(self, part: str, content_type: str) -> None:
        self.insert_before(
            "[Content_Types].xml",
            "</Types>",
            f'<Override PartName="/{part}" ContentType="{content_type}"/>',
        )

    def default_type(self, ext: str, content_type: str) -> None:
        self.sub(
            "[Content_Types].xml",
            '<Default Extension="xml"',
            f'<Default Extension="{ext}" ContentType="{content_type}"/><Default Extension="xml"',
        )

    def relate(self, source: str, rid: str, rel_type: str, target: str, external=False) -> None:
        rels = rels_of(source)
        mode = ' TargetMode="External"' if external else ""
        rel = f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"{mode}/>'
        if rels not in self.parts:
            self.put(
                rels,
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Relationships xmlns="{PKG_RELS}">{rel}</Relationships>',
            )
        else:
            self.sub(rels, "</Relationships>", rel + "</Relationships>")

    def sheet_part(self, sheet: str) -> str:
        return sheet_parts(self.parts)[sheet]

    def save(self, path: Path) -> None:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.parts.items():
                archive.writestr(name, data)


def rels_of(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def sheet_parts(parts: dict[str, bytes] | zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → worksheet part, read from xl/workbook.xml and its relationships."""
    read = parts.read if isinstance(parts, zipfile.ZipFile) else parts.__getitem__
    book = etree.fromstring(read("xl/workbook.xml"))
    rels = etree.fromstring(read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = {}
    for sheet in book.iter(q("sheet")):
        target = targets[sheet.get(q("id", REL_NS))]
        out[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


# -- the state of a workbook, for comparisons ----------------------------------------------------


@dataclass
class Snapshot:
    """A workbook file read once: its members' bytes and zip facts."""

    path: Path
    """The file read (a copy kept for the test when `keep_as` was given)."""
    origin: Path | None = None
    """Where the workbook lives (the file refreshed in place)."""
    parts: dict[str, bytes] = field(default_factory=dict)
    facts: dict[str, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, path: Path, keep_as: Path | None = None) -> Snapshot:
        if keep_as is not None:
            shutil.copyfile(path, keep_as)
            path = keep_as
        snap = cls(path)
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                snap.parts[info.filename] = archive.read(info)
                snap.facts[info.filename] = (info.CRC, info.file_size)
        return snap

    def sheets(self) -> dict[str, str]:
        return sheet_parts(self.parts)

    def sheet_root(self, sheet: str):
        return etree.fromstring(self.parts[self.sheets()[sheet]])

    def sheet_rels(self, sheet: str) -> dict[str, tuple[str, str, str | None]]:
        """rId → (type, target, mode) of a sheet's relationships."""
        name = rels_of(self.sheets()[sheet])
        if name not in self.parts:
            return {}
        return {
            r.get("Id"): (r.get("Type"), r.get("Target"), r.get("TargetMode"))
            for r in etree.fromstring(self.parts[name])
        }

    def elements(self, sheet: str, tag: str) -> list[bytes]:
        """Every `tag` element (any depth, any namespace) of a sheet, canonicalised."""
        root = self.sheet_root(sheet)
        return [canon(e) for e in root.iter() if _local(e) == tag]

    def cell(self, sheet: str, ref: str) -> bytes | None:
        for c in self.sheet_root(sheet).iter(q("c")):
            if c.get("r") == ref:
                return canon(c)
        return None

    def row(self, sheet: str, number: int) -> dict:
        for row in self.sheet_root(sheet).iter(q("row")):
            if row.get("r") == str(number):
                return {k: v for k, v in row.attrib.items() if k != "spans"}
        return {}

    def cols(self, sheet: str, column: int) -> list[bytes]:
        """The <col> elements covering a 1-based column."""
        return [
            canon(c)
            for c in self.sheet_root(sheet).iter(q("col"))
            if int(c.get("min")) <= column <= int(c.get("max"))
        ]

    def cell_style(self, sheet: str, ref: str) -> tuple:
        """A cell's look resolved through styles.xml: its xf with font, fill, border, format."""
        index = 0
        for c in self.sheet_root(sheet).iter(q("c")):
            if c.get("r") == ref:
                index = int(c.get("s", "0"))
        styles = etree.fromstring(self.parts["xl/styles.xml"])
        xf = list(styles.find(q("cellXfs")))[index]

        def pick(collection: str, attr: str):
            found = styles.find(q(collection))
            value = int(xf.get(attr, "0"))
            return canon(list(found)[value]) if found is not None else None

        formats = {f.get("numFmtId"): f.get("formatCode") for f in styles.iter(q("numFmt"))}
        return (
            canon(xf),
            pick("fonts", "fontId"),
            pick("fills", "fillId"),
            pick("borders", "borderId"),
            formats.get(xf.get("numFmtId", "0"), xf.get("numFmtId", "0")),
        )

    def header_texts(self, sheet: str) -> list[str]:
        root = self.sheet_root(sheet)
        strings = self.shared_strings()
        first = next(root.iter(q("row")))
        texts = []
        for c in first.iter(q("c")):
            if c.get("t") == "s":
                texts.append(strings[int(c.find(q("v")).text)])
            else:
                texts.append("".join(c.itertext()))
        return texts

    def shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.parts:
            return []
        root = etree.fromstring(self.parts["xl/sharedStrings.xml"])
        return ["".join(t.text or "" for t in si.iter(q("t"))) for si in root.iterfind(q("si"))]

    def workbook_elements(self, tag: str) -> list[bytes]:
        root = etree.fromstring(self.parts["xl/workbook.xml"])
        return [canon(e) for e in root.iter() if _local(e) == tag]

    def report_closure(self) -> set[str]:
        """The parts of the report sheets: each sheet, its relationships, and what they reach."""
        sheets = self.sheets()
        todo = [sheets[name] for name in REPORTS if name in sheets]
        seen: set[str] = set()
        while todo:
            part = todo.pop()
            if part in seen or part not in self.parts:
                continue
            seen.add(part)
            rels = rels_of(part)
            if rels in self.parts:
                seen.add(rels)
                folder = part.rpartition("/")[0]
                for rel in etree.fromstring(self.parts[rels]):
                    if rel.get("TargetMode") == "External":
                        continue
                    target = rel.get("Target")
                    todo.append(_join(folder, target))
        return seen


def canon(element) -> bytes:
    return etree.tostring(element, method="c14n")


def _local(element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _join(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = folder.split("/") if folder else []
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


_TAB_SELECTED = re.compile(rb'\s+tabSelected="(?:1|true)"')


def without_tab_selected(data: bytes) -> bytes:
    end = data.find(b"<sheetData")
    head = data if end < 0 else data[:end]
    return _TAB_SELECTED.sub(b"", head, count=1) + (b"" if end < 0 else data[end:])
