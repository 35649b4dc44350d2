"""Quadrant, score and rank of tactics, worked by hand."""

from __future__ import annotations

import pytest

from sheetplan.model import TacticStatus
from sheetplan.results import Quadrant

from factories import by_id, computed, goal, plan, tactic

QW, BB, FI, MP = Quadrant.QUICK_WIN, Quadrant.BIG_BET, Quadrant.FILL_IN, Quadrant.MONEY_PIT


@pytest.mark.parametrize(
    ("scale", "value", "complexity", "expected"),
    [
        # scale 1–5: midpoint (1 + 5) / 2 = 3; "high" means ≥ 3
        ((1, 5), 5, 1, QW),
        ((1, 5), 3, 3, BB),  # both exactly on the midpoint: high value, high complexity
        ((1, 5), 3, 2, QW),  # value on the midpoint is high
        ((1, 5), 2, 3, MP),  # complexity on the midpoint is high
        ((1, 5), 2, 2, FI),
        ((1, 5), 2.99, 2.99, FI),
        # scale 1–10: midpoint 5.5
        ((1, 10), 5.5, 5.4, QW),
        ((1, 10), 5.4, 5.5, MP),
        ((1, 10), 10, 10, BB),
        # scale 0–4: midpoint 2
        ((0, 4), 2, 1, QW),
    ],
)
def test_quadrant(scale, value, complexity, expected) -> None:
    p = plan(tactics=(tactic(value=value, complexity=complexity),), score_scale=scale)
    assert computed(p).tactics[0].quadrant is expected


@pytest.mark.parametrize(
    ("weight_g1", "value", "complexity", "expected"),
    [
        # G1 60 of 60 + 40 → w = 0.6; score = 0.6 × 4 / 2 = 1.2
        (60, 4, 2, 1.2),
        # 0.6 × 5 / 1 = 3.0
        (60, 5, 1, 3.0),
        # G1 25 of 25 + 75 → 0.25; 0.25 × 3 / 4 = 0.1875
        (25, 3, 4, 0.1875),
    ],
)
def test_score_is_goal_share_times_value_over_complexity(
    weight_g1, value, complexity, expected
) -> None:
    goals = (goal("G1", weight=weight_g1), goal("G2", weight=100 - weight_g1))
    p = plan(goals, tactics=(tactic(value=value, complexity=complexity),))
    assert computed(p).tactics[0].score == pytest.approx(expected)


def test_rank_by_quadrant_then_score_then_due_then_id() -> None:
    # one goal (w = 1), so score = v / c
    tactics = (
        tactic("T1", value=2, complexity=4),  # money pit, 0.5
        tactic("T2", value=4, complexity=4),  # big bet, 1.0
        tactic("T3", value=4, complexity=2, due="2026-03-01"),  # quick win, 2.0
        tactic("T4", value=5, complexity=1),  # quick win, 5.0
        tactic("T5", value=2, complexity=2),  # fill-in, 1.0
        tactic("T6", value=4, complexity=2, due="2026-02-25"),  # quick win 2.0, earlier due
        tactic("T7", value=4, complexity=2),  # quick win 2.0, no due date: after T3 and T6
        tactic("T10", value=6, complexity=4, due="2026-02-25"),  # big bet 1.5
        tactic("T9", value=6, complexity=4, due="2026-02-25"),  # same as T10: T9 first (natural)
    )
    p = plan(tactics=tactics, score_scale=(1, 6))  # midpoint 3.5
    ranks = {t.id: t.rank for t in computed(p).tactics}
    # quick wins: T4 (5.0), T6 (2.0, 02-25), T3 (2.0, 03-01), T7 (2.0, no due)
    # big bets: T9, T10 (1.5, same due: ID order 9 < 10), T2 (1.0)
    # fill-ins: T5 · money pits: T1
    order = ["T4", "T6", "T3", "T7", "T9", "T10", "T2", "T5", "T1"]
    assert ranks == {ident: i for i, ident in enumerate(order, 1)}


def test_done_and_dropped_tactics_are_not_ranked_and_leave_no_gap() -> None:
    tactics = (
        tactic("T1", value=5, complexity=1, status=TacticStatus.DONE),
        tactic("T2", value=4, complexity=2),
        tactic("T3", value=5, complexity=1, status=TacticStatus.DROPPED),
        tactic("T4", value=2, complexity=2, status=TacticStatus.BLOCKED),
        tactic("T5", value=3, complexity=1, status=TacticStatus.NOT_STARTED),
    )
    results = by_id(computed(plan(tactics=tactics)).tactics)
    # T5 quick win 3.0, T2 quick win 2.0, T4 fill-in 1.0
    assert {k: r.rank for k, r in results.items()} == {
        "T1": None,
        "T2": 2,
        "T3": None,
        "T4": 3,
        "T5": 1,
    }
    # closed tactics keep their quadrant and score
    assert (results["T1"].quadrant, results["T1"].score) == (QW, 5.0)


def test_tactic_without_scores_or_goal_is_not_ranked() -> None:
    tactics = (
        tactic("T1", value=None),
        tactic("T2", complexity=None, invalid=frozenset({"complexity"})),
        tactic("T3", goal_id="G9"),  # goal unknown: quadrant but no score
        tactic("T4"),
    )
    results = by_id(computed(plan(tactics=tactics)).tactics)
    assert [results[t].quadrant for t in ("T1", "T2", "T3")] == [None, None, QW]
    assert [results[t].score for t in ("T1", "T2", "T3")] == [None, None, None]
    assert {k: r.rank for k, r in results.items()} == {"T1": None, "T2": None, "T3": None, "T4": 1}


def test_zero_complexity_gets_no_score_and_a_warning() -> None:
    p = plan(tactics=(tactic("T1", complexity=0, row=5), tactic("T2")), score_scale=(0, 4))
    results = computed(p)
    t1 = by_id(results.tactics)["T1"]
    assert (t1.quadrant, t1.score, t1.rank, t1.fundable) == (QW, None, None, False)
    [warning] = [x for x in results.problems if x.code == "zero_complexity"]
    assert (warning.sheet, warning.row, warning.column) == ("Tactics", 5, "Complexity")
