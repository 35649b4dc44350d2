"""Goal weight shares, worked by hand: profile, Weight column, equal shares."""

from __future__ import annotations

import pytest

from sheetplan.model import Category
from sheetplan.results import WeightSource

from factories import by_id, computed, goal, plan, weight

A, E, C, L = Category.AWARENESS, Category.ENGAGEMENT, Category.CONVERSION, Category.LOYALTY
LAUNCH = (
    weight("Launch", A, 60, row=2),
    weight("Launch", E, 30, row=3),
    weight("Launch", C, 10, row=4),
    weight("Other", A, 100, row=5),
)


def shares(p):
    results = computed(p)
    return {g.id: g.weight_share for g in results.goals}, results


@pytest.mark.parametrize(
    ("categories", "expected"),
    [
        # one goal per category: the profile as it stands, 60 / 30 / 10
        ((A, E, C), {"G1": 0.6, "G2": 0.3, "G3": 0.1}),
        # two awareness goals split its 60 equally: 60 / 2 = 30 each
        ((A, A, E, C), {"G1": 0.3, "G2": 0.3, "G3": 0.3, "G4": 0.1}),
        # no conversion goal: 60 + 30 = 90 left, renormalised: 60/90 = 2/3, 30/90 = 1/3
        ((A, E), {"G1": 2 / 3, "G2": 1 / 3}),
        # only engagement goals: 30/30 = 100 %, split in two
        ((E, E), {"G1": 0.5, "G2": 0.5}),
    ],
)
def test_profile_shares(categories, expected) -> None:
    goals = tuple(goal(f"G{i}", category=c, row=i + 1) for i, c in enumerate(categories, 1))
    got, results = shares(plan(goals, weights=LAUNCH, weighting_profile="launch"))
    assert got == pytest.approx(expected)
    assert results.frame.weight_source is WeightSource.PROFILE


def test_profile_category_with_no_goals_is_a_note_on_the_weights_sheet() -> None:
    goals = (goal("G1", category=A), goal("G2", category=E))
    _, results = shares(plan(goals, weights=LAUNCH, weighting_profile="Launch"))
    [note] = [p for p in results.problems if p.code == "profile_category_unused"]
    assert (note.code, note.severity.value, note.sheet, note.row) == (
        "profile_category_unused",
        "info",
        "Weights",
        4,
    )
    assert "Conversion" in note.message


def test_goal_whose_category_is_not_in_the_profile_gets_zero_with_a_warning() -> None:
    # loyalty is not in Launch → 0; conversion has no goal → 60/90 and 30/90
    goals = (goal("G1", category=A), goal("G2", category=E), goal("G3", category=L, row=4))
    got, results = shares(plan(goals, weights=LAUNCH, weighting_profile="Launch"))
    assert got == pytest.approx({"G1": 2 / 3, "G2": 1 / 3, "G3": 0.0})
    warning = next(p for p in results.problems if p.code == "category_not_in_profile")
    assert (warning.severity.value, warning.sheet, warning.row) == ("warning", "Goals", 4)


def test_chinese_problem_messages_and_sheet_names() -> None:
    goals = (goal("G1", category=A), goal("G3", category=L, row=4))
    results = computed(plan(goals, weights=LAUNCH, weighting_profile="Launch"), lang="zh")
    warning = next(p for p in results.problems if p.code == "category_not_in_profile")
    assert (warning.sheet, warning.column) == ("社媒目标", "类别")
    assert "用户忠诚" in warning.message


def test_own_category_text_matches_the_profile_ignoring_case_and_spaces() -> None:
    # Events 75 / Awareness 25, both present
    profile = (weight("Fest", "Events", 75), weight("Fest", A, 25))
    goals = (goal("G1", category="  EVENTS "), goal("G2", category=A))
    got, _ = shares(plan(goals, weights=profile, weighting_profile="fest"))
    assert got == {"G1": 0.75, "G2": 0.25}


def test_no_goal_in_the_profile_leaves_everything_unallocated() -> None:
    goals = (goal("G1", category=L),)
    got, results = shares(plan(goals, weights=LAUNCH, weighting_profile="Launch"))
    assert got == {"G1": 0.0}
    assert results.allocation.unallocated_share == 1.0


@pytest.mark.parametrize(
    ("weights", "expected", "source"),
    [
        # 60 + 40 = 100
        ((60, 40), (0.6, 0.4), WeightSource.COLUMN),
        # 3 + 1 = 4: 3/4, 1/4
        ((3, 1), (0.75, 0.25), WeightSource.COLUMN),
        # partial: blank counts as 0: 60 + 0 + 20 = 80 → 60/80, 0, 20/80
        ((60, None, 20), (0.75, 0.0, 0.25), WeightSource.COLUMN),
        # no weights at all: 1/3 each
        ((None, None, None), (1 / 3, 1 / 3, 1 / 3), WeightSource.EQUAL),
        # all typed as 0: nothing to normalise, equal shares
        ((0, 0), (0.5, 0.5), WeightSource.EQUAL),
    ],
)
def test_weight_column(weights, expected, source) -> None:
    goals = tuple(goal(f"G{i}", weight=w) for i, w in enumerate(weights, 1))
    got, results = shares(plan(goals))
    assert tuple(got.values()) == pytest.approx(expected)
    assert results.frame.weight_source is source


def test_unknown_profile_falls_back_to_the_weight_column() -> None:
    # the validator reports the unknown profile; the engine uses the column: 1/(1+3), 3/(1+3)
    goals = (goal("G1", weight=1), goal("G2", weight=3))
    got, results = shares(plan(goals, weights=LAUNCH, weighting_profile="Nope"))
    assert got == {"G1": 0.25, "G2": 0.75}
    assert results.frame.weight_source is WeightSource.COLUMN


def test_unreadable_weight_counts_as_zero() -> None:
    goals = (goal("G1", weight=50), goal("G2", weight=None, invalid=frozenset({"weight"})))
    got, _ = shares(plan(goals))
    assert got == {"G1": 1.0, "G2": 0.0}


def test_shares_are_on_every_goal_result() -> None:
    results = computed(plan((goal("G1", weight=1), goal("G2", weight=1))))
    assert by_id(results.goals)["G2"].weight_share == 0.5
    assert by_id(results.allocation.goals)["G2"].weight_share == 0.5
