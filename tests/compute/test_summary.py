"""The headline summary, worked by hand on a small plan (as of 2026-02-20)."""

from __future__ import annotations

from datetime import date

from sheetplan.model import TacticStatus
from sheetplan.results import DueStatus, KpiStatus, Quadrant

from factories import actual, computed, goal, kpi, member, plan, tactic


def small_plan():
    goals = (goal("G1", weight=75), goal("G2", weight=25, category="engagement"))
    kpis = (
        kpi("K1", current=50.0),  # 0.5 → on track
        kpi("K2", goal_id="G2", current=10.0),  # 0.1 → off track
        kpi("K3", goal_id="G2"),  # no data
        kpi("K4", goal_id="G2", row=5),  # stale: last log 2026-01-30, 21 days
    )
    tactics = (
        tactic(
            "T1", value=5, complexity=1, owner="Ann", hours=90.0, budget=1000.0, due="2026-02-10"
        ),  # quick win 0.75 × 5 = 3.75, overdue 10 days
        tactic(
            "T2", value=4, complexity=2, owner="Bo", budget=500.0, due="2026-02-18"
        ),  # QW 1.5, overdue 2
        tactic(
            "T3", goal_id="G2", value=3, complexity=4, owner="Ann", hours=20.0, budget=500.0
        ),  # big bet 0.25 × 0.75 = 0.1875, no due date
        tactic("T4", value=2, complexity=2, status=TacticStatus.DONE, budget=0.0),  # done
        tactic("T5", value=1, complexity=5, status=TacticStatus.DROPPED, budget=9999.0),
        tactic("T6", value=5, complexity=5, due="2026-02-25"),  # big bet 0.75, due soon
        tactic("T7", value=2, complexity=1, due="2026-03-31"),  # fill-in 0.75 × 2 = 1.5
    )
    team = (member("Ann", capacity_hours=100.0, row=2), member("Bo", capacity_hours=50.0, row=3))
    log = (actual("2026-01-30", 3, kpi_id="K4"),)
    return plan(
        goals, kpis, tactics, log, team, plan_name="Q1", total_budget=4000.0, currency="CNY"
    )


def counts(pairs):
    return {c.status: c.count for c in pairs if c.count}


def test_counts_by_status() -> None:
    s = computed(small_plan()).summary
    assert counts(s.kpis) == {
        KpiStatus.ON_TRACK: 1,
        KpiStatus.OFF_TRACK: 2,  # K2 0.1; K4 actual 3 → 0.03
        KpiStatus.NO_DATA: 1,
    }
    # G1: K1 0.5 → on track; G2: (0.1 + 0.03) / 2 = 0.065 → off track
    assert counts(s.goals) == {KpiStatus.ON_TRACK: 1, KpiStatus.OFF_TRACK: 1}
    assert counts(s.tactics) == {
        DueStatus.OVERDUE: 2,
        DueStatus.NO_DUE_DATE: 1,
        DueStatus.DONE: 1,
        DueStatus.DROPPED: 1,
        DueStatus.DUE_SOON: 1,
        DueStatus.ON_TRACK: 1,
    }
    assert (s.goal_total, s.kpi_total, s.tactic_total) == (2, 4, 7)
    # every status is listed, zeros included, in a fixed order
    assert [c.status for c in s.tactics] == list(DueStatus)


def test_budget() -> None:
    s = computed(small_plan()).summary
    # planned: 1000 + 500 + 500 + 0 (T5 dropped) = 2000; nothing unallocated (both goals funded)
    assert (s.budget_total, s.budget_planned, s.budget_unallocated) == (4000.0, 2000.0, 0.0)
    assert (s.plan_name, s.currency, s.as_of) == ("Q1", "CNY", date(2026, 2, 20))


def test_top_priorities_overdue_stale_and_over_allocated() -> None:
    s = computed(small_plan()).summary
    # quick wins T1 3.75, T2 1.5; big bets T6 0.75, T3 0.1875; fill-in T7 1.5
    assert [(p.rank, p.tactic_id, p.quadrant) for p in s.top_priorities] == [
        (1, "T1", Quadrant.QUICK_WIN),
        (2, "T2", Quadrant.QUICK_WIN),
        (3, "T6", Quadrant.BIG_BET),
        (4, "T3", Quadrant.BIG_BET),
        (5, "T7", Quadrant.FILL_IN),
    ]
    assert s.top_priorities[0].score == 3.75
    # most overdue first: T1 10 days, T2 2 days
    assert [(o.tactic_id, o.days_overdue) for o in s.overdue] == [("T1", 10), ("T2", 2)]
    assert [(k.kpi_id, k.days_since) for k in s.stale_kpis] == [("K4", 21)]
    # Ann: 90 + 20 = 110 of 100
    assert [(o.name, o.hours) for o in s.over_allocated] == [("Ann", 110.0)]


def test_top_is_limited() -> None:
    results = computed(plan(tactics=tuple(tactic(f"T{i}") for i in range(1, 9))))
    assert [p.tactic_id for p in results.summary.top_priorities] == ["T1", "T2", "T3", "T4", "T5"]


def test_empty_plan() -> None:
    s = computed(plan(goals=(), company_goals=())).summary
    assert (s.goal_total, s.budget_total, s.budget_planned, s.unallocated_share) == (
        0,
        None,
        0,
        1.0,
    )
    assert s.top_priorities == s.overdue == s.stale_kpis == s.over_allocated == ()


def test_the_worked_example_in_the_readme() -> None:
    """Keeps the README honest: every number of its worked example, as printed there."""
    from sheetplan.model import Category as C
    from sheetplan.results import TimeFrame

    from factories import weight

    p = plan(
        goals=(goal("G1", category=C.AWARENESS), goal("G2", category=C.ENGAGEMENT)),
        weights=(
            weight("Launch", C.AWARENESS, 50),
            weight("Launch", C.ENGAGEMENT, 30),
            weight("Launch", C.CONVERSION, 20),
        ),
        weighting_profile="Launch",
        kpis=(kpi("K1", baseline=1000.0, target=2000.0),),
        tactics=(
            tactic(
                "T1",
                value=5,
                complexity=1,
                budget=4000.0,
                hours=60.0,
                owner="Ann",
                due="2026-02-25",
            ),
            tactic(
                "T2",
                value=3,
                complexity=3,
                budget=1500.0,
                hours=50.0,
                owner="Ann",
                start="2026-01-01",
                due="2026-04-11",
                percent_complete=0.3,
            ),
            tactic("T3", goal_id="G2", value=4, complexity=2, budget=2000.0, due="2026-03-31"),
            tactic("T4", goal_id="G2", value=2, complexity=4, budget=500.0, due="2026-03-31"),
        ),
        team=(member("Ann", capacity_hours=100.0),),
        actuals=(
            actual("2026-01-01", 700, channel="Weibo", row=2),
            actual("2026-01-01", 300, channel="WeChat", row=3),
            actual("2026-01-21", 900, channel="Weibo", row=4),
            actual("2026-02-10", 500, channel="WeChat", row=5),
        ),
        total_budget=10000.0,
    )
    r = computed(p)
    assert [g.weight_share for g in r.goals] == [0.625, 0.375]  # 50/80, 30/80
    t = {x.id: x for x in r.tactics}
    assert [t[i].score for i in ("T1", "T2", "T3", "T4")] == [3.125, 0.625, 0.75, 0.1875]
    assert [t[i].rank for i in ("T1", "T2", "T3", "T4")] == [1, 3, 2, 4]
    assert round(t["T1"].target_budget, 2) == 5208.33  # 10,000 × 0.625 × 5/6
    assert round(t["T2"].target_budget, 2) == 1041.67  # 10,000 × 0.625 × 1/6
    assert t["T3"].target_budget == 3750.0
    assert (t["T1"].due_status, t["T2"].due_status) == (DueStatus.DUE_SOON, DueStatus.BEHIND)
    g1, g2 = r.allocation.goals
    assert (g1.planned_budget_share, g1.budget_gap) == (0.6875, 0.0625)  # 5,500 / 8,000
    assert (g2.planned_budget_share, g2.budget_gap) == (0.3125, -0.0625)
    assert r.allocation.owners[0].utilisation == 1.1  # 110 / 100
    [k1] = r.kpis
    assert (k1.actual, k1.progress, k1.expected, k1.status) == (
        1400.0,
        0.4,
        0.5,
        KpiStatus.ON_TRACK,
    )
    assert (k1.forecast, k1.on_course, k1.stale) == (2000.0, True, False)
    assert (r.goals[0].time_frame, r.goals[0].smart) == (TimeFrame.MID, "SMART")
    assert [(m.planned, m.actual, m.gap) for m in r.monthly[0].months] == [
        (1300.0, 1200.0, -100.0),
        (1580.0, 1400.0, -180.0),
        (1890.0, None, None),
        (2000.0, None, None),
    ]
