"""The import's bookkeeping against the log, without files: every expected number by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sheetplan.imports.exports import Export, ExportRow
from sheetplan.imports.mapping import Log, import_export, source_key, source_text
from sheetplan.model import Actual, Aggregation, Kpi, Platform, SourceMapping, ValueKind

D = date
JULY_31 = date(2026, 7, 31)
IMPRESSIONS = Kpi("K1", "G1", target=10_000, aggregation=Aggregation.SUM)
FOLLOWERS = Kpi("K2", "G1", target=5_000, aggregation=Aggregation.LATEST)
VIEWS = Kpi("K3", "G1", target=50_000, aggregation=Aggregation.SUM)
KPIS = (IMPRESSIONS, FOLLOWERS, VIEWS)
SOURCES = (
    SourceMapping(Platform.X, "Impressions", "K1", "Twitter/X", row=2),
    SourceMapping(Platform.WECHAT, "累积关注人数", "K2", "WeChat", ValueKind.RUNNING_TOTAL, row=3),
    SourceMapping(Platform.DOUYIN, "播放量", "K3", "Douyin", ValueKind.RUNNING_TOTAL, row=4),
)


def export(platform, rows, *, columns, cumulative=False, on=JULY_31, per_post=False):
    return Export(
        path=Path("export.csv"),
        platform=platform,
        layout="test",
        columns=columns,
        rows=tuple(ExportRow(i + 2, *row) for i, row in enumerate(rows)),
        per_post=per_post,
        cumulative=cumulative,
        exported_on=on,
    )


def x_days(*days):
    return export(
        Platform.X,
        [(D(2026, 7, d), None, {"Impressions": v}) for d, v in days],
        columns=("Impressions", "Likes"),
    )


def run(log, *exports):
    return [import_export(e, SOURCES, KPIS, log, "en") for e in exports]


def test_a_day_export_adds_a_row_per_day_and_mapped_column() -> None:
    log = Log([])
    (result,) = run(log, x_days((1, 1200.0), (2, 1350.0)))
    assert (result.added, len(result.updated), result.unchanged) == (2, 0, 0)
    assert [(r.date, r.kpi_id, r.value, r.channel, r.source) for r in log.added] == [
        (D(2026, 7, 1), "K1", 1200.0, "Twitter/X", "X"),
        (D(2026, 7, 2), "K1", 1350.0, "Twitter/X", "X"),
    ]


def test_importing_the_same_file_twice_adds_nothing() -> None:
    log = Log(
        [
            Actual(D(2026, 7, 1), "K1", 1200.0, "Twitter/X", "X", row=5),
            Actual(D(2026, 7, 2), "K1", 1350.0, "twitter/x ", "x", row=6),
        ]
    )
    (result,) = run(log, x_days((1, 1200.0), (2, 1350.0)))
    assert (result.added, result.updated, result.unchanged) == (0, [], 2)
    assert log.added == [] and log.updates == {}


def test_an_overlapping_newer_export_updates_what_moved_and_adds_the_new_days() -> None:
    log = Log(
        [
            Actual(D(2026, 7, 1), "K1", 1200.0, "Twitter/X", "X", row=5),
            Actual(D(2026, 7, 2), "K1", 1350.0, "Twitter/X", "X", row=6),
        ]
    )
    (result,) = run(log, x_days((2, 1400.0), (3, 900.0)))
    assert result.added == 1 and result.unchanged == 0
    assert [(u.row, u.old, u.new) for u in result.updated] == [(6, 1350.0, 1400.0)]
    assert log.updates == {6: 1400.0}
    assert [(r.date, r.value) for r in log.added] == [(D(2026, 7, 3), 900.0)]


def test_a_conflict_already_in_the_log_is_updated_on_the_row_that_counts() -> None:
    log = Log(
        [
            Actual(D(2026, 7, 2), "K1", 1000.0, "Twitter/X", "X", row=6),
            Actual(D(2026, 7, 2), "K1", 1350.0, "Twitter/X", "X", row=9),
        ]
    )
    (result,) = run(log, x_days((2, 1400.0)))
    assert log.updates == {9: 1400.0}
    assert result.updated[0].old == 1350.0


def test_rows_of_different_posts_on_one_day_are_different_records() -> None:
    posts = export(
        Platform.X,
        [
            (D(2026, 7, 1), "1789", {"Impressions": 500.0}),
            (D(2026, 7, 1), "1790", {"Impressions": 700.0}),
        ],
        columns=("Impressions",),
        per_post=True,
    )
    log = Log([Actual(D(2026, 7, 1), "K1", 900.0, "Twitter/X", None, row=4)])
    (result,) = run(log, posts)
    assert result.added == 2
    assert [r.source for r in log.added] == ["X 1789", "X 1790"]


def test_a_lifetime_per_post_export_becomes_increases_between_imports() -> None:
    def douyin(on, views):
        return export(
            Platform.DOUYIN,
            [(on, "春日开箱", {"播放量": views})],
            columns=("播放量",),
            cumulative=True,
            per_post=True,
            on=on,
        )

    log = Log([])
    run(log, douyin(D(2026, 7, 1), 1000.0), douyin(D(2026, 7, 8), 1500.0))
    assert [(r.date, r.value, r.source) for r in log.added] == [
        (D(2026, 7, 1), 1000.0, "Douyin 春日开箱"),
        (D(2026, 7, 8), 500.0, "Douyin 春日开箱"),  # 1,500 seen − 1,000 already counted
    ]
    (again,) = run(log, douyin(D(2026, 7, 8), 1500.0))
    assert (again.added, again.unchanged) == (0, 1)

    # The same pair as it stands in a saved log, with an older export found late: 1,200 on
    # July 4 is 200 over July 1, and July 8's increase shrinks to 1,500 − 1,200 = 300.
    saved = Log(
        [
            Actual(D(2026, 7, 1), "K3", 1000.0, "Douyin", "抖音 春日开箱", row=2),
            Actual(D(2026, 7, 8), "K3", 500.0, "Douyin", "抖音 春日开箱", row=3),
        ]
    )
    (late,) = run(saved, douyin(D(2026, 7, 4), 1200.0))
    assert [(r.date, r.value) for r in saved.added] == [(D(2026, 7, 4), 200.0)]
    assert saved.updates == {3: 300.0}
    assert [(u.row, u.old, u.new) for u in late.updated] == [(3, 500.0, 300.0)]


def test_a_running_total_for_a_latest_kpi_stays_a_level() -> None:
    growth = export(
        Platform.WECHAT,
        [
            (D(2026, 7, 1), None, {"累积关注人数": 3210.0}),
            (D(2026, 7, 2), None, {"累积关注人数": 3250.0}),
        ],
        columns=("累积关注人数", "新关注人数"),
    )
    log = Log([])
    run(log, growth)
    assert [(r.date, r.value, r.source) for r in log.added] == [
        (D(2026, 7, 1), 3210.0, "WeChat"),
        (D(2026, 7, 2), 3250.0, "WeChat"),
    ]


def test_a_file_whose_columns_no_sources_row_maps_is_unmapped() -> None:
    tiktok = export(Platform.TIKTOK, [(D(2026, 7, 1), None, {"Likes": 3.0})], columns=("Likes",))
    (result,) = run(Log([]), tiktok)
    assert result.unmapped and result.added == 0


def test_a_blank_value_cell_adds_nothing() -> None:
    blank = export(Platform.X, [(D(2026, 7, 2), None, {})], columns=("Impressions",))
    (result,) = run(Log([]), blank)
    assert result.added == 0 and result.unchanged == 0 and result.updated == []


def test_sources_match_across_languages_case_and_width() -> None:
    assert source_key("抖音 春日开箱") == source_key("Douyin 春日开箱") == "douyin 春日开箱"
    assert source_key("ｘ  1789") == source_key("X 1789") == "x 1789"
    assert source_key("my own note") == "my own note"
    assert source_text(Platform.WECHAT, None, "zh") == "微信公众号"
    assert source_text(Platform.XIAOHONGSHU, "夏日穿搭", "zh") == "小红书 夏日穿搭"


def test_one_export_column_mapped_twice_to_a_kpi_counts_once() -> None:
    """`likes` and its old name `favorites` on two Sources rows (two channels) are one column
    of the file: its numbers reach the KPI once, on the first row's channel."""
    likes = Export(
        path=Path("tweets.csv"),
        platform=Platform.X,
        layout="test",
        columns=("likes",),
        rows=(ExportRow(2, D(2026, 7, 1), "1789", {"likes": 31.0}),),
        per_post=True,
        cumulative=False,
        exported_on=JULY_31,
        aliases={"likes": frozenset({"likes", "favorites"})},
    )
    sources = (
        SourceMapping(Platform.X, "likes", "K1", "X", row=2),
        SourceMapping(Platform.X, "favorites", "K1", "Twitter", row=3),
    )
    log = Log([])
    result = import_export(likes, sources, KPIS, log, "en")
    assert [(c, m.row) for c, m in result.mapped] == [("likes", 2)]
    assert [(r.value, r.channel) for r in log.added] == [(31.0, "X")]
