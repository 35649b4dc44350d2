"""Goal roll-up, status, time frame and SMART, worked by hand (goal G1: 2026-01-01 → 04-11,
as of 02-20, so expected = 0.5)."""

from __future__ import annotations

import pytest

from sheetplan.results import KpiStatus, TimeFrame

from factories import actuals, computed, goal, kpi, plan, tactic


def goal_result(goals=None, kpis=(), **kw):
    results = computed(plan(goals, kpis=kpis, tactics=(tactic(),), **kw))
    return results.goals[0]


def test_progress_is_the_weighted_mean_of_clamped_kpi_progress() -> None:
    kpis = (
        kpi("K1", current=50.0),  # 0.5, weight blank = 1
        kpi("K2", current=140.0, weight=3.0),  # 1.4 clamped to 1, weight 3
        kpi("K3"),  # no data: left out
    )
    # (0.5 × 1 + 1 × 3) / (1 + 3) = 3.5 / 4 = 0.875
    g = goal_result(kpis=kpis)
    assert g.progress == 0.875
    assert (g.expected, g.status) == (0.5, KpiStatus.ON_TRACK)


@pytest.mark.parametrize(
    ("values", "weights", "progress", "status"),
    [
        # −0.2 clamped to 0, 0.6: (0 + 0.6) / 2 = 0.3 → below 0.4, at least 0.25 → at risk
        ((-20.0, 60.0), (None, None), 0.3, KpiStatus.AT_RISK),
        # weights 1 and 0: (0.2 × 1 + 0.4 × 0) / (1 + 0) = 0.2 → below 0.25 → off track
        ((20.0, 40.0), (1.0, 0.0), 0.2, KpiStatus.OFF_TRACK),
        # both achieved: (1 + 1) / 2 = 1 → achieved
        ((100.0, 150.0), (None, None), 1.0, KpiStatus.ACHIEVED),
    ],
)
def test_rollup_table(values, weights, progress, status) -> None:
    kpis = tuple(
        kpi(f"K{i}", current=v, weight=w)
        for i, (v, w) in enumerate(zip(values, weights, strict=True))
    )
    g = goal_result(kpis=kpis)
    assert g.progress == pytest.approx(progress)
    assert g.status is status


def test_goal_without_kpi_data_has_no_data() -> None:
    g = goal_result(kpis=(kpi(),))
    assert (g.progress, g.status) == (None, KpiStatus.NO_DATA)


def test_unreadable_kpi_weight_leaves_that_kpi_out() -> None:
    kpis = (kpi("K1", current=20.0), kpi("K2", current=80.0, invalid=frozenset({"weight"})))
    assert goal_result(kpis=kpis).progress == 0.2


def test_goal_status_uses_the_goal_dates() -> None:
    # goal 02-10 → 03-02 (20 days): missed once past due with progress 0.5
    g = goal_result((goal(start="2026-02-10", due="2026-02-19"),), kpis=(kpi(current=50.0),))
    assert g.status is KpiStatus.MISSED


def test_goal_dates_fall_back_to_the_plan() -> None:
    # plan 02-15 → 02-25: expected 5 / 10 = 0.5
    g = goal_result(
        (goal(start=None, due=None),),
        kpis=(kpi(current=50.0),),
        plan_start="2026-02-15",
        plan_end="2026-02-25",
    )
    assert (g.start.isoformat(), g.due.isoformat(), g.expected) == ("2026-02-15", "2026-02-25", 0.5)


@pytest.mark.parametrize(
    ("due", "frame"),
    [
        # 2026-01-01 + 92 days = 2026-04-03 (31 + 28 + 31 = 90 → 04-01, +2)
        ("2026-04-03", TimeFrame.SHORT),
        ("2026-04-04", TimeFrame.MID),  # 93 days
        # 2026-01-01 + 366 days = 2027-01-02
        ("2027-01-02", TimeFrame.MID),
        ("2027-01-03", TimeFrame.LONG),  # 367 days
    ],
)
def test_time_frame(due, frame) -> None:
    assert goal_result((goal(due=due),)).time_frame is frame


def test_no_dates_no_time_frame() -> None:
    assert goal_result((goal(start=None, due=None),)).time_frame is None


FORECAST_MISS = actuals("K1", ("2026-01-01", 10), ("2026-01-11", 15), ("2026-01-21", 20))
"""Slope 0.5 a day: 20 + 0.5 × 80 = 60 at due, short of the target 100."""


@pytest.mark.parametrize(
    ("goal_fields", "kpi_fields", "log", "smart"),
    [
        ({}, {}, (), "SMART"),
        ({"name": None}, {}, (), "-MART"),
        ({"category": None}, {}, (), "-MART"),
        ({}, {"baseline": None}, (), "S-ART"),
        ({}, {"target": None}, (), "S-ART"),
        ({}, {}, FORECAST_MISS, "SM-RT"),
        ({"company_goal_id": "C9"}, {}, (), "SMA-T"),
        ({"company_goal_id": None}, {}, (), "SMA-T"),
        ({"due": None}, {}, (), "SMAR-"),
        ({"name": None, "due": None, "company_goal_id": None}, {}, FORECAST_MISS, "-M---"),
    ],
)
def test_smart(goal_fields, kpi_fields, log, smart) -> None:
    p = plan((goal(**goal_fields),), kpis=(kpi(**kpi_fields),), actuals=log)
    assert computed(p).goals[0].smart == smart


def test_goal_without_kpis_is_measurable_false() -> None:
    assert goal_result().smart == "S-ART"
