"""Round trip: what the user put in comes back unchanged — extra columns and sheets, notes,
text that looks like a formula — and a second refresh gives the same workbook values."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from refreshed import AS_OF, OPENPYXL_WARNINGS, build, header_row, run_refresh

from sheetplan.writer.carry import Carried
from sheetplan.writer.inputs import write_rows
from sheetplan.writer.sheetkit import RefreshBook

from workbooks import minimal_plan

pytestmark = [pytest.mark.filterwarnings(w) for w in OPENPYXL_WARNINGS]

TRICKY = ["=not a formula", "+1", "-x", "@me", "\t=1+1", '=HYPERLINK("http://x")', "http://e.x"]


def plan_with_extras() -> tuple[dict, dict]:
    sheets = minimal_plan()
    goals = sheets["Goals"]
    goals[0] += ["Notes", "My tag", "Budget line"]
    goals[1] += [TRICKY[0], "alpha", 12.5]
    goals[2] += [TRICKY[1], True, date(2026, 9, 1)]
    goals.insert(0, ["Q3 goals — draft"])
    sheets["Tactics"][0].append("Notes")
    for row, text in zip(sheets["Tactics"][1:], TRICKY[2:4], strict=True):
        row.append(text)
    sheets["Actuals"][0].append("Notes")
    sheets["Actuals"][1].append(TRICKY[4])
    sheets["Actuals"][2].append(TRICKY[5])
    sheets["Ideas"] = [
        ["Idea", "When", "Votes", "Done"],
        ["Live Q&A", date(2026, 9, 10), 3, False],
        [TRICKY[6], None, 2.5, True],
        ["用中文写的想法", date(2026, 10, 1), 7, False],
    ]
    notes = {
        "Goals": [(2, 3, "Check this with Ann", "Bo"), (1, 9, "Why 60?", "Ann")],
        "Ideas": [(1, 0, "多行\n备注", "王")],
        "Actuals": [(2, 2, "Estimate", "Bo")],
    }
    return sheets, notes


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    folder = tmp_path_factory.mktemp("roundtrip")
    sheets, notes = plan_with_extras()
    source = build(folder / "plan.xlsx", sheets, notes)
    first = run_refresh(source, folder / "first.xlsx")
    second = run_refresh(first, folder / "second.xlsx")
    return sheets, notes, first, second


def test_extra_columns_and_title_row_come_back_in_place(twice):
    sheets, _, first, _ = twice
    ws = openpyxl.load_workbook(first)["Goals"]
    assert ws["A1"].value == "Q3 goals — draft"
    assert header_row(ws) == 2
    for r, row in enumerate(sheets["Goals"], start=1):
        for c, value in enumerate(row, start=1):
            found = ws.cell(r, c).value
            if isinstance(value, date):
                assert found == datetime.combine(value, datetime.min.time())
                assert ws.cell(r, c).is_date
            else:
                assert found == value, (r, c)


def test_text_that_looks_like_a_formula_stays_text(twice):
    _, _, first, _ = twice
    book = openpyxl.load_workbook(first)
    cells = [book["Goals"]["I3"], book["Goals"]["I4"], book["Tactics"]["M2"]]
    cells += [book["Tactics"]["M3"], book["Actuals"]["E2"], book["Actuals"]["E3"]]
    assert [c.value for c in cells] == TRICKY[:6]
    for cell in cells:
        assert cell.data_type == "s"
    assert book["Ideas"]["A3"].value == TRICKY[6]
    with zipfile.ZipFile(first) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            assert b"/hyperlink" not in data, name
            if name.startswith("xl/worksheets/sheet"):
                assert b"not a formula</f>" not in data and b"HYPERLINK" not in data


def test_extra_sheets_keep_values_types_and_place(twice):
    sheets, _, first, _ = twice
    book = openpyxl.load_workbook(first)
    names = book.sheetnames
    assert names.index("Ideas") == names.index("Actuals") + 1
    ws = book["Ideas"]
    for r, row in enumerate(sheets["Ideas"], start=1):
        for c, value in enumerate(row, start=1):
            found = ws.cell(r, c).value
            if isinstance(value, date):
                assert found == datetime.combine(value, datetime.min.time())
            else:
                assert found == value and type(found) is type(value), (r, c, found)


def test_notes_come_back_unchanged(twice):
    _, notes, first, second = twice
    for path in (first, second):
        book = openpyxl.load_workbook(path)
        for sheet, items in notes.items():
            for row, col, text, author in items:
                comment = book[sheet].cell(row + 1, col + 1).comment
                assert comment is not None, (path.name, sheet, row, col)
                assert comment.text == text
                assert comment.author == author


def test_second_refresh_gives_the_same_values(twice):
    _, _, first, second = twice
    one = openpyxl.load_workbook(first, data_only=True)
    two = openpyxl.load_workbook(second, data_only=True)
    assert one.sheetnames == two.sheetnames
    for name in one.sheetnames:
        if name == "Dashboard":
            continue
        a = list(one[name].iter_rows(values_only=True))
        b = list(two[name].iter_rows(values_only=True))
        assert a == b, name
    headers = [c.value for c in two["Tactics"][1]]
    assert len(headers) == len(set(headers))


def test_trend_is_replaced_on_the_same_date_and_appended_on_a_new_one(twice, tmp_path):
    _, _, first, second = twice
    rows = lambda path: list(  # noqa: E731
        openpyxl.load_workbook(path, data_only=True)["Trend"].iter_rows(min_row=2, values_only=True)
    )
    once = rows(first)
    assert rows(second) == once
    later = run_refresh(second, tmp_path / "later.xlsx", as_of=date(2026, 8, 22))
    both = rows(later)
    assert len(both) == 2 * len(once)
    assert both[: len(once)] == once
    assert {r[0].date() for r in both[len(once) :]} == {date(2026, 8, 22)}
    assert date(2026, 8, 15) == AS_OF


def test_a_cell_excel_cannot_hold_is_reported_not_dropped(tmp_path):
    book = RefreshBook(str(tmp_path / "w.xlsx"), {}, Carried())
    ws = book.add_worksheet("Log")
    from sheetplan.writer.styles import FormatCache

    formats = FormatCache(book)
    from sheetplan.writer.inputs import _ColumnStyles

    columns = [_ColumnStyles(formats, None), _ColumnStyles(formats, None)]
    write_rows(ws, [["Note", "n"], ["x" * 40_000, 1.0]], 1, columns, book)
    book.close()
    assert book.losses.items == [("Log", 1, 0, -2)]


def test_refresh_of_a_chinese_sample_keeps_every_input_cell(tmp_path):
    source = Path(__file__).resolve().parent.parent / "samples" / "sample_zh.xlsx"
    if not source.exists():
        pytest.skip("samples/sample_zh.xlsx is not there yet")
    out = run_refresh(source, tmp_path / "o.xlsx", as_of=date(2026, 11, 15))
    before = openpyxl.load_workbook(source, data_only=True)
    after = openpyxl.load_workbook(out, data_only=True)
    for name in before.sheetnames:
        if name in ("仪表板", "资源分配", "目标分解", "趋势", "数据检查", "使用指南"):
            continue
        for row in before[name].iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert after[name][cell.coordinate].value == cell.value, (name, cell)
