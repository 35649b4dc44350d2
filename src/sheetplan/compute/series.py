"""The Actuals log turned into one time series per KPI, in a single pass over the rows.

For every date with data the series holds the KPI's actual as of that date (what the monthly
breakdown and the final actual read) and the point the forecast fits a line through; they
differ only for averages (the running mean vs that date's mean).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..model import Actual, Aggregation
from .actuals import channel_key, dedupe_actuals


@dataclass(frozen=True)
class Series:
    dates: tuple[date, ...]
    actual: tuple[float, ...]
    points: tuple[float, ...]
    last_update: date | None
    """Newest date logged for the KPI up to as-of, even before the KPI starts."""

    def actual_at(self, when: date) -> float | None:
        """The actual as of `when`: the value at the last date with data on or before it."""
        i = bisect_right(self.dates, when)
        return self.actual[i - 1] if i else None


EMPTY = Series((), (), (), None)


def group_by_kpi(actuals: Iterable[Actual], as_of: date) -> dict[str, list[Actual]]:
    """The rows that count, dated on or before as-of, by KPI, each list in date order.

    Exact repeats are dropped and conflicting rows resolved (the lower row wins) first."""
    groups: dict[str, list[Actual]] = {}
    for actual in dedupe_actuals(actuals).kept:
        if actual.date <= as_of:
            rows = groups.get(actual.kpi_id)
            if rows is None:
                groups[actual.kpi_id] = [actual]
            else:
                rows.append(actual)
    for rows in groups.values():
        rows.sort(key=_by_date)
    return groups


def build_series(rows: list[Actual], aggregation: Aggregation, start: date | None) -> Series:
    """One KPI's series. Rows before `start` count only for `latest` (a value logged before the
    KPI starts is still the latest known value)."""
    if not rows:
        return EMPTY
    last_update = rows[-1].date
    if aggregation is not Aggregation.LATEST and start is not None:
        rows = [a for a in rows if a.date >= start]
        if not rows:
            return Series((), (), (), last_update)
    if aggregation is Aggregation.LATEST:
        dates, actual = _latest(rows)
        return Series(dates, actual, actual, last_update)
    dates, day_sums, day_counts, day_max, day_min = _by_day(rows)
    if aggregation is Aggregation.SUM:
        running = _accumulate(day_sums, lambda a, b: a + b)
        return Series(dates, running, running, last_update)
    if aggregation is Aggregation.AVERAGE:
        totals = _accumulate(day_sums, lambda a, b: a + b)
        counts = _accumulate([float(c) for c in day_counts], lambda a, b: a + b)
        running_mean = tuple(t / c for t, c in zip(totals, counts, strict=True))
        day_mean = tuple(s / c for s, c in zip(day_sums, day_counts, strict=True))
        return Series(dates, running_mean, day_mean, last_update)
    if aggregation is Aggregation.MAX:
        running = _accumulate(day_max, max)
        return Series(dates, running, running, last_update)
    running = _accumulate(day_min, min)
    return Series(dates, running, running, last_update)


def _by_date(actual: Actual) -> date:
    return actual.date


def _latest(rows: list[Actual]) -> tuple[tuple[date, ...], tuple[float, ...]]:
    """For each date: the sum over channels of each channel's latest value up to that date,
    where a channel's latest value is the sum of its rows on its most recent date.

    After deduplication the rows of one channel on one date are distinct sources — posts, or
    accounts — so together they are what the channel stood at that day (each post's followers
    gained, two accounts' followers). Keeping each source's own latest value instead would add
    up sources that replace each other: an import names the file it came from as the Source,
    so September's followers file and October's would be counted together. A source measured
    only on an earlier date than the channel's newest therefore no longer counts."""
    keys: dict[str | None, str] = {}
    current: dict[str, float] = {}
    since: dict[str, date] = {}
    dates: list[date] = []
    values: list[float] = []
    for actual in rows:
        key = keys.get(actual.channel)
        if key is None:
            key = keys[actual.channel] = channel_key(actual.channel)
        if since.get(key) == actual.date:
            current[key] += actual.value
        else:
            since[key] = actual.date
            current[key] = actual.value
        total = sum(current.values())
        if dates and dates[-1] == actual.date:
            values[-1] = total
        else:
            dates.append(actual.date)
            values.append(total)
    return tuple(dates), tuple(values)


def _by_day(rows: list[Actual]):
    """Per date (rows in date order): sum, count, highest and lowest value. The day being
    summed is kept in locals, not at the lists' ends (a 100,000-row log took 60 ms)."""
    dates: list[date] = []
    sums: list[float] = []
    counts: list[int] = []
    highs: list[float] = []
    lows: list[float] = []
    day = None
    total = high = low = 0.0
    count = 0
    for actual in rows:
        value = actual.value
        if actual.date == day:
            total += value
            count += 1
            if value > high:  # as max(high, value): the earlier one on a tie
                high = value
            if value < low:
                low = value
            continue
        if day is not None:
            dates.append(day)
            sums.append(total)
            counts.append(count)
            highs.append(high)
            lows.append(low)
        day, total, count, high, low = actual.date, value, 1, value, value
    if day is not None:
        dates.append(day)
        sums.append(total)
        counts.append(count)
        highs.append(high)
        lows.append(low)
    return tuple(dates), sums, counts, highs, lows


def _accumulate(values, step) -> tuple[float, ...]:
    out: list[float] = []
    acc = None
    for value in values:
        acc = value if acc is None else step(acc, value)
        out.append(acc)
    return tuple(out)
