"""Acceptance 1 of issue 6: every row of the bad-input checklist, as a file made by
hostile_corpus.py, run through the real command in a child process with a memory limit.

Each file must end in the exact exit code and ONE line on stderr naming the file and the
problem, within 5 s and 500 MB, with the input byte-identical and nothing left beside it."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import hostile_corpus as corpus
import pytest

MEMORY_CAP = 1536 * 1024 * 1024
"""Address-space limit of the child: a leak dies instead of swapping the machine."""
SECONDS = 5
PEAK_MB = 500
CHECKED = list(corpus.CORPUS)


_LAUNCHER = """
import os, resource, subprocess, sys
cap, report = int(sys.argv[1]), sys.argv[2]
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
child = subprocess.Popen(sys.argv[3:], preexec_fn=limit)
_, status, usage = os.wait4(child.pid, 0)
with open(report, "w") as out:
    out.write(f"{usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""
"""A small process starts the child: Linux keeps a process's peak memory across fork and
exec, so a child forked straight from a big test process would report the test's memory."""


def run(*args: str, lang: str = "en") -> tuple[int, str, str, float, float]:
    """(exit code, stdout, stderr, seconds, peak MB) of `sheetplan ARGS` in a fresh child."""
    import tempfile

    env = {**os.environ, "SHEETPLAN_LANG": lang, "NO_COLOR": "1"}
    with tempfile.TemporaryDirectory() as folder:
        report = os.path.join(folder, "peak")
        started = time.perf_counter()
        child = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _LAUNCHER,
                str(MEMORY_CAP),
                report,
                sys.executable,
                "-m",
                "sheetplan",
                *args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        try:
            out, err = (b.decode() for b in child.communicate(timeout=10 * SECONDS))
        except subprocess.TimeoutExpired:
            child.kill()
            out, err = (b.decode() for b in child.communicate())
        elapsed = time.perf_counter() - started
        code, kilobytes = child.returncode, 0
        try:
            with open(report) as peak:
                kilobytes, code = (int(v) for v in peak.read().split())
        except (OSError, ValueError):
            pass
    return code, out, err, elapsed, kilobytes / 1024


def fingerprint(path: Path) -> tuple[str, int] | None:
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*"))


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Build each hostile file once; several tests look at the same file."""
    files = {}
    for name, (file_name, build, _, _) in corpus.CORPUS.items():
        folder = tmp_path_factory.mktemp(name)
        files[name] = build(folder / file_name)
    return files


@pytest.mark.parametrize("name", CHECKED)
def test_check_gives_one_line_and_leaves_the_file_alone(made, name):
    _, _, expected_code, words = corpus.CORPUS[name]
    path = made[name]
    before, files = fingerprint(path), listing(path.parent)
    code, out, err, seconds, peak = run("check", str(path))
    assert code == expected_code, err
    assert "Traceback" not in err
    if expected_code:
        assert out == ""
        assert err.count("\n") == 1 and err.startswith(f"sheetplan: {path.name}")
        assert words in err
    else:
        assert err.strip() == f"{path.name}: errors 0 · warnings 0 · notes 0"
    assert seconds <= SECONDS
    assert peak <= PEAK_MB
    assert fingerprint(path) == before
    assert listing(path.parent) == files


@pytest.mark.parametrize(
    "name",
    ["whitespace_bomb", "cells_bomb", "billion_laughs_sheet", "xxe_workbook", "far_corners",
     "corrupt_crc", "encrypted", "csv", "beyond_limits", "illegal_char"],
)  # fmt: skip
def test_refresh_in_place_refuses_the_same_way_and_writes_nothing(made, name):
    _, _, _, words = corpus.CORPUS[name]
    path = made[name]
    before, files = fingerprint(path), listing(path.parent)
    code, out, err, seconds, peak = run("refresh", str(path))
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and words in err
    assert seconds <= SECONDS and peak <= PEAK_MB
    assert fingerprint(path) == before
    assert listing(path.parent) == files  # no temporary file, no backup folder


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("encrypted", "plan.xlsx：工作簿设有密码"),
        ("whitespace_bomb", "plan.xlsx：拒绝读取：文件解压后达 1,100 MB（上限 500 MB）"),
        ("lock_excel", "~$plan.xlsx：这是 Excel 为 plan.xlsx 创建的锁文件"),
    ],
)
def test_the_line_is_in_chinese_for_a_chinese_user(made, name, words):
    code, _, err, _, _ = run("check", str(made[name]), lang="zh")
    assert code == 1
    assert err.count("\n") == 1 and words in err


def test_an_external_dtd_is_never_fetched(tmp_path):
    """A parameter entity pointing at a listening port: refused before any parser sees it,
    and the port never gets a connection."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    path = corpus.external_dtd(listener.getsockname()[1])(tmp_path / "plan.xlsx")
    code, _, err, _, _ = run("check", str(path))
    assert code == 1
    assert "unsafe XML (entity declarations) in xl/worksheets/sheet7.xml" in err
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()


def test_strict_open_xml_is_read_not_taken_for_an_empty_workbook(tmp_path):
    """openpyxl reads a Strict workbook as 0 sheets; sheetplan must see the plan's data."""
    path = corpus.strict(tmp_path / "plan.xlsx")
    code, out, err, _, _ = run("summary", str(path), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["plan"]["name"] == "Q3 social"  # Settings read
    assert (data["goals"]["total"], data["tactics"]["total"]) == (2, 2)  # minimal_plan's rows
    assert data["budget"]["total"] == 10000


def test_a_dimension_that_lies_costs_nothing(made):
    """`<dimension ref="A1:XFD1048576">` over a handful of cells reads like the plain file."""
    code, _, _, seconds, peak = run("check", str(made["dimension_claim_xfd"]))
    assert code == 0
    assert seconds <= SECONDS and peak <= 150


def test_openpyxl_parses_through_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
