"""Zip members copied as their stored bytes: a part sheetplan does not edit (a 100,000-row log,
a picture, a VBA project) is never inflated, re-serialised or recompressed."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO

_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_DATA_DESCRIPTOR = 0x08
_UTF8_NAME = 0x800
_CHUNK = 1 << 20


class PackageWriter:
    """A new zip: members copied raw from a source zip, or written from bytes or chunks."""

    def __init__(self, path) -> None:
        self.zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.names: list[str] = []

    def copy_raw(self, source: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        """Copy one member's compressed bytes with its checksum, sizes, date and attributes."""
        out = zipfile.ZipInfo(info.filename, info.date_time)
        out.compress_type = info.compress_type
        out.CRC = info.CRC
        out.compress_size = info.compress_size
        out.file_size = info.file_size
        out.external_attr = info.external_attr
        out.create_system = info.create_system
        out.flag_bits = info.flag_bits & ~_DATA_DESCRIPTOR & _UTF8_NAME
        fp = self.zip.fp
        out.header_offset = fp.tell()
        zip64 = info.file_size > zipfile.ZIP64_LIMIT or info.compress_size > zipfile.ZIP64_LIMIT
        fp.write(out.FileHeader(zip64))
        for chunk in raw_chunks(source, info):
            fp.write(chunk)
        self.zip.start_dir = fp.tell()
        self.zip.filelist.append(out)
        self.zip.NameToInfo[out.filename] = out
        self.names.append(out.filename)

    def write(self, name: str, data: bytes) -> None:
        info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        self.zip.writestr(info, data, compresslevel=6)
        self.names.append(name)

    def write_chunks(self, name: str, chunks) -> None:
        """A big part written as it is produced (a log whose view flag changed)."""
        info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        with self.zip.open(info, "w", force_zip64=True) as out:
            for chunk in chunks:
                out.write(chunk)
        self.names.append(name)

    def close(self) -> None:
        self.zip.close()


def raw_chunks(source: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The stored (compressed) bytes of a member, read past its local header."""
    fp: BinaryIO = source.fp  # type: ignore[assignment]
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL_HEADER.size)
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    fp.seek(fields[9] + fields[10], 1)
    left = info.compress_size
    while left > 0:
        chunk = fp.read(min(_CHUNK, left))
        if not chunk:
            raise zipfile.BadZipFile(f"{info.filename} is cut short")
        left -= len(chunk)
        yield chunk


def head(source: zipfile.ZipFile, info: zipfile.ZipInfo, size: int = 65536) -> bytes:
    """The first `size` bytes of a member, inflated without reading the rest (a view flag or a
    namespace is looked up in a big sheet's first kilobytes)."""
    if info.compress_type == zipfile.ZIP_STORED:
        return b"".join(_take(raw_chunks(source, info), size))
    inflate = zlib.decompressobj(-15)
    out = b""
    for chunk in raw_chunks(source, info):
        out += inflate.decompress(chunk, size - len(out))
        if len(out) >= size or inflate.eof:
            break
    return out


def _take(chunks: Iterator[bytes], size: int) -> Iterator[bytes]:
    taken = 0
    for chunk in chunks:
        yield chunk[: size - taken]
        taken += len(chunk)
        if taken >= size:
            return
