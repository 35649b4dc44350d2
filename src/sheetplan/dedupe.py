"""Cleaning the Actuals log: exact repeats dropped, conflicts resolved by the lower row.

Pure, and outside compute/ so that `check` can use it without importing the whole engine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from .labels import normalize
from .model import Actual

_ROW = attrgetter("row")
_KEY = attrgetter("date", "kpi_id", "channel")


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
    actuals = list(actuals)
    keys = list(map(_KEY, actuals))
    if len(set(keys)) == len(keys) and len({channel_key(c) for c in {k[2] for k in keys}}) == len(
        {k[2] for k in keys}
    ):
        return DedupedActuals(tuple(sorted(actuals, key=_ROW)), (), ())
    winner: dict[tuple, Actual] = {}
    exact: list[tuple[Actual, Actual]] = []
    conflicts: list[tuple[Actual, Actual]] = []
    channels: dict[str | None, str] = {}
    for actual in sorted(actuals, key=_ROW):
        channel = channels.get(actual.channel)
        if channel is None:
            channel = channels[actual.channel] = channel_key(actual.channel)
        key = (actual.date, actual.kpi_id, channel)
        previous = winner.get(key)
        if previous is None:
            winner[key] = actual
        elif previous.value == actual.value:
            exact.append((actual, previous))
        else:
            conflicts.append((previous, actual))
            winner[key] = actual
    kept = tuple(sorted(winner.values(), key=_ROW))
    return DedupedActuals(kept, tuple(exact), tuple(conflicts))
