"""Finding sheets and headers the way users lay them out."""

from datetime import date

from sheetplan.reader import read_workbook

from workbooks import minimal_plan, write_workbook


def test_header_below_a_title_and_blank_rows_skipped(tmp_path):
    sheets = minimal_plan()
    sheets["Tactics"] = [
        ["Our tactics for Q3"],
        [],
        *sheets["Tactics"][:2],
        [],
        sheets["Tactics"][2],
    ]
    raw = read_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))
    tactics = raw.sheets["tactics"]
    assert tactics.header_row == 3
    assert [number for number, _ in tactics.rows] == [4, 6]


def test_extra_columns_and_sheets_are_listed_not_dropped(tmp_path):
    sheets = minimal_plan()
    sheets["Goals"][0].append("Agency")
    sheets["Goals"][1].append("Acme")
    sheets["Ideas"] = [["anything"]]
    sheets["Dashboard"] = [["old dashboard"]]
    raw = read_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))
    assert raw.sheets["goals"].extra_columns == {8: "Agency"}
    assert raw.extra_sheets == ["Ideas"]
    assert raw.output_sheets == {"dashboard": "Dashboard"}
    assert "dashboard" not in raw.sheets


def test_settings_read_by_position_without_headers(tmp_path):
    sheets = minimal_plan(Settings=[["Plan name", "No headers"], ["As-of date", date(2026, 8, 1)]])
    raw = read_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))
    settings = raw.sheets["settings"]
    assert settings.header_row == 0
    assert [cells[0] for _, cells in settings.rows] == ["Plan name", "As-of date"]


def test_sheet_names_match_ignoring_case_width_and_spaces(tmp_path):
    sheets = minimal_plan()
    sheets[" tactics "] = sheets.pop("Tactics")
    sheets["ＫＰＩｓ"] = sheets.pop("KPIs")
    raw = read_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))
    assert raw.sheets["tactics"].name == " tactics "
    assert raw.sheets["kpis"].name == "ＫＰＩｓ"


def test_second_sheet_of_the_same_kind_is_named(tmp_path):
    sheets = minimal_plan()
    sheets["策略"] = sheets["Tactics"]
    raw = read_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))
    assert raw.sheets["tactics"].name == "Tactics"
    assert raw.duplicate_sheets == [("tactics", "策略")]


def test_unsaved_formulas_are_found_by_cell(tmp_path):
    sheets = minimal_plan()
    sheets["Tactics"][2][10] = "=1000*2"
    raw = read_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))
    assert raw.unsaved_formulas == {"Tactics": ["K3"]}
