"""An export's numbers against the Actuals log: which rows to add, which values to update.

Pure: the Sources rows say which export column feeds which KPI on which channel; the log is
the only memory between imports. A record is (date, KPI, channel, Source), the key the engine
de-duplicates on (here a platform's name in either language also names the same platform), so
importing a file twice adds nothing and a newer, overlapping export changes only the values
that moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter

from ..dedupe import channel_key, channel_keys
from ..labels import Lang, label, normalize
from ..model import Actual, Aggregation, Kpi, Platform, SourceMapping, ValueKind
from .exports import Export

ADDS_UP = (Aggregation.SUM, Aggregation.AVERAGE)
"""KPIs that add their log values up: a running total must reach them as increases."""


@dataclass
class NewRow:
    """A row the import appends to Actuals (its value may still change within one run)."""

    date: date
    kpi_id: str
    value: float
    channel: str | None
    source: str
    notes: str | None = None


@dataclass(frozen=True)
class Update:
    """A value already in the log that a newer export changes."""

    row: int
    kpi_id: str
    date: date
    source: str
    old: float
    new: float


@dataclass
class FileImport:
    """What one export does to the log."""

    export: Export
    added: int = 0
    updated: list[Update] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    """(line in the file, label key of the reason)."""
    mapped: list[tuple[str, SourceMapping]] = field(default_factory=list)
    """(export column, the Sources row that maps it)."""

    @property
    def unmapped(self) -> bool:
        return not self.mapped


@dataclass(slots=True)
class _Entry:
    row: int | None
    """The sheet row of a value already in the log, None for a row this run adds."""
    value: float
    new: NewRow | None = None


class Log:
    """The Actuals log indexed by record, growing as the files of one run are imported.

    When the log already holds several rows of one record (a conflict the user typed), the
    lower row is the one that counts, as in the engine, so it is the one an import updates.
    A log of 100,000 rows is indexed once, and only the records an import touches get more."""

    def __init__(self, actuals: Sequence[Actual]) -> None:
        self._log: dict[tuple, Actual] = {}
        self._entries: dict[tuple, _Entry] = {}
        self._families: dict[tuple, set[date]] | None = None
        self.added: list[NewRow] = []
        self.updates: dict[int, float] = {}
        channels = self._channels = channel_keys(a.channel for a in actuals)
        self._last_source: tuple[str | None, str] = (None, "")
        sources = {text: source_key(text) for text in {a.source for a in actuals}}
        log = self._log
        for actual in sorted(actuals, key=attrgetter("row")):
            key = (actual.date, actual.kpi_id, channels[actual.channel], sources[actual.source])
            log[key] = actual

    def _channel(self, text: str | None) -> str:
        key = self._channels.get(text)
        if key is None:
            key = self._channels[text] = channel_key(text)
        return key

    def _source(self, text: str) -> str:
        """A row's source, normalized once for all the columns it feeds."""
        if text != self._last_source[0]:
            self._last_source = (text, source_key(text))
        return self._last_source[1]

    def _entry(self, key: tuple) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            actual = self._log.get(key)
            if actual is None:
                return None
            entry = self._entries[key] = _Entry(actual.row, actual.value)
        return entry

    def _days(self, family: tuple) -> set[date]:
        """The days the log has a value of one KPI, channel and source (indexed on first use:
        only lifetime exports need it)."""
        if self._families is None:
            self._families = {}
            for key in (*self._log, *self._entries):
                self._families.setdefault(key[1:], set()).add(key[0])
        return self._families.setdefault(family, set())

    def put(
        self,
        day: date,
        kpi_id: str,
        channel: str | None,
        source: str,
        value: float,
        notes: str | None = None,
    ):
        """Record `value` for (day, KPI, channel, source): "added", "updated" (with the Update)
        or "unchanged". `notes` go with a new row only."""
        key = (day, kpi_id, self._channel(channel), self._source(source))
        entry = self._entry(key)
        if entry is None:
            row = NewRow(day, kpi_id, value, channel, source, notes)
            self._entries[key] = _Entry(None, value, row)
            if self._families is not None:
                self._families.setdefault(key[1:], set()).add(day)
            self.added.append(row)
            return "added", None
        if entry.value == value:
            return "unchanged", None
        old = entry.value
        self._set(entry, value)
        return "updated", Update(entry.row or 0, kpi_id, day, source, old, value)

    def put_level(
        self,
        day: date,
        kpi_id: str,
        channel: str | None,
        source: str,
        level: float,
        notes: str | None = None,
    ):
        """Record a running total as the increase since the log's previous level of the same
        KPI, channel and source (the log holds increases; their sum is the level). A level
        slotted before later ones also corrects the next increase, so the sums stay true."""
        family = (kpi_id, self._channel(channel), self._source(source))
        days = self._days(family)
        earlier = sum(self._entry((d, *family)).value for d in days if d < day)
        was = self._entry((day, *family)).value if day in days else 0.0
        later = min((d for d in days if d > day), default=None)
        increase = level - earlier
        if increase == 0 and day not in days:
            return "unchanged", []  # nothing happened since: no row that says so
        result, update = self.put(day, kpi_id, channel, source, increase, notes)
        updates = [update] if update else []
        if later is not None:
            following = self._entry((later, *family))
            old = following.value
            self._set(following, old + was - increase)
            if following.value != old and following.row is not None:
                updates.append(Update(following.row, kpi_id, later, source, old, following.value))
        return result, updates

    def _set(self, entry: _Entry, value: float) -> None:
        entry.value = value
        if entry.new is not None:
            entry.new.value = value
        else:
            self.updates[entry.row] = value


def import_export(
    export: Export,
    sources: Sequence[SourceMapping],
    kpis: Sequence[Kpi],
    log: Log,
    lang: Lang,
) -> FileImport:
    """Put the numbers of one export into `log` as the Sources rows direct.

    A number reaches the log as exported, except a running total (a column the Sources sheet
    marks so, or any column of a lifetime-per-post export such as Douyin's) feeding a KPI that
    adds values up: it becomes the increase since the previous import of that post, dated the
    day of the export. A running total for a KPI that takes the latest value (followers) is a
    level and is kept as it is."""
    outcome = FileImport(export, skipped=list(export.skipped))
    by_id = {kpi.id: kpi for kpi in kpis}
    for mapping in sources:
        if mapping.platform is not export.platform or not mapping.kpi_id:
            continue
        column = export.column_for(mapping.export_column)
        if column is None or mapping.kpi_id not in by_id:
            continue
        if any(c == column and m.kpi_id == mapping.kpi_id for c, m in outcome.mapped):
            continue  # the same column twice (`likes` and `favorites`): counted once
        outcome.mapped.append((column, mapping))
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    from_file = label("import.note")(lang).format(file=export.path.name)
    platform = source_text(export.platform, None, lang)
    for row in export.rows:
        source = f"{platform} {row.post}" if row.post else platform
        notes = row.title if row.title and row.title != row.post else from_file
        for column, mapping in outcome.mapped:
            value = row.values.get(column)
            if value is None:
                continue
            kpi = by_id[mapping.kpi_id]
            running = mapping.value_kind is ValueKind.RUNNING_TOTAL or export.cumulative
            if running and row.post is not None and kpi.aggregation in ADDS_UP:
                result, updates = log.put_level(
                    export.exported_on, kpi.id, mapping.channel, source, value, notes
                )
            else:
                result, update = log.put(row.date, kpi.id, mapping.channel, source, value, notes)
                updates = [update] if update else []
            counts[result] += 1
            outcome.updated.extend(updates)
    outcome.added = counts["added"]
    outcome.unchanged = counts["unchanged"]
    return outcome


def source_text(platform: Platform, post: str | None, lang: Lang) -> str:
    """The Source a row gets: the platform, and the post it counts when it counts one."""
    name = label(platform.label_key)(lang)
    return f"{name} {post}" if post else name


def _platform_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for platform in Platform:
        entry = label(platform.label_key)
        names[normalize(entry.en)] = platform.value
        names[normalize(entry.zh)] = platform.value
    return names


_PLATFORM_NAMES: dict[str, str] = {}


def source_key(source: str | None) -> str:
    """Sources compare ignoring case, width and spaces, and a platform's name in either
    language is the same platform (`抖音 春日开箱` = `Douyin 春日开箱`)."""
    if not source:
        return ""
    if not _PLATFORM_NAMES:
        _PLATFORM_NAMES.update(_platform_names())
    text = channel_key(source)
    head, _, rest = text.partition(" ")
    platform = _PLATFORM_NAMES.get(head)
    if platform is None:
        return text
    return f"{platform} {rest}" if rest else platform
