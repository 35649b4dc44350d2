"""Goal weight shares: how much of the plan's money and time each goal should get."""

from __future__ import annotations

from .. import labels
from ..errors import Severity
from ..labels import normalize
from ..model import Category, CategoryValue, Goal, WeightRow
from ..results import WeightSource
from .context import Context


def goal_shares(ctx: Context) -> tuple[dict[str, float], WeightSource]:
    """Each goal's share w_g (fractions summing to 1, or less when a profile leaves some out).

    With a weighting profile found on the Weights sheet, each category's weight is split
    equally among its goals, categories without goals drop out and the rest is scaled back to
    100 %; a goal whose category is not in the profile gets 0. Without one, the Weight column
    is normalised (blank or unreadable counts as 0); when no goal has a weight (or they are all
    0), every goal gets an equal share."""
    goals = ctx.plan.goals
    profile = _profile_rows(ctx)
    if profile is not None:
        return _from_profile(ctx, goals, profile), WeightSource.PROFILE
    total = sum(g.weight for g in goals if g.weight is not None)
    if total > 0:
        return {g.id: (g.weight or 0.0) / total for g in goals}, WeightSource.COLUMN
    if not goals:
        return {}, WeightSource.EQUAL
    return {g.id: 1 / len(goals) for g in goals}, WeightSource.EQUAL


def category_key(category: CategoryValue | None) -> object:
    """Categories compare as enum members, or as the user's own text ignoring case and width."""
    if category is None or isinstance(category, Category):
        return category
    return normalize(category)


def _profile_rows(ctx: Context) -> dict[object, WeightRow] | None:
    """The rows of the chosen profile by category (the first row wins), or None without one."""
    name = ctx.settings.weighting_profile
    if not name:
        return None
    wanted = normalize(name)
    rows: dict[object, WeightRow] = {}
    for row in ctx.plan.weights:
        if normalize(row.profile) == wanted:
            rows.setdefault(category_key(row.category), row)
    return rows or None


def _from_profile(
    ctx: Context, goals: tuple[Goal, ...], profile: dict[object, WeightRow]
) -> dict[str, float]:
    by_category: dict[object, list[Goal]] = {}
    for goal in goals:
        by_category.setdefault(category_key(goal.category), []).append(goal)
    present = [key for key in profile if key in by_category]
    total = sum(profile[key].weight for key in present)
    shares: dict[str, float] = {}
    for key, members in by_category.items():
        row = profile.get(key)
        for goal in members:
            if row is None or total <= 0:
                shares[goal.id] = 0.0
            else:
                shares[goal.id] = row.weight / total / len(members)
            if row is None:
                ctx.warn(
                    Severity.WARNING,
                    "category_not_in_profile",
                    "goals",
                    goal.row,
                    "col.category",
                    found=_category_text(goal.category, ctx),
                    profile=ctx.settings.weighting_profile,
                )
    for key, row in profile.items():
        if key not in by_category and row.weight > 0:
            ctx.warn(
                Severity.INFO,
                "profile_category_unused",
                "weights",
                row.row,
                "col.category",
                found=_category_text(row.category, ctx),
                profile=ctx.settings.weighting_profile,
            )
    return shares


def _category_text(category: CategoryValue | None, ctx: Context) -> str:
    if category is None:
        return "—"
    if isinstance(category, Category):
        return labels.text(category.label_key, ctx.lang)
    return category
