"""The Sources sheet (issue 13): which export column feeds which KPI — read into Plan.sources,
every problem located as usual, in both languages; optional; left as stored by a refresh."""

from __future__ import annotations

import zipfile
from datetime import date

import openpyxl
import pytest
from refreshed import build, engine, run_refresh

from sheetplan.api import load_plan
from sheetplan.errors import Severity
from sheetplan.model import Platform, SourceMapping, ValueKind
from sheetplan.reader import sheet_parts

from workbooks import in_chinese, minimal_plan, write_workbook

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO
PER, TOTAL = ValueKind.PER_PERIOD, ValueKind.RUNNING_TOTAL

HEADER = ["Platform", "Export column", "KPI ID", "Channel", "Value is", "Notes"]
# minimal_plan's KPIs: K1 Followers (latest), K2 Comments (sum)
SOURCES = [
    HEADER,
    ["X", "Impressions", "K2", "X", "Per period", None],  # 2: fine
    ["Weibo", "阅读数", "K2", None, None, None],  # 3: not a platform the import reads
    ["Instagram", None, "K2", None, None, None],  # 4: no export column
    ["WeChat", "累积关注人数", "K9", None, "Running total", None],  # 5: no such KPI
    ["TikTok", "Followers", None, None, "Running total", None],  # 6: a suggestion
    ["twitter", " impressions ", "K2", "Twitter/X", None, None],  # 7: row 2 again
    ["LinkedIn", "Total followers", "K2", None, "Running total", None],  # 8: total into a sum
    ["抖音", "播放量", "K2", None, "累计", None],  # 9: per-post cumulative: the import diffs it
    ["公众号", "累积关注人数", "K1", "微信", "cumulative", "followers"],  # 10: fine
    ["YouTube", "Views", None, None, None, None],  # 11: a suggestion
    ["Instagram", "Follows", "K2", None, "sometimes", None],  # 12: unreadable Value is
]

# (severity, code, row, column) on the Sources sheet, columns as the English workbook names them
EXPECTED = [
    (E, "not_in_list", 3, "Platform"),
    (E, "required_missing", 4, "Export column"),
    (E, "unknown_ref", 5, "KPI ID"),
    (N, "source_unmapped", 6, "KPI ID"),
    (W, "duplicate_source", 7, "Export column"),
    (W, "running_total_sum", 8, "Value is"),
    (E, "not_in_list", 12, "Value is"),
]
ZH = {"Sources": "数据源", "Platform": "平台", "Export column": "导出列", "KPI ID": "指标ID"}
ZH["Value is"] = "数值类型"


def plan_with_sources(lang: str, rows=SOURCES) -> dict:
    sheets = minimal_plan(Sources=rows)
    return in_chinese(sheets) if lang == "zh" else sheets


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_sources_problem_is_found_where_it_is(tmp_path, lang):
    loaded = load_plan(write_workbook(tmp_path / "plan.xlsx", plan_with_sources(lang)))
    sheet = ZH["Sources"] if lang == "zh" else "Sources"
    got = [(p.severity, p.code, p.row, p.column) for p in loaded.problems if p.sheet == sheet]
    want = [(s, c, r, ZH[col] if lang == "zh" else col) for s, c, r, col in EXPECTED]
    assert sorted(got, key=str) == sorted(want, key=str)
    # only the Sources sheet has something to say: the rest of the minimal plan is clean
    assert all(p.sheet == sheet for p in loaded.problems)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_mappings_that_can_be_used_are_the_plan_s_sources(tmp_path, lang):
    loaded = load_plan(write_workbook(tmp_path / "plan.xlsx", plan_with_sources(lang)))
    # a blank Channel is the platform's name in the workbook's language
    linkedin, douyin = "LinkedIn", {"en": "Douyin", "zh": "抖音"}[lang]
    assert loaded.plan.sources == (
        SourceMapping(Platform.X, "Impressions", "K2", "X", PER, 2),
        SourceMapping(Platform.LINKEDIN, "Total followers", "K2", linkedin, TOTAL, 8),
        SourceMapping(Platform.DOUYIN, "播放量", "K2", douyin, TOTAL, 9),
        SourceMapping(Platform.WECHAT, "累积关注人数", "K1", "微信", TOTAL, 10),
    )


def test_messages_name_the_platforms_and_explain_running_totals(tmp_path):
    loaded = load_plan(write_workbook(tmp_path / "plan.xlsx", plan_with_sources("en")))
    by = {(p.code, p.row): p.message for p in loaded.problems}
    assert by[("not_in_list", 3)] == (
        '"Weibo" is not a valid choice — choose one of: X / Facebook / Instagram / LinkedIn / '
        "TikTok / YouTube / WeChat / Douyin / Xiaohongshu"
    )
    assert by[("source_unmapped", 6)] == (
        "no KPI ID yet on row(s) 6, 11 — suggestions only: sheetplan import uses a row once you "
        "pick its KPI"
    )
    assert by[("duplicate_source", 7)] == (
        'X "impressions" is mapped to KPI K2 again (first on row 2) — the first row is used'
    )
    assert by[("running_total_sum", 8)].startswith(
        'LinkedIn "Total followers" is a running total, but KPI K2 adds its values up (sum) — '
        "a running total needs a KPI that takes the latest value"
    )
    zh = load_plan(write_workbook(tmp_path / "zh.xlsx", plan_with_sources("zh")))
    zh_by = {(p.code, p.row): p.message for p in zh.problems}
    assert zh_by[("source_unmapped", 6)].startswith("第 6, 11 行尚未填写指标ID")


def test_a_long_run_of_suggestions_is_one_note(tmp_path):
    rows = [HEADER] + [["X", f"Column {i}", None, None, None, None] for i in range(30)]
    rows.append(["X", "Impressions", "K2", None, None, None])  # row 32: mapped
    rows.append(["X", "Likes", None, None, None, None])  # row 33
    loaded = load_plan(write_workbook(tmp_path / "plan.xlsx", plan_with_sources("en", rows)))
    assert [(p.code, p.row) for p in loaded.problems] == [("source_unmapped", 2)]
    assert "no KPI ID yet on row(s) 2–31, 33 — " in loaded.problems[0].message


def test_a_plan_without_sources_is_fine(tmp_path):
    loaded = load_plan(write_workbook(tmp_path / "plan.xlsx", minimal_plan()))
    assert loaded.plan.sources == () and loaded.problems == ()


def test_the_user_s_own_sheet_called_sources_stays_theirs(tmp_path):
    own = [["Title", "Link", "Notes"], ["Industry report", "https://example.com", "Q2"]]
    loaded = load_plan(write_workbook(tmp_path / "plan.xlsx", minimal_plan(Sources=own)))
    assert loaded.problems == ()
    assert loaded.plan.sources == ()
    assert "Sources" in loaded.raw.extra_sheets and "sources" not in loaded.raw.sheets
    output = run_refresh(
        build(tmp_path / "built.xlsx", minimal_plan(Sources=own)), tmp_path / "o.xlsx"
    )
    ws = openpyxl.load_workbook(output)["Sources"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == own


def test_a_sources_sheet_without_kpi_id_or_value_is_says_what_that_means(tmp_path):
    rows = [["Platform", "Export column"], ["X", "Impressions"]]
    loaded = load_plan(write_workbook(tmp_path / "plan.xlsx", minimal_plan(Sources=rows)))
    assert sorted((p.code, p.message) for p in loaded.problems) == [
        (
            "missing_column",
            'the Sources sheet has no "KPI ID" column — no row is mapped: sheetplan import '
            "cannot tell which KPI a column feeds",
        ),
        (
            "missing_column",
            'the Sources sheet has no "Value is" column — every column is read as per period (a '
            "running total such as followers would be added up)",
        ),
        (
            "source_unmapped",
            "no KPI ID yet on row(s) 2 — suggestions only: sheetplan import uses a row once you "
            "pick its KPI",
        ),
    ]


def test_refresh_keeps_the_sources_sheet_as_stored(tmp_path):
    """An input sheet with nothing computed: its part is copied, never rewritten."""
    source = build(tmp_path / "plan.xlsx", plan_with_sources("en", SOURCES[:3] + SOURCES[9:11]))
    output = run_refresh(source, tmp_path / "out.xlsx")
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(output) as after:
        part = sheet_parts(before)["Sources"]
        assert sheet_parts(after)["Sources"] == part
        assert before.read(part) == after.read(part)
    ws = openpyxl.load_workbook(output)["Sources"]
    assert [c.value for c in ws[1]] == HEADER


def per_post_log() -> list[list]:
    """Three imports of 100 Douyin posts for K2 (sum), and two WeChat accounts for K1
    (latest): many rows share date, KPI and channel and differ only in Source."""
    rows = [["Date", "KPI ID", "Value", "Channel", "Source"]]
    rows += [[date(2026, 7, 10), "K1", 1200, "Weibo", "weibo.csv"]]
    rows += [[date(2026, 8, 10), "K1", 1500, "Weibo", "weibo.csv"]]
    for day in (date(2026, 7, 20), date(2026, 7, 27), date(2026, 8, 3)):
        rows += [[day, "K2", post, "Douyin", f"douyin:{post}"] for post in range(1, 101)]
    rows += [[date(2026, 8, 10), "K1", 300, "WeChat", "公众号 A"]]
    rows += [[date(2026, 8, 10), "K1", 200, "wechat", "公众号 B"]]
    return rows


def test_rows_differing_in_source_are_never_duplicates_and_all_count(tmp_path):
    source = build(tmp_path / "plan.xlsx", minimal_plan(Actuals=per_post_log()))
    loaded, results = engine(source)
    codes = {p.code for p in (*loaded.problems, *results.problems)}
    assert not codes & {"conflicting_actual", "duplicate_actual"}, codes
    assert len(loaded.plan.actuals) == 304
    kpis = {k.id: k for k in results.kpis}
    # K2 sums every post of every import: 3 × (1 + 2 + … + 100) = 3 × 5,050
    assert kpis["K2"].actual == 15_150
    # K1 latest: Weibo 1,500 (08-10) + WeChat, whose 08-10 holds two accounts: 300 + 200
    assert kpis["K1"].actual == 2_000
    output = run_refresh(source, tmp_path / "out.xlsx")
    checks = openpyxl.load_workbook(output, read_only=True)["Data Checks"]
    text = " ".join(str(c) for row in checks.iter_rows(values_only=True) for c in row if c)
    assert "same date, KPI" not in text and "repeats row" not in text
