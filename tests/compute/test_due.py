"""Tactic due status, worked by hand. As of 2026-02-20, due-soon window 7 days, tolerance 10 %."""

from __future__ import annotations

import pytest

from sheetplan.model import TacticStatus
from sheetplan.results import DueStatus

from factories import computed, plan, tactic

S = TacticStatus
NS, IP, DONE, BLOCKED, DROPPED = S.NOT_STARTED, S.IN_PROGRESS, S.DONE, S.BLOCKED, S.DROPPED


def status(**fields):
    p = plan(tactics=(tactic(**{"start": None, "due": None, **fields}),))
    result = computed(p).tactics[0]
    return result.due_status, result.days_left


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # Dropped comes first, even when overdue; nothing is left to do
        ({"status": DROPPED, "due": "2026-01-01"}, (DueStatus.DROPPED, None)),
        ({"status": DONE, "due": "2026-01-01"}, (DueStatus.DONE, None)),
        # 100 % complete counts as done whatever the status says
        ({"status": IP, "percent_complete": 1.0, "due": "2026-01-01"}, (DueStatus.DONE, None)),
        ({"status": IP}, (DueStatus.NO_DUE_DATE, None)),
        # due yesterday: 2026-02-19 − 2026-02-20 = −1 day
        ({"due": "2026-02-19"}, (DueStatus.OVERDUE, -1)),
        # overdue beats blocked
        ({"status": BLOCKED, "due": "2026-02-10"}, (DueStatus.OVERDUE, -10)),
        # blocked beats due soon: 2026-02-21 − 2026-02-20 = 1
        ({"status": BLOCKED, "due": "2026-02-21"}, (DueStatus.BLOCKED, 1)),
        # due today: 0 days left ≤ 7
        ({"due": "2026-02-20"}, (DueStatus.DUE_SOON, 0)),
        # due in exactly the window: 2026-02-27 − 2026-02-20 = 7 ≤ 7
        ({"due": "2026-02-27"}, (DueStatus.DUE_SOON, 7)),
        # one day beyond the window: 8 > 7
        ({"due": "2026-02-28"}, (DueStatus.ON_TRACK, 8)),
        # not started yet: start after as-of; Feb 20 → Apr 11 = 8 + 31 + 11 = 50 days
        ({"start": "2026-03-01", "due": "2026-04-11"}, (DueStatus.SCHEDULED, 50)),
        # as-of equal to start: not "before start", not strictly between → on track
        (
            {"start": "2026-02-20", "due": "2026-04-11", "percent_complete": 0.0},
            (DueStatus.ON_TRACK, 50),
        ),
    ],
)
def test_due_status_rules_in_order(fields, expected) -> None:
    assert status(**fields) == expected


# Behind: start 2026-01-01, due 2026-04-11 (100 days), as of day 50 → elapsed 0.5;
# behind when % complete < 0.5 − 0.10 = 0.40
@pytest.mark.parametrize(
    ("done", "invalid", "expected"),
    [
        (0.39, frozenset(), DueStatus.BEHIND),
        (0.40, frozenset(), DueStatus.ON_TRACK),  # exactly at the tolerance: not behind
        (0.90, frozenset(), DueStatus.ON_TRACK),
        (None, frozenset(), DueStatus.BEHIND),  # blank % complete counts as 0
        (None, frozenset({"percent_complete"}), DueStatus.ON_TRACK),  # unreadable: not judged
    ],
)
def test_behind(done, invalid, expected) -> None:
    got, left = status(start="2026-01-01", due="2026-04-11", percent_complete=done, invalid=invalid)
    assert (got, left) == (expected, 50)


def test_due_soon_beats_behind() -> None:
    # start 2026-01-01, due 2026-02-25: 5 days left ≤ 7, though 0 % done
    assert status(start="2026-01-01", due="2026-02-25", percent_complete=0.0) == (
        DueStatus.DUE_SOON,
        5,
    )


def test_due_soon_window_from_settings() -> None:
    p = plan(tactics=(tactic(start=None, due="2026-02-21"),), due_soon_days=0)
    # 1 day left > 0 days
    assert computed(p).tactics[0].due_status is DueStatus.ON_TRACK


def test_tolerance_from_settings() -> None:
    # elapsed 0.5, tolerance 0.25 → behind below 0.25
    p = plan(
        tactics=(tactic(start="2026-01-01", due="2026-04-11", percent_complete=0.3),),
        on_track_tolerance=0.25,
    )
    assert computed(p).tactics[0].due_status is DueStatus.ON_TRACK
