"""The monthly breakdown: for each KPI, the planned value at each month end against the actual."""

from __future__ import annotations

import calendar
from datetime import date

from ..model import Kpi
from ..results import KpiResult, MonthlyBreakdown, MonthPoint
from .kpi import baseline_of
from .series import Series


def breakdown(
    kpis: tuple[Kpi, ...],
    results: tuple[KpiResult, ...],
    series: dict[str, Series],
    as_of: date,
) -> tuple[MonthlyBreakdown, ...]:
    """One entry per KPI with dates, a baseline and a target: one point per month from the
    month of Start to the month of Due."""
    out = []
    for kpi, result in zip(kpis, results, strict=True):
        baseline, target = baseline_of(kpi), kpi.target
        if result.start is None or result.due is None or baseline is None or target is None:
            continue
        points = tuple(
            _point(kpi, result, series[kpi.id], baseline, target, first, as_of)
            for first in months(result.start, result.due)
        )
        out.append(MonthlyBreakdown(kpi.id, points))
    return tuple(out)


def months(start: date, due: date) -> list[date]:
    """The first day of each month from start's month to due's month."""
    out = []
    year, month = start.year, start.month
    while (year, month) <= (due.year, due.month):
        out.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_end(first: date) -> date:
    return date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])


def planned_value(baseline: float, target: float, start: date, due: date, at: date) -> float:
    """Linear from the baseline at Start to the target at Due (multiplying before dividing,
    so whole numbers stay whole: 100 × 58 / 100 is 58, not 57.99999999999999)."""
    if due <= start:
        return target if at >= due else baseline
    days = min(max((at - start).days, 0), (due - start).days)
    return baseline + (target - baseline) * days / (due - start).days


def _point(
    kpi: Kpi,
    result: KpiResult,
    series: Series,
    baseline: float,
    target: float,
    first: date,
    as_of: date,
) -> MonthPoint:
    """Planned = baseline + (target − baseline) × the time elapsed at month end (at Due in the
    last month). Actual = the actual as of month end; as of the as-of date for the month that
    holds it; none for months that start after it. A KPI with only a Current value shows it
    in the month of the as-of date (or of Due, once past it)."""
    at = min(month_end(first), result.due)
    planned = planned_value(baseline, target, result.start, result.due, at)
    actual: float | None
    if first > as_of:
        actual = None
    elif series.dates:
        actual = series.actual_at(min(at, as_of))
    else:
        now = min(as_of, result.due)
        actual = kpi.current if first <= now <= at else None
    gap = actual - planned if actual is not None else None
    return MonthPoint(first, at, planned, actual, gap)
