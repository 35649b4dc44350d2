"""The workbook as a team lead prints it: the refreshed samples (en, zh) and a 40-tactic plan
through LibreOffice to PDF, read back page by page with poppler (tests/pdfpages.py): text at
8 pt or more on every page, one paper size, the expected number of pages, and the two logs
(Actuals, Trend) left out. Slow (one LibreOffice run for three files)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from pdfpages import pages, small_runs
from refreshed import STAMP

from sheetplan.api import refresh

from conftest import skip_or_fail, soffice_convert

ROOT = Path(__file__).resolve().parent.parent

EXPECTED_PAGES = {"en": 26, "zh": 31, "plan40": 126}
"""Measured when the print set-up was made (issue 14); the samples printed 37 and 44 before,
and one page more since the Sources sheet (issue 13) — plan40 too, whose one-row Sources sheet
the benchmark plan now has for the import cases.
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
    result = soffice_convert(books.values(), folder / "pdf", "pdf", timeout=400)
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


@pytest.mark.parametrize("name", ["en", "zh"])
def test_computed_numbers_keep_clear_of_the_next_columns_text(printed, name):
    """`$11,803Done` no more: wherever a computed number has text in the cell to its right, the
    printed number ends at least 4 pt before that text begins (a space inside one cell is about
    2.5 pt; the text's indent gives 7 pt or more)."""
    import openpyxl
    from pdfpages import MONEY_OR_SHARE, words
    from refreshed import header_row

    from sheetplan import labels

    pdf = printed[name]
    book = openpyxl.load_workbook(pdf.parent.parent / f"{name}.xlsx", read_only=True)
    lang = "zh" if name == "zh" else "en"
    wanted = []  # (record ID, first word of the text right of a computed number)
    for sheet in ("goals", "kpis", "tactics"):
        ws = book[labels.text(f"sheet.{sheet}", lang)]
        top = header_row(ws)
        rows = list(ws.iter_rows(min_row=top, values_only=True))
        computed = {labels.text(k, lang) for k in labels.keys_with_prefix(f"computed.{sheet}.")}
        columns = [c for c, header in enumerate(rows[0]) if header in computed]
        for row in rows[1:]:
            for c in columns:
                value, right = row[c], row[c + 1] if c + 1 < len(row) else None
                if isinstance(value, (int, float)) and isinstance(right, str) and right.strip():
                    wanted.append((str(row[0]), right.split()[0]))
    assert len(wanted) >= 15, wanted  # the check has something to look at
    pages: dict[int, list] = {}
    for word in words(pdf):
        pages.setdefault(word.page, []).append(word)
    found, crowded = set(), []
    for on_page in pages.values():
        for text in on_page:
            row = [w for w in on_page if abs(w.y0 + w.y1 - text.y0 - text.y1) < 6]
            pair = (min(row, key=lambda w: w.x0).text, text.text)
            left = [w for w in row if w.x1 <= text.x0 + 1]
            if pair not in wanted or not left:
                continue
            number = max(left, key=lambda w: w.x1)
            if MONEY_OR_SHARE.match(number.text):
                found.add(pair)
                if text.x0 - number.x1 < 4.0:
                    crowded.append((text.page, *pair, number.text, round(text.x0 - number.x1, 1)))
    assert crowded == []
    # most pairs were seen on paper (a number can be cut to "###" or a line split)
    assert len(found) >= 0.8 * len(set(wanted)), sorted(set(wanted) - found)
