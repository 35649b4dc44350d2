"""Acceptance 2 of issue 6: kill a refresh at random moments; the plan always opens afterwards
and is either the old file or the complete new one, and the next run leaves nothing behind.

One calibration run times the phases from outside (when the temporary file appears, when the
plan is replaced, when the process ends). Each kill then waits for the event that starts its
phase in its own run and strikes at a seeded random moment within it: the read, the write and
verify, the replace and the exit, so that many land inside safesave.save()."""

from __future__ import annotations

import hashlib
import os
import random
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import python_calamine

from sheetplan import safesave

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "sample_en.xlsx"
ACTUALS_ROWS = 5000
KILLS_IN_READ, KILLS_IN_SAVE, KILLS_AFTER = 6, 14, 4
SEED = 20261123
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")


@pytest.fixture(scope="module")
def old_plan(tmp_path_factory) -> bytes:
    """The bundled sample with its Actuals log grown to a few thousand rows (refresh ~1 s)."""
    import openpyxl

    book = openpyxl.load_workbook(SAMPLE)
    sheet = book["Actuals"]
    logged = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    for n in range(ACTUALS_ROWS - len(logged)):
        row = list(logged[n % len(logged)])
        row[2] = (row[2] or 0) + 1 + n // len(logged)
        sheet.append(row)
    path = tmp_path_factory.mktemp("grown") / "plan.xlsx"
    book.save(path)
    return path.read_bytes()


def command(plan: Path) -> list[str]:
    return [sys.executable, "-m", "sheetplan", "refresh", str(plan)]


def environment() -> dict[str, str]:
    return {**os.environ, "SHEETPLAN_LANG": "en", "PYTHONDONTWRITEBYTECODE": "1"}


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.rglob(f"{safesave.TEMP_PREFIX}*"))


def cells(path: Path) -> dict[str, list[list[object]]]:
    """Every value of every sheet, with the refresh time (minutes) blanked out."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {
        name: [
            [TIMESTAMP.sub("<time>", v) if isinstance(v, str) else v for v in row]
            for row in book.get_sheet_by_name(name).to_python()
        ]
        for name in book.sheet_names
    }


def opens(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
    cells(path)


def state(path: Path) -> tuple[int, int, int]:
    status = path.stat()
    return status.st_ino, status.st_mtime_ns, status.st_size


def wait_until(child: subprocess.Popen, condition) -> None:
    """Poll every half millisecond until `condition()` holds or the child has ended."""
    while child.poll() is None and not condition():
        time.sleep(0.0005)


def saving(folder: Path, pid: int):
    """True once this process's temporary file has been there for two polls in a row (the
    probe in prepare() lives for microseconds; the one in save() for the whole write)."""
    seen: list[bool] = []

    def check() -> bool:
        seen.append(any(f"-{pid}-" in p.name for p in temporaries(folder)))
        return seen[-2:] == [True, True]

    return check


def calibrate(folder: Path, plan: Path) -> tuple[float, float, float]:
    """(save starts, plan replaced, process ends) in seconds after start, watched from outside."""
    original = state(plan)
    started = time.perf_counter()
    child = subprocess.Popen(command(plan), env=environment(), stdout=subprocess.DEVNULL)
    wait_until(child, saving(folder, child.pid))
    save = time.perf_counter() - started
    wait_until(child, lambda: state(plan) != original)
    replaced = time.perf_counter() - started
    assert child.wait(timeout=60) == 0
    ended = time.perf_counter() - started
    assert save < replaced < ended
    return save, replaced, ended


def kill_plan(save: float, replaced: float, ended: float) -> list[tuple[str, float]]:
    """(phase, seconds after the phase starts): the read from the start of the process, the
    save from the moment its temporary file appears, the end from the moment of the replace."""
    rng = random.Random(SEED)
    return (
        [("read", rng.uniform(0.05, save)) for _ in range(KILLS_IN_READ)]
        + [("save", rng.uniform(0, replaced - save)) for _ in range(KILLS_IN_SAVE)]
        + [("after", rng.uniform(0, ended - replaced)) for _ in range(KILLS_AFTER)]
    )


@pytest.mark.skipif(os.name == "nt", reason="kills and process numbers are POSIX")
def test_a_refresh_killed_at_any_moment_leaves_the_old_or_the_new_plan(old_plan, tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    plan = folder / "plan.xlsx"
    plan.write_bytes(old_plan)
    save, replaced, ended = calibrate(folder, plan)
    new_cells = cells(plan)
    (tmp_path / "old.xlsx").write_bytes(old_plan)
    assert new_cells != cells(tmp_path / "old.xlsx")
    old_digest = hashlib.sha256(old_plan).hexdigest()
    outcomes = {"old": 0, "new": 0, "temporary left": 0}
    print(f"save starts {save:.3f} s, replaced {replaced:.3f} s, ends {ended:.3f} s")
    for phase, delay in kill_plan(save, replaced, ended):
        plan.write_bytes(old_plan)  # every kill starts from the same old plan
        original = state(plan)
        child = subprocess.Popen(
            command(plan), env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        if phase == "save":
            wait_until(child, saving(folder, child.pid))
        elif phase == "after":
            wait_until(child, lambda original=original: state(plan) != original)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        own = [p for p in temporaries(folder) if f"-{child.pid}-" in p.name]
        stray = [p for p in temporaries(folder) if p not in own]
        outcomes["temporary left"] += bool(own)

        opens(plan)
        is_new = hashlib.sha256(plan.read_bytes()).hexdigest() != old_digest
        if is_new:
            assert cells(plan) == new_cells, f"killed in {phase} at {delay:.3f} s"
        outcomes["new" if is_new else "old"] += 1
        assert is_new or phase != "after"
        if own or is_new:  # this run got past prepare(): earlier leftovers are gone
            assert stray == [], f"an earlier run's temporary survived this one: {stray}"
        for backup in (folder / "sheetplan backups").glob("*.xlsx"):
            assert backup.read_bytes() == old_plan  # a backup is always a whole old plan

    assert sum(outcomes.values()) - outcomes["temporary left"] >= 20
    assert outcomes["temporary left"] >= 5, outcomes  # kills that landed inside save()
    assert outcomes["old"] >= 5 and outcomes["new"] >= KILLS_AFTER, outcomes
    print(outcomes)

    done = subprocess.run(command(plan), env=environment(), capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert temporaries(folder) == []
    opens(plan)
