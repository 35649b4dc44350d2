"""Allocation worked by hand: target %, target budget, Unallocated, planned vs target, owners."""

from __future__ import annotations

import pytest

from sheetplan.model import TacticStatus

from factories import by_id, computed, goal, member, plan, tactic

DONE, DROPPED = TacticStatus.DONE, TacticStatus.DROPPED


def test_one_goal_split_in_proportion_to_value_over_complexity() -> None:
    # one goal (w = 1); T1 4/2 = 2, T2 3/1 = 3 → 2/5 = 0.4, 3/5 = 0.6 of 10,000
    p = plan(
        tactics=(tactic("T1", value=4, complexity=2), tactic("T2", value=3, complexity=1)),
        total_budget=10000.0,
    )
    t = by_id(computed(p).tactics)
    assert (t["T1"].target_pct, t["T1"].target_budget) == pytest.approx((0.4, 4000.0))
    assert (t["T2"].target_pct, t["T2"].target_budget) == pytest.approx((0.6, 6000.0))


def test_goal_with_no_fundable_tactic_leaves_its_share_unallocated() -> None:
    goals = (goal("G1", weight=60), goal("G2", weight=40, row=3))
    tactics = (
        tactic("T1", value=4, complexity=2),  # G1: 4/2 = 2
        tactic("T2", value=3, complexity=3),  # G1: big bet 3/3 = 1
        tactic("T3", goal_id="G2", value=2, complexity=4),  # money pit: not fundable
        tactic("T4", goal_id="G2", value=5, complexity=1, status=DROPPED),  # dropped
    )
    results = computed(plan(goals, tactics=tactics, total_budget=5000.0))
    t = by_id(results.tactics)
    # G1's 0.6 split 2 : 1 → 0.4 and 0.2; 0.4 × 5000 = 2000, 0.2 × 5000 = 1000
    assert t["T1"].target_pct == pytest.approx(0.4)
    assert t["T2"].target_budget == pytest.approx(1000.0)
    assert (t["T3"].target_pct, t["T4"].target_pct) == (None, None)
    assert (t["T3"].fundable, t["T4"].fundable) == (False, False)
    # G2's 0.4 is Unallocated: 0.4 × 5000 = 2000
    a = results.allocation
    assert a.unallocated_share == pytest.approx(0.4)
    assert a.unallocated_budget == pytest.approx(2000.0)
    g2 = by_id(a.goals)["G2"]
    assert (g2.weight_share, g2.target_share, g2.target_budget, g2.fundable_tactics) == (
        0.4,
        0.0,
        0.0,
        0,
    )
    [warning] = [x for x in results.problems if x.code == "goal_unfunded"]
    assert (warning.sheet, warning.row) == ("Goals", 3)
    assert "40%" in warning.message


def test_done_tactics_are_funded_and_dropped_ones_are_not() -> None:
    # T1 done, 4/2 = 2; T2 3/1 = 3; T3 dropped → 2/5 and 3/5
    tactics = (
        tactic("T1", status=DONE, value=4, complexity=2),
        tactic("T2", value=3, complexity=1),
        tactic("T3", status=DROPPED, value=5, complexity=1),
    )
    t = by_id(computed(plan(tactics=tactics, total_budget=100.0)).tactics)
    assert (t["T1"].target_budget, t["T2"].target_budget) == pytest.approx((40.0, 60.0))
    assert t["T3"].target_budget is None


def test_planned_shares_of_budget_and_hours_and_the_gap() -> None:
    goals = (goal("G1", weight=60), goal("G2", weight=40))
    tactics = (
        tactic("T1", budget=3000.0, hours=10.0),
        tactic("T2", budget=1000.0, hours=30.0, status=DONE),
        tactic("T3", budget=500.0, hours=100.0, status=DROPPED),  # left out
        tactic("T4", goal_id="G2", budget=1000.0, hours=60.0),
    )
    a = computed(plan(goals, tactics=tactics)).allocation
    g1, g2 = by_id(a.goals)["G1"], by_id(a.goals)["G2"]
    # budget: G1 3000 + 1000 = 4000 of 5000 → 0.8, gap 0.8 − 0.6 = +0.2; G2 0.2 − 0.4 = −0.2
    assert (g1.planned_budget, g2.planned_budget) == (4000.0, 1000.0)
    assert (g1.planned_budget_share, g2.planned_budget_share) == (0.8, 0.2)
    assert (g1.budget_gap, g2.budget_gap) == pytest.approx((0.2, -0.2))
    # hours: G1 10 + 30 = 40 of 100 → 0.4, gap 0.4 − 0.6 = −0.2; G2 60 → 0.6, gap +0.2
    assert (g1.planned_hours_share, g2.planned_hours_share) == (0.4, 0.6)
    assert (g1.hours_gap, g2.hours_gap) == pytest.approx((-0.2, 0.2))
    # total budget not set: the budgets of tactics not dropped, 3000 + 1000 + 1000
    assert (a.total_budget, a.planned_budget, a.planned_hours) == (5000.0, 5000.0, 100.0)
    assert (g1.target_budget, g2.target_budget) == pytest.approx((3000.0, 2000.0))


def test_no_budget_anywhere_means_no_target_budget() -> None:
    results = computed(plan(tactics=(tactic(),)))
    assert results.allocation.total_budget is None
    assert results.tactics[0].target_pct == 1.0
    assert results.tactics[0].target_budget is None
    assert results.allocation.goals[0].planned_budget_share is None


def test_settings_total_budget_wins_over_the_sum_of_tactic_budgets() -> None:
    results = computed(plan(tactics=(tactic(budget=100.0),), total_budget=800.0))
    assert results.allocation.total_budget == 800.0
    assert results.frame.total_budget_is_default is False
    assert results.tactics[0].target_budget == 800.0


def test_owner_hours_against_capacity() -> None:
    team = (
        member("Ann", capacity_hours=100.0, row=2),
        member("Bo", capacity_hours=80.0, row=3),
        member("Di", capacity_hours=40.0, row=4),
    )
    tactics = (
        tactic("T1", owner="Ann", hours=60.0),
        tactic("T2", owner=" ann ", hours=50.0, status=DONE),  # same person; done still counts
        tactic("T3", owner="Ann", hours=500.0, status=DROPPED),  # dropped: left out
        tactic("T4", owner="Bo", hours=80.0),
        tactic("T5", owner="Cy", hours=10.0),  # not on Team
        tactic("T6", owner=None, hours=5.0),
    )
    results = computed(plan(tactics=tactics, team=team))
    loads = {o.name: o for o in results.allocation.owners}
    assert list(loads) == ["Ann", "Bo", "Di", "Cy"]
    # Ann: 60 + 50 = 110 of 100 → 1.1, over-allocated
    assert (loads["Ann"].hours, loads["Ann"].utilisation, loads["Ann"].over_allocated) == (
        110.0,
        pytest.approx(1.1),
        True,
    )
    assert loads["Ann"].tactics == 2
    # Bo: 80 of 80 = exactly 100 %: not over
    assert (loads["Bo"].utilisation, loads["Bo"].over_allocated) == (1.0, False)
    assert (loads["Di"].hours, loads["Di"].utilisation) == (0.0, 0.0)
    assert (loads["Cy"].capacity, loads["Cy"].utilisation, loads["Cy"].over_allocated) == (
        None,
        None,
        False,
    )
    [warning] = [x for x in results.problems if x.code == "over_allocated"]
    assert (warning.sheet, warning.row, warning.column) == ("Team", 2, "Capacity hours")
    assert "110" in warning.message and "100" in warning.message


def test_zero_capacity_with_hours_is_over_allocated() -> None:
    p = plan(tactics=(tactic(owner="Ann", hours=1.0),), team=(member("Ann", capacity_hours=0.0),))
    [load] = computed(p).allocation.owners
    assert (load.utilisation, load.over_allocated) == (None, True)
