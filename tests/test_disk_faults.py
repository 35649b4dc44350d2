"""Acceptance 3 of issue 6: a full disk or a read-only folder never costs the user the plan.

Real faults on a small tmpfs where the machine lets us mount one, and the same faults injected
at the write call so the paths are tested everywhere."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from sheetplan import safesave

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "sample_en.xlsx"
KIB = 1024


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refreshed_size(tmp_path: Path) -> int:
    out = tmp_path / "measure" / "out.xlsx"
    out.parent.mkdir()
    from sheetplan.api import refresh

    refresh(SAMPLE, output=out)
    return out.stat().st_size


@pytest.fixture
def small_disk(tmp_path):
    """mount(size_in_bytes) → a fresh tmpfs of that size (unmounted afterwards)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("tmpfs is Linux; the injected faults below cover other systems")
    mounted = []

    def mount(size: int) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        command = ["mount", "-t", "tmpfs", "-o", f"size={size // KIB}k,mode=0755", "tmpfs"]
        done = subprocess.run([*command, str(point)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(
                f"cannot mount a tmpfs here ({done.stderr.strip()}); the injected faults below cover it"
            )
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        if subprocess.run(["umount", str(point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(point)], capture_output=True)


def remount_read_only(point: Path) -> None:
    done = subprocess.run(["mount", "-o", "remount,ro", str(point)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(
            f"cannot remount read-only here ({done.stderr.strip()}); the injected faults cover it"
        )


def no_work(monkeypatch):
    """Make reading the workbook fail loudly, to prove a refusal came before any work."""

    def read(*args, **kwargs):
        raise AssertionError("the workbook was read")

    monkeypatch.setattr("sheetplan.api.load_plan", read)


def test_disk_full_on_a_small_disk_leaves_the_original(tmp_path, small_disk):
    needed = refreshed_size(tmp_path)
    room = (SAMPLE.stat().st_size // (4 * KIB) + 2) * 4 * KIB  # the plan, and not its refresh
    assert room - SAMPLE.stat().st_size < needed
    disk = small_disk(room)
    plan = disk / "plan.xlsx"
    shutil.copyfile(SAMPLE, plan)
    before = digest(plan)
    result = subprocess.run(  # a real process: what the user sees on stderr, to the byte
        [sys.executable, "-m", "sheetplan", "refresh", str(plan)],
        capture_output=True,
        text=True,
        env={**os.environ, "SHEETPLAN_LANG": "en"},
        timeout=60,
    )
    assert result.returncode == 3, result.stderr
    assert result.stderr == (
        f"sheetplan: plan.xlsx: not enough disk space in {disk} — free some space and run "
        "again; the original is unchanged\n"
    )
    assert digest(plan) == before
    assert sorted(p.name for p in disk.iterdir()) == ["plan.xlsx"]


def test_disk_full_while_copying_the_backup_leaves_the_original(
    run_cli, tmp_path, small_disk, monkeypatch
):
    """Where hard links are impossible the backup is a copy, which needs room too."""
    needed = refreshed_size(tmp_path)
    plan_size = SAMPLE.stat().st_size
    room = (plan_size // (4 * KIB) + needed // (4 * KIB) + 4) * 4 * KIB  # not a 3rd copy
    disk = small_disk(room)
    plan = disk / "plan.xlsx"
    shutil.copyfile(SAMPLE, plan)
    before = digest(plan)

    def no_links(*args, **kwargs):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    result = run_cli("refresh", plan, catch=False)
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(
        'sheetplan: plan.xlsx: cannot keep a backup in "sheetplan backups" (No space left on '
        "device) — the original is unchanged"
    )
    assert digest(plan) == before
    assert sorted(p.name for p in disk.rglob("*")) == ["plan.xlsx"]


def test_a_read_only_disk_is_refused_before_any_work(run_cli, small_disk, monkeypatch):
    disk = small_disk(512 * KIB)
    plan = disk / "plan.xlsx"
    shutil.copyfile(SAMPLE, plan)
    before = digest(plan)
    remount_read_only(disk)
    no_work(monkeypatch)
    started = time.perf_counter()
    result = run_cli("refresh", plan, catch=False)
    assert time.perf_counter() - started < 1
    assert result.exit_code == 3, result.output
    assert result.stderr == (
        f"sheetplan: plan.xlsx: cannot write in the folder {disk} (read-only) — copy the "
        "workbook to a folder you can change, or write elsewhere with -o\n"
    )
    assert digest(plan) == before
    assert sorted(p.name for p in disk.iterdir()) == ["plan.xlsx"]


def test_a_read_only_output_folder_is_refused_before_any_work(
    run_cli, tmp_path, small_disk, monkeypatch
):
    disk = small_disk(512 * KIB)
    remount_read_only(disk)
    no_work(monkeypatch)
    plan = tmp_path / "plan.xlsx"
    shutil.copyfile(SAMPLE, plan)
    result = run_cli("refresh", plan, "-o", disk / "out.xlsx", catch=False)
    assert result.exit_code == 3
    assert "out.xlsx: cannot write in the folder" in result.stderr
    assert digest(plan) == digest(SAMPLE)


def test_disk_full_injected_at_the_write_call(run_cli, tmp_path, monkeypatch):
    """The package writer's copy of a part fails half-way (the disk fills up mid-zip)."""
    from sheetplan.package import zipraw

    real = zipraw.PackageWriter.copy_raw

    def full_disk(self, source, info):
        if len(self.names) > 3:
            self.zip.fp.write(bytes(4000))
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, source, info)

    monkeypatch.setattr(zipraw.PackageWriter, "copy_raw", full_disk)
    plan = tmp_path / "plan.xlsx"
    shutil.copyfile(SAMPLE, plan)
    result = run_cli("refresh", plan, catch=False)
    assert result.exit_code == 3
    assert result.stderr == (
        f"sheetplan: plan.xlsx: not enough disk space in {tmp_path} — free some space and run "
        "again; the original is unchanged\n"
    )
    assert digest(plan) == digest(SAMPLE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_read_only_injected_at_the_folder_probe(run_cli, tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    no_work(monkeypatch)
    plan = tmp_path / "plan.xlsx"
    shutil.copyfile(SAMPLE, plan)
    result = run_cli("refresh", plan, catch=False)
    assert result.exit_code == 3
    assert result.stderr == (
        f"sheetplan: plan.xlsx: cannot write in the folder {tmp_path} (read-only) — copy the "
        "workbook to a folder you can change, or write elsewhere with -o\n"
    )
    assert digest(plan) == digest(SAMPLE)


def test_replace_refused_by_the_system_leaves_the_original(tmp_path, monkeypatch):
    """The last step fails (Windows refuses to replace a file another program holds)."""
    from workbooks import write_workbook

    target = tmp_path / "plan.xlsx"
    write_workbook(target, {"Sheet1": [["v"], [0]]})
    before = digest(target)

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Access is denied")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(safesave.FileError, match="not allowed to write"):
        safesave.save(target, lambda t: write_workbook(t, {"Sheet1": [["v"], [1]]}), lang="en")
    assert digest(target) == before
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["plan.xlsx"]


def test_a_network_drive_that_reports_a_full_disk_only_at_fsync(tmp_path, monkeypatch):
    from workbooks import write_workbook

    target = tmp_path / "plan.xlsx"
    write_workbook(target, {"Sheet1": [["v"], [0]]})
    before = digest(target)

    def full(handle):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(safesave.FileError, match="not enough disk space"):
        safesave.save(target, lambda t: write_workbook(t, {"Sheet1": [["v"], [1]]}), lang="en")
    assert digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_a_file_system_that_cannot_flush_still_gets_the_new_plan(tmp_path, monkeypatch):
    from workbooks import write_workbook

    target = tmp_path / "plan.xlsx"
    write_workbook(target, {"Sheet1": [["v"], [0]]})

    def unsupported(handle):
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(os, "fsync", unsupported)
    saved = safesave.save(target, lambda t: write_workbook(t, {"Sheet1": [["v"], [1]]}), lang="en")
    assert saved.path == target and saved.backup is not None
    assert digest(target) != digest(saved.backup)
