"""Every kind of data problem `check` finds, located by sheet, row and column, in both languages."""

from datetime import date
from hashlib import sha256

import pytest

from sheetplan.api import load_plan
from sheetplan.errors import Severity

from workbooks import in_chinese, minimal_plan, write_workbook

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO


def seeded_plan():
    """The minimal plan with one problem of every kind; the expected findings below are by row."""
    d = date
    return minimal_plan(
        Settings=[
            ["Key", "Value"],
            ["Plan name", "Seeded"],
            ["As-of date", d(2026, 8, 15)],
            ["Weighting profile", "Launch"],  # row 4: not on Weights
            ["Colour", "blue"],  # row 5: unknown setting
        ],
        Weights=[["Profile", "Category", "Weight"], ["Growth", "Awareness", 100]],
        Company_Goals=[["ID", "Company goal", "Owner"], ["C1", "Grow revenue", "Ann"]],
        Goals=[
            ["ID", "Company goal ID", "Category", "Goal", "Owner", "Start", "Due", "Weight"],
            ["G1", "C1", "Awareness", "Be known", "Ann", d(2026, 7, 1), d(2026, 9, 30), 60],
            ["G2", "C7", "Buzz", "Be loved", "Bo", d(2026, 7, 1), d(2026, 9, 30), None],
            ["G2", "C1", "Traffic", "Twice", "Bo", d(2026, 7, 1), d(2026, 9, 30), 10],
            ["G3", "C1", "Leads", "Backwards", "Bo", d(2026, 9, 1), d(2026, 8, 1), 30],
        ],
        KPIs=[
            [
                "ID",
                "Goal ID",
                "Level",
                "KPI",
                "Baseline",
                "Target",
                "Start",
                "Aggregation",
                "Current",
            ],
            ["K1", "G1", "Strategic", "Followers", 1000, 2000, None, "latest", None],
            ["K2", "G9", "Tactical", "Comments", 0, 500, d(2026, 7, 15), "sum", None],
            ["K3", "G1", "Execution", "Posts", 500, 500, None, "sum", 10],
            ["K4", "G1", "Strategic level", "Reach", 0, 100, None, "latest", None],
        ],
        Tactics=[
            ["ID", "Goal ID", "Tactic", "Value", "Complexity", "Owner", "Due", "Status", "Budget"],
            ["T1", "G1", "Weekly live", 5, 2, "Ann", d(2026, 8, 31), "In progress", 3000],
            ["T2", "G1", "Giveaway", 7, 4, "Zed", "31/13/2026", "Finshed", "lots"],
            [None, "G1", "No ID", 3, 3, "Ann", None, "Done", 10],
        ],
        Actuals=[
            ["Date", "KPI ID", "Value", "Channel"],
            [d(2026, 7, 10), "K1", 1200, "Weibo"],
            [d(2026, 8, 10), "K1", 1500, "Weibo"],
            [d(2026, 8, 10), "K1", 1500, "Weibo"],  # row 4: exact repeat of row 3
            [d(2026, 8, 10), "K1", 1600, "weibo"],  # row 5: conflicts with row 3 (channel case)
            [d(2026, 9, 1), "K1", 1700, "Weibo"],  # row 6: after the as-of date
            [d(2026, 7, 1), "K2", 5, "X"],  # row 7: before K2 starts (sum)
            [d(2026, 7, 20), "K9", 5, "X"],  # row 8: unknown KPI
            ["=SUM(1,2)", "K1", 5, "X"],  # row 9: formula never calculated
        ],
    )


# (severity, code, sheet, row, column) — sheet and column as the English workbook names them
EXPECTED = [
    (E, "unknown_profile", "Settings", 4, "Value"),
    (W, "unknown_setting", "Settings", 5, None),
    (E, "unknown_ref", "Goals", 3, "Company goal ID"),
    (W, "category_other", "Goals", 3, "Category"),
    (E, "duplicate_id", "Goals", 4, "ID"),
    (E, "due_before_start", "Goals", 5, "Due"),
    (W, "partial_weights", "Goals", None, "Weight"),
    (E, "unknown_ref", "KPIs", 3, "Goal ID"),
    (E, "target_equals_baseline", "KPIs", 4, "Target"),
    (E, "not_in_list", "KPIs", 5, "Level"),
    (W, "kpi_no_data", "KPIs", 5, "Current"),
    (E, "score_out_of_scale", "Tactics", 3, "Value"),
    (W, "owner_not_in_team", "Tactics", 3, "Owner"),
    (E, "not_a_date", "Tactics", 3, "Due"),
    (E, "not_in_list", "Tactics", 3, "Status"),
    (E, "not_a_number", "Tactics", 3, "Budget"),
    (E, "missing_id", "Tactics", 4, "ID"),
    # the seeded Tactics sheet has no Start, % complete or Hours column: each named once
    (W, "missing_column", "Tactics", 1, None),
    (W, "missing_column", "Tactics", 1, None),
    (W, "missing_column", "Tactics", 1, None),
    (N, "duplicate_actual", "Actuals", 4, "Value"),
    (W, "conflicting_actual", "Actuals", 3, "Value"),
    (W, "actual_after_as_of", "Actuals", 6, "Date"),
    (W, "actual_before_start", "Actuals", 7, "Date"),
    (E, "unknown_ref", "Actuals", 8, "KPI ID"),
    (W, "unsaved_formula", "Actuals", 9, "Date"),
    (E, "required_missing", "Actuals", 9, "Date"),
]

ZH_NAMES = {
    "Settings": "设置",
    "Goals": "社媒目标",
    "KPIs": "关键指标",
    "Tactics": "策略",
    "Actuals": "数据记录",
    "Company goal ID": "公司目标ID",
    "Category": "类别",
    "ID": "ID",
    "Due": "截止",
    "Weight": "权重",
    "Goal ID": "目标ID",
    "Target": "目标值",
    "Level": "层级",
    "Current": "当前值",
    "Value": "价值",
    "Owner": "负责人",
    "Status": "状态",
    "Budget": "预算",
    "Date": "日期",
    "KPI ID": "指标ID",
}


def found(problems):
    return sorted((p.severity.value, p.code, p.sheet, p.row or 0, p.column or "") for p in problems)


def expected(lang):
    rows = []
    for severity, code, sheet, row, column in EXPECTED:
        if lang == "zh":
            sheet = ZH_NAMES[sheet]
            # "Value" is 价值 on Tactics, 数值 on Actuals and 值 on Settings
            special = {("数据记录", "Value"): "数值", ("设置", "Value"): "值"}
            column = special.get((sheet, column)) or ZH_NAMES.get(column, column)
        rows.append((severity.value, code, sheet, row or 0, column or ""))
    return sorted(rows)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_seeded_problem_is_found_where_it_is(tmp_path, lang):
    sheets = seeded_plan() if lang == "en" else in_chinese(seeded_plan())
    path = write_workbook(tmp_path / "plan.xlsx", sheets)
    before = sha256(path.read_bytes()).hexdigest()

    loaded = load_plan(path)

    assert found(loaded.problems) == expected(lang)
    assert loaded.language == lang
    assert sha256(path.read_bytes()).hexdigest() == before


def test_messages_speak_the_workbook_language(tmp_path):
    en = load_plan(write_workbook(tmp_path / "en.xlsx", seeded_plan()))
    zh = load_plan(write_workbook(tmp_path / "zh.xlsx", in_chinese(seeded_plan())))
    by_code = {(p.code, p.row): p.message for p in en.problems}
    zh_by_code = {(p.code, p.row): p.message for p in zh.problems}
    assert by_code[("not_a_date", 3)] == '"31/13/2026" is not a date — use 2026-12-31'
    assert zh_by_code[("not_a_date", 3)] == "“31/13/2026”不是日期 — 请写成 2026-12-31"
    assert by_code[("not_in_list", 3)] == (
        '"Finshed" is not a valid choice; did you mean "Done"? — choose one of: '
        "Not started / In progress / Done / Blocked / Dropped"
    )
    assert zh_by_code[("not_in_list", 3)] == (
        "“Finshed”不是有效选项，是否想填“已完成”？ — 可选：未开始 / 进行中 / 已完成 / 受阻 / 已放弃"
    )
    assert (
        by_code[("unknown_ref", 8)]
        == 'no row on KPIs has the ID "K9" — use an ID from the KPIs sheet'
    )
    assert (
        zh_by_code[("duplicate_id", 4)] == "“G2”重复（第 3 行已使用）— 同一工作表中的 ID 不能重复"
    )


def test_bad_rows_stay_in_the_plan_with_the_field_marked(tmp_path):
    loaded = load_plan(write_workbook(tmp_path / "plan.xlsx", seeded_plan()))
    t2 = next(t for t in loaded.plan.tactics if t.id == "T2")
    assert t2.due is None and t2.value is None and t2.budget is None
    assert {"due", "value", "budget", "status"} <= t2.invalid
    assert [t.id for t in loaded.plan.tactics] == ["T1", "T2"]  # the row without an ID is out
    k3 = next(k for k in loaded.plan.kpis if k.id == "K3")
    assert "target" in k3.invalid
    # the unknown-KPI row and the formula row cannot count; the rest of the log is kept
    assert sorted(a.row for a in loaded.plan.actuals) == [2, 3, 4, 5, 6, 7]


def test_a_valid_plan_has_no_problems(tmp_path):
    loaded = load_plan(write_workbook(tmp_path / "plan.xlsx", minimal_plan()))
    assert loaded.problems == ()
    assert not loaded.has_errors


def test_profile_that_exists_silences_partial_weights(tmp_path):
    sheets = seeded_plan()
    sheets["Settings"][3] = ["Weighting profile", "growth"]  # case-insensitive match
    loaded = load_plan(write_workbook(tmp_path / "plan.xlsx", sheets))
    codes = {p.code for p in loaded.problems}
    assert "unknown_profile" not in codes and "partial_weights" not in codes
    assert loaded.plan.settings.weighting_profile == "growth"


def test_as_of_argument_overrides_settings(tmp_path):
    path = write_workbook(tmp_path / "plan.xlsx", seeded_plan())
    later = load_plan(path, as_of=date(2026, 12, 31))
    assert "actual_after_as_of" not in {p.code for p in later.problems}


def test_repeats_that_differ_only_in_channel_case_are_found(tmp_path):
    sheets = minimal_plan()
    sheets["Actuals"] = [
        ["Date", "KPI ID", "Value", "Channel"],
        [date(2026, 8, 1), "K1", 1500, "Weibo"],
        [date(2026, 8, 1), "K1", 1500, "WEIBO "],  # same channel typed differently: a repeat
        [date(2026, 8, 2), "K1", 1600, "weibo"],
    ]
    loaded = load_plan(write_workbook(tmp_path / "plan.xlsx", sheets))
    assert [(p.code, p.row) for p in loaded.problems] == [("duplicate_actual", 3)]
