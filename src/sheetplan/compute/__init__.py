"""Pure computations over the plan: plain records and an explicit as-of date in, results out.

Nothing in this package reads files, asks for today's date, or imports an Excel library,
Click or pandas (tests/test_imports.py enforces it). `compute` is the one entry point.
"""

from __future__ import annotations

from datetime import date

from ..labels import Lang
from ..model import Plan
from ..results import PlanFrame, Results, TacticResult
from .allocation import allocate, total_budget
from .context import Context, plan_dates
from .due import due_status
from .goal import goal_results
from .kpi import kpi_results
from .monthly import breakdown
from .priority import rank_tactics, score_tactics
from .summary import TOP, summarize
from .weights import goal_shares

__all__ = ["compute"]


def compute(plan: Plan, as_of: date, lang: Lang = "en", *, top: int = TOP) -> Results:
    """Everything SPEC §4 defines, for `plan` as of `as_of`.

    Args:
        plan: the validated plan (rows with unreadable fields are left out where they matter).
        as_of: the date statuses are computed for; the caller decides it (never today here).
        lang: the language of the problems the computation reports.
        top: how many top priorities the summary lists.

    Returns:
        Frozen results, with the warnings and notes found while computing in `problems`.
    """
    start, end = plan_dates(plan)
    ctx = Context(plan, as_of, lang, start, end)
    shares, source = goal_shares(ctx)
    budget, defaulted = total_budget(ctx)
    frame = PlanFrame(as_of, start, end, budget, defaulted, source)

    scored = score_tactics(ctx, shares)
    ranks = rank_tactics(plan.tactics, scored)
    allocation, targets = allocate(ctx, shares, scored, budget)
    tactics = []
    for tactic in plan.tactics:
        status, left = due_status(tactic, as_of, plan.settings)
        s, target = scored[tactic.id], targets[tactic.id]
        tactics.append(
            TacticResult(
                id=tactic.id,
                row=tactic.row,
                quadrant=s.quadrant,
                score=s.score,
                rank=ranks.get(tactic.id),
                target_pct=target.target_pct,
                target_budget=target.target_budget,
                due_status=status,
                days_left=left,
                fundable=target.fundable,
            )
        )
    kpis, series = kpi_results(ctx)
    goals = goal_results(ctx, shares, kpis)
    monthly = breakdown(plan.kpis, kpis, series, as_of)
    summary = summarize(plan, frame, goals, kpis, tuple(tactics), allocation, top)
    problems = tuple(sorted(ctx.problems, key=lambda p: p.sort_key()))
    return Results(frame, goals, kpis, tuple(tactics), allocation, monthly, summary, problems)
