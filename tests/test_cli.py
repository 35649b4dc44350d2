"""Exit codes and the exact one-line messages, through Click's CliRunner."""

import json

import pytest

from sheetplan import __version__

from test_validate import seeded_plan
from workbooks import in_chinese, minimal_plan, write_workbook


def test_version(run_cli):
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.output == f"sheetplan, version {__version__}\n"


@pytest.mark.parametrize("command", [[], ["new"], ["check"]])
def test_help_on_every_command(run_cli, command):
    result = run_cli(*command, "--help")
    assert result.exit_code == 0
    assert "Usage: sheetplan" in result.output


def test_check_clean_plan_exits_0(run_cli, tmp_path):
    path = write_workbook(tmp_path / "plan.xlsx", minimal_plan())
    result = run_cli("check", path, catch=False)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "plan.xlsx: errors 0 · warnings 0 · notes 0\n"


def test_warnings_alone_exit_0(run_cli, tmp_path):
    sheets = minimal_plan()
    sheets["Tactics"][1][5] = "Zed"  # an owner not on Team: a warning
    result = run_cli("check", write_workbook(tmp_path / "plan.xlsx", sheets), catch=False)
    assert result.exit_code == 0
    assert result.stdout == (
        'warning: plan.xlsx › Tactics › row 2 › Owner: "Zed" is not on the Team sheet'
        " — add them there or correct the name\n"
    )


def test_check_errors_exit_1_with_exact_lines(run_cli, tmp_path):
    result = run_cli("check", write_workbook(tmp_path / "plan.xlsx", seeded_plan()), catch=False)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    # 24 data problems, 3 missing Tactics columns, 2 the engine finds (stale K2, unfunded G3)
    assert len(lines) == 29
    assert lines[0] == (
        'plan.xlsx › Settings › row 4 › Value: the weighting profile "Launch" is not on the'
        " Weights sheet — use one of: Growth"
    )
    assert 'plan.xlsx › Tactics › row 3 › Due: "31/13/2026" is not a date — use 2026-12-31' in lines
    assert (
        lines[-1]
        == "note: plan.xlsx › Actuals › row 4 › Value: repeats row 3 exactly — counted once"
    )
    assert result.stderr == "plan.xlsx: errors 14 · warnings 14 · notes 1\n"


def test_check_speaks_chinese_for_a_chinese_workbook(run_cli, tmp_path):
    path = write_workbook(tmp_path / "计划.xlsx", in_chinese(seeded_plan()))
    result = run_cli("check", path, catch=False)
    assert result.exit_code == 1
    assert (
        "计划.xlsx › 策略 › 第 3 行 › 截止：“31/13/2026”不是日期 — 请写成 2026-12-31"
        in result.stdout
    )
    assert result.stderr == "计划.xlsx：错误 14 · 警告 14 · 提示 1\n"


def test_check_json(run_cli, tmp_path):
    result = run_cli("check", write_workbook(tmp_path / "plan.xlsx", seeded_plan()), "--json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert len(problems) == 29
    assert set(problems[0]) == {"severity", "code", "sheet", "row", "column", "found", "message"}
    date_problem = next(p for p in problems if p["code"] == "not_a_date")
    assert date_problem == {
        "severity": "error",
        "code": "not_a_date",
        "sheet": "Tactics",
        "row": 3,
        "column": "Due",
        "found": "31/13/2026",
        "message": '"31/13/2026" is not a date — use 2026-12-31',
    }


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (None, "nope.xlsx: file not found — check the path and the name"),
        (b"", "nope.xlsx: the file is empty — use a workbook saved by Excel, WPS or LibreOffice"),
        (
            b"id,goal\nG1,grow\n",
            "nope.xlsx: not an Excel .xlsx file (it looks like CSV text) — open it in Excel and "
            "save it as .xlsx",
        ),
    ],
)
def test_unreadable_files_exit_1_with_one_line(run_cli, tmp_path, make, message):
    path = tmp_path / "nope.xlsx"
    if make is not None:
        path.write_bytes(make)
    result = run_cli("check", path, catch=False)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"sheetplan: {message}\n"


def test_missing_sheet_is_named_in_both_languages(run_cli, tmp_path):
    sheets = minimal_plan()
    del sheets["Tactics"]
    result = run_cli("check", write_workbook(tmp_path / "plan.xlsx", sheets), catch=False)
    assert result.exit_code == 1
    assert result.stderr == (
        'sheetplan: plan.xlsx: the sheet "Tactics" (中文：“策略”) is missing'
        ' — add it, or run "sheetplan new" for a template\n'
    )


def test_missing_column_is_named_in_both_languages(run_cli, tmp_path):
    sheets = in_chinese(minimal_plan())
    sheets["关键指标"] = [[c for c in row if c != "目标值"] for row in sheets["关键指标"]]
    sheets["关键指标"] = [
        row[:6] + row[7:] if i else row for i, row in enumerate(sheets["关键指标"])
    ]
    result = run_cli("check", write_workbook(tmp_path / "计划.xlsx", sheets), catch=False)
    assert result.exit_code == 1
    assert result.stderr == (
        'sheetplan: 计划.xlsx › 关键指标：缺少列“目标值”（English: "Target"）— 请在标题行中添加该列\n'
    )


def test_traceback_only_with_debug(run_cli, tmp_path):
    path = tmp_path / "nope.xlsx"
    quiet = run_cli("check", path)
    loud = run_cli("--debug", "check", path)
    assert "Traceback" not in quiet.stderr
    assert "Traceback" in loud.stderr
    assert loud.exit_code == quiet.exit_code == 1


def test_usage_errors_exit_2(run_cli, tmp_path):
    assert run_cli("check").exit_code == 2
    assert run_cli("frobnicate").exit_code == 2
    bad_date = run_cli("check", tmp_path / "x.xlsx", "--as-of", "15/03/2026")
    assert bad_date.exit_code == 2
    assert "'15/03/2026' is not a date — use YYYY-MM-DD" in bad_date.stderr


def test_a_bug_is_one_line_and_exit_4(run_cli, tmp_path, monkeypatch):
    import sheetplan.api

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(sheetplan.api, "load_plan", broken)
    result = run_cli("check", tmp_path / "plan.xlsx")
    assert result.exit_code == 4
    assert result.stderr == (
        "sheetplan: plan.xlsx: sheetplan failed unexpectedly (RuntimeError('boom'))"
        " — run again with --debug and report it\n"
    )


def test_locale_picks_the_language_before_the_workbook_does(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SHEETPLAN_LANG", "zh_CN.UTF-8")
    result = run_cli("check", tmp_path / "无.xlsx")
    assert result.stderr == "sheetplan: 无.xlsx：找不到文件 — 请检查路径和文件名\n"


def test_a_hidden_input_sheet_is_read_and_named_as_a_warning(run_cli, tmp_path):
    from workbooks import minimal_plan, write_workbook

    def hide_team(book) -> None:
        book.get_worksheet_by_name("Team").hide()

    plan = write_workbook(tmp_path / "plan.xlsx", minimal_plan(), extra=hide_team)
    result = run_cli("check", plan)
    assert result.exit_code == 0
    assert result.stdout == (
        "warning: plan.xlsx › Team: this sheet is hidden — sheetplan reads it all the same; "
        "unhide it (right-click a sheet tab › Unhide) if that is a surprise\n"
    )
