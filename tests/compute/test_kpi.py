"""KPI actual, progress, status, stretch, staleness and forecast, worked by hand.

Unless a test says otherwise: KPI K1 of goal G1, baseline 0, target 100, running from
2026-01-01 to 2026-04-11 (100 days), as of 2026-02-20 (day 50) → expected 0.5; tolerances
on track 10 %, at risk 25 %.
"""

from __future__ import annotations

import pytest

from sheetplan.model import Aggregation
from sheetplan.results import KpiStatus

from factories import actual, actuals, by_id, computed, goal, kpi, plan, tactic

AGG = Aggregation


def one(k=None, log=(), **settings):
    """One KPI in a plan with one funded tactic (so no other problem is reported)."""
    p = plan(kpis=(k or kpi(),), tactics=(tactic(),), actuals=tuple(log), **settings)
    results = computed(p)
    return results.kpis[0], results


LOG = (
    actual("2026-01-10", 100, channel="Weibo", row=2),
    actual("2026-01-10", 50, channel="WeChat", row=3),
    actual("2026-01-20", 120, channel="Weibo", row=4),
    actual("2026-02-25", 999, channel="Weibo", row=5),  # after as-of: left out
    actual("2026-01-12", 7, kpi_id="K2", row=6),  # another KPI
)


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [
        # latest per channel, summed: Weibo 120 (01-20) + WeChat 50 = 170
        (AGG.LATEST, 170.0),
        # 100 + 50 + 120 = 270
        (AGG.SUM, 270.0),
        # 270 / 3 = 90
        (AGG.AVERAGE, 90.0),
        (AGG.MAX, 120.0),
        (AGG.MIN, 50.0),
    ],
)
def test_actual_for_every_aggregation(aggregation, expected) -> None:
    result, _ = one(kpi(aggregation=aggregation, target=1000.0), LOG)
    assert (result.actual, result.from_log) == (expected, True)
    assert result.last_update.isoformat() == "2026-01-20"


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [
        # start 01-15: rows before it are left out, except for latest
        (AGG.LATEST, 170.0),
        (AGG.SUM, 120.0),
        (AGG.AVERAGE, 120.0),
        (AGG.MIN, 120.0),
    ],
)
def test_rows_before_the_kpi_start_count_only_for_latest(aggregation, expected) -> None:
    result, _ = one(kpi(aggregation=aggregation, target=1000.0, start="2026-01-15"), LOG)
    assert result.actual == expected


def test_channels_match_ignoring_case_and_spaces() -> None:
    log = (
        actual("2026-01-10", 100, channel="Weibo", row=2),
        actual("2026-01-11", 80, channel=" WEIBO ", row=3),  # same channel, newer
        actual("2026-01-11", 5, channel=None, row=4),  # blank is a channel of its own
    )
    result, _ = one(kpi(), log)
    assert result.actual == 85.0  # 80 + 5


def test_exact_duplicate_rows_count_once() -> None:
    log = (actual("2026-01-10", 30, row=2), actual("2026-01-10", 30, row=3))
    result, _ = one(kpi(aggregation=AGG.SUM), log)
    assert result.actual == 30.0


def test_conflicting_duplicates_keep_the_lower_row() -> None:
    # same date, KPI and channel: row 7 (45) is lower on the sheet than row 3 (30)
    log = (
        actual("2026-01-10", 45, channel="X", row=7),
        actual("2026-01-10", 30, channel="x", row=3),
        actual("2026-01-05", 10, channel="X", row=2),
    )
    result, _ = one(kpi(aggregation=AGG.SUM), log)
    assert result.actual == 55.0  # 10 + 45


def test_rows_that_differ_in_source_are_separate_records() -> None:
    # same date, KPI and channel, three posts: nothing is a duplicate; "POST 2 " is post 2
    log = (
        actual("2026-01-10", 30, channel="Douyin", source="douyin:post 1", row=2),
        actual("2026-01-10", 45, channel="Douyin", source="douyin:post 2", row=3),
        actual("2026-01-10", 50, channel="douyin", source="Douyin:POST 2 ", row=4),  # correction
        actual("2026-01-10", 5, channel="Douyin", source=None, row=5),  # blank: its own source
    )
    result, _ = one(kpi(aggregation=AGG.SUM), log)
    assert result.actual == 85.0  # 30 + 50 (row 4 wins over row 3) + 5


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # 01-10: Weibo posts A 100 + B 40 = 140; WeChat 60 → 200
        ("2026-01-10", 200.0),
        # 01-15: Weibo's newest date holds A 110 only (B not measured again) → 110 + WeChat 60
        ("2026-01-15", 170.0),
        # 01-20: Weibo A 120 + C 30 = 150; WeChat 70 (its 01-20 file replaces 01-10's) → 220
        ("2026-01-20", 220.0),
    ],
)
def test_latest_sums_the_sources_of_each_channel_s_newest_date(as_of, expected) -> None:
    log = (
        actual("2026-01-10", 100, channel="Weibo", source="post A", row=2),
        actual("2026-01-10", 40, channel="Weibo", source="post B", row=3),
        actual("2026-01-10", 60, channel="WeChat", source="users_0110.xlsx", row=4),
        actual("2026-01-15", 110, channel="Weibo", source="post A", row=5),
        actual("2026-01-20", 120, channel="Weibo", source="post A", row=6),
        actual("2026-01-20", 30, channel="Weibo", source="post C", row=7),
        actual("2026-01-20", 70, channel="WeChat", source="users_0120.xlsx", row=8),
    )
    p = plan(kpis=(kpi(target=1000.0),), tactics=(tactic(),), actuals=log)
    assert computed(p, as_of).kpis[0].actual == expected


def test_only_current() -> None:
    # Current 40 → (40 − 0) / (100 − 0) = 0.4
    result, results = one(kpi(current=40.0))
    assert (result.actual, result.from_log, result.progress) == (40.0, False, 0.4)
    assert (result.last_update, result.stale, result.forecast) == (None, False, None)
    assert results.problems == ()


def test_log_wins_over_current_with_a_note() -> None:
    result, results = one(kpi(current=40.0, row=4), (actual("2026-02-10", 55, row=2),))
    assert result.actual == 55.0
    [note] = results.problems
    assert (note.code, note.severity.value, note.sheet, note.row, note.column) == (
        "log_over_current",
        "info",
        "KPIs",
        4,
        "Current",
    )


def test_no_data() -> None:
    result, _ = one(kpi())
    assert (result.actual, result.progress, result.status) == (None, None, KpiStatus.NO_DATA)
    assert result.expected == 0.5


@pytest.mark.parametrize(
    ("value", "progress", "status"),
    [
        # expected 0.5; on track down to 0.5 − 0.10 = 0.40, at risk down to 0.5 − 0.25 = 0.25
        (40, 0.40, KpiStatus.ON_TRACK),  # exactly at the on-track tolerance
        (39, 0.39, KpiStatus.AT_RISK),
        (25, 0.25, KpiStatus.AT_RISK),  # exactly at the at-risk tolerance
        (24, 0.24, KpiStatus.OFF_TRACK),
        (-10, -0.10, KpiStatus.OFF_TRACK),
        (100, 1.0, KpiStatus.ACHIEVED),
        (130, 1.3, KpiStatus.ACHIEVED),
    ],
)
def test_progress_and_status(value, progress, status) -> None:
    result, _ = one(kpi(current=float(value)))
    assert result.progress == pytest.approx(progress)
    assert result.status is status


def test_tolerance_boundary_with_a_baseline() -> None:
    # baseline 20, target 120: actual 60 → (60 − 20) / 100 = 0.4 = 0.5 − 0.1 → on track
    result, _ = one(kpi(baseline=20.0, target=120.0, current=60.0))
    assert result.status is KpiStatus.ON_TRACK


@pytest.mark.parametrize(
    ("as_of", "value", "expected", "status"),
    [
        # before start: not started, whatever the data says
        ("2025-12-31", 100, 0.0, KpiStatus.NOT_STARTED),
        # as-of equal to start: expected (0 − 0) / 100 = 0; 0 ≥ 0 − 0.1 → on track
        ("2026-01-01", 0, 0.0, KpiStatus.ON_TRACK),
        # as-of equal to due: expected 1; 0.9 ≥ 1 − 0.1 → on track (not missed yet)
        ("2026-04-11", 90, 1.0, KpiStatus.ON_TRACK),
        ("2026-04-11", 80, 1.0, KpiStatus.AT_RISK),
        # the day after due: missed unless achieved
        ("2026-04-12", 95, 1.0, KpiStatus.MISSED),
        ("2026-04-12", 100, 1.0, KpiStatus.ACHIEVED),
    ],
)
def test_status_at_the_ends_of_the_period(as_of, value, expected, status) -> None:
    results = computed(plan(kpis=(kpi(current=float(value)),)), as_of=as_of)
    assert (results.kpis[0].expected, results.kpis[0].status) == (expected, status)


@pytest.mark.parametrize(
    ("value", "stretch_progress", "status"),
    [
        # stretch 150: 150 / 150 = 1 → stretch achieved
        (150, 1.0, KpiStatus.STRETCH_ACHIEVED),
        # 120 / 150 = 0.8: target achieved, stretch not yet
        (120, 0.8, KpiStatus.ACHIEVED),
        # 60 / 150 = 0.4; progress 0.6 ≥ 0.4 → on track
        (60, 0.4, KpiStatus.ON_TRACK),
    ],
)
def test_stretch(value, stretch_progress, status) -> None:
    result, _ = one(kpi(stretch=150.0, current=float(value)))
    assert result.stretch_progress == pytest.approx(stretch_progress)
    assert result.status is status


@pytest.mark.parametrize(
    ("value", "progress", "status"),
    [
        # response time: baseline 60 min, target 30 (lower is better)
        # 45 → (45 − 60) / (30 − 60) = −15 / −30 = 0.5 ≥ 0.4 → on track
        (45, 0.5, KpiStatus.ON_TRACK),
        # 50 → −10 / −30 = 1/3: below 0.4, at or above 0.25 → at risk
        (50, 1 / 3, KpiStatus.AT_RISK),
        # 70 → 10 / −30 = −1/3 → off track (worse than the baseline)
        (70, -1 / 3, KpiStatus.OFF_TRACK),
        # 25 → −35 / −30 = 7/6 → achieved
        (25, 7 / 6, KpiStatus.ACHIEVED),
    ],
)
def test_lower_is_better(value, progress, status) -> None:
    result, _ = one(kpi(baseline=60.0, target=30.0, current=float(value)))
    assert result.lower_is_better is True
    assert result.progress == pytest.approx(progress)
    assert result.status is status


def test_stretch_for_lower_is_better() -> None:
    # baseline 60, target 30, stretch 20: 20 → (20 − 60) / (20 − 60) = 1 → stretch achieved
    result, _ = one(kpi(baseline=60.0, target=30.0, stretch=20.0, current=20.0))
    assert result.status is KpiStatus.STRETCH_ACHIEVED


def test_blank_baseline_is_zero_and_unreadable_one_is_unknown() -> None:
    blank, _ = one(kpi(baseline=None, current=50.0))
    bad, _ = one(kpi(baseline=None, invalid=frozenset({"baseline"}), current=50.0))
    assert blank.progress == 0.5
    assert (bad.progress, bad.status) == (None, None)


def test_missing_target_gives_no_progress_and_no_status() -> None:
    result, _ = one(kpi(target=None, current=50.0))
    assert (result.actual, result.progress, result.status) == (50.0, None, None)


# Dates: the KPI's own, else the goal's, else the plan's (settings, else min/max of goal dates)
def test_kpi_dates_fall_back_to_the_goal() -> None:
    # goal 2026-02-10 → 2026-03-02 (20 days); as of 02-20 → 10 / 20 = 0.5
    p = plan((goal(start="2026-02-10", due="2026-03-02"),), kpis=(kpi(current=1.0),))
    result = computed(p).kpis[0]
    assert (result.start.isoformat(), result.due.isoformat(), result.expected) == (
        "2026-02-10",
        "2026-03-02",
        0.5,
    )


def test_kpi_dates_fall_back_to_the_plan_settings() -> None:
    # goal without dates; plan 2026-02-15 → 2026-02-25 (10 days); as of 02-20 → 5 / 10 = 0.5
    p = plan(
        (goal(start=None, due=None),),
        kpis=(kpi(current=1.0),),
        plan_start="2026-02-15",
        plan_end="2026-02-25",
    )
    result = computed(p).kpis[0]
    assert (result.start.isoformat(), result.due.isoformat(), result.expected) == (
        "2026-02-15",
        "2026-02-25",
        0.5,
    )


def test_plan_dates_default_to_the_goal_dates() -> None:
    # plan start = earliest goal date (G2 02-10), end = latest (G3 03-12); 10 / 30 = 1/3
    goals = (
        goal("G1", start=None, due=None),
        goal("G2", start="2026-02-10", due="2026-03-01"),
        goal("G3", start="2026-02-11", due="2026-03-12"),
    )
    results = computed(plan(goals, kpis=(kpi(current=1.0),)))
    assert (results.frame.start.isoformat(), results.frame.end.isoformat()) == (
        "2026-02-10",
        "2026-03-12",
    )
    assert results.kpis[0].expected == pytest.approx(1 / 3)


def test_kpi_own_start_with_goal_due() -> None:
    # own start 02-10, goal due 04-11: 10 / 60 = 1/6
    result, _ = one(kpi(start="2026-02-10", current=1.0))
    assert (result.due.isoformat(), result.expected) == ("2026-04-11", pytest.approx(1 / 6))


@pytest.mark.parametrize(
    ("last", "stale"),
    [
        ("2026-02-06", False),  # 02-20 − 02-06 = 14 days: not more than 14
        ("2026-02-05", True),  # 15 days
    ],
)
def test_stale(last, stale) -> None:
    result, results = one(kpi(row=3), (actual(last, 10, row=2),))
    assert result.stale is stale
    codes = [(p.code, p.sheet, p.row, p.column) for p in results.problems]
    assert codes == ([("stale_kpi", "KPIs", 3, "Last update")] if stale else [])


def test_stale_after_days_from_settings_and_chinese_message() -> None:
    p = plan(
        kpis=(kpi(),), tactics=(tactic(),), actuals=(actual("2026-02-15", 10),), stale_after_days=3
    )
    results = computed(p, lang="zh")
    assert results.kpis[0].stale is True
    [warning] = results.problems
    assert (warning.sheet, warning.column) == ("关键指标", "最近更新")
    assert "2026-02-15" in warning.message and "5" in warning.message


def test_a_finished_kpi_is_stale_only_if_its_final_data_is_missing() -> None:
    # due 02-10: counted to the due date; last 01-31 → 10 days → fresh
    fresh, _ = one(kpi(due="2026-02-10"), (actual("2026-01-31", 10),))
    # last 01-20 → 21 days before due → stale
    stale, _ = one(kpi(due="2026-02-10"), (actual("2026-01-20", 10),))
    assert (fresh.stale, stale.stale) == (False, True)


def test_not_stale_before_the_kpi_starts() -> None:
    result, _ = one(kpi(start="2026-03-01"), (actual("2026-01-01", 10),))
    assert (result.status, result.stale) == (KpiStatus.NOT_STARTED, False)


# Forecast: days counted from the first point; due 2026-04-11 is day 100 from 2026-01-01
@pytest.mark.parametrize(
    ("points", "baseline", "target", "forecast", "on_course"),
    [
        # 10, 20, 30 on days 0, 10, 20: slope 1/day; 30 + 1 × 80 = 110 ≥ 100
        ((10, 20, 30), 0.0, 100.0, 110.0, True),
        # 10, 15, 20: slope 0.5; 20 + 0.5 × 80 = 60 < 100
        ((10, 15, 20), 0.0, 100.0, 60.0, False),
        # 0, 30, 30: mean x 10, mean y 20; sxy = (−10)(−20) + 0 + (10)(10) = 300;
        # sxx = 100 + 0 + 100 = 200; slope 1.5; 20 + 1.5 × (100 − 10) = 155
        ((0, 30, 30), 0.0, 100.0, 155.0, True),
        # lower is better, 60 → 30: 60, 55, 50 → slope −0.5; 50 − 0.5 × 80 = 10 ≤ 30
        ((60, 55, 50), 60.0, 30.0, 10.0, True),
        # 60, 59, 58 → slope −0.1; 58 − 0.1 × 80 = 50 > 30
        ((60, 59, 58), 60.0, 30.0, 50.0, False),
        # 20, 25, 30 → slope 0.5: forecast exactly the target 30 + 0.5 × 80 = 70 = 70
        ((20, 25, 30), 0.0, 70.0, 70.0, True),
    ],
)
def test_forecast_and_on_course(points, baseline, target, forecast, on_course) -> None:
    log = tuple(
        actual(day, value, row=i)
        for i, (day, value) in enumerate(
            zip(("2026-01-01", "2026-01-11", "2026-01-21"), points, strict=True), 2
        )
    )
    result, _ = one(kpi(baseline=baseline, target=target), log)
    assert result.forecast == pytest.approx(forecast)
    assert result.on_course is on_course


def test_forecast_needs_three_points() -> None:
    result, _ = one(kpi(), actuals("K1", ("2026-01-01", 10), ("2026-01-11", 20)))
    assert (result.forecast, result.on_course) == (None, None)


@pytest.mark.parametrize(
    ("aggregation", "forecast"),
    [
        # latest: channel sums per date: 01-01 A10 → 10; 01-11 B20 → 30; 01-21 A30 → 50;
        # slope 2 → 50 + 2 × 80 = 210
        (AGG.LATEST, 210.0),
        # sum: running totals 10, 30, 60: mean 100/3; sxy = (−10)(10 − 100/3) + 0 +
        # (10)(60 − 100/3) = 500; slope 500 / 200 = 2.5; 100/3 + 2.5 × 90 = 258.33…
        (AGG.SUM, 100 / 3 + 225),
        # average: that date's mean 10, 20, 30 → slope 1; 30 + 80 = 110
        (AGG.AVERAGE, 110.0),
        # max: running max 10, 20, 30 → 110; min: running min 10, 10, 10 → 10
        (AGG.MAX, 110.0),
        (AGG.MIN, 10.0),
    ],
)
def test_forecast_points_per_aggregation(aggregation, forecast) -> None:
    log = (
        actual("2026-01-01", 10, channel="A", row=2),
        actual("2026-01-11", 20, channel="B", row=3),
        actual("2026-01-21", 30, channel="A", row=4),
    )
    result, _ = one(kpi(aggregation=aggregation, target=100.0), log)
    assert result.forecast == pytest.approx(forecast)


def test_average_point_is_that_dates_mean_and_the_actual_the_running_mean() -> None:
    log = (
        actual("2026-01-01", 10, channel="A", row=2),
        actual("2026-01-01", 30, channel="B", row=3),  # mean of 01-01: 20
        actual("2026-01-11", 30, row=4),
        actual("2026-01-21", 40, row=5),
    )
    result, _ = one(kpi(aggregation=AGG.AVERAGE), log)
    # actual: (10 + 30 + 30 + 40) / 4 = 27.5; points 20, 30, 40 → slope 1 → 40 + 80 = 120
    assert result.actual == 27.5
    assert result.forecast == pytest.approx(120.0)


def test_each_kpi_reads_only_its_own_rows() -> None:
    results = computed(plan(kpis=(kpi("K1"), kpi("K2")), actuals=LOG))
    assert by_id(results.kpis)["K2"].actual == 7.0
