"""Trend: appended per as-of date, replaced when the same date is refreshed again."""

from datetime import date

from sheetplan.trend import TrendRow, merge, read_rows


def row(day, ident="K1", progress=0.5):
    return TrendRow(date(2026, 8, day), "kpi", ident, "Followers", 1500.0, progress, "On track")


def test_new_date_is_appended_in_date_order():
    assert merge([row(1), row(8)], [row(15)]) == [row(1), row(8), row(15)]


def test_same_date_is_replaced_not_duplicated():
    merged = merge([row(1), row(8, progress=0.4)], [row(8, progress=0.6)])
    assert merged == [row(1), row(8, progress=0.6)]


def test_rows_read_back_in_either_language():
    english = [
        ["As-of date", "Type", "ID", "Name", "Actual", "Progress", "Status"],
        [date(2026, 8, 1), "KPI", "K1", "Followers", 1500.0, 0.5, "On track"],
        [date(2026, 8, 1), "Goal", "G1", "Be known", "", 0.25, "At risk"],
        ["not a date", "KPI", "K2", "x", 1.0, 0.1, "On track"],
    ]
    chinese = [["统计日期", "类型", "ID", "名称", "实际值", "进度", "状态"], *english[1:]]
    chinese[2] = [date(2026, 8, 1), "目标", "G1", "Be known", "", 0.25, "有风险"]
    expected_kpi = row(1)
    assert read_rows(english) == [
        expected_kpi,
        TrendRow(date(2026, 8, 1), "goal", "G1", "Be known", None, 0.25, "At risk"),
    ]
    assert read_rows(chinese)[1] == TrendRow(
        date(2026, 8, 1), "goal", "G1", "Be known", None, 0.25, "有风险"
    )


def test_a_sheet_without_the_key_columns_gives_nothing():
    assert read_rows([["Date", "Note"], [date(2026, 8, 1), "x"]]) == []
    assert read_rows([]) == []
