"""Invariants that must hold for any plan (hypothesis)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetplan.model import Category, TacticStatus

from factories import AS_OF, computed, goal, kpi, plan, tactic, weight

CATEGORIES = [Category.AWARENESS, Category.ENGAGEMENT, Category.CONVERSION, Category.LOYALTY]
scores = st.integers(min_value=1, max_value=5).map(float)


@st.composite
def plans(draw):
    n_goals = draw(st.integers(min_value=0, max_value=5))
    weights = draw(
        st.lists(
            st.one_of(st.none(), st.integers(0, 100).map(float)), min_size=n_goals, max_size=n_goals
        )
    )
    categories = draw(st.lists(st.sampled_from(CATEGORIES), min_size=n_goals, max_size=n_goals))
    goals = tuple(
        goal(f"G{i}", weight=w, category=c, row=i + 1)
        for i, (w, c) in enumerate(zip(weights, categories, strict=True))
    )
    n_tactics = draw(st.integers(min_value=0, max_value=12))
    tactics = tuple(
        tactic(
            f"T{i}",
            goal_id=f"G{draw(st.integers(0, max(n_goals, 1)))}",
            value=draw(scores),
            complexity=draw(scores),
            status=draw(st.sampled_from(list(TacticStatus))),
            budget=draw(st.one_of(st.none(), st.integers(0, 5000).map(float))),
            hours=draw(st.one_of(st.none(), st.integers(0, 200).map(float))),
            due=draw(st.sampled_from([None, "2026-02-01", "2026-03-01"])),
            row=i + 1,
        )
        for i in range(n_tactics)
    )
    use_profile = draw(st.booleans())
    profile = tuple(
        weight("P", c, draw(st.integers(0, 100)))
        for c in draw(st.sets(st.sampled_from(CATEGORIES)))
    )
    return plan(
        goals,
        tactics=tactics,
        weights=profile,
        weighting_profile="P" if use_profile else None,
        total_budget=draw(st.one_of(st.none(), st.just(10000.0))),
    )


@settings(max_examples=200, deadline=None)
@given(plans())
def test_goal_target_shares_plus_unallocated_make_100_percent(p) -> None:
    a = computed(p).allocation
    shares = [g.target_share for g in a.goals]
    assert all(s >= 0 for s in shares) and a.unallocated_share >= 0
    assert math.fsum(shares) + a.unallocated_share == pytest.approx(1.0)


@settings(max_examples=200, deadline=None)
@given(plans())
def test_tactic_targets_plus_unallocated_make_100_percent(p) -> None:
    results = computed(p)
    targets = [t.target_pct for t in results.tactics if t.target_pct is not None]
    assert all(t >= 0 for t in targets)  # 0 for a goal whose share is 0
    assert math.fsum(targets) + results.allocation.unallocated_share == pytest.approx(1.0)


@settings(max_examples=200, deadline=None)
@given(plans())
def test_ranks_are_one_to_n_without_gaps(p) -> None:
    ranks = sorted(t.rank for t in computed(p).tactics if t.rank is not None)
    assert ranks == list(range(1, len(ranks) + 1))


@settings(max_examples=100, deadline=None)
@given(plans(), st.randoms(use_true_random=False))
def test_allocation_does_not_depend_on_row_order(p, rng) -> None:
    from dataclasses import replace

    goals, tactics = list(p.goals), list(p.tactics)
    rng.shuffle(goals)
    rng.shuffle(tactics)
    shuffled = replace(p, goals=tuple(goals), tactics=tuple(tactics))
    before, after = computed(p), computed(shuffled)

    def by_tactic(results):
        return {t.id: (t.target_pct, t.target_budget, t.rank, t.score) for t in results.tactics}

    def by_goal(results):
        return {
            g.goal_id: (g.target_share, g.planned_budget_share) for g in results.allocation.goals
        }

    for key, values in by_tactic(before).items():
        assert by_tactic(after)[key] == pytest.approx(values)
    for key, values in by_goal(before).items():
        assert by_goal(after)[key] == pytest.approx(values)
    assert after.allocation.unallocated_share == pytest.approx(before.allocation.unallocated_share)


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(finite, finite, finite, finite)
def test_progress_is_monotone_in_the_actual_direction_aware(baseline, target, a, b) -> None:
    if target == baseline:
        return
    low, high = sorted((a, b))

    def progress(value):
        p = plan(kpis=(kpi(baseline=baseline, target=target, current=value),))
        return computed(p, as_of=AS_OF).kpis[0].progress

    if target > baseline:  # higher is better: more is more progress
        assert progress(low) <= progress(high)
    else:  # lower is better: less is more progress
        assert progress(low) >= progress(high)
