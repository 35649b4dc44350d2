"""Allocation: each goal's share split among its fundable tactics, compared with what is planned."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import Severity
from ..labels import normalize
from ..model import Tactic, TacticStatus
from ..results import Allocation, GoalAllocation, OwnerLoad, Quadrant
from .context import EPS, Context, number, percent
from .priority import Scored


@dataclass(frozen=True)
class TacticTarget:
    fundable: bool
    target_pct: float | None
    target_budget: float | None


def total_budget(ctx: Context) -> tuple[float | None, bool]:
    """The Total budget setting, else the budgets of all tactics not Dropped (True: defaulted)."""
    if ctx.settings.total_budget is not None:
        return ctx.settings.total_budget, False
    budgets = [t.budget for t in _live(ctx.plan.tactics) if t.budget is not None]
    return (sum(budgets) if budgets else None), True


def fundable(tactic: Tactic, scored: Scored, shares: dict[str, float]) -> bool:
    """Not Dropped, not a Money pit, scored (value/complexity readable, complexity > 0), with a
    value above 0 and a goal that exists."""
    return (
        tactic.status is not TacticStatus.DROPPED
        and scored.quadrant is not None
        and scored.quadrant is not Quadrant.MONEY_PIT
        and scored.ratio is not None
        and scored.ratio > 0
        and tactic.goal_id in shares
    )


def allocate(
    ctx: Context, shares: dict[str, float], scored: dict[str, Scored], budget: float | None
) -> tuple[Allocation, dict[str, TacticTarget]]:
    tactics = ctx.plan.tactics
    funded = {t.id: fundable(t, scored[t.id], shares) for t in tactics}
    ratio_sum: dict[str, float] = {}
    count: dict[str, int] = {}
    for t in tactics:
        if funded[t.id]:
            ratio_sum[t.goal_id] = ratio_sum.get(t.goal_id, 0.0) + scored[t.id].ratio
            count[t.goal_id] = count.get(t.goal_id, 0) + 1

    targets: dict[str, TacticTarget] = {}
    for t in tactics:
        if funded[t.id]:
            pct = shares[t.goal_id] * scored[t.id].ratio / ratio_sum[t.goal_id]
            money = budget * pct if budget is not None else None
            targets[t.id] = TacticTarget(True, pct, money)
        else:
            targets[t.id] = TacticTarget(False, None, None)

    goals = _goal_rows(ctx, shares, ratio_sum, count, budget)
    share_sum = sum(shares.values())
    unallocated = sum(g.weight_share or 0.0 for g in goals if g.fundable_tactics == 0)
    if share_sum <= EPS:
        unallocated = 1.0
    if abs(unallocated) < EPS:
        unallocated = 0.0
    live = _live(tactics)
    allocation = Allocation(
        goals=goals,
        owners=owner_loads(ctx),
        total_budget=budget,
        planned_budget=sum(t.budget or 0.0 for t in live),
        planned_hours=sum(t.hours or 0.0 for t in live),
        unallocated_share=unallocated,
        unallocated_budget=budget * unallocated if budget is not None else None,
    )
    return allocation, targets


def owner_loads(ctx: Context) -> tuple[OwnerLoad, ...]:
    """Hours of every tactic not Dropped, per owner, against the owner's capacity.

    Team members come first in sheet order (even with no tactics), then owners who appear
    only on Tactics, in the order they first appear. Names match ignoring case and width."""
    hours: dict[str, float] = {}
    tactic_count: dict[str, int] = {}
    spelled: dict[str, str] = {}
    for t in _live(ctx.plan.tactics):
        if not t.owner:
            continue
        key = normalize(t.owner)
        spelled.setdefault(key, t.owner)
        hours[key] = hours.get(key, 0.0) + (t.hours or 0.0)
        tactic_count[key] = tactic_count.get(key, 0) + 1
    loads: list[OwnerLoad] = []
    seen: set[str] = set()
    for member in ctx.plan.team:
        key = normalize(member.name)
        if key in seen:
            continue
        seen.add(key)
        load = _load(member.name, member.row, hours.get(key, 0.0), member.capacity_hours)
        loads.append(_with_count(load, tactic_count.get(key, 0)))
        if load.over_allocated:
            _warn_over(ctx, load)
    for key, name in spelled.items():
        if key not in seen:
            loads.append(_with_count(_load(name, None, hours[key], None), tactic_count[key]))
    return tuple(loads)


def _goal_rows(
    ctx: Context,
    shares: dict[str, float],
    ratio_sum: dict[str, float],
    count: dict[str, int],
    budget: float | None,
) -> tuple[GoalAllocation, ...]:
    live = [t for t in _live(ctx.plan.tactics) if t.goal_id in shares]
    money: dict[str, float] = {}
    time: dict[str, float] = {}
    for t in live:
        money[t.goal_id] = money.get(t.goal_id, 0.0) + (t.budget or 0.0)
        time[t.goal_id] = time.get(t.goal_id, 0.0) + (t.hours or 0.0)
    all_money, all_time = sum(money.values()), sum(time.values())
    rows = []
    for goal in ctx.plan.goals:
        share = shares.get(goal.id)
        n = count.get(goal.id, 0)
        target = share if n and share is not None else 0.0
        if n == 0 and share:
            ctx.warn(
                Severity.WARNING, "goal_unfunded", "goals", goal.row, None, share=percent(share)
            )
        planned_money, planned_time = money.get(goal.id, 0.0), time.get(goal.id, 0.0)
        money_share = planned_money / all_money if all_money > 0 else None
        time_share = planned_time / all_time if all_time > 0 else None
        rows.append(
            GoalAllocation(
                goal_id=goal.id,
                weight_share=share,
                target_share=target,
                target_budget=budget * target if budget is not None else None,
                planned_budget=planned_money,
                planned_budget_share=money_share,
                budget_gap=money_share - target if money_share is not None else None,
                planned_hours=planned_time,
                planned_hours_share=time_share,
                hours_gap=time_share - target if time_share is not None else None,
                fundable_tactics=n,
            )
        )
    return tuple(rows)


def _load(name: str, row: int | None, hours: float, capacity: float | None) -> OwnerLoad:
    if capacity is None:
        return OwnerLoad(name, row, hours, None, None, False, 0)
    if capacity <= 0:
        return OwnerLoad(name, row, hours, capacity, None, hours > 0, 0)
    use = hours / capacity
    return OwnerLoad(name, row, hours, capacity, use, use > 1 + EPS, 0)


def _with_count(load: OwnerLoad, n: int) -> OwnerLoad:
    return replace(load, tactics=n)


def _warn_over(ctx: Context, load: OwnerLoad) -> None:
    ctx.warn(
        Severity.WARNING,
        "over_allocated",
        "team",
        load.row,
        "col.capacity_hours",
        found=load.name,
        hours=number(load.hours),
        capacity=number(load.capacity or 0.0),
        use=percent(load.utilisation) if load.utilisation is not None else "—",
    )


def _live(tactics: tuple[Tactic, ...]) -> list[Tactic]:
    return [t for t in tactics if t.status is not TacticStatus.DROPPED]
