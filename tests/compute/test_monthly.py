"""Monthly breakdown, worked by hand. KPI K1: baseline 0, target 100, 2026-01-01 → 04-11
(100 days), as of 2026-02-20. Planned at a month end = 100 × days elapsed / 100."""

from __future__ import annotations

from datetime import date

import pytest

from sheetplan.model import Aggregation

from factories import actual, computed, kpi, plan, tactic

AGG = Aggregation


def months(k, log=(), as_of="2026-02-20"):
    results = computed(plan(kpis=(k,), tactics=(tactic(),), actuals=log), as_of=as_of)
    if not results.monthly:
        return None
    [breakdown] = results.monthly
    assert breakdown.kpi_id == k.id
    return [(p.month, p.at, p.planned, p.actual, p.gap) for p in breakdown.months]


J, F, M, A = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)


def test_planned_and_actual_for_a_latest_kpi() -> None:
    log = (
        actual("2026-01-10", 20, row=2),
        actual("2026-01-31", 28, row=3),
        actual("2026-02-15", 45, row=4),
    )
    assert months(kpi(), log) == [
        # Jan 31 is day 30 → 30; actual as of Jan 31: 28; gap 28 − 30 = −2
        (J, date(2026, 1, 31), 30.0, 28.0, -2.0),
        # Feb 28 is day 58 → 58; Feb holds the as-of date: actual as of 02-20 = 45; gap −13
        (F, date(2026, 2, 28), 58.0, 45.0, -13.0),
        # Mar 31 is day 89; after the as-of date: no actual yet
        (M, date(2026, 3, 31), 89.0, None, None),
        # last month: planned at Due (04-11) = the target
        (A, date(2026, 4, 11), 100.0, None, None),
    ]


@pytest.mark.parametrize(
    ("aggregation", "jan", "feb"),
    [
        # rows: 01-10 10, 01-20 15, 02-05 20
        (AGG.SUM, 25.0, 45.0),  # 10 + 15; 10 + 15 + 20
        (AGG.AVERAGE, 12.5, 15.0),  # 25 / 2; 45 / 3
        (AGG.MAX, 15.0, 20.0),
        (AGG.MIN, 10.0, 10.0),
    ],
)
def test_actual_as_of_month_end_per_aggregation(aggregation, jan, feb) -> None:
    log = (
        actual("2026-01-10", 10, row=2),
        actual("2026-01-20", 15, row=3),
        actual("2026-02-05", 20, row=4),
    )
    got = months(kpi(aggregation=aggregation), log)
    assert [p[3] for p in got] == [jan, feb, None, None]


def test_kpi_with_only_current_shows_it_in_the_month_of_the_as_of_date() -> None:
    got = months(kpi(current=40.0))
    # Feb: 40 − 58 = −18
    assert [(p[3], p[4]) for p in got] == [(None, None), (40.0, -18.0), (None, None), (None, None)]


def test_lower_is_better() -> None:
    # baseline 60, target 30: Jan 31 (day 30): 60 + (30 − 60) × 0.30 = 51; actual 50 → gap −1
    got = months(kpi(baseline=60.0, target=30.0), (actual("2026-01-15", 50),))
    assert got[0][2:] == pytest.approx((51.0, 50.0, -1.0))
    # Apr: the target 30
    assert got[3][2] == 30.0


def test_as_of_after_due() -> None:
    # due 01-31 (30 days from 01-01): one month; as of 02-20, actual as of Due
    log = (actual("2026-01-30", 70, row=2), actual("2026-02-10", 90, row=3))
    got = months(kpi(due="2026-01-31"), log)
    assert got == [(J, date(2026, 1, 31), 100.0, 70.0, -30.0)]


def test_as_of_equal_to_start() -> None:
    # start 02-20, due 04-11 (50 days); Feb 28 is day 8: 100 × 8 / 50 = 16
    got = months(kpi(start="2026-02-20", current=0.0))
    assert [p[0] for p in got] == [F, M, A]
    assert got[0][2:] == pytest.approx((16.0, 0.0, -16.0))


def test_months_across_a_year_end() -> None:
    # 2025-11-15 → 2026-02-10
    got = months(kpi(start="2025-11-15", due="2026-02-10"))
    assert [p[0] for p in got] == [date(2025, 11, 1), date(2025, 12, 1), J, F]
    assert got[-1][1] == date(2026, 2, 10)


def test_no_breakdown_without_a_target() -> None:
    assert months(kpi(target=None)) is None
