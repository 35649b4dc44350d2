"""The headline: counts by status, money, and the short lists a team lead reads first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..model import Plan
from ..results import (
    Allocation,
    DueStatus,
    GoalResult,
    KpiResult,
    KpiStatus,
    OverdueItem,
    PlanFrame,
    PriorityItem,
    StaleItem,
    StatusCount,
    Summary,
    TacticResult,
)
from .context import natural_key

TOP = 5
"""How many top priorities the headline lists."""


def summarize(
    plan: Plan,
    frame: PlanFrame,
    goals: tuple[GoalResult, ...],
    kpis: tuple[KpiResult, ...],
    tactics: tuple[TacticResult, ...],
    allocation: Allocation,
    top: int = TOP,
) -> Summary:
    tactic_rows = {t.id: t for t in plan.tactics}
    kpi_rows = {k.id: k for k in plan.kpis}
    ranked = sorted((t for t in tactics if t.rank is not None), key=lambda t: t.rank)
    top_items = tuple(
        PriorityItem(
            rank=t.rank,
            tactic_id=t.id,
            name=tactic_rows[t.id].name,
            goal_id=tactic_rows[t.id].goal_id,
            owner=tactic_rows[t.id].owner,
            quadrant=t.quadrant,
            score=t.score,
            due=tactic_rows[t.id].due,
            due_status=t.due_status,
        )
        for t in ranked[:top]
    )
    overdue = sorted(
        (t for t in tactics if t.due_status is DueStatus.OVERDUE),
        key=lambda t: (t.days_left, natural_key(t.id)),
    )
    overdue_items = tuple(
        OverdueItem(
            t.id,
            tactic_rows[t.id].name,
            tactic_rows[t.id].owner,
            tactic_rows[t.id].due,
            -t.days_left,
        )
        for t in overdue
    )
    stale = sorted((k for k in kpis if k.stale), key=lambda k: (k.last_update, natural_key(k.id)))
    stale_items = tuple(
        StaleItem(k.id, kpi_rows[k.id].name, k.last_update, (frame.as_of - k.last_update).days)
        for k in stale
    )
    over = sorted(
        (o for o in allocation.owners if o.over_allocated),
        key=lambda o: -(o.utilisation if o.utilisation is not None else float("inf")),
    )
    return Summary(
        plan_name=plan.settings.plan_name,
        as_of=frame.as_of,
        currency=plan.settings.currency,
        start=frame.start,
        end=frame.end,
        goals=counts(KpiStatus, (g.status for g in goals)),
        kpis=counts(KpiStatus, (k.status for k in kpis)),
        tactics=counts(DueStatus, (t.due_status for t in tactics)),
        goal_total=len(goals),
        kpi_total=len(kpis),
        tactic_total=len(tactics),
        budget_total=allocation.total_budget,
        budget_planned=allocation.planned_budget,
        budget_unallocated=allocation.unallocated_budget,
        unallocated_share=allocation.unallocated_share,
        top_priorities=top_items,
        overdue=overdue_items,
        stale_kpis=stale_items,
        over_allocated=tuple(over),
    )


def counts(kind: type, statuses: Iterable[object]) -> tuple[StatusCount, ...]:
    """A count for every status of `kind`, in its order, zeros included (a stable shape)."""
    tally = Counter(statuses)
    return tuple(StatusCount(status, tally.get(status, 0)) for status in kind)
