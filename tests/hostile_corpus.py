"""Hostile and broken files, one per row of the bad-input checklist (reliability.md §6), made
on the fly from a small valid plan so that only the hostile part differs. Nothing binary is
committed; the biggest file here is about 1 MB on disk."""

from __future__ import annotations

import random
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from workbooks import minimal_plan, write_workbook

ACTUALS = "xl/worksheets/sheet7.xml"
STRINGS = "xl/sharedStrings.xml"

LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>\n"
)
XXE = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def base(path: Path) -> Path:
    return write_workbook(path, minimal_plan())


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def edited(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    parts = parts_of(base(path))
    parts[part] = change(parts[part])
    return rezip(path, parts)


def with_dtd(dtd: bytes, use: bytes) -> Callable[[bytes], bytes]:
    """Put `dtd` in the part's prolog and `use` in its first text or value."""

    def change(data: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", data)
        body = re.sub(rb"<(v|t)>", lambda m: b"<%s>%s" % (m.group(1), use), body, count=1)
        return dtd + body

    return change


def add_cell(ref: bytes, row: int) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        cell = b'<row r="%d"><c r="%s"><v>1</v></c></row></sheetData>' % (row, ref)
        return data.replace(b"</sheetData>", cell, 1)

    return change


def zip_bomb(path: Path, part: str, filler: bytes, size: int) -> Path:
    """A valid workbook whose `part` inflates to about `size` bytes of `filler`."""
    parts = parts_of(base(path))
    head, tail = parts[part].split(b"<sheetData>", 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != part:
                archive.writestr(name, data)
        with archive.open(part, "w", force_zip64=True) as out:
            out.write(head + b"<sheetData>")
            chunk = filler * (1024 * 1024 // len(filler))
            for _ in range(size // len(chunk)):
                out.write(chunk)
            out.write(b"<sheetData>" + tail)
    return path


def lying_size(path: Path) -> Path:
    """The local and central headers of the log say 1,000 bytes; the data is far longer."""
    parts = parts_of(base(path))
    parts[ACTUALS] = parts[ACTUALS].replace(
        b"</sheetData>", b"".join(b'<row r="%d"/>' % n for n in range(10, 5000)) + b"</sheetData>"
    )
    rezip(path, parts)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(ACTUALS)
    real = struct.pack("<I", info.file_size)
    for at in [m.start() for m in re.finditer(re.escape(real), bytes(data))]:
        data[at : at + 4] = struct.pack("<I", 1000)
    path.write_bytes(bytes(data))
    return path


def too_declared(path: Path) -> Path:
    """The central directory declares a 600 MB log (a bomb that has not been inflated)."""
    rezip(path, parts_of(base(path)))
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if data[at + 46 : at + 46 + length] == ACTUALS.encode():
            data[at + 24 : at + 28] = struct.pack("<I", 600_000_000)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


def ole(path: Path, *, encrypted: bool) -> Path:
    """An OLE compound file header; an encrypted .xlsx names an EncryptedPackage stream in its
    directory sector."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entry = ("EncryptedPackage" if encrypted else "Workbook").encode("utf-16-le")
    directory = (entry + bytes(64 - len(entry))) + bytes(448)
    path.write_bytes(header + directory + bytes(1024))
    return path


def strict(path: Path) -> Path:
    """ISO Strict Open XML: the same parts with the purl.oclc.org namespaces."""
    parts = parts_of(base(path))
    swaps = {
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": (
            b"http://purl.oclc.org/ooxml/spreadsheetml/main"
        ),
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
            b"http://purl.oclc.org/ooxml/officeDocument/relationships"
        ),
    }
    for name, data in parts.items():
        for old, new in swaps.items():
            data = data.replace(old, new)
        parts[name] = data
    return rezip(path, parts)


def many_parts(path: Path) -> Path:
    parts = parts_of(base(path))
    parts.update({f"xl/extra/p{n}.bin": b"" for n in range(10_001)})
    return rezip(path, parts)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def damaged_crc(path: Path) -> Path:
    base(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(ACTUALS)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 10 : start + 18] = bytes(8)
    path.write_bytes(bytes(data))
    return path


# name → (file name, builder, exit code, words the one line must hold)
CORPUS: dict[str, tuple[str, Callable[[Path], Path], int, str]] = {
    "missing": ("plan.xlsx", lambda p: p, 1, "plan.xlsx: file not found"),
    "directory": ("plan.xlsx", lambda p: (p.mkdir(), p)[1], 1, "plan.xlsx: is a folder"),
    "empty": ("plan.xlsx", lambda p: write(p, b""), 1, "plan.xlsx: the file is empty"),
    "random": (
        "plan.xlsx",
        lambda p: write(p, random.Random(6).randbytes(4000) + b"\x00"),
        1,
        "plan.xlsx: not an Excel .xlsx file (unknown binary data)",
    ),
    "csv": (
        "plan.xlsx",
        lambda p: write(p, b"id,name,budget\nG1,Grow,5000\nG2,Engage,3000\n"),
        1,
        "plan.xlsx: not an Excel .xlsx file (it looks like CSV text)",
    ),
    "html": (
        "plan.xlsx",
        lambda p: write(p, b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table>"),
        1,
        "plan.xlsx: not an Excel .xlsx file (it looks like a web page)",
    ),
    "text": (
        "plan.xlsx",
        lambda p: write(p, "Plan for Q3\nGrow followers 营销\n".encode()),
        1,
        "plan.xlsx: not an Excel .xlsx file (it is plain text)",
    ),
    "truncated_half": (
        "plan.xlsx",
        lambda p: write(p, base(p).read_bytes()[: p.stat().st_size // 2]),
        1,
        "plan.xlsx: the file is damaged or incomplete",
    ),
    "truncated_no_eocd": (
        "plan.xlsx",
        lambda p: write(p, base(p).read_bytes()[:-22]),
        1,
        "plan.xlsx: the file is damaged or incomplete",
    ),
    "corrupt_crc": ("plan.xlsx", damaged_crc, 1, "plan.xlsx: the file is damaged or incomplete"),
    "lying_size": ("plan.xlsx", lying_size, 1, "plan.xlsx: the file is damaged or incomplete"),
    "xls": ("plan.xls", lambda p: ole(p, encrypted=False), 1, "plan.xls: a legacy .xls workbook"),
    "xls_renamed": (
        "plan.xlsx",
        lambda p: ole(p, encrypted=False),
        1,
        "plan.xlsx: a legacy .xls workbook",
    ),
    "encrypted": (
        "plan.xlsx",
        lambda p: ole(p, encrypted=True),
        1,
        "plan.xlsx: the workbook is password-protected",
    ),
    "ods_renamed": (
        "plan.xlsx",
        lambda p: rezip(
            p,
            {
                "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                "content.xml": b"<office:document-content/>",
            },
        ),
        1,
        "plan.xlsx: an OpenDocument spreadsheet (.ods), not .xlsx",
    ),
    "plain_zip": (
        "plan.xlsx",
        lambda p: rezip(p, {"notes.txt": b"hello"}),
        1,
        "plan.xlsx: a zip file but not an Excel workbook",
    ),
    "xlsb": (
        "plan.xlsx",
        lambda p: rezip(p, {"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\0"}),
        1,
        "plan.xlsx: an Excel binary workbook (.xlsb)",
    ),
    "lock_excel": (
        "~$plan.xlsx",
        lambda p: write(p, b"\x05alice" + bytes(156)),
        1,
        "~$plan.xlsx: this is Excel's lock file for plan.xlsx, not a workbook",
    ),
    "lock_libreoffice": (
        ".~lock.plan.xlsx#",
        lambda p: write(p, b"Alice,alice,host,23.11.2026 09:00,file:///home/alice;"),
        1,
        ".~lock.plan.xlsx#: this is LibreOffice's lock file for plan.xlsx, not a workbook",
    ),
    "too_many_parts": ("plan.xlsx", many_parts, 1, "refusing: the file holds 10017 parts"),
    "declared_too_big": ("plan.xlsx", too_declared, 1, "refusing: the file expands to"),
    "whitespace_bomb": (
        "plan.xlsx",
        lambda p: zip_bomb(p, ACTUALS, b" ", 1_100_000_000),
        1,
        "refusing: the file expands to 1,100 MB",
    ),
    "cells_bomb": (
        "plan.xlsx",
        lambda p: zip_bomb(p, ACTUALS, b"<c/>", 300_000_000),
        1,
        "refusing: xl/worksheets/sheet7.xml expands",
    ),
    "billion_laughs_sheet": (
        "plan.xlsx",
        lambda p: edited(p, ACTUALS, with_dtd(LAUGHS, b"&lol9;")),
        1,
        "refusing: unsafe XML (entity declarations) in xl/worksheets/sheet7.xml",
    ),
    "billion_laughs_strings": (
        "plan.xlsx",
        lambda p: edited(p, STRINGS, with_dtd(LAUGHS, b"&lol9;")),
        1,
        "refusing: unsafe XML (entity declarations) in xl/sharedStrings.xml",
    ),
    "billion_laughs_styles": (
        "plan.xlsx",
        lambda p: edited(p, "xl/styles.xml", with_dtd(LAUGHS, b"")),
        1,
        "refusing: unsafe XML (entity declarations) in xl/styles.xml",
    ),
    "xxe_sheet": (
        "plan.xlsx",
        lambda p: edited(p, ACTUALS, with_dtd(XXE, b"&xxe;")),
        1,
        "refusing: unsafe XML (entity declarations) in xl/worksheets/sheet7.xml",
    ),
    "xxe_workbook": (
        "plan.xlsx",
        lambda p: edited(p, "xl/workbook.xml", with_dtd(XXE, b"")),
        1,
        "refusing: unsafe XML (entity declarations) in xl/workbook.xml",
    ),
    "dimension_claim_xfd": (
        "plan.xlsx",
        lambda p: edited(
            p,
            ACTUALS,
            lambda d: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', d),
        ),
        0,
        "",
    ),
    "far_corners": (
        "plan.xlsx",
        lambda p: edited(p, ACTUALS, add_cell(b"XFD1048576", 1048576)),
        1,
        "plan.xlsx › Actuals: the sheet is too large (17,179,869,184 cells",
    ),
    "beyond_limits": (
        "plan.xlsx",
        lambda p: edited(p, ACTUALS, add_cell(b"XFE1048577", 1048577)),
        1,
        'plan.xlsx › Actuals: invalid cell reference "XFE1048577"',
    ),
    "illegal_char": (
        "plan.xlsx",
        lambda p: edited(p, STRINGS, lambda d: d.replace(b"<t>", b"<t>bell&#7;here", 1)),
        1,
        "plan.xlsx: invalid XML in xl/sharedStrings.xml",
    ),
    "macro_xlsm": (
        "plan.xlsm",
        lambda p: rezip(p, {**parts_of(base(p)), "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
        0,
        "",
    ),
}


def external_dtd(port: int) -> Callable[[Path], Path]:
    """A parameter entity that would fetch a DTD from 127.0.0.1:`port`."""
    dtd = (
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY %% ext SYSTEM "http://127.0.0.1:%d/x.dtd">'
        b" %%ext;]>\n" % port
    )
    return lambda p: edited(p, ACTUALS, with_dtd(dtd, b""))
