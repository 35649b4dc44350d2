"""Tactic priority: value-vs-complexity quadrant, score and rank."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..errors import Severity
from ..model import Tactic, TacticStatus
from ..results import Quadrant
from .context import Context, natural_key

QUADRANT_ORDER = {q: i for i, q in enumerate(Quadrant)}
CLOSED = (TacticStatus.DONE, TacticStatus.DROPPED)


@dataclass(frozen=True)
class Scored:
    quadrant: Quadrant | None
    score: float | None
    ratio: float | None
    """Value / complexity: the tactic's claim on its goal's share."""


def quadrant(value: float, complexity: float, scale: tuple[float, float]) -> Quadrant:
    """High means at or above the midpoint of the score scale."""
    lo, hi = scale
    mid = (lo + hi) / 2
    high_value, high_complexity = value >= mid, complexity >= mid
    if high_value:
        return Quadrant.BIG_BET if high_complexity else Quadrant.QUICK_WIN
    return Quadrant.MONEY_PIT if high_complexity else Quadrant.FILL_IN


def score_tactics(ctx: Context, shares: dict[str, float]) -> dict[str, Scored]:
    """Quadrant, score = w_g × v / c, and v / c for each tactic.

    A tactic with a blank or unreadable value or complexity gets none of them; one whose goal
    is unknown gets a quadrant but no score; a complexity of 0 (possible on a 0–n scale)
    cannot divide, so that tactic gets no score (warning)."""
    scale = ctx.settings.score_scale
    out: dict[str, Scored] = {}
    for tactic in ctx.plan.tactics:
        v, c = tactic.value, tactic.complexity
        if v is None or c is None:
            out[tactic.id] = Scored(None, None, None)
            continue
        quad = quadrant(v, c, scale)
        if c <= 0:
            ctx.warn(Severity.WARNING, "zero_complexity", "tactics", tactic.row, "col.complexity")
            out[tactic.id] = Scored(quad, None, None)
            continue
        share = shares.get(tactic.goal_id) if tactic.goal_id is not None else None
        score = share * v / c if share is not None else None
        out[tactic.id] = Scored(quad, score, v / c)
    return out


def rank_tactics(tactics: Iterable[Tactic], scored: dict[str, Scored]) -> dict[str, int]:
    """Rank 1…n over open tactics with a score: quadrant, then score (higher first), then due
    date (earlier first, blank last), then ID in natural order."""
    open_ones = [
        t
        for t in tactics
        if t.status not in CLOSED
        and scored[t.id].score is not None
        and scored[t.id].quadrant is not None
    ]
    open_ones.sort(key=lambda t: _rank_key(t, scored[t.id]))
    return {t.id: i for i, t in enumerate(open_ones, start=1)}


def _rank_key(tactic: Tactic, scored: Scored) -> tuple:
    assert scored.quadrant is not None and scored.score is not None
    due = tactic.due
    return (
        QUADRANT_ORDER[scored.quadrant],
        -scored.score,
        due is None,
        due or date.min,
        natural_key(tactic.id),
        tactic.id,
    )
