"""Issue 12, acceptance 3: one test per rule, in English and Chinese, with the exact lines.

Each workbook is the small valid plan of workbooks.py with one trait changed; the expected
lines and numbers are worked out by hand in the comments."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sheetplan.api import load_plan

from workbooks import in_chinese, minimal_plan, write_workbook

LANGS = ["en", "zh"]
NAME = {"en": "plan.xlsx", "zh": "计划.xlsx"}


def plan_file(tmp_path, lang, sheets, **options):
    sheets = in_chinese(sheets) if lang == "zh" else sheets
    return write_workbook(tmp_path / NAME[lang], sheets, **options)


def tactics_sheet(sheets):
    return sheets["Tactics"]


# ---------------------------------------------------------------------------------------------
# Dates

DATE_LINES = {
    "en": [
        'plan.xlsx › Goals › row 2 › Due: "2026-11-31" is not a date — November has 30 days',
        'plan.xlsx › Tactics › row 3 › Due: "03/04/2026" could be 2026-04-03 (day first) or'
        " 2026-03-04 (month first) — type the one you mean as YYYY-MM-DD",
        'note: plan.xlsx › Tactics › row 2 › Start: "13/07/2026" was read as 2026-07-13: it can'
        " only be day/month/year — type dates as YYYY-MM-DD to be sure (said once)",
    ],
    "zh": [
        "计划.xlsx › 社媒目标 › 第 2 行 › 截止：“2026-11-31”不是日期 — 11 月只有 30 天",
        "计划.xlsx › 策略 › 第 3 行 › 截止：“03/04/2026”可能是 2026-04-03（日在前）或"
        " 2026-03-04（月在前）— 请按 YYYY-MM-DD 写出您要的日期",
        "提示：计划.xlsx › 策略 › 第 2 行 › 开始：“13/07/2026”已读作 2026-07-13：只能是日/月/年"
        "顺序 — 建议按 YYYY-MM-DD 填写日期（仅提示一次）",
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_dates_read_one_way_explained_or_both_readings_named(tmp_path, run_cli, lang):
    sheets = minimal_plan()
    sheets["Goals"][1][6] = "2026-11-31"  # G1 Due: November has 30 days
    tactics = tactics_sheet(sheets)
    tactics[1][7] = "31/08/2026"  # T1 Due: 31 cannot be a month → 2026-08-31
    tactics[1][6] = "13/07/2026"  # T1 Start: day first too; read first, so the one note
    tactics[2][7] = "03/04/2026"  # T2 Due: 3 April or 4 March
    path = plan_file(tmp_path, lang, sheets)
    result = run_cli("check", path, catch=False)
    lines = result.stdout.splitlines()
    for line in DATE_LINES[lang]:
        assert line in lines
    assert sum("YYYY-MM-DD 填写" in x or "to be sure" in x for x in lines) == 1
    assert result.exit_code == 1
    tactic = load_plan(path).plan.tactics[0]
    assert (tactic.start, tactic.due) == (date(2026, 7, 13), date(2026, 8, 31))


# ---------------------------------------------------------------------------------------------
# Columns

COLUMN_LINES = {
    "en": [
        'warning: plan.xlsx › Tactics › row 1: the Tactics sheet has no "Hours" column — no'
        " hours are planned: every owner's load is 0",
        'warning: plan.xlsx › Tactics › row 1 › Due dat: "Due dat" is not a column sheetplan'
        ' reads — did you mean "Due"? Until it is renamed, every tactic is "No due date": none'
        " can be overdue or due soon",
    ],
    "zh": [
        "警告：计划.xlsx › 策略 › 第 1 行：策略表没有“工时”列 — 没有计划工时：每位负责人的工时占用为 0",
        "警告：计划.xlsx › 策略 › 第 1 行 › 截止日：“截止日”不是 sheetplan 能识别的列 — 是否想填"
        "“截止”？改名之前，所有策略都算作“无截止日期”：不会有逾期或即将到期的策略",
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_missing_optional_column_named_once_with_did_you_mean(tmp_path, run_cli, lang):
    sheets = plan_without_hours(lang)
    sheets_path = write_workbook(tmp_path / NAME[lang], sheets)
    result = run_cli("check", sheets_path, catch=False)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == COLUMN_LINES[lang]
    # the refresh line names the same two, once
    out = tmp_path / "out.xlsx"
    refreshed = run_cli("refresh", sheets_path, "-o", out, catch=False)
    assert refreshed.exit_code == 0
    line = refreshed.stdout.strip()
    for expected in COLUMN_LINES[lang]:
        message = expected.split(": ", 1)[1] if lang == "en" else expected.split("：", 2)[2]
        assert line.count(message.split(" — ", 1)[1]) == 1


def plan_without_hours(lang):
    sheets = minimal_plan()
    tactics = tactics_sheet(sheets)
    for row in tactics:
        del row[11]  # Hours
    sheets = in_chinese(sheets) if lang == "zh" else sheets
    header = sheets["策略" if lang == "zh" else "Tactics"][0]
    header[7] = "截止日" if lang == "zh" else "Due dat"
    return sheets


@pytest.mark.parametrize("header", ["Deadline", "Due date", "截止日期", "ＤＵＥ　ＤＡＴＥ"])
def test_due_aliases_are_read(tmp_path, header):
    sheets = minimal_plan()
    tactics_sheet(sheets)[0][7] = header
    loaded = load_plan(write_workbook(tmp_path / "plan.xlsx", sheets))
    assert [t.due for t in loaded.plan.tactics] == [date(2026, 8, 31), date(2026, 9, 15)]
    assert not [p for p in loaded.problems if p.code in ("missing_column", "unknown_header")]


# ---------------------------------------------------------------------------------------------
# Totals rows

TOTAL_NOTE = {
    "en": 'note: plan.xlsx › Tactics › row 4: a totals row ("{found}") — not read as data,'
    " never counted; sheetplan adds up the rows itself",
    "zh": "提示：计划.xlsx › 策略 › 第 4 行：合计行（“{found}”）— 不作为数据读取，不计入任何统计；"
    "sheetplan 会自行汇总",
}


def _sum_row(label):
    def extra(book):
        sheet = book.get_worksheet_by_name("Tactics") or book.get_worksheet_by_name("策略")
        if label:
            sheet.write_string(3, 2, label)
        sheet.write_formula(3, 10, "=SUM(K2:K3)", None, 5000)  # Budget 3,000 + 2,000
        sheet.write_formula(3, 11, "=SUBTOTAL(9,L2:L3)", None, 60)  # Hours 40 + 20

    return extra


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("label", ["Total", "合计", "总计", None])
def test_total_row_is_skipped_with_a_note_and_never_counted(tmp_path, run_cli, lang, label):
    path = plan_file(tmp_path, lang, minimal_plan(), extra=_sum_row(label))
    result = run_cli("check", path, catch=False)
    assert result.exit_code == 0
    found = label or "SUM"  # a row of sums alone shows its first cell's value: 5000
    found = "5000" if label is None else found
    assert result.stdout.splitlines() == [TOTAL_NOTE[lang].format(found=found)]
    summary = json.loads(run_cli("summary", path, "--json", catch=False).stdout)
    # two tactics, 3,000 + 2,000 planned: the row of sums is not a third tactic of 5,000
    assert summary["tactics"]["total"] == 2
    assert summary["budget"]["planned"] == 5000


def test_excel_table_totals_row_is_not_a_tactic(tmp_path, run_cli):
    """An Excel Total Row whose ID column counts the rows (SUBTOTAL(103) → 2): only the table
    part's totalsRowCount says it is not tactic "2"."""
    sheets = minimal_plan()
    tactics = sheets.pop("Tactics")

    def extra(book):
        sheet = book.add_worksheet("Tactics")
        columns = [{"header": h} for h in tactics[0]]
        columns[0].update(total_function="count", total_value=2)
        columns[10].update(total_function="sum", total_value=5000)
        rows = [[v.isoformat() if isinstance(v, date) else v for v in r] for r in tactics[1:]]
        sheet.add_table(0, 0, 3, 11, {"columns": columns, "data": rows, "total_row": True})

    path = write_workbook(tmp_path / "plan.xlsx", sheets, extra=extra)
    result = run_cli("check", path, catch=False)
    assert result.stdout.splitlines() == [TOTAL_NOTE["en"].format(found="2")]
    summary = json.loads(run_cli("summary", path, "--json", catch=False).stdout)
    assert (summary["tactics"]["total"], summary["budget"]["planned"]) == (2, 5000)


# ---------------------------------------------------------------------------------------------
# Many problems of one kind

MORE = {
    "en": "plan.xlsx › Actuals: …and 15 more rows like this (sheetplan check --all lists every one)",
    "zh": "计划.xlsx › 数据记录：…另有 15 行同类问题（sheetplan check --all 可列出全部）",
}


@pytest.mark.parametrize("lang", LANGS)
def test_many_problems_of_one_kind_read_as_one(tmp_path, run_cli, lang):
    sheets = minimal_plan()
    sheets["Actuals"] += [[date(2026, 7, 1), "K9", n, "X"] for n in range(25)]  # rows 4–28
    path = plan_file(tmp_path, lang, sheets)
    lines = run_cli("check", path).stdout.splitlines()
    assert len(lines) == 11  # the first 10 of 25, then one line for the other 15
    assert lines[-1] == MORE[lang]
    assert "row 13" in lines[9] or "第 13 行" in lines[9]
    assert len(run_cli("check", path, "--all").stdout.splitlines()) == 25
    assert len(json.loads(run_cli("check", path, "--json").stdout)) == 25


# ---------------------------------------------------------------------------------------------
# As-of date and its source; one truth between check and refresh

SOURCES = {
    ("en", "settings"): "(from Settings › As-of date)",
    ("en", "option"): "(from --as-of)",
    ("en", "today"): "(today)",
    ("zh", "settings"): "（来自设置 › 统计日期）",
    ("zh", "option"): "（来自 --as-of）",
    ("zh", "today"): "（今天）",
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("source", ["settings", "option", "today"])
def test_refresh_line_and_summary_say_where_the_as_of_date_came_from(
    tmp_path, run_cli, lang, source
):
    sheets = minimal_plan()
    if source == "today":
        sheets["Settings"] = sheets["Settings"][:2] + sheets["Settings"][3:]
    path = plan_file(tmp_path, lang, sheets)
    option = ["--as-of", "2026-08-20"] if source == "option" else []
    day = {"settings": "2026-08-15", "option": "2026-08-20"}.get(source, date.today().isoformat())
    title = run_cli("summary", path, *option, catch=False).stdout.splitlines()[0]
    stamp = f"截至 {day}" if lang == "zh" else f"as of {day} "
    assert stamp in title and title.endswith(SOURCES[lang, source])
    line = run_cli("refresh", path, "-o", tmp_path / "out.xlsx", *option, catch=False).stdout
    expected = {
        "en": f"out.xlsx: refreshed as of {day} {SOURCES[lang, source]} — errors ",
        "zh": f"out.xlsx：已刷新，统计日期 {day}{SOURCES[lang, source]}— 错误 ",
    }[lang]
    assert line.startswith(expected)


def test_check_and_refresh_report_the_same_problems_on_the_sample(tmp_path, run_cli):
    plan = tmp_path / "plan.xlsx"
    run_cli("new", plan, "--sample", catch=False)
    check = run_cli("check", plan, catch=False)
    refresh = run_cli("refresh", plan, "-o", tmp_path / "out.xlsx", catch=False)
    # the sample's stale KPI K15 and over-allocated Sam Okafor: 2 warnings in both
    assert check.stderr == "plan.xlsx: errors 0 · warnings 2 · notes 0\n"
    assert "— errors 0 · warnings 2 (see Data Checks)" in refresh.stdout


# ---------------------------------------------------------------------------------------------
# Exit codes as README's table says


@pytest.mark.parametrize("lang", LANGS)
def test_new_with_a_name_that_is_not_a_workbook_is_refused(tmp_path, run_cli, lang):
    result = run_cli("new", tmp_path / "plan.txt", "--lang", lang)
    assert result.exit_code == 2
    assert (
        result.stderr
        == {
            "en": "sheetplan: plan.txt: not a workbook name — sheetplan writes .xlsx files; use a"
            " name such as plan.xlsx\n",
            "zh": "sheetplan: plan.txt：不是工作簿文件名 — sheetplan 只写入 .xlsx 文件；请使用类似"
            " plan.xlsx 的文件名\n",
        }[lang]
    )
    assert not (tmp_path / "plan.txt").exists()


def test_bad_output_for_several_plans_is_a_usage_error(tmp_path, run_cli):
    one = write_workbook(tmp_path / "a.xlsx", minimal_plan())
    two = write_workbook(tmp_path / "b.xlsx", minimal_plan())
    result = run_cli("refresh", one, two, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 2
    assert result.stderr == (
        "sheetplan: out.xlsx: -o must be an existing folder when refreshing several plans —"
        " create it or give one plan at a time\n"
    )
    assert not (tmp_path / "out.xlsx").exists()
