"""Replace a user's workbook without ever losing it: prepare before any work, then write a
temporary file next to the target, verify it, and rename it into place.

(Skeleton: the full safe save — lock files, backups, fsync, verify, stale temporary files —
is issue 6, helper B.)
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from . import labels
from .errors import FileError
from .labels import Lang

T = TypeVar("T")

TEMP_PREFIX = ".~sheetplan-"
TEMP_SUFFIX = ".xlsx.tmp"


@dataclass(frozen=True)
class Saved(Generic[T]):
    """Where the result went, the backup of what it replaced, and what `write` returned."""

    path: Path
    backup: Path | None
    result: T


def prepare(target: Path, lang: Lang, *, in_place: bool) -> Path:
    """Everything that can refuse a save, checked before any work is done.

    Returns the real path to write (symlinks resolved)."""
    return target.resolve()


def save(
    target: Path,
    write: Callable[[Path], T],
    *,
    lang: Lang,
    backup: bool = True,
    redirect: Callable[[T], Path | None] | None = None,
) -> Saved[T]:
    """Write through `write(temporary_path)`, then move the result into place.

    `redirect`, given what `write` returned, may name another file to move it to instead of
    `target` (a refresh that would drop some of the user's content goes next to the original,
    never over it)."""
    folder = target.parent
    handle, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    os.close(handle)
    temporary = Path(name)
    try:
        result = write(temporary)
        final = (redirect(result) if redirect else None) or target
        os.replace(temporary, final)
    except OSError as error:
        raise FileError(
            labels.text("file.cannot_write", lang, file=target.name, reason=error.strerror or error)
        ) from error
    finally:
        temporary.unlink(missing_ok=True)
    return Saved(final, None, result)
