"""Cleaning the Actuals log: exact repeats dropped, conflicts resolved by the lower row.

A record is one (date, KPI, channel, source): rows that differ in Source are different records
(two posts measured the same day on the same channel), never repeats of each other.

Pure, and outside compute/ so that `check` can use it without importing the whole engine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from .labels import normalize
from .model import Actual

_ROW = attrgetter("row")
_KEY = attrgetter("date", "kpi_id", "channel", "source")


@dataclass(frozen=True)
class DedupedActuals:
    kept: tuple[Actual, ...]
    """The rows that count, in sheet order."""
    exact: tuple[tuple[Actual, Actual], ...]
    """(dropped row, the earlier identical row it repeats)."""
    conflicts: tuple[tuple[Actual, Actual], ...]
    """(dropped row, the lower row that wins): same date, KPI, channel and source, another
    value."""


def channel_key(text: str | None) -> str:
    """Channels (and sources) compare ignoring case, width and spaces; blank is one of its own."""
    return normalize(text) if text else ""


def channel_keys(texts: Iterable[str | None]) -> dict[str | None, str]:
    """channel_key of every distinct text, each normalized once (a log repeats its channels
    thousands of times; a per-post log has as many sources as posts)."""
    return {text: channel_key(text) for text in set(texts)}


def has_repeats(actuals: list[Actual]) -> bool:
    """Whether two rows may be the same record: their date, KPI, channel and source are equal
    as typed, or equal once channels and sources are compared as channel_key (then the slow
    path looks row by row)."""
    if len(set(map(_KEY, actuals))) != len(actuals):
        return True
    for texts in ({a.channel for a in actuals}, {a.source for a in actuals}):
        if len(set(channel_keys(texts).values())) != len(texts):
            return True
    return False


def dedupe_actuals(actuals: Iterable[Actual]) -> DedupedActuals:
    """Drop exact repeats (same date, KPI, channel, source and value) and resolve conflicts.

    When two rows give the same date, KPI, channel and source different values, the lower row
    on the sheet (the later entry, usually a correction) is kept."""
    actuals = list(actuals)
    if not has_repeats(actuals):
        return DedupedActuals(tuple(sorted(actuals, key=_ROW)), (), ())
    channels = channel_keys(a.channel for a in actuals)
    sources = channel_keys(a.source for a in actuals)
    winner: dict[tuple, Actual] = {}
    exact: list[tuple[Actual, Actual]] = []
    conflicts: list[tuple[Actual, Actual]] = []
    for actual in sorted(actuals, key=_ROW):
        key = (actual.date, actual.kpi_id, channels[actual.channel], sources[actual.source])
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
