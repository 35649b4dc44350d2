"""Safe save (SPEC §6, issue 6): the refresh replaces the real file atomically, keeps its
permissions and a rotating backup, refuses a workbook open elsewhere, cleans up after killed
runs, and leaves the original byte-identical whenever anything fails."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from sheetplan import safesave
from sheetplan.errors import FileError

from workbooks import write_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "sample_en.xlsx"
BACKUPS = "sheetplan backups"
posix_only = pytest.mark.skipif(
    os.name == "nt", reason="POSIX behaviour: symlinks, modes, signals, process numbers"
)


def version(path: Path, n: int) -> None:
    """A small valid workbook whose one cell says which version it is."""
    write_workbook(path, {"Sheet1": [["version"], [n]]})


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(f"{safesave.TEMP_PREFIX}*"))


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "plan.xlsx"
    shutil.copyfile(SAMPLE, path)
    return path


def test_refresh_replaces_the_plan_and_says_where_the_backup_is(run_cli, plan, monkeypatch):
    monkeypatch.chdir(plan.parent)
    before = plan.read_bytes()
    result = run_cli("refresh", "plan.xlsx", catch=False)
    assert result.exit_code == 0, result.output
    (backup,) = (plan.parent / BACKUPS).iterdir()
    assert backup.read_bytes() == before
    assert result.stdout.endswith(f"; previous version kept in {BACKUPS}/{backup.name}\n")
    assert plan.read_bytes() != before
    with zipfile.ZipFile(plan) as archive:
        assert archive.testzip() is None
    assert temporaries(plan.parent) == []


@posix_only
def test_a_symlinked_plan_stays_a_link_to_the_refreshed_file(run_cli, tmp_path):
    real = tmp_path / "real" / "plan.xlsx"
    real.parent.mkdir()
    shutil.copyfile(SAMPLE, real)
    link = tmp_path / "desk" / "plan.xlsx"
    link.parent.mkdir()
    link.symlink_to(real)
    before = real.read_bytes()
    result = run_cli("refresh", link, catch=False)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == real
    assert real.read_bytes() != before
    (backup,) = (real.parent / BACKUPS).iterdir()
    assert backup.read_bytes() == before
    assert sorted(p.name for p in link.parent.iterdir()) == ["plan.xlsx"]


@posix_only
def test_the_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "plan.xlsx"
    version(target, 0)
    target.chmod(0o640)
    safesave.save(target, lambda t: version(t, 1), lang="en")
    assert target.stat().st_mode & 0o7777 == 0o640


@posix_only
def test_a_new_file_gets_the_usual_permissions(tmp_path):
    mask = os.umask(0o027)
    try:
        saved = safesave.save(tmp_path / "new.xlsx", lambda t: version(t, 1), lang="en")
    finally:
        os.umask(mask)
    assert saved.backup is None
    assert saved.path.stat().st_mode & 0o7777 == 0o640
    assert not (tmp_path / BACKUPS).exists()


def test_six_saves_keep_the_five_newest_backups_newest_first_by_name(tmp_path):
    target = tmp_path / "plan.xlsx"
    version(target, 0)
    contents = [target.read_bytes()]
    for n in range(1, 7):
        saved = safesave.save(target, lambda t, n=n: version(t, n), lang="en")
        assert saved.backup.read_bytes() == contents[-1]
        contents.append(target.read_bytes())
    kept = safesave.backups_of(target, tmp_path / BACKUPS)
    assert len(kept) == safesave.BACKUPS_KEPT == 5
    assert [p.name for p in kept] == sorted((p.name for p in kept), reverse=True)
    assert sorted(p.name for p in (tmp_path / BACKUPS).iterdir()) == sorted(p.name for p in kept)
    assert [p.read_bytes() for p in kept] == contents[5:0:-1]  # versions 5, 4, 3, 2, 1


def test_no_backup_keeps_no_copy(run_cli, plan):
    result = run_cli("refresh", plan, "--no-backup", catch=False)
    assert result.exit_code == 0
    assert "previous version" not in result.stdout
    assert not (plan.parent / BACKUPS).exists()
    assert temporaries(plan.parent) == []


def test_new_force_keeps_a_backup_of_the_plan_it_overwrites(run_cli, plan):
    before = plan.read_bytes()
    result = run_cli("new", plan, "--force", catch=False)
    assert result.exit_code == 0
    (backup,) = (plan.parent / BACKUPS).iterdir()
    assert result.stdout == f"Wrote {plan}; previous version kept in {backup}\n"
    assert backup.read_bytes() == before
    assert plan.read_bytes() != before


LOCKS = [
    ("plan.xlsx", "~$plan.xlsx", "Excel"),
    ("abcdefgh.xlsx", "~$cdefgh.xlsx", "Excel"),  # Office cuts long names
    ("plan.xlsx", ".~lock.plan.xlsx#", "LibreOffice"),
    ("plan.xlsx", ".~plan.xlsx", "WPS"),
]


@pytest.mark.parametrize(("name", "lock", "app"), LOCKS)
def test_a_workbook_open_elsewhere_is_refused_in_place(run_cli, tmp_path, name, lock, app):
    path = tmp_path / name
    shutil.copyfile(SAMPLE, path)
    (tmp_path / lock).write_text("user,host;")
    started = time.perf_counter()
    result = run_cli("refresh", path, catch=False)
    assert time.perf_counter() - started < 1  # refused before the workbook is read
    assert result.exit_code == 3
    assert result.stderr == (
        f"sheetplan: {name}: the workbook is open in {app} (lock file {lock}) — close it and "
        f"run again, or write a new file with -o; if {app} is not running, delete {lock}\n"
    )
    assert path.read_bytes() == SAMPLE.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, lock])


def test_an_open_plan_can_still_be_refreshed_to_another_file(run_cli, plan):
    (plan.parent / "~$plan.xlsx").write_text("user")
    out = plan.parent / "out.xlsx"
    result = run_cli("refresh", plan, "-o", out, catch=False)
    assert result.exit_code == 0, result.output
    assert plan.read_bytes() == SAMPLE.read_bytes()
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None


def test_with_o_only_the_output_being_open_refuses(run_cli, plan):
    out = plan.parent / "out.xlsx"
    shutil.copyfile(SAMPLE, out)
    (plan.parent / ".~lock.out.xlsx#").write_text("user")
    result = run_cli("refresh", plan, "-o", out, catch=False)
    assert result.exit_code == 3
    assert "out.xlsx: the workbook is open in LibreOffice" in result.stderr
    assert out.read_bytes() == SAMPLE.read_bytes()


def test_a_cut_lock_name_belongs_to_the_workbook_of_that_exact_name_when_there_is_one(tmp_path):
    version(tmp_path / "cdefgh.xlsx", 0)
    (tmp_path / "~$cdefgh.xlsx").write_text("user")
    assert list(safesave.open_by(tmp_path / "abcdefgh.xlsx")) == []
    assert [app for app, _ in safesave.open_by(tmp_path / "cdefgh.xlsx")] == ["Excel"]


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@posix_only
def test_temporary_files_of_killed_runs_are_removed_and_live_ones_kept(plan):
    host = safesave._HOST
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        folder = plan.parent
        names = {
            "dead": f"{safesave.TEMP_PREFIX}{host}-{dead_pid()}-a1{safesave.TEMP_SUFFIX}",
            "live": f"{safesave.TEMP_PREFIX}{host}-{sleeper.pid}-b2{safesave.TEMP_SUFFIX}",
            "reused_pid": f"{safesave.TEMP_PREFIX}{host}-{sleeper.pid}-e5{safesave.TEMP_SUFFIX}",
            "old_elsewhere": f"{safesave.TEMP_PREFIX}otherhost-12-c3{safesave.TEMP_SUFFIX}",
            "new_elsewhere": f"{safesave.TEMP_PREFIX}otherhost-13-d4{safesave.TEMP_SUFFIX}",
            "not_ours": f".~other-{dead_pid()}.xlsx.tmp",
        }
        for name in names.values():
            (folder / name).write_bytes(b"partial")
        old = time.time() - safesave.STALE_AFTER - 60
        os.utime(folder / names["old_elsewhere"], (old, old))
        os.utime(folder / names["reused_pid"], (old, old))
        (folder / BACKUPS).mkdir()
        in_backups = folder / BACKUPS / names["dead"]
        in_backups.write_bytes(b"partial copy")

        assert safesave.prepare(plan, "en", in_place=True) == plan.resolve()

        left = {p.name for p in folder.iterdir()}
        assert not {names["dead"], names["old_elsewhere"], names["reused_pid"]} & left
        assert {names["live"], names["new_elsewhere"], names["not_ours"]} <= left
        assert not in_backups.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


def partial_then(error: BaseException):
    def write(temporary: Path) -> None:
        temporary.write_bytes(b"PK\x03\x04 half a workbook")
        raise error

    return write


def test_disk_full_inside_write_leaves_the_original_and_no_temporary(tmp_path):
    target = tmp_path / "plan.xlsx"
    version(target, 0)
    before = target.read_bytes()
    with pytest.raises(FileError) as caught:
        safesave.save(
            target, partial_then(OSError(errno.ENOSPC, "No space left on device")), lang="en"
        )
    assert str(caught.value) == (
        f"plan.xlsx: not enough disk space in {tmp_path} — free some space and run again; "
        "the original is unchanged"
    )
    assert caught.value.exit_code == 3
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


@pytest.mark.parametrize("error", [RuntimeError("writer bug"), KeyboardInterrupt()])
def test_any_failure_or_ctrl_c_inside_write_leaves_the_original(tmp_path, error):
    target = tmp_path / "plan.xlsx"
    version(target, 0)
    before = target.read_bytes()
    with pytest.raises(type(error)):
        safesave.save(target, partial_then(error), lang="en")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


@posix_only
def test_sigterm_while_writing_cleans_up_like_ctrl_c(tmp_path):
    target = tmp_path / "plan.xlsx"
    version(target, 0)
    before = target.read_bytes()
    handler = signal.getsignal(signal.SIGTERM)

    def write(temporary: Path) -> None:
        temporary.write_bytes(b"PK half")
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the signal arrives first

    with pytest.raises(KeyboardInterrupt):
        safesave.save(target, write, lang="en")
    assert signal.getsignal(signal.SIGTERM) is handler
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


@pytest.mark.parametrize(
    ("garbage", "reason"),
    [
        (b"\x00garbage\xff" * 100, "File is not a zip file"),
        (None, "bad checksum in xl/workbook.xml"),
    ],
)
def test_a_written_file_that_does_not_read_back_never_replaces_the_original(
    tmp_path, garbage, reason
):
    target = tmp_path / "plan.xlsx"
    version(target, 0)
    before = target.read_bytes()

    def write(temporary: Path) -> None:
        if garbage is not None:
            temporary.write_bytes(garbage)
            return
        version(temporary, 1)  # then spoil xl/workbook.xml's checksum in the zip directory
        data = bytearray(temporary.read_bytes())
        entry = data.find(b"PK\x01\x02")
        while data[entry + 46 : entry + 46 + 15] != b"xl/workbook.xml":
            entry = data.find(b"PK\x01\x02", entry + 4)
        data[entry + 16] ^= 0xFF
        temporary.write_bytes(bytes(data))

    with pytest.raises(FileError) as caught:
        safesave.save(target, write, lang="en")
    assert str(caught.value).startswith("plan.xlsx: the new workbook did not read back correctly (")
    assert reason in str(caught.value)
    assert str(caught.value).endswith(
        ") — the original is unchanged; run again with --debug and report it"
    )
    assert caught.value.exit_code == 4
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_a_redirected_result_goes_beside_the_original_and_leaves_it_alone(tmp_path):
    target = tmp_path / "plan.xlsx"
    version(target, 0)
    before = target.read_bytes()
    beside = tmp_path / "plan (refreshed).xlsx"
    saved = safesave.save(target, lambda t: version(t, 1), lang="en", redirect=lambda _: beside)
    assert saved.path == beside and saved.backup is None
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan (refreshed).xlsx", "plan.xlsx"]


def test_a_redirected_result_refuses_when_that_file_is_open(tmp_path):
    target = tmp_path / "plan.xlsx"
    version(target, 0)
    beside = tmp_path / "plan (refreshed).xlsx"
    version(beside, 1)
    (tmp_path / "~$plan (refreshed).xlsx").write_text("user")
    with pytest.raises(FileError, match="is open in Excel"):
        safesave.save(target, lambda t: version(t, 2), lang="en", redirect=lambda _: beside)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "plan (refreshed).xlsx",
        "plan.xlsx",
        "~$plan (refreshed).xlsx",
    ]


def test_where_hard_links_are_impossible_the_backup_is_a_full_copy(tmp_path, monkeypatch):
    def no_links(*args, **kwargs):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "plan.xlsx"
    version(target, 0)
    before = target.read_bytes()
    saved = safesave.save(target, lambda t: version(t, 1), lang="en")
    assert saved.backup.read_bytes() == before
    assert saved.backup.stat().st_ino != target.stat().st_ino
    assert temporaries(tmp_path) == []


def test_an_output_folder_that_does_not_exist_is_refused_before_any_work(run_cli, plan):
    missing = plan.parent / "no such folder"
    result = run_cli("refresh", plan, "-o", missing / "out.xlsx", catch=False)
    assert result.exit_code == 3
    assert result.stderr == (
        f"sheetplan: out.xlsx: the folder {missing} does not exist — create it, or choose "
        "another path with -o\n"
    )
    assert sorted(p.name for p in plan.parent.iterdir()) == ["plan.xlsx"]


def test_ctrl_c_during_the_write_says_nothing_changed(run_cli, plan, monkeypatch):
    import sheetplan.package.editor

    interrupted = partial_then(KeyboardInterrupt())
    monkeypatch.setattr(
        sheetplan.package.editor, "edit", lambda source, owned, target: interrupted(target)
    )
    result = run_cli("refresh", plan, catch=False)
    assert result.exit_code == 130
    assert result.stderr == "Interrupted — nothing was changed\n"
    assert plan.read_bytes() == SAMPLE.read_bytes()
    assert sorted(p.name for p in plan.parent.iterdir()) == ["plan.xlsx"]


def test_plans_refreshed_by_several_jobs_in_one_folder_each_get_their_backup(
    run_cli, tmp_path, monkeypatch
):
    """--jobs runs one process per plan in the same folder (forced here: plans this small
    would run one after the other, cli.workers_for): none may take another's
    temporary file for a leftover. A Chinese plan's backups go to a folder named in Chinese."""
    names = {"a.xlsx": SAMPLE, "b.xlsx": SAMPLE, "c.xlsx": ROOT / "samples" / "sample_zh.xlsx"}
    for name, source in names.items():
        shutil.copyfile(source, tmp_path / name)
    monkeypatch.setattr("sheetplan.cli.PARALLEL_FROM_SECONDS", 0)
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)
    result = run_cli("refresh", *(tmp_path / n for n in names), "--jobs", "3", catch=False)
    assert result.exit_code == 0, result.output
    assert [p.name[:2] for p in sorted((tmp_path / BACKUPS).iterdir())] == ["a ", "b "]
    (kept,) = (tmp_path / "sheetplan 备份").iterdir()
    assert kept.name.startswith("c ") and kept.read_bytes() == names["c.xlsx"].read_bytes()
    assert temporaries(tmp_path) == []


def test_a_replace_refused_for_a_moment_is_retried_where_files_can_be_busy(tmp_path, monkeypatch):
    target = tmp_path / "plan.xlsx"
    version(target, 0)
    real_replace = os.replace
    refusals = []

    def busy_twice(source, destination):
        if len(refusals) < 2:
            refusals.append(destination)
            raise PermissionError(errno.EACCES, "The process cannot access the file")
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", busy_twice)
    monkeypatch.setattr(safesave, "_BUSY_FILES_REFUSE", True)
    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    saved = safesave.save(target, lambda t: version(t, 1), lang="en")
    assert len(refusals) == 2
    assert saved.backup.read_bytes() != target.read_bytes()
    assert temporaries(tmp_path) == []


def test_lock_files_a_glob_brings_along_are_skipped_and_the_open_workbook_refused(run_cli, plan):
    """`sheetplan refresh *.xlsx` in a folder where other.xlsx is open in Excel: the lock file is
    skipped with a note, other.xlsx is refused, plan.xlsx is refreshed; exit 3, the worst."""
    other = plan.parent / "other.xlsx"
    shutil.copyfile(SAMPLE, other)
    lock = plan.parent / "~$other.xlsx"
    lock.write_bytes(b"\x05user" + b"\x00" * 157)
    result = run_cli("refresh", lock, other, plan, "--no-backup")
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert lines[0] == "~$other.xlsx: skipped — this is Excel's lock file, not a workbook"
    assert lines[1].startswith("sheetplan: other.xlsx: the workbook is open in Excel")
    assert len(lines) == 2
    assert result.stdout.startswith("plan.xlsx: refreshed as of ")
    assert other.read_bytes() == SAMPLE.read_bytes()
    assert plan.read_bytes() != SAMPLE.read_bytes()


def test_lock_file_names_are_told_apart_from_workbooks_and_temporaries():
    assert safesave.lock_owner(Path("~$plan.xlsx")) == "Excel"
    assert safesave.lock_owner(Path(".~lock.plan.xlsx#")) == "LibreOffice"
    assert safesave.lock_owner(Path(".~plan.xlsx")) == "WPS"
    assert safesave.lock_owner(Path("plan.xlsx")) is None
    assert safesave.lock_owner(Path(".~sheetplan-host-1-x.xlsx.tmp")) is None
