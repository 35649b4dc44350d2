"""Acceptance 4 of issue 6: 500 workbooks made by mutating the bytes and the XML of small
plans (seeded, reproducible) — none ends in a traceback, a hang, a process abort or a changed
input. They run in one child process (fuzzing.py) so an abort cannot take pytest down; if the
child dies, the file it was on is reported and the child restarts on the rest."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

from fuzzing import mutants

from workbooks import in_chinese, minimal_plan, write_workbook

SEED = 20261123
COUNT = 1000
TESTS = Path(__file__).parent


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_mutated_workbooks_never_end_in_a_traceback_hang_or_changed_input(tmp_path):
    bases = {}
    for name, sheets in (("en", minimal_plan()), ("zh", in_chinese(minimal_plan()))):
        bases[name] = write_workbook(tmp_path / f"base_{name}.xlsx", sheets).read_bytes()
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    made = mutants(bases, SEED, COUNT)
    assert made == mutants(bases, SEED, COUNT)  # reproducible
    manifest, before = [], {}
    for n, (ident, data) in enumerate(made):
        path = inputs / f"{ident}.xlsx"
        path.write_bytes(data)
        before[ident] = (sha(path), path.stat().st_mtime_ns)
        manifest.append({"id": ident, "path": str(path), "refresh": n % 10 == 0})
    (tmp_path / "manifest").write_text("\n".join(json.dumps(e) for e in manifest) + "\n")
    progress, results = tmp_path / "progress", tmp_path / "results"

    deaths = []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), *sys.path])}
    for _ in range(COUNT):
        child = subprocess.run(
            [sys.executable, str(TESTS / "fuzzing.py"), tmp_path / "manifest", progress,
             results, out_dir],
            capture_output=True, text=True, env=env, timeout=600,
        )  # fmt: skip
        if child.returncode == 0:
            break
        started = progress.read_text().split()
        finished = {json.loads(line)["id"] for line in results.read_text().splitlines()}
        culprit = next(i for i in reversed(started) if i not in finished)
        deaths.append((culprit, child.returncode, child.stderr[-500:]))
        with results.open("a") as out:
            out.write(json.dumps({"id": culprit, "outcome": "died", "detail": ""}) + "\n")

    outcomes = [json.loads(line) for line in results.read_text().splitlines()]
    assert len(outcomes) == COUNT
    tally = Counter(o["outcome"] for o in outcomes)
    xml_level = [o for o in outcomes if int(o["id"].split("-")[0]) % 2 == 0]
    read_or_data = sum(1 for o in xml_level if o["outcome"] == "ok" or "damaged" not in o["detail"])
    print(f"\nfuzz outcomes: {dict(tally)}; XML mutants read or refused past the zip layer: "
          f"{read_or_data}/{len(xml_level)}")  # fmt: skip

    assert deaths == []
    bugs = [(o["id"], o["detail"]) for o in outcomes if o["outcome"] in ("bug", "timeout")]
    assert bugs == []
    for o in outcomes:
        if o["outcome"] == "refused":
            assert "\n" not in o["detail"].strip()
            assert o["detail"].startswith(o["id"]), o["detail"]
    for ident, print_ in before.items():
        path = inputs / f"{ident}.xlsx"
        assert (sha(path), path.stat().st_mtime_ns) == print_, ident
    assert sorted(p.name for p in inputs.iterdir()) == sorted(f"{i}.xlsx" for i in before)
    assert read_or_data >= 0.2 * len(xml_level)


def nan_in(path: Path, part: str, cell: bytes, value: bytes) -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[part] = re.sub(rb'(<c r="' + cell + rb'"[^>]*>)<v>[^<]*</v>', rb"\1<v>" + value + b"</v>",
                         parts[part])  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_found_by_fuzzing_a_nan_budget_is_a_located_problem_not_a_crash(run_cli, tmp_path):
    """A script-written NaN reached the Dashboard's write_number as a TypeError."""
    plan = nan_in(write_workbook(tmp_path / "plan.xlsx", minimal_plan()),
                  "xl/worksheets/sheet5.xml", b"K2", b"NaN")  # fmt: skip
    result = run_cli("check", plan)
    assert result.exit_code == 1
    assert 'plan.xlsx › Tactics › row 2 › Budget: "nan" is not a number' in result.stdout
    assert run_cli("refresh", plan, "-o", tmp_path / "out.xlsx").exit_code == 0


def test_found_by_fuzzing_a_date_calamine_cannot_convert_is_one_line(run_cli, tmp_path):
    """A date cell holding -1e15 made calamine panic (a BaseException), killing the process."""
    plan = nan_in(write_workbook(tmp_path / "plan.xlsx", minimal_plan()),
                  "xl/worksheets/sheet7.xml", b"A2", b"-1e15")  # fmt: skip
    result = run_cli("check", plan)
    assert result.exit_code == 1
    assert result.stderr.startswith("sheetplan: plan.xlsx › Actuals: cannot read this sheet (")
    assert result.stderr.count("\n") == 1
