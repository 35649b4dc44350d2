"""Cleaning the Actuals log: exact repeats dropped, conflicts resolved by the lower row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..labels import normalize
from ..model import Actual


@dataclass(frozen=True)
class DedupedActuals:
    kept: tuple[Actual, ...]
    """The rows that count, in sheet order."""
    exact: tuple[tuple[Actual, Actual], ...]
    """(dropped row, the earlier identical row it repeats)."""
    conflicts: tuple[tuple[Actual, Actual], ...]
    """(dropped row, the lower row that wins): same date, KPI and channel, another value."""


def channel_key(channel: str | None) -> str:
    """Channels compare ignoring case, width and spaces; blank is a channel of its own."""
    return normalize(channel) if channel else ""


def dedupe_actuals(actuals: Iterable[Actual]) -> DedupedActuals:
    """Drop exact repeats (same date, KPI, channel and value) and resolve conflicts.

    When two rows give the same date, KPI and channel different values, the lower row on the
    sheet (the later entry, usually a correction) is kept."""
    winner: dict[tuple, Actual] = {}
    exact: list[tuple[Actual, Actual]] = []
    conflicts: list[tuple[Actual, Actual]] = []
    for actual in sorted(actuals, key=lambda a: a.row):
        key = (actual.date, actual.kpi_id, channel_key(actual.channel))
        previous = winner.get(key)
        if previous is None:
            winner[key] = actual
        elif previous.value == actual.value:
            exact.append((actual, previous))
        else:
            conflicts.append((previous, actual))
            winner[key] = actual
    kept = tuple(sorted(winner.values(), key=lambda a: a.row))
    return DedupedActuals(kept, tuple(exact), tuple(conflicts))
