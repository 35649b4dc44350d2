"""Look at a file before any reader parses it, and say in one line what is wrong with it.

Readers give poor or misleading errors on broken files (calamine calls a CRC error "Cannot
detect file format"), and some hostile files can exhaust memory or abort the process; this
module decides first, from the bytes and the zip directory, whether the file is a workbook
sheetplan can safely read.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from . import labels
from .errors import InputError
from .labels import Lang


def check_workbook_file(path: Path, lang: Lang = "en") -> None:
    """Raise InputError with a one-line message when `path` is not a readable .xlsx workbook."""
    name = path.name

    def fail(key: str, **values: object) -> InputError:
        return InputError(labels.text(key, lang, file=name, **values))

    if not path.exists():
        raise fail("file.not_found")
    if path.is_dir():
        raise fail("file.is_directory")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except PermissionError as error:
        raise fail("file.permission_denied") from error
    if not head:
        raise fail("file.empty")
    if not head.startswith(b"PK"):
        raise fail("file.not_xlsx")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as error:
        raise fail("file.damaged", reason=error) from error
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise fail("file.not_a_workbook")
