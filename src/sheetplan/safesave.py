"""Replace a user's workbook without ever losing it.

`prepare` runs before any work and refuses what would fail or hurt later: a workbook open in
Excel, LibreOffice or WPS, a folder that cannot be written. `save` writes a temporary file next
to the target, flushes it to disk, reads it back, keeps a backup of the file it replaces and
renames it into place, so a crash, a kill or a full disk leaves either the old file or the new
one, never half of each. Temporary files of killed runs are removed by the next run.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import socket
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Generic, TypeVar

from . import labels
from .errors import ExitStatus, FileError, SheetplanError
from .labels import Lang

T = TypeVar("T")

TEMP_PREFIX = ".~sheetplan-"
TEMP_SUFFIX = ".xlsx.tmp"
BACKUPS_KEPT = 5
"""Backups kept per workbook: enough to step back a few refreshes, few enough to go unnoticed."""
STALE_AFTER = 24 * 3600
"""Seconds after which a temporary file whose writer cannot be checked (another machine on a
shared folder, or Windows) counts as left over."""

REPLACE_ATTEMPTS = 5
_BUSY_FILES_REFUSE = os.name == "nt"

_HOST = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:12] or "host"
_TEMP_NAME = re.compile(
    re.escape(TEMP_PREFIX) + r"([A-Za-z0-9]+)-(\d+)-.*" + re.escape(TEMP_SUFFIX)
)
_STAMP = "%Y-%m-%d %H%M%S"
_CANNOT_FLUSH = {errno.EINVAL, getattr(errno, "ENOTSUP", errno.EINVAL), errno.EOPNOTSUPP}


@dataclass(frozen=True)
class Saved(Generic[T]):
    """Where the result went, the backup of what it replaced, and what `write` returned."""

    path: Path
    backup: Path | None
    result: T


def prepare(target: Path, lang: Lang, *, in_place: bool) -> Path:
    """Everything that can refuse a save, checked before any work is done: the workbook open
    in another program, a folder that cannot be written. Also removes temporary files that
    killed runs left in that folder.

    Returns the real path to write (symlinks resolved: the backup and the replace act on the
    file, and a link keeps pointing at it)."""
    target = Path(target)
    real = target.resolve()
    if in_place and not real.is_file():
        return real  # the reader says what is wrong with the input
    for place in dict.fromkeys((target.absolute(), real)):
        refuse_if_open(place, lang)
    _probe_folder(real, lang)
    remove_stale_temporaries(real.parent)
    return real


def save(
    target: Path,
    write: Callable[[Path], T],
    *,
    lang: Lang,
    backup: bool = True,
    redirect: Callable[[T], Path | None] | None = None,
) -> Saved[T]:
    """Write through `write(temporary_path)`, check the result, then move it into place.

    `redirect`, given what `write` returned, may name another file to move it to instead of
    `target` (a refresh that would drop some of the user's content goes next to the original,
    never over it). On any failure, Ctrl-C or SIGTERM the file in place is untouched and the
    temporary file is removed."""
    target = Path(target)
    temporary = _new_temporary(target, lang)
    kept: Path | None = None
    final = target
    try:
        with _sigterm_as_interrupt():
            result = write(temporary)
            _flush(temporary)
            verify(temporary, target, lang)
            final = Path((redirect(result) if redirect else None) or target).resolve()
            if final != target:
                refuse_if_open(final, lang)
            _take_mode(temporary, final)
            if backup and final.is_file():
                kept = _keep_backup(final, lang)
            _replace(temporary, final)
            _flush_folder(final.parent)
    except BaseException as error:
        _close_abandoned_zips(error)
        cause = _os_error(error) if isinstance(error, Exception) else None
        if cause is None:
            raise
        raise _write_error(cause, final, lang) from error
    finally:
        replaced = _gone(temporary)  # asked of the disk: a signal may land anywhere
        if not replaced:
            with suppress(OSError):
                temporary.unlink()
        if kept is not None and not replaced:  # this "backup" is the file still in place
            with suppress(OSError):
                kept.unlink()
                kept.parent.rmdir()  # only when it holds nothing else
    if kept is not None:
        _rotate(kept.parent, final)
    return Saved(final, kept, result)


def verify(path: Path, target: Path, lang: Lang) -> None:
    """Read the written file back: every zip entry inflates with the right checksum, and a
    real reader opens it and finds its sheets. A writer bug or a disk that lies is caught here,
    before the original is touched."""
    import python_calamine

    try:
        with zipfile.ZipFile(path) as archive:
            broken = archive.testzip()
        if broken is not None:
            raise ValueError(f"bad checksum in {broken}")
        try:
            sheets = python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names
        except Exception:  # a macro or dialog sheet: read as the reader does, without them
            from .reader import sheet_parts, without_macro_sheets

            with zipfile.ZipFile(path) as archive:
                parts = sheet_parts(archive)
            book = without_macro_sheets(path, parts)
            if book is None:
                raise
            sheets = book.sheet_names
        if not sheets:
            raise ValueError("no sheets")
    except OSError:
        raise
    except Exception as error:
        failure = FileError(
            labels.text("safety.verify_failed", lang, file=target.name, reason=error)
        )
        failure.exit_code = ExitStatus.INTERNAL
        raise failure from error


def refuse_if_open(path: Path, lang: Lang) -> None:
    """Refuse to replace a workbook another program has open: it would keep its own copy and
    save it over the refresh later (Linux and macOS do not stop the replace)."""
    found = next(open_by(path), None)
    if found is not None:
        app, lock = found
        raise FileError(
            labels.text("safety.open_elsewhere", lang, file=path.name, app=app, lock=lock.name)
        )


def open_by(path: Path) -> Iterator[tuple[str, Path]]:
    """(program, lock file) for each program that has `path` open, by the lock file it keeps
    beside it: Excel and WPS `~$name.xlsx` (Office cuts the first two letters of long names:
    `~$cdefgh.xlsx` for `abcdefgh.xlsx`), LibreOffice `.~lock.name.xlsx#`, WPS on Linux
    `.~name.xlsx`."""
    name = path.name
    folder = path.parent
    candidates = [("Excel", folder / f"~${name}")]
    if len(path.stem) > 2 and not (folder / name[2:]).exists():
        candidates.append(("Excel", folder / f"~${name[2:]}"))
    candidates.append(("LibreOffice", folder / f".~lock.{name}#"))
    candidates.append(("WPS", folder / f".~{name}"))
    for app, lock in candidates:
        if lock.is_file():
            yield app, lock


def lock_owner(path: Path) -> str | None:
    """The program whose lock file `path` is ("Excel", "LibreOffice", "WPS"), or None: a shell
    glob such as `*.xlsx` picks lock files up beside the workbooks."""
    name = path.name
    if name.startswith("~$"):
        return "Excel"
    if name.startswith(".~lock.") and name.endswith("#"):
        return "LibreOffice"
    if name.startswith(".~") and not name.startswith(TEMP_PREFIX):
        return "WPS"
    return None


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove sheetplan's temporary files left by runs that were killed: those whose process is
    gone, or older than STALE_AFTER when that cannot be checked. Never another live run's
    (`refresh --jobs` writes several at once in one folder)."""
    removed = []
    places = [folder, *{backup_folder(folder / "plan.xlsx", lang) for lang in ("en", "zh")}]
    for place in places:
        with suppress(OSError):
            for path in place.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
                if _is_stale(path):
                    with suppress(OSError):
                        path.unlink()
                        removed.append(path)
    return removed


def backup_folder(workbook: Path, lang: Lang) -> Path:
    """The visible folder beside the workbook where earlier versions are kept."""
    return workbook.parent / labels.text("safety.backup_folder", lang)


def backups_of(workbook: Path, folder: Path) -> list[Path]:
    """The backups of `workbook` in `folder`, newest first."""
    pattern = re.compile(
        re.escape(workbook.stem)
        + r" (\d{4}-\d\d-\d\d \d{6})(?:_(\d+))?"
        + re.escape(workbook.suffix)
    )
    found = []
    with suppress(OSError):
        for path in folder.iterdir():
            match = pattern.fullmatch(path.name)
            if match:
                found.append((match[1], int(match[2] or 1), path))
    return [path for *_, path in sorted(found, reverse=True)]


def _new_temporary(target: Path, lang: Lang) -> Path:
    try:
        return _temporary_in(target.parent)
    except OSError as error:
        raise _write_error(error, target, lang) from error


def _temporary_in(folder: Path) -> Path:
    """A new empty file named so that the next run knows whose it is (see _is_stale)."""
    handle, name = tempfile.mkstemp(
        prefix=f"{TEMP_PREFIX}{_HOST}-{os.getpid()}-", suffix=TEMP_SUFFIX, dir=folder
    )
    os.close(handle)
    return Path(name)


def _probe_folder(target: Path, lang: Lang) -> None:
    """Create and remove a file where the result will go, so a read-only folder fails in a
    fraction of a second instead of after the whole refresh."""
    _new_temporary(target, lang).unlink()


def _replace(temporary: Path, final: Path) -> None:
    """os.replace, retried for a moment where a virus scanner or a sync client may hold the
    file briefly (Windows refuses the replace while anything has it open)."""
    for attempt in range(REPLACE_ATTEMPTS):
        try:
            os.replace(temporary, final)
            return
        except PermissionError:
            if not _BUSY_FILES_REFUSE or attempt == REPLACE_ATTEMPTS - 1:
                raise
            time.sleep(0.2)


def _gone(path: Path) -> bool:
    """True unless the file is certainly still there (when unsure, keep the backup)."""
    try:
        os.stat(path)
    except OSError:
        return True
    return False


def _flush(path: Path) -> None:
    """Put the file on the disk, not just in the cache: a full network drive may only say so
    here. A file system that cannot flush at all is taken as it is."""
    handle = os.open(path, os.O_RDWR)
    try:
        os.fsync(handle)
    except OSError as error:
        if error.errno not in _CANNOT_FLUSH:
            raise
    finally:
        os.close(handle)


def _flush_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it (not Windows, nor some
    network and FUSE file systems); the replace has happened either way."""
    if os.name == "nt":
        return
    with suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _take_mode(temporary: Path, final: Path) -> None:
    """The new file keeps the permissions (and, for root, the owner) of the one it replaces;
    a new file gets what the umask gives any new file."""
    try:
        status = final.stat()
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        return
    shutil.copymode(final, temporary)
    if hasattr(os, "chown") and (status.st_uid, status.st_gid) != _owner(temporary):
        with suppress(OSError):
            os.chown(temporary, status.st_uid, status.st_gid)


def _owner(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_uid, status.st_gid


def _keep_backup(workbook: Path, lang: Lang) -> Path:
    """Keep the file about to be replaced: a hard link when the file system allows it (instant;
    the replace leaves it on the old content), otherwise a copy made under a temporary name so
    a half copy never looks like a backup."""
    folder = backup_folder(workbook, lang)
    try:
        folder.mkdir(exist_ok=True)
        kept = _backup_name(workbook, folder)
        try:
            os.link(workbook, kept)
        except OSError:
            _copy(workbook, kept)
    except OSError as error:
        with suppress(OSError):
            folder.rmdir()  # only when it holds nothing else
        raise FileError(
            labels.text(
                "safety.backup_failed",
                lang,
                file=workbook.name,
                folder=folder.name,
                reason=_reason(error),
            )
        ) from error
    return kept


def _backup_name(workbook: Path, folder: Path) -> Path:
    stamp = datetime.now().strftime(_STAMP)
    kept = folder / f"{workbook.stem} {stamp}{workbook.suffix}"
    count = 1
    while kept.exists():
        count += 1
        kept = folder / f"{workbook.stem} {stamp}_{count}{workbook.suffix}"
    return kept


def _copy(source: Path, kept: Path) -> None:
    partial = _temporary_in(kept.parent)
    try:
        shutil.copy2(source, partial)
        _flush(partial)
        os.replace(partial, kept)
    finally:
        partial.unlink(missing_ok=True)


def _rotate(folder: Path, workbook: Path) -> None:
    for old in backups_of(workbook, folder)[BACKUPS_KEPT:]:
        with suppress(OSError):
            old.unlink()


def _is_stale(path: Path) -> bool:
    """Left by a run on this machine whose process is gone, or older than any run can take
    (which also covers a process number reused since)."""
    match = _TEMP_NAME.fullmatch(path.name)
    if match and match[1] == _HOST and os.name != "nt" and not _alive(int(match[2])):
        return True
    try:
        return time.time() - path.stat().st_mtime > STALE_AFTER
    except OSError:
        return False


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """A polite kill (SIGTERM) while saving cleans up like Ctrl-C instead of leaving the
    temporary file for the next run."""
    if threading.current_thread() is not threading.main_thread() or os.name == "nt":
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _write_error(error: OSError, target: Path, lang: Lang) -> FileError:
    """One line that says what the operating system refused and what to do about it."""
    folder = str(target.parent)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        key = "safety.disk_full"
    elif error.errno == errno.EROFS:
        key = "safety.read_only"
    elif error.errno in (errno.EACCES, errno.EPERM):
        key = "safety.no_permission"
    elif error.errno == errno.ENOENT and not target.parent.is_dir():
        key = "safety.folder_missing"
    else:
        key = "safety.cannot_write"
    return FileError(labels.text(key, lang, file=target.name, folder=folder, reason=_reason(error)))


def _close_abandoned_zips(error: BaseException) -> None:
    """Close the half-written zip a failing writer left open (XlsxWriter does on a full disk).
    Otherwise it closes itself whenever it is collected, fails again on the full disk and
    prints a traceback past the one-line message; on Windows it would also keep the temporary
    file from being removed."""
    seen: set[int] = set()
    chained: BaseException | None = error
    while chained is not None and id(chained) not in seen:
        seen.add(id(chained))
        trace = chained.__traceback__
        while trace is not None:
            for value in list(trace.tb_frame.f_locals.values()):
                if isinstance(value, zipfile.ZipFile):
                    with suppress(Exception):
                        value.close()
            trace = trace.tb_next
        chained = chained.__cause__ or chained.__context__


def _os_error(error: BaseException) -> OSError | None:
    """The operating system's refusal behind an error, also when a library wrapped it
    (XlsxWriter turns a full disk at close() into FileCreateError(OSError))."""
    if isinstance(error, SheetplanError):
        return None  # already worded for the user
    for candidate in (error, error.__cause__, *getattr(error, "args", ())[:1]):
        if isinstance(candidate, OSError):
            return candidate
    return None


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
