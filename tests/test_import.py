"""`sheetplan import` end to end: each platform's export into a plan's Actuals, in place.

Every expected row is read off the export builders' documented defaults (tests/exportfiles.py)
and the Sources rows below; nothing is computed by the code under test."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import exportfiles as ex
import pytest
from click.testing import CliRunner

from sheetplan.cli import main

from workbooks import minimal_plan, write_workbook

D = date
SOURCES = [
    ["Platform", "Export column", "KPI ID", "Channel", "Value is"],
    ["X", "Impressions", "K2", "X", "Per period"],
    ["Facebook", "Reach", "K2", "Facebook", "Per period"],
    ["Instagram", "Reach", "K2", "Instagram", "Per period"],
    ["LinkedIn", "Impressions (total)", "K2", "LinkedIn", "Per period"],
    ["TikTok", "Video Views", "K2", "TikTok", "Per period"],
    ["TikTok", "Followers", "K1", "TikTok", "Running total"],
    ["YouTube", "Views", "K2", "YouTube", "Per period"],
    ["WeChat", "累积关注人数", "K1", "WeChat", "Running total"],
    ["WeChat", "图文页阅读人数", "K2", "WeChat", "Per period"],
    ["Douyin", "播放量", "K2", "Douyin", "Running total"],
    ["Xiaohongshu", "观看量", "K2", "Xiaohongshu", "Running total"],
]
LOG = [
    ["Date", "KPI ID", "Value", "Channel", "Source", "Notes"],
    [D(2026, 7, 10), "K1", 1200, "Weibo", None, None],
    [D(2026, 8, 10), "K1", 1500, "Weibo", None, None],
]
FIRST_NEW = len(LOG) + 1
"""The sheet row of the first imported row."""


def plan_file(folder: Path, *, log=LOG, sources=SOURCES) -> Path:
    sheets = minimal_plan(Actuals=log)
    sheets["Sources"] = sources
    return write_workbook(folder / "plan.xlsx", sheets)


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def log_rows(plan: Path, first: int = FIRST_NEW) -> list[tuple]:
    """The Actuals rows from `first` on, as calamine reads them (dates as dates)."""
    import python_calamine

    sheet = python_calamine.CalamineWorkbook.from_path(str(plan)).get_sheet_by_name("Actuals")
    rows = sheet.to_python()[first - 1 :]
    out = []
    for row in rows:
        day = row[0].date() if isinstance(row[0], datetime) else row[0]
        out.append((day, row[1], row[2], row[3], row[4]))
    return out


def entries(path: Path) -> dict[str, int]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: info.CRC for info in archive.infolist()}


FACEBOOK = [
    (D(2026, 7, 2), "K2", 3980, "Facebook", "Facebook 1234567890_1001"),
    (D(2026, 7, 15), "K2", 1650, "Facebook", "Facebook 1234567890_1002"),
    (D(2026, 7, 27), "K2", 600, "Facebook", "Facebook 1234567890_1003"),
]

TIKTOK = [  # no year in the file: it was taken on 2027-01-03, so December is 2026
    (D(2026, 12, 30), "K2", 1200, "TikTok", "TikTok"),
    (D(2026, 12, 31), "K2", 1500, "TikTok", "TikTok"),
    (D(2027, 1, 1), "K2", 900, "TikTok", "TikTok"),
    (D(2027, 1, 2), "K2", 1100, "TikTok", "TikTok"),
]

YOUTUBE = [  # the Total row is skipped
    (D(2026, 7, 14), "K2", 3200, "YouTube", "YouTube dQw4w9WgXcQ"),
    (D(2026, 7, 28), "K2", 2200, "YouTube", "YouTube a1B2c3D4e5F"),
]

WECHAT_GROWTH = [
    (D(2026, 7, 1), "K1", 10031, "WeChat", "WeChat"),
    (D(2026, 7, 2), "K1", 10053, "WeChat", "WeChat"),
    (D(2026, 7, 3), "K1", 10090, "WeChat", "WeChat"),
]

# (builder, kwargs, Actuals rows expected: date, KPI, value, channel, source)
PLATFORMS = {
    "x_content": (
        ex.x_content_csv,
        {},
        [
            (D(2026, 7, 14), "K2", 1234, "X", "X 1944000000000000001"),
            (D(2026, 7, 20), "K2", 880, "X", "X 1944000000000000002"),
            (D(2026, 7, 31), "K2", 2045, "X", "X 1944000000000000003"),
        ],
    ),
    "x_overview": (
        ex.x_overview_csv,
        {},
        [  # newest first in the file, as X writes it
            (D(2026, 7, 3), "K2", 2310, "X", "X"),
            (D(2026, 7, 2), "K2", 1980, "X", "X"),
            (D(2026, 7, 1), "K2", 2500, "X", "X"),
        ],
    ),
    "x_legacy": (
        ex.x_tweet_activity_csv,
        {"favorites": True},
        [
            (D(2026, 7, 14), "K2", 1203, "X", "X 1813000000000000001"),
            (D(2026, 7, 20), "K2", 880, "X", "X 1813000000000000002"),
            (D(2026, 8, 1), "K2", 410, "X", "X 1813000000000000003"),
        ],
    ),
    "facebook_en": (
        ex.facebook_posts_csv,
        {},
        FACEBOOK,
    ),
    "facebook_zh": (
        ex.facebook_posts_csv,
        {"lang": "zh"},
        FACEBOOK,
    ),
    "instagram": (
        ex.instagram_posts_csv,
        {},
        [
            (D(2026, 7, 3), "K2", 2100, "Instagram", "Instagram 17890000000000001"),
            (D(2026, 7, 18), "K2", 3050, "Instagram", "Instagram 17890000000000002"),
            (D(2026, 7, 29), "K2", 9900, "Instagram", "Instagram 17890000000000003"),
        ],
    ),
    "linkedin": (
        ex.linkedin_content_xlsx,
        {},
        [  # Impressions (total) = organic + sponsored
            (D(2026, 7, 1), "K2", 1500, "LinkedIn", "LinkedIn"),
            (D(2026, 7, 2), "K2", 1520, "LinkedIn", "LinkedIn"),
            (D(2026, 7, 3), "K2", 980, "LinkedIn", "LinkedIn"),
        ],
    ),
    "tiktok_en": (
        ex.tiktok_overview_csv,
        {},
        TIKTOK,
    ),
    "tiktok_zh": (
        ex.tiktok_overview_csv,
        {"lang": "zh"},
        TIKTOK,
    ),
    "tiktok_followers": (
        ex.tiktok_followers_csv,
        {},
        [  # a running total for a "latest" KPI stays a level; `undefined` is no value
            (D(2026, 8, 29), "K1", 1020, "TikTok", "TikTok"),
            (D(2026, 8, 31), "K1", 1031, "TikTok", "TikTok"),
        ],
    ),
    "youtube_en": (
        ex.youtube_table_csv,
        {},
        YOUTUBE,
    ),
    "youtube_zh": (
        ex.youtube_table_csv,
        {"lang": "zh"},
        YOUTUBE,
    ),
    "wechat_growth": (
        ex.wechat_growth_xlsx,
        {},
        WECHAT_GROWTH,
    ),
    "wechat_growth_gb18030": (
        ex.wechat_growth_csv,
        {},
        WECHAT_GROWTH,
    ),
    "wechat_articles": (
        ex.wechat_articles_xlsx,
        {},
        [
            (D(2026, 7, 2), "K2", 1830, "WeChat", "WeChat 夏季新品上市"),
            (D(2026, 7, 9), "K2", 1210, "WeChat", "WeChat 烘焙师的一天"),
        ],
    ),
    "douyin": (
        ex.douyin_works_xlsx,
        {},
        [  # lifetime totals, first import: the whole total, dated the export day; 1.2万 = 12000
            (D(2026, 7, 31), "K2", 12000, "Douyin", "Douyin 夏日冰咖啡教程"),
            (D(2026, 7, 31), "K2", 5400, "Douyin", "Douyin 烘焙师的一天"),
        ],
    ),
    "xiaohongshu": (
        ex.xiaohongshu_notes_xlsx,
        {},
        [
            (
                D(2026, 7, 31),
                "K2",
                23000,
                "Xiaohongshu",
                "Xiaohongshu 夏日冰咖啡｜三步做出店里的味道",
            ),
            (D(2026, 7, 31), "K2", 8600, "Xiaohongshu", "Xiaohongshu 咖啡豆怎么选？新手指南"),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(PLATFORMS))
def test_each_platform_export_becomes_the_expected_actuals_rows(tmp_path, name) -> None:
    build, options, expected = PLATFORMS[name]
    plan = plan_file(tmp_path)
    before = entries(plan)
    export = build(tmp_path, **options)

    result = run("import", plan, export)
    assert result.exit_code == 0, result.output
    assert f"{len(expected)} added" in result.output
    assert log_rows(plan) == expected
    assert log_rows(plan, 2)[:2] == [
        (D(2026, 7, 10), "K1", 1200, "Weibo", ""),
        (D(2026, 8, 10), "K1", 1500, "Weibo", ""),
    ]
    after = entries(plan)
    changed = {name for name in before if after.get(name) != before[name]}
    assert changed <= {"xl/worksheets/sheet7.xml", "xl/styles.xml"}, changed
    assert "xl/worksheets/sheet7.xml" in changed  # Actuals, the seventh sheet written

    again = run("import", plan, export)
    assert again.exit_code == 0, again.output
    assert f"0 added · 0 updated · {len(expected)} unchanged" in again.output
    assert entries(plan) == after


def test_a_chinese_plan_names_platforms_in_chinese(tmp_path) -> None:
    from workbooks import in_chinese

    sheets = in_chinese(minimal_plan(Actuals=LOG))
    sheets["数据源"] = [
        ["平台", "导出列", "指标 ID", "渠道", "数值类型"],
        ["抖音", "播放量", "K2", "抖音", "累计值"],
        ["微信公众号", "累积关注人数", "K1", "微信", "累计值"],
    ]
    plan = write_workbook(tmp_path / "计划.xlsx", sheets)
    result = run("import", plan, ex.douyin_works_xlsx(tmp_path), ex.wechat_growth_xlsx(tmp_path))
    assert result.exit_code == 0, result.output
    assert "新增 2" in result.output and "新增 3" in result.output
    import python_calamine

    rows = python_calamine.CalamineWorkbook.from_path(str(plan)).get_sheet_by_name("数据记录")
    new = [tuple(r[1:5]) for r in rows.to_python()[FIRST_NEW - 1 :]]
    assert new == [
        ("K2", 12000, "抖音", "抖音 夏日冰咖啡教程"),
        ("K2", 5400, "抖音", "抖音 烘焙师的一天"),
        ("K1", 10031, "微信", "微信公众号"),
        ("K1", 10053, "微信", "微信公众号"),
        ("K1", 10090, "微信", "微信公众号"),
    ]


def test_an_overlapping_newer_export_updates_changed_values_in_place(tmp_path) -> None:
    plan = plan_file(tmp_path)
    assert run("import", plan, ex.x_overview_csv(tmp_path)).exit_code == 0
    newer = ex.x_overview_csv(
        tmp_path / "account_overview_analytics_2.csv",
        rows=[
            ("Sat, Jul 4, 2026", "1,700", *["0"] * 12),
            ("Fri, Jul 3, 2026", "2,410", *["0"] * 12),  # was 2,310: X recounted
            ("Thu, Jul 2, 2026", "1,980", *["0"] * 12),
        ],
    )
    result = run("import", plan, newer)
    assert result.exit_code == 0, result.output
    assert "1 added · 1 updated · 1 unchanged" in result.output
    assert "K2 2026-07-03 2,310 → 2,410" in result.output
    assert log_rows(plan) == [
        (D(2026, 7, 3), "K2", 2410, "X", "X"),  # the same row, its value updated
        (D(2026, 7, 2), "K2", 1980, "X", "X"),
        (D(2026, 7, 1), "K2", 2500, "X", "X"),
        (D(2026, 7, 4), "K2", 1700, "X", "X"),
    ]


def test_a_lifetime_export_taken_later_adds_only_the_increase(tmp_path) -> None:
    plan = plan_file(tmp_path)
    assert run("import", plan, ex.douyin_works_xlsx(tmp_path)).exit_code == 0
    later = tmp_path / "later"
    later.mkdir()
    week_on = ex.douyin_works_xlsx(
        later,
        rows=[
            ("夏日冰咖啡教程", "2026-07-02 18:00", "视频", "已通过", "1.5万", *["-"] * 11),
            ("烘焙师的一天", "2026-07-10 12:30", "视频", "已通过", 5400, *["-"] * 11),
        ],
        exported=D(2026, 8, 7),
    )
    result = run("import", plan, week_on)
    assert result.exit_code == 0, result.output
    # 15,000 − 12,000 = 3,000 more views; the other video did not move: no row for it
    assert "1 added · 0 updated · 1 unchanged" in result.output
    assert log_rows(plan) == [
        (D(2026, 7, 31), "K2", 12000, "Douyin", "Douyin 夏日冰咖啡教程"),
        (D(2026, 7, 31), "K2", 5400, "Douyin", "Douyin 烘焙师的一天"),
        (D(2026, 8, 7), "K2", 3000, "Douyin", "Douyin 夏日冰咖啡教程"),
    ]


def test_refresh_after_an_import_counts_the_imported_rows(tmp_path) -> None:
    """K2 (sum, baseline 0, target 500, current 120) gets three posts: 1,234 + 880 + 2,045."""
    import openpyxl

    plan = plan_file(tmp_path)
    assert run("import", plan, ex.x_content_csv(tmp_path)).exit_code == 0
    result = run("refresh", plan, "--as-of", "2026-08-15")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(plan, data_only=True)["KPIs"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "K2")
    assert row[header.index("Actual")] == 1234 + 880 + 2045


@pytest.mark.parametrize(
    "content, says",
    [
        (b"Name,Age\nAnn,31\n", "not a platform export"),
        (b"", "the file is empty"),
        ("时间,新关注人数\n".encode() + b"\xff\x80\xff\x80 broken", "not UTF-8"),
    ],
    ids=["unknown", "empty", "encoding"],
)
def test_an_unusable_export_is_one_line_and_leaves_the_plan_alone(tmp_path, content, says):
    plan = plan_file(tmp_path)
    before = plan.read_bytes()
    export = tmp_path / "export.csv"
    export.write_bytes(content)
    result = run("import", plan, export)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("export.csv")]
    assert len(lines) == 1 and says in lines[0], result.output
    assert "nothing imported" in result.output
    assert plan.read_bytes() == before
    assert not (tmp_path / "sheetplan backups").exists()


def test_an_unmapped_export_lists_its_columns_and_how_to_map_them(tmp_path) -> None:
    plan = plan_file(tmp_path, sources=[*SOURCES[:1], ["X", "Impressions", "K2", "X", ""]])
    before = plan.read_bytes()
    result = run("import", plan, ex.tiktok_viewers_csv(tmp_path))
    assert result.exit_code == 1
    assert "Viewers.csv: TikTok export, but no row on Sources maps its columns" in result.output
    assert "Total Viewers" in result.output and 'Platform "TikTok"' in result.output
    assert plan.read_bytes() == before


def test_dry_run_says_what_would_change_and_writes_nothing(tmp_path) -> None:
    plan = plan_file(tmp_path)
    before = plan.read_bytes()
    result = run("import", plan, ex.x_content_csv(tmp_path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "3 added" in result.output and "dry run — 3 rows would be added" in result.output
    assert plan.read_bytes() == before


def test_json_says_what_each_file_did(tmp_path) -> None:
    plan = plan_file(tmp_path)
    result = run(
        "import", plan, ex.x_content_csv(tmp_path), ex.tiktok_viewers_csv(tmp_path), "--json"
    )
    assert result.exit_code == 1  # the TikTok viewers file is not mapped
    data = json.loads(result.output)
    x, tiktok = data["files"]
    assert (data["added"], data["updated"], data["written"]) == (3, 0, True)
    assert x["status"] == "imported" and x["platform"] == "x" and x["added"] == 3
    assert x["mapped"] == {"Impressions": "K2"}
    assert x["skipped"] == [{"line": 4, "reason": "export.skip.no_post"}]
    assert tiktok["status"] == "unmapped" and "Total Viewers" in tiktok["columns"]


def test_injection_text_stays_text_and_formula_cells_are_not_numbers(tmp_path) -> None:
    plan = plan_file(tmp_path)
    export = ex.x_content_csv(
        tmp_path,
        rows=[
            ("1944000000000000009", "Tue, Jul 14, 2026", '=HYPERLINK("http://x.test","hi")',
             "500", *["0"] * 12),
            ("1944000000000000010", "Wed, Jul 15, 2026", "@SUM(A1:A9)", "=1+2", *["0"] * 12),
        ],
    )  # fmt: skip
    result = run("import", plan, export)
    assert result.exit_code == 0, result.output
    assert "not a number: 1" in result.output
    with zipfile.ZipFile(plan) as archive:
        sheet = archive.read("xl/worksheets/sheet7.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    import openpyxl

    notes = [row[5] for row in openpyxl.load_workbook(plan)["Actuals"].iter_rows(values_only=True)]
    assert notes[-1] == '=HYPERLINK("http://x.test","hi")'
    assert log_rows(plan) == [(D(2026, 7, 14), "K2", 500, "X", "X 1944000000000000009")]


def test_a_50_mb_export_imports_its_rows(tmp_path) -> None:
    """10,000 posts with 5 KB of text each: read in bounded memory (test_exports) and all
    10,000 appended."""
    text = "Long caption " * 400
    rows = [
        (str(1950000000000000000 + i), "Tue, Jul 14, 2026", text, str(i + 1), *["0"] * 12)
        for i in range(10_000)
    ]
    export = ex.x_content_csv(tmp_path, rows=rows)
    assert export.stat().st_size > 50_000_000
    plan = plan_file(tmp_path)
    result = run("import", plan, export)
    assert result.exit_code == 0, result.output
    assert "10000 added" in result.output
    imported = log_rows(plan)
    assert len(imported) == 10_000
    assert sum(row[2] for row in imported) == 10_000 * 10_001 // 2


def test_a_total_under_the_log_refuses_and_leaves_the_plan_alone(tmp_path) -> None:
    log = [*LOG, ["Total", None, "=SUM(C2:C3)", None, None, None]]
    plan = plan_file(tmp_path, log=log)
    before = plan.read_bytes()
    result = run("import", plan, ex.x_content_csv(tmp_path))
    assert result.exit_code == 1
    assert "Actuals: cannot add rows" in result.output and "total" in result.output
    assert plan.read_bytes() == before


def test_a_plan_without_actuals_says_so(tmp_path) -> None:
    sheets = minimal_plan()
    del sheets["Actuals"]
    sheets["Sources"] = SOURCES
    plan = write_workbook(tmp_path / "plan.xlsx", sheets)
    result = run("import", plan, ex.x_content_csv(tmp_path))
    assert result.exit_code == 1
    assert "there is no Actuals sheet to import into" in result.output


def test_the_sample_imports_with_its_own_sources(tmp_path) -> None:
    """The sample maps X Impressions to K2 on channel X: `sheetplan new --sample` is ready."""
    plan = tmp_path / "sample.xlsx"
    shutil.copy(Path(__file__).parents[1] / "samples" / "sample_en.xlsx", plan)
    result = run("import", plan, ex.x_content_csv(tmp_path))
    assert result.exit_code == 0, result.output
    assert "X posts — 3 added" in result.output


def test_a_100000_row_per_post_log_refreshes_without_conflict_warnings(tmp_path) -> None:
    """The log `sheetplan import` writes: 40 posts share each (date, KPI, channel), told apart
    by Source. Before the key had Source in it, this log gave tens of thousands of warnings."""
    import sys

    import python_calamine

    from sheetplan import api

    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    try:
        from run import write_plan
    finally:
        sys.path.pop(0)
    plan = tmp_path / "posts.xlsx"
    write_plan(plan, 100_000, per_post=True)
    log = python_calamine.CalamineWorkbook.from_path(str(plan)).get_sheet_by_name("Actuals")
    rows = log.to_python()[1:]
    assert len(rows) == 100_000
    assert len({(r[0], r[1], r[3]) for r in rows}) <= 100_000 // 40
    assert len({(r[0], r[1], r[3], r[4]) for r in rows}) == 100_000

    loaded, _ = api.summarize(plan)
    codes = {p.code for p in loaded.problems}
    assert "conflicting_actual" not in codes and "duplicate_actual" not in codes
    report = api.refresh(plan, backup=False)
    assert report.errors == 0
    warnings = [p for p in loaded.problems if p.severity.value == "warning"]
    assert report.warnings == len(warnings)


def test_a_plan_made_before_the_sources_sheet_is_told_to_add_one(tmp_path) -> None:
    plan = write_workbook(tmp_path / "plan.xlsx", minimal_plan(Actuals=LOG))
    before = plan.read_bytes()
    result = run("import", plan, ex.x_content_csv(tmp_path))
    assert result.exit_code == 1
    assert "the plan has no Sources sheet" in result.output and "Impressions" in result.output
    assert plan.read_bytes() == before
