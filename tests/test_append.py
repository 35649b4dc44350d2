"""Issue 13: rows appended to the Actuals log in place (package.append), values updated in
place, and the verifier that proves nothing else changed."""

from __future__ import annotations

import csv
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from test_carry_safety import INJECTIONS, RISKY

from sheetplan.package import verify
from sheetplan.package.append import AppendRefused, LogChange, LogRow, append_log

from conftest import soffice_convert

COLUMNS = {"date": 0, "kpi_id": 1, "actual_value": 2, "channel": 3, "source": 4, "notes": 5}
HEADER = ["日期", "KPI ID", "实际值", "渠道", "来源", "备注"]
LOG = [
    (date(2026, 7, 1), "K1", 120, "微博", "export", None),
    (date(2026, 7, 2), "K1", 80.5, "微信", "export", "批量导入"),
    (date(2026, 7, 3), "K2", 7, "X", "manual", None),
]
NEW = (
    LogRow(date(2026, 8, 1), "K1", 1234, "小红书", "xiaohongshu:post/991", None),
    LogRow(date(2026, 8, 2), "K2", 9.34, "X", "x.csv", "first import"),
    LogRow(date(2026, 8, 3), "K3", 0.25, None, None, None),
)


# -- workbooks ----------------------------------------------------------------------------------


def openpyxl_book(path: Path, *, table: bool = True, total: bool = False) -> Path:
    """数据记录 with shared strings, a yyyy-mm-dd date format, the user's formula column G
    beside the log, a table over the log, a comment, and a chart on another sheet."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.comments import Comment
    from openpyxl.worksheet.table import Table

    book = openpyxl.Workbook()
    dash = book.active
    dash.title = "Dash"
    dash.append(["a", 1])
    dash.append(["b", 2])
    chart = BarChart()
    chart.add_data(Reference(dash, min_col=2, min_row=1, max_row=2))
    dash.add_chart(chart, "D2")
    log = book.create_sheet("数据记录")
    log.append([*HEADER, "double"])
    for number, row in enumerate(LOG, start=2):
        log.append(list(row))
        log.cell(number, 1).number_format = "yyyy-mm-dd"
        log.cell(number, 3).number_format = "#,##0.00"
        log.cell(number, 7, f"=C{number}*2")
    log["B2"].comment = Comment("checked", "Ann")
    if total:
        log.append(["Total", None, "=SUM(C2:C4)"])
    if table:
        log.add_table(Table(displayName="Log", ref=f"A1:F{log.max_row}"))
    book.save(path)
    return path


def xlsxwriter_book(
    path: Path, *, date_1904: bool = False, filtered: bool = True, inline: bool = True
) -> Path:
    """Actuals written by XlsxWriter, in constant-memory mode with inline strings or with a
    shared string table; a sheet filter over the log, a comment, a chart elsewhere;
    optionally the 1904 date system."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": inline, "date_1904": date_1904})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    log = book.add_worksheet("Actuals")
    log.write_row(0, 0, HEADER)
    for r, row in enumerate(LOG, start=1):
        log.write_datetime(r, 0, datetime.combine(row[0], datetime.min.time()), day)
        for c, value in enumerate(row[1:], start=1):
            if value is not None:
                log.write(r, c, value)
    if filtered:
        log.autofilter(0, 0, len(LOG), 5)
    log.write_comment(1, 1, "from the export")
    other = book.add_worksheet("Chart")
    other.write_column(0, 0, [1, 2, 3])
    chart = book.add_chart({"type": "line"})
    chart.add_series({"values": "=Chart!$A$1:$A$3"})
    other.insert_chart("C2", chart)
    book.close()
    return path


def without_refs(source: Path, target: Path, part: str) -> Path:
    """The workbook with every row and cell reference of `part` left implied."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                data = re.sub(rb'(<(?:row|c)\b[^>]*?) r="[A-Z]*\d+"', rb"\1", data)
            z.writestr(info, data)
    return target


def sheet_part(path: Path, name: str) -> str:
    from sheetplan.reader import sheet_parts

    with zipfile.ZipFile(path) as archive:
        return sheet_parts(archive)[name]


def change(sheet: str, last_row: int = 4, rows=NEW, updates=(), columns=COLUMNS) -> LogChange:
    return LogChange(sheet, 1, dict(columns), last_row, tuple(rows), tuple(updates))


def appended(source: Path, target: Path, log_change: LogChange):
    edit = append_log(source, target, log_change)
    verify.appended_only(source, target, edit)
    return edit


def grid(path: Path, sheet: str) -> list[list]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def entries(path: Path) -> dict[str, tuple[int, int]]:
    with zipfile.ZipFile(path) as archive:
        return {i.filename: (i.CRC, i.file_size) for i in archive.infolist()}


def part_text(path: Path, part: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part)


# -- appending ----------------------------------------------------------------------------------


def test_rows_read_back_with_openpyxl_and_calamine(tmp_path):
    source = openpyxl_book(tmp_path / "plan.xlsx")
    out = tmp_path / "out.xlsx"
    appended(source, out, change("数据记录"))

    expected = [
        [date(2026, 8, 1), "K1", 1234.0, "小红书", "xiaohongshu:post/991", ""],
        [date(2026, 8, 2), "K2", 9.34, "X", "x.csv", "first import"],
        [date(2026, 8, 3), "K3", 0.25, "", "", ""],
    ]
    rows = grid(out, "数据记录")
    assert [r[:6] for r in rows[4:7]] == expected
    assert len(rows) == 7
    sheet = openpyxl.load_workbook(out)["数据记录"]
    assert sheet["A5"].value == datetime(2026, 8, 1) and sheet["A5"].is_date
    assert sheet["A5"].number_format == "yyyy-mm-dd"  # the log's own date format
    assert sheet["C6"].value == 9.34 and sheet["C6"].number_format == "#,##0.00"
    assert sheet["D5"].value == "小红书" and sheet["D7"].value is None
    # the user's formula column and the original rows are as they were
    assert [sheet.cell(r, 7).value for r in (2, 3, 4, 5)] == ["=C2*2", "=C3*2", "=C4*2", None]
    assert sheet["B2"].comment.text == "checked"
    assert [c.value for c in sheet[4]][:3] == [datetime(2026, 7, 3), "K2", 7]


def test_every_other_part_is_byte_identical_and_the_table_grows(tmp_path):
    source = openpyxl_book(tmp_path / "plan.xlsx")
    out = tmp_path / "out.xlsx"
    edit = appended(source, out, change("数据记录"))

    before, after = entries(source), entries(out)
    assert list(before) == list(after)  # same parts, same order
    changed = {name for name in before if before[name] != after[name]}
    table = next(n for n in before if n.startswith("xl/tables/"))
    log = sheet_part(source, "数据记录")
    assert changed == {log, table}  # openpyxl's workbook already recalculates on load
    assert changed <= edit.rewritten
    text = part_text(out, table)
    assert b'ref="A1:F7"' in text and b'<autoFilter ref="A1:F7"' in text
    assert b'fullCalcOnLoad="1"' in part_text(out, "xl/workbook.xml")
    # styles did not change: the date and number formats of the last row were reused
    assert before["xl/styles.xml"] == after["xl/styles.xml"]


def test_xlsxwriter_inline_strings_filter_and_1904_dates(tmp_path):
    source = xlsxwriter_book(tmp_path / "plan.xlsx", date_1904=True)
    out = tmp_path / "out.xlsx"
    appended(source, out, change("Actuals"))

    log = part_text(out, sheet_part(source, "Actuals"))
    # 2026-08-01 is day 46,235 in the 1900 system; the 1904 system starts 1,462 days later
    assert b'<c r="A5" s="1"><v>44773</v></c>' in log
    assert b'<autoFilter ref="A1:F7"/>' in log
    assert b'<dimension ref="A1:F7"/>' in log
    names = part_text(out, "xl/workbook.xml")
    assert b"Actuals!$A$1:$F$7</definedName>" in names
    book = openpyxl.load_workbook(out)
    assert book.epoch.year == 1904
    sheet = book["Actuals"]
    assert sheet["A5"].value == datetime(2026, 8, 1)
    assert sheet["A5"].number_format == "dd/mm/yyyy"
    assert sheet["A7"].value == datetime(2026, 8, 3)
    assert grid(out, "Actuals")[5][:3] == [date(2026, 8, 2), "K2", 9.34]
    assert sheet.auto_filter.ref == "A1:F7"


def test_cells_without_references(tmp_path):
    made = xlsxwriter_book(tmp_path / "made.xlsx", filtered=False, inline=False)
    part = sheet_part(made, "Actuals")
    source = without_refs(made, tmp_path / "plan.xlsx", part)
    assert b' r="' not in part_text(source, part).split(b"<sheetData>")[1]
    assert b't="s"' in part_text(source, part)  # the text is in the shared string table
    out = tmp_path / "out.xlsx"
    appended(source, out, change("Actuals", updates=[(3, 99.5)]))

    rows = grid(out, "Actuals")
    assert rows[2][:3] == [date(2026, 7, 2), "K1", 99.5]
    assert rows[3][:4] == [date(2026, 7, 3), "K2", 7.0, "X"]
    assert rows[4][:3] == [date(2026, 8, 1), "K1", 1234.0]
    assert openpyxl.load_workbook(out)["Actuals"]["C3"].value == 99.5
    before, after = entries(source), entries(out)
    assert before["xl/sharedStrings.xml"] == after["xl/sharedStrings.xml"]


def test_an_update_changes_only_its_cell(tmp_path):
    source = openpyxl_book(tmp_path / "plan.xlsx")
    out = tmp_path / "out.xlsx"
    appended(source, out, change("数据记录", rows=(), updates=[(3, 81), (4, 7.25)]))

    def cells(path):
        sheet = openpyxl.load_workbook(path)["数据记录"]
        return {c.coordinate: (c.value, c.number_format, c.style_id) for row in sheet for c in row}

    before, after = cells(source), cells(out)
    assert {k for k in before if before[k] != after[k]} == {"C3", "C4"}
    assert after["C3"] == (81, "#,##0.00", before["C3"][2])
    assert after["C4"][0] == 7.25
    assert set(before) == set(after)


def test_injection_strings_stay_text_with_a_quote_prefix(tmp_path):
    source = xlsxwriter_book(tmp_path / "plan.xlsx")
    out = tmp_path / "out.xlsx"
    rows = [LogRow(date(2026, 8, 1), "K1", 1, text, text, text) for text in INJECTIONS]
    appended(source, out, change("Actuals", rows=rows))

    log = part_text(out, sheet_part(source, "Actuals"))
    assert b"<f>" not in log and b"<f " not in log
    sheet = openpyxl.load_workbook(out)["Actuals"]
    shown = grid(out, "Actuals")
    for offset, text in enumerate(INJECTIONS):
        number = 5 + offset
        for column in "DEF":
            cell = sheet[f"{column}{number}"]
            assert cell.data_type == "s", (text, cell.data_type)
            assert cell.quotePrefix == text.startswith(RISKY), text
        assert shown[number - 1][3:6] == [text, text, text]
    # the two that need Excel's _xHHHH_ escapes read back as typed (openpyxl leaves escapes
    # in inline strings undecoded; calamine, Excel and LibreOffice decode them)
    assert [shown[14][3], shown[15][3]] == ["_x0041_", "bell\x07here"]


def with_prefix(source: Path, target: Path, part: str) -> Path:
    """The workbook with `part` written with an `x:` prefix on every element, as some
    generators do."""

    def prefixed(data: bytes) -> bytes:
        data = re.sub(rb"<(/?)(?![?!])([A-Za-z]+)\b", rb"<\1x:\2", data)
        return data.replace(b'<x:worksheet xmlns="', b'<x:worksheet xmlns:x="', 1)

    return rewritten(source, target, part, prefixed)


def test_a_sheet_with_prefixed_elements(tmp_path):
    made = xlsxwriter_book(tmp_path / "made.xlsx", filtered=True)
    part = sheet_part(made, "Actuals")
    source = with_prefix(made, tmp_path / "plan.xlsx", part)
    assert b"<x:row " in part_text(source, part)
    out = tmp_path / "out.xlsx"
    appended(source, out, change("Actuals", updates=[(2, 5)]))
    log = part_text(out, part)
    assert b'<x:row r="5"><x:c r="A5" s="1"><x:v>46235</x:v></x:c>' in log
    assert b'<x:autoFilter ref="A1:F7"/>' in log
    rows = grid(out, "Actuals")
    assert rows[1][:3] == [date(2026, 7, 1), "K1", 5.0]
    assert rows[6][:3] == [date(2026, 8, 3), "K3", 0.25]


def test_an_empty_log_gets_a_date_format_once(tmp_path):
    source = tmp_path / "plan.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Actuals"
    book.active.append(HEADER)
    book.save(source)
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    edit = appended(source, first, change("Actuals", last_row=1, rows=NEW[:1]))
    assert "xl/styles.xml" in edit.rewritten
    styles = part_text(first, "xl/styles.xml")
    assert styles.count(b'formatCode="yyyy-mm-dd"') == 1
    sheet = openpyxl.load_workbook(first)["Actuals"]
    assert sheet["A2"].value == datetime(2026, 8, 1) and sheet["A2"].number_format == "yyyy-mm-dd"
    # the next import finds the format the first one added (the new row's own date cell)
    edit = appended(first, second, change("Actuals", last_row=2, rows=NEW[1:]))
    assert "xl/styles.xml" not in edit.rewritten
    assert openpyxl.load_workbook(second)["Actuals"]["A4"].number_format == "yyyy-mm-dd"


def test_an_update_fills_an_empty_value_and_refuses_a_formula(tmp_path):
    source = tmp_path / "plan.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actuals"
    sheet.append(HEADER)
    sheet.append([date(2026, 7, 1), "K1", None, "X"])
    sheet.append([date(2026, 7, 2), "K1", "=1+2", "X"])
    book.save(source)
    out = tmp_path / "out.xlsx"
    appended(source, out, change("Actuals", last_row=3, rows=(), updates=[(2, 12)]))
    assert grid(out, "Actuals")[1][:4] == [date(2026, 7, 1), "K1", 12.0, "X"]
    with pytest.raises(AppendRefused) as refused:
        append_log(source, out, change("Actuals", last_row=3, rows=(), updates=[(3, 12)]))
    assert (refused.value.code, refused.value.row) == ("formula_value", 3)


def test_a_log_of_many_megabytes_streams_through(tmp_path):
    """20,000 rows (several megabytes of XML, read in one-megabyte pieces): rows between the
    changed ones pass through unparsed, updates far apart all land."""
    import xlsxwriter

    source = tmp_path / "plan.xlsx"
    book = xlsxwriter.Workbook(str(source), {"constant_memory": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("Actuals")
    sheet.write_row(0, 0, HEADER)
    for r in range(1, 20_001):
        sheet.write_datetime(r, 0, datetime(2026, 7, 1 + r % 28), day)
        sheet.write_string(r, 1, f"K{r % 7}")
        sheet.write_number(r, 2, r)
        sheet.write_string(r, 3, "微信 WeChat channel with a longer name to fill the row")
        sheet.write_string(r, 4, f"export-{r}")
    book.close()
    updates = [(2, 0.5), (7_000, 1.5), (7_001, 2.5), (15_555, 3.5), (20_001, 4.5)]
    out = tmp_path / "out.xlsx"
    appended(source, out, change("Actuals", last_row=20_001, updates=updates))
    with zipfile.ZipFile(source) as archive:
        assert archive.getinfo(sheet_part(source, "Actuals")).file_size > 3_000_000
    rows = grid(out, "Actuals")
    assert len(rows) == 20_004
    for number, value in updates:
        assert rows[number - 1][2] == value
    # their neighbours keep their values (XlsxWriter's row r, sheet row r + 1, holds r)
    assert [rows[n - 1][2] for n in (3, 6_999, 7_002, 15_554, 20_000)] == [
        2,
        6_998,
        7_001,
        15_553,
        19_999,
    ]
    assert rows[20_001][:3] == [date(2026, 8, 1), "K1", 1234.0]
    # a row the sheet lacks cannot be updated
    gap = rewritten(source, tmp_path / "gap.xlsx", sheet_part(source, "Actuals"), _drop_row_900)
    with pytest.raises(AppendRefused) as refused:
        append_log(gap, out, change("Actuals", last_row=20_001, updates=[(900, 1)]))
    assert (refused.value.code, refused.value.row) == ("missing_row", 900)


def _drop_row_900(data: bytes) -> bytes:
    return re.sub(rb'<row r="900".*?</row>', b"", data, count=1, flags=re.S)


# -- refusals -----------------------------------------------------------------------------------


def test_a_total_row_refuses(tmp_path):
    source = openpyxl_book(tmp_path / "plan.xlsx", table=False, total=True)
    with pytest.raises(AppendRefused) as refused:
        append_log(source, tmp_path / "out.xlsx", change("数据记录", last_row=5))
    assert refused.value.code == "total_row" and refused.value.row == 5
    # read without the total (as the reader does): the total is below the log
    with pytest.raises(AppendRefused) as refused:
        append_log(source, tmp_path / "out.xlsx", change("数据记录", last_row=4))
    assert refused.value.code == "below_log" and refused.value.row == 5


def plain_log(path: Path, extra=None) -> Path:
    """An openpyxl workbook whose only sheet is the log; `extra(sheet)` adds to it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actuals"
    sheet.append(HEADER)
    for row in LOG:
        sheet.append(list(row))
    if extra:
        extra(sheet)
    book.save(path)
    return path


def test_merged_cells_where_the_rows_go_refuse(tmp_path):
    source = plain_log(tmp_path / "plan.xlsx", lambda sheet: sheet.merge_cells("B6:D7"))
    with pytest.raises(AppendRefused) as refused:
        append_log(source, tmp_path / "out.xlsx", change("Actuals"))
    assert (refused.value.code, refused.value.row) == ("merged_below", 6)
    # one new row stays above them
    appended(source, tmp_path / "out.xlsx", change("Actuals", rows=NEW[:1]))


def test_a_table_with_a_totals_row_refuses(tmp_path):
    import xlsxwriter

    source = tmp_path / "plan.xlsx"
    book = xlsxwriter.Workbook(str(source))
    sheet = book.add_worksheet("Actuals")
    sheet.add_table(
        0,
        0,
        len(LOG) + 1,
        5,
        {
            "columns": [{"header": h} for h in HEADER],
            "data": [[*row[:5], row[5] or ""] for row in LOG],
            "total_row": True,
        },
    )
    book.close()
    with pytest.raises(AppendRefused) as refused:
        append_log(source, tmp_path / "out.xlsx", change("Actuals"))
    assert refused.value.code == "table_totals"


def test_formatted_empty_rows_below_the_log_take_the_new_rows(tmp_path):
    from openpyxl.styles import PatternFill

    def formatted(sheet) -> None:
        for number in range(5, 9):  # a fill to row 8, no values (as Excel saves a formatted log)
            sheet.cell(number, 3).fill = PatternFill("solid", fgColor="FFF2CC")
        sheet["J6"] = "a note of the user's"

    source = plain_log(tmp_path / "plan.xlsx", formatted)
    out = tmp_path / "out.xlsx"
    appended(source, out, change("Actuals"))
    result = openpyxl.load_workbook(out)["Actuals"]
    assert [result.cell(n, 3).value for n in (5, 6, 7, 8)] == [1234, 9.34, 0.25, None]
    assert result["C8"].fill.fgColor.rgb == "00FFF2CC"
    assert result["J6"].value == "a note of the user's"


# -- the verifier -------------------------------------------------------------------------------


def rewritten(path: Path, target: Path, part: str, edit) -> Path:
    """A copy of `path` with `edit(bytes) -> bytes` applied to one part."""
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            data = zin.read(info)
            z.writestr(info, edit(data) if info.filename == part else data)
    return target


@pytest.mark.parametrize(
    ("what", "old", "new"),
    [
        ("an original cell", b"<v>80.5</v>", b"<v>80</v>"),
        ("an original cell's format", b'<c r="C3" s="2"', b'<c r="C3" s="1"'),
        ("a formula in a new row", b'<c r="C6" s="2"><v>9.34</v>', b'<c r="C6" s="2"><f>1+1</f>'),
        ("a new cell above the log", b'<c r="C3" ', b'<c r="H3"><v>1</v></c><c r="C3" '),
        ("a cell of the user's formula column", b"<f>C4*2</f>", b"<f>C4*3</f>"),
        ("a row gone", b'</row><row r="4"', b'</row><row r="9"'),
    ],
)
def test_the_verifier_catches_a_changed_log(tmp_path, what, old, new):
    source = openpyxl_book(tmp_path / "plan.xlsx", table=False)
    good = tmp_path / "good.xlsx"
    edit = appended(source, good, change("数据记录"))
    part = sheet_part(source, "数据记录")
    assert old in part_text(good, part), what
    bad = rewritten(good, tmp_path / "bad.xlsx", part, lambda data: data.replace(old, new, 1))
    with pytest.raises(verify.NotKept):
        verify.appended_only(source, bad, edit)


def test_the_verifier_catches_another_part_changed(tmp_path):
    source = openpyxl_book(tmp_path / "plan.xlsx")
    good = tmp_path / "good.xlsx"
    edit = appended(source, good, change("数据记录"))
    chart = next(n for n in entries(source) if n.startswith("xl/charts/"))
    bad = rewritten(good, tmp_path / "bad.xlsx", chart, lambda data: data + b" ")
    with pytest.raises(verify.NotKept, match="byte-identical"):
        verify.appended_only(source, bad, edit)
    table = next(n for n in entries(source) if n.startswith("xl/tables/"))
    bad = rewritten(good, tmp_path / "bad2.xlsx", table, lambda d: d.replace(b'"Log"', b'"Lag"'))
    with pytest.raises(verify.NotKept):
        verify.appended_only(source, bad, edit)


# -- LibreOffice --------------------------------------------------------------------------------


def test_libreoffice_reads_the_appended_log(tmp_path):
    source = xlsxwriter_book(tmp_path / "plan.xlsx")
    out = tmp_path / "appended.xlsx"
    more = LogRow(date(2026, 8, 4), "K4", 5, "=1+1", "_x0041_")
    appended(source, out, change("Actuals", rows=[*NEW, more]))
    result = soffice_convert([out], tmp_path / "csv", "csv:Text - txt - csv (StarCalc):44,34,76,1")
    assert result.returncode == 0, result.stderr
    with (tmp_path / "csv" / "appended.csv").open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[4] == ["01/08/2026", "K1", "1234", "小红书", "xiaohongshu:post/991", ""]
    assert lines[5] == ["02/08/2026", "K2", "9.34", "X", "x.csv", "first import"]
    assert lines[7] == ["04/08/2026", "K4", "5", "=1+1", "_x0041_", ""]  # text as typed
    assert len(lines) == 8
