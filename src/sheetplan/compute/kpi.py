"""KPIs: actual, progress against target and against time, status, stretch, staleness, forecast."""

from __future__ import annotations

from datetime import date

from ..errors import Severity
from ..model import Kpi, Settings
from ..results import KpiResult, KpiStatus
from .context import EPS, Context, elapsed, goal_dates, number
from .series import EMPTY, Series, build_series, group_by_kpi


def kpi_results(ctx: Context) -> tuple[tuple[KpiResult, ...], dict[str, Series]]:
    """Every KPI's result, and its series (the monthly breakdown reads it)."""
    goals = {g.id: g for g in ctx.plan.goals}
    groups = group_by_kpi(ctx.plan.actuals, ctx.as_of)
    results: list[KpiResult] = []
    series_by_kpi: dict[str, Series] = {}
    for kpi in ctx.plan.kpis:
        start, due = kpi_dates(kpi, ctx, goals)
        series = build_series(groups.get(kpi.id, []), kpi.aggregation, start)
        series_by_kpi[kpi.id] = series
        results.append(_one(ctx, kpi, start, due, series))
    return tuple(results), series_by_kpi


def kpi_dates(kpi: Kpi, ctx: Context, goals: dict) -> tuple[date | None, date | None]:
    """The KPI's own dates, else its goal's, else the plan's."""
    goal_start, goal_due = goal_dates(goals.get(kpi.goal_id), ctx)
    return kpi.start or goal_start, kpi.due or goal_due


def baseline_of(kpi: Kpi) -> float | None:
    """A blank baseline is 0 (as the validator reads it); an unreadable one is unknown."""
    if "baseline" in kpi.invalid:
        return None
    return kpi.baseline if kpi.baseline is not None else 0.0


def progress_of(actual: float | None, baseline: float | None, target: float | None) -> float | None:
    """(actual − baseline) / (target − baseline); works the same for lower-is-better KPIs."""
    if actual is None or baseline is None or target is None or target == baseline:
        return None
    return (actual - baseline) / (target - baseline)


def status_of(
    progress: float | None,
    expected: float | None,
    start: date | None,
    due: date | None,
    as_of: date,
    settings: Settings,
    has_data: bool,
) -> KpiStatus | None:
    """The first status that applies. None when data exists but progress or pace cannot be
    judged (no target, or no dates to measure the pace against)."""
    if not has_data:
        return KpiStatus.NO_DATA
    if start is not None and as_of < start:
        return KpiStatus.NOT_STARTED
    if progress is None:
        return None
    if progress >= 1 - EPS:
        return KpiStatus.ACHIEVED
    if due is not None and as_of > due:
        return KpiStatus.MISSED
    if expected is None:
        return None
    if progress >= expected - settings.on_track_tolerance - EPS:
        return KpiStatus.ON_TRACK
    if progress >= expected - settings.at_risk_tolerance - EPS:
        return KpiStatus.AT_RISK
    return KpiStatus.OFF_TRACK


def forecast(series: Series, due: date | None) -> float | None:
    """A least-squares line through the series' points (3 or more), read at the due date."""
    n = len(series.dates)
    if due is None or n < 3:
        return None
    first = series.dates[0]
    xs = [(d - first).days for d in series.dates]
    ys = series.points
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    return mean_y + slope * ((due - first).days - mean_x)


def on_course(value: float | None, target: float | None, lower_is_better: bool) -> bool | None:
    """The forecast reaches the target (gets down to it, for a lower-is-better KPI)."""
    if value is None or target is None:
        return None
    slack = EPS * max(1.0, abs(target))
    return value <= target + slack if lower_is_better else value >= target - slack


def _one(ctx: Context, kpi: Kpi, start: date | None, due: date | None, series: Series) -> KpiResult:
    baseline, target = baseline_of(kpi), kpi.target
    from_log = bool(series.dates)
    actual = series.actual[-1] if from_log else kpi.current
    if from_log and kpi.current is not None:
        ctx.warn(
            Severity.INFO,
            "log_over_current",
            "kpis",
            kpi.row,
            "col.current",
            found=kpi.current,
            actual=number(actual),
        )
    progress = progress_of(actual, baseline, target)
    expected = elapsed(start, due, ctx.as_of)
    status = status_of(
        progress, expected, start, due, ctx.as_of, ctx.settings, has_data=actual is not None
    )
    stretch = None
    if kpi.stretch is not None and baseline is not None:
        stretch = progress_of(actual, baseline, kpi.stretch)
    if status is KpiStatus.ACHIEVED and stretch is not None and stretch >= 1 - EPS:
        status = KpiStatus.STRETCH_ACHIEVED
    lower = target is not None and baseline is not None and target < baseline
    projected = forecast(series, due) if target is not None else None
    stale = _stale(ctx, kpi, series, start, due)
    return KpiResult(
        id=kpi.id,
        goal_id=kpi.goal_id,
        row=kpi.row,
        start=start,
        due=due,
        lower_is_better=lower,
        actual=actual,
        from_log=from_log,
        progress=progress,
        expected=expected,
        status=status,
        stretch_progress=stretch,
        last_update=series.last_update,
        stale=stale,
        forecast=projected,
        on_course=on_course(projected, target, lower),
    )


def _stale(ctx: Context, kpi: Kpi, series: Series, start: date | None, due: date | None) -> bool:
    """No data newer than the stale-after days, counted to the as-of date or, once the KPI is
    due, to its due date (a finished KPI whose final data is in stays fresh). Judged only from
    the log, and not before the KPI starts."""
    last = series.last_update
    if series is EMPTY or last is None or (start is not None and ctx.as_of < start):
        return False
    until = min(ctx.as_of, due) if due is not None else ctx.as_of
    if (until - last).days <= ctx.settings.stale_after_days:
        return False
    ctx.warn(
        Severity.WARNING,
        "stale_kpi",
        "kpis",
        kpi.row,
        "computed.kpis.last_update",
        found=last,
        kpi=kpi.id,
        days=(ctx.as_of - last).days,
        limit=ctx.settings.stale_after_days,
    )
    return True
