"""The workbook as a team lead prints it: the refreshed samples (en, zh) and a 40-tactic plan
through LibreOffice to PDF, read back page by page with poppler (tests/pdfpages.py): text at
8 pt or more on every page, one paper size, the expected number of pages, and the two logs
(Actuals, Trend) left out. Slow (one LibreOffice run for three files)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pdfpages import pages, small_runs
from refreshed import STAMP

from sheetplan.api import refresh

from conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent

EXPECTED_PAGES = {"en": 26, "zh": 31, "plan40": 125}
"""Measured when the print set-up was made (issue 14); the samples printed 37 and 44 before,
and one page more since the Sources sheet (issue 13).
plan40 is not made from the template, so its own 4,000-row log has no print area of its own
and prints (82 of its pages): a refresh does not change the user's print set-up (issue 10)."""


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftohtml") is None:
        skip_or_fail("LibreOffice (soffice) and poppler (pdftohtml) are needed to print")
    folder = tmp_path_factory.mktemp("print")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from run import write_plan
    finally:
        sys.path.pop(0)
    plan40 = folder / "plan40_source.xlsx"
    write_plan(plan40, 4000)  # 40 tactics, 100 KPIs, 4,000 log rows
    books = {}
    for name, source in (
        ("en", ROOT / "samples" / "sample_en.xlsx"),
        ("zh", ROOT / "samples" / "sample_zh.xlsx"),
        ("plan40", plan40),
    ):
        books[name] = folder / f"{name}.xlsx"
        refresh(source, output=books[name], refreshed_at=STAMP)  # each plan's own as-of date
    home = folder / "home"
    home.mkdir()
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(home / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "pdf"),
            *map(str, books.values()),
        ],
        capture_output=True,
        text=True,
        timeout=400,
        env={**os.environ, "HOME": str(home)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {name: folder / "pdf" / f"{book.stem}.pdf" for name, book in books.items()}


@pytest.mark.parametrize("name", list(EXPECTED_PAGES))
def test_every_page_is_readable_on_one_paper_size(printed, name):
    pdf = printed[name]
    found = pages(pdf)
    assert small_runs(pdf) == [], "text printed below 8 pt"
    sizes = [tuple(sorted((round(p.width_pt), round(p.height_pt)))) for p in found]
    paper = tuple(sorted((842, 595) if name == "zh" else (792, 612)))  # A4 CNY, Letter USD
    if name == "plan40":
        # not made from the template: its own sheets have no print set-up, and a refresh
        # edits only sheetplan's sheets (issue 10), so those print on the program's default
        # paper; sheetplan's own (the Dashboard first) are on the plan's paper
        assert sizes[0] == paper and set(sizes) <= {paper, (595, 842)}, sizes
    else:
        assert set(sizes) == {paper}, set(sizes)
    assert len(found) == EXPECTED_PAGES[name]


@pytest.mark.parametrize("name", list(EXPECTED_PAGES))
def test_the_logs_are_left_out_and_the_dashboard_comes_first(printed, name):
    found = pages(printed[name])
    assert all(p.text.strip() for p in found), "a blank page"
    footers = {line for p in found for line in p.text.split("\n")}
    assert not {"Trend", "趋势"} & footers  # the Trend sheet prints no page (and no footer)
    assert "Goals on track" in found[0].text or "正常的目标" in found[0].text
