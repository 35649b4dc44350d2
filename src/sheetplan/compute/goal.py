"""Goals: progress rolled up from their KPIs, status, time frame and the SMART check."""

from __future__ import annotations

from datetime import date

from ..model import Goal, Kpi
from ..results import GoalResult, KpiResult, TimeFrame
from .context import Context, elapsed, goal_dates
from .kpi import status_of

SHORT_DAYS = 92
MID_DAYS = 366


def goal_results(
    ctx: Context, shares: dict[str, float], kpi_results: tuple[KpiResult, ...]
) -> tuple[GoalResult, ...]:
    kpis_of: dict[str, list[tuple[Kpi, KpiResult]]] = {}
    for kpi, result in zip(ctx.plan.kpis, kpi_results, strict=True):
        if kpi.goal_id is not None:
            kpis_of.setdefault(kpi.goal_id, []).append((kpi, result))
    company_ids = {c.id for c in ctx.plan.company_goals}
    out = []
    for goal in ctx.plan.goals:
        pairs = kpis_of.get(goal.id, [])
        start, due = goal_dates(goal, ctx)
        progress = rollup(pairs)
        expected = elapsed(start, due, ctx.as_of)
        status = status_of(
            progress, expected, start, due, ctx.as_of, ctx.settings, has_data=progress is not None
        )
        out.append(
            GoalResult(
                id=goal.id,
                row=goal.row,
                start=start,
                due=due,
                weight_share=shares.get(goal.id),
                time_frame=time_frame(start, due),
                progress=progress,
                expected=expected,
                status=status,
                smart=smart(goal, pairs, company_ids),
            )
        )
    return tuple(out)


def rollup(pairs: list[tuple[Kpi, KpiResult]]) -> float | None:
    """Weighted mean of the KPIs' progress, each clamped to [0, 1]; KPI Weight blank = 1.

    KPIs without progress, or with an unreadable weight, are left out; None when nothing is
    left or the weights add up to 0."""
    total_weight = 0.0
    total = 0.0
    for kpi, result in pairs:
        if result.progress is None or "weight" in kpi.invalid:
            continue
        weight = kpi.weight if kpi.weight is not None else 1.0
        total_weight += weight
        total += weight * min(1.0, max(0.0, result.progress))
    if total_weight <= 0:
        return None
    return total / total_weight


def time_frame(start: date | None, due: date | None) -> TimeFrame | None:
    """From Due − Start: up to 92 days short, up to 366 mid, else long."""
    if start is None or due is None:
        return None
    days = (due - start).days
    if days <= SHORT_DAYS:
        return TimeFrame.SHORT
    if days <= MID_DAYS:
        return TimeFrame.MID
    return TimeFrame.LONG


def smart(goal: Goal, pairs: list[tuple[Kpi, KpiResult]], company_ids: set[str]) -> str:
    """One letter per check met, a dash per check missed: `SM-RT`.

    S: goal text and category; M: a KPI with baseline and target both filled in; A: no KPI
    forecast to miss its target; R: the linked company goal exists; T: the goal's own due date."""
    marks = (
        bool(goal.name) and goal.category is not None,
        any(k.baseline is not None and k.target is not None for k, _ in pairs),
        not any(r.on_course is False for _, r in pairs),
        goal.company_goal_id is not None and goal.company_goal_id in company_ids,
        goal.due is not None,
    )
    return "".join(letter if ok else "-" for letter, ok in zip("SMART", marks, strict=True))
