"""Tactic due status: the first rule that applies, and the days left."""

from __future__ import annotations

from datetime import date

from ..model import Settings, Tactic, TacticStatus
from ..results import DueStatus
from .context import EPS


def due_status(tactic: Tactic, as_of: date, settings: Settings) -> tuple[DueStatus, int | None]:
    """(status, days left). Days left is Due − as-of (negative when overdue), None without a due
    date and for tactics that are Done or Dropped (nothing is left to do)."""
    due, start = tactic.due, tactic.start
    if tactic.status is TacticStatus.DROPPED:
        return DueStatus.DROPPED, None
    done = tactic.percent_complete
    if tactic.status is TacticStatus.DONE or (done is not None and done >= 1 - EPS):
        return DueStatus.DONE, None
    if due is None:
        return DueStatus.NO_DUE_DATE, None
    left = (due - as_of).days
    if left < 0:
        return DueStatus.OVERDUE, left
    if tactic.status is TacticStatus.BLOCKED:
        return DueStatus.BLOCKED, left
    if left <= settings.due_soon_days:
        return DueStatus.DUE_SOON, left
    if _behind(tactic, as_of, settings.on_track_tolerance):
        return DueStatus.BEHIND, left
    if start is not None and as_of < start:
        return DueStatus.SCHEDULED, left
    return DueStatus.ON_TRACK, left


def _behind(tactic: Tactic, as_of: date, tolerance: float) -> bool:
    """Strictly between start and due, and % complete lags the time elapsed by more than the
    tolerance. A blank % complete counts as 0; an unreadable one cannot be judged."""
    start, due = tactic.start, tactic.due
    if start is None or due is None or not start < as_of < due:
        return False
    if "percent_complete" in tactic.invalid:
        return False
    done = tactic.percent_complete or 0.0
    elapsed = (as_of - start).days / (due - start).days
    return done < elapsed - tolerance - EPS
