"""Reading one platform export: which platform and layout it is, and its numbers.

The contract the rest of the import builds on, and `read_export`, which fills it: tabular
(bytes → rows of cells), profiles (header row → layout, from data/exports.json) and values
(the platforms' numbers and dates) live beside it.

Choices where the platforms leave room:
- A rate is a fraction (`9.34%` → 0.0934; YouTube's `CTR (%)` 4.5 → 0.045): sheetplan's
  rate KPIs are percent-formatted cells. A duration (`0:03:12`, `8.5秒`) is seconds.
- A cell in a metric column that is not a number (a formula such as `=HYPERLINK(…)`, `+cmd`,
  `@SUM(…)`, stray text) is absent from the row and listed in `Export.unreadable`; nothing is
  evaluated. Text columns (post, title) keep such cells as text.
- Meta's per-post rows are dated by Publish time when their Date says `Lifetime`; a per-post
  daily breakdown (a real date in Date) is dated by that day.
- Douyin and Xiaohongshu key posts by title; two posts with one title in the same file are
  told apart by their publish time, `title (2026-07-01 18:00)`.
- Titles are kept to their first line, at most 100 characters (they only label a Source);
  a title that is the post's key is kept whole."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import ExportProblem
from ..labels import Lang, Matcher, label, normalize, text
from ..model import Platform
from ..parse import is_blank, parse_text
from . import tabular
from .profiles import match_header
from .values import YearLess, date_in_name, place_years, read_date, read_number


@dataclass(frozen=True, slots=True)
class ExportRow:
    line: int
    """1-based line (CSV) or row (workbook) in the file, for messages."""
    date: date
    """The metric's day (a per-day row), or the post's publish day (a per-post row)."""
    post: str | None
    """Post id, or the title where the platform gives no id (Douyin, Xiaohongshu); None for
    account-level rows (one row per day for the whole account)."""
    values: dict[str, float]
    """Canonical metric column → number; a blank, `-`, `N/A` or `undefined` cell is absent."""
    title: str | None = None
    """The post's title or text (first line, 100 characters at most), for people to read."""


@dataclass(frozen=True)
class Export:
    path: Path
    platform: Platform
    layout: str
    """Which export of that platform, e.g. "x.content", "meta.daily", "douyin.works"."""
    columns: tuple[str, ...]
    """Canonical names of the metric columns found in this file, in file order."""
    rows: tuple[ExportRow, ...]
    per_post: bool
    cumulative: bool
    """Lifetime totals per post with no per-row day (Douyin, Xiaohongshu): every row is dated
    the export day, and the import turns them into the increase since the previous import."""
    exported_on: date
    """The day the export was taken: --as-of, else a date in the file name, else the last day
    the file covers, else the file's modification day."""
    skipped: tuple[tuple[int, str], ...] = ()
    """(line, label key of the reason): Total and summary rows, undated rows, …"""
    aliases: dict[str, frozenset[str]] = field(default_factory=dict)
    """Canonical column → every normalized name it goes by (old and localised headers)."""
    unreadable: tuple[tuple[int, str, str], ...] = ()
    """(line, canonical column, text found): cells of metric columns that are not numbers
    (a formula, an injection string such as `+cmd`, stray text); absent from their row."""

    def column_for(self, typed: str) -> str | None:
        """The canonical column a Sources row means by `typed` (any alias, any case/width)."""
        wanted = normalize(typed)
        for column in self.columns:
            if normalize(column) == wanted or wanted in self.aliases.get(column, ()):
                return column
        return None


_HEADER_SEARCH = 30
"""Rows looked at for the header: preambles, `sep=` and title lines come before it."""
_TITLE_LENGTH = 100
_TOTALS = Matcher(["total.row"])


def _summary_starts() -> tuple[str, ...]:
    return tuple(normalize(name) for name in label("export.summary_row").names())


_SUMMARY_STARTS = _summary_starts()


def read_export(path: Path, *, lang: Lang, as_of: date | None = None) -> Export:
    """The platform, layout and numbers of one export file.

    Raises ExportProblem (one line, naming the file) for an empty, binary, undecodable or
    unknown file; rows it cannot use are listed in `skipped`, never fatal."""
    first_seen: list[object] | None = None
    tables = tabular.open_tables(path, lang)
    try:
        for table in tables:
            found, seen = _find_header(table.rows, path.name)
            first_seen = first_seen or seen
            if found is not None:
                match, title = found
                return _read_body(path, table.rows, match, title, as_of)
    finally:
        tables.close()
    raise ExportProblem(_unknown(path, first_seen, lang))


def _find_header(rows, file_name: str):
    """((match, title line), first wide row) — the header among the first rows, if any."""
    title: str | None = None
    seen: list[object] | None = None
    for _, cells in itertools.islice(rows, _HEADER_SEARCH):
        filled = [c for c in cells if not is_blank(c)]
        if not filled:
            continue
        match = match_header(cells, file_name)
        if match is not None:
            return (match, title), seen or cells
        if len(filled) == 1 and isinstance(filled[0], str):
            title = filled[0].strip()
        elif seen is None:
            seen = cells
    return None, seen


def _unknown(path: Path, cells: list[object] | None, lang: Lang) -> str:
    names = [parse_text(c) for c in cells or () if not is_blank(c)]
    shown_names = ", ".join(str(n) for n in names[:8]) + (", …" if len(names) > 8 else "")
    platforms = ", ".join(text(p.label_key, lang) for p in Platform)
    return text("export.unknown", lang, file=path.name, columns=shown_names, platforms=platforms)


@dataclass(frozen=True)
class _Columns:
    """Where a matched layout's columns stand in this file, and what they are called."""

    platform: Platform
    names: tuple[str, ...]
    reads: tuple[tuple[int, str, bool], ...]
    """(position, canonical name, percent points) of each metric column."""
    dates: tuple[int, ...]
    post: int | None
    titles: tuple[int, ...]
    publish: int | None
    aliases: dict[str, frozenset[str]]


def _columns(match, title_line: str | None) -> _Columns:
    """Meta's per-metric files name their one metric in a title line: it becomes the column."""
    profile, at = match.profile, match.columns
    metrics = [c for _, c in sorted((at[c], c) for c in profile.metrics if c in at)]
    aliases = {c: profile.aliases[c] for c in metrics}
    names, platform = list(metrics), profile.platform
    if profile.title_metric and title_line and len(metrics) == 1:
        names = [title_line]
        aliases = {title_line: aliases[metrics[0]] | {normalize(title_line)}}
        if "instagram" in normalize(title_line):
            platform = Platform.INSTAGRAM
    return _Columns(
        platform=platform,
        names=tuple(names),
        reads=tuple((at[c], n, c in profile.points) for c, n in zip(metrics, names, strict=True)),
        dates=tuple(at[c] for c in profile.date if c in at),
        post=at.get(profile.post) if profile.post else None,
        titles=tuple(at[c] for c in profile.title if c in at),
        publish=at.get(profile.publish) if profile.publish else None,
        aliases=aliases,
    )


def _read_body(path: Path, rows, match, title_line: str | None, as_of: date | None) -> Export:
    profile = match.profile
    columns = _columns(match, title_line)
    result: list[ExportRow] = []
    year_less: list[tuple[int, YearLess]] = []
    publish: dict[int, str] = {}
    skipped: list[tuple[int, str]] = []
    unreadable: list[tuple[int, str, str]] = []
    for line, cells in rows:
        row = _row(line, cells, profile, columns, unreadable)
        if row is None:
            continue
        if isinstance(row, str):
            skipped.append((line, row))
            continue
        row, day = row
        if isinstance(day, YearLess):
            year_less.append((len(result), day))
        if columns.publish is not None:
            publish[len(result)] = _text_at(cells, columns.publish) or ""
        result.append(row)

    named = date_in_name(path.name)
    if year_less:
        placed = place_years([d for _, d in year_less], as_of or named or _modified(path))
        for (index, _), day in zip(year_less, placed, strict=True):
            result[index] = _redated(result[index], day or date.min)
    if profile.cumulative:
        exported = as_of or named or _modified(path)
        result = [_redated(row, exported) for row in result]
        _tell_apart(result, publish)
    else:
        covered = max((r.date for r in result), default=None)
        exported = as_of or named or covered or _modified(path)
    return Export(
        path=path,
        platform=columns.platform,
        layout=profile.layout,
        columns=columns.names,
        rows=tuple(result),
        per_post=profile.per_post,
        cumulative=profile.cumulative,
        exported_on=exported,
        skipped=tuple(skipped),
        aliases=columns.aliases,
        unreadable=tuple(unreadable),
    )


def _row(line: int, cells: list[object], profile, columns: _Columns, unreadable: list):
    """One record: None (blank), a skip reason's label key, or (row, the day as read). A
    year-less or cumulative row is dated `date.min` until the file's dates are known."""
    first = next((c for c in cells if not is_blank(c)), None)
    if first is None:
        return None
    if isinstance(first, str) and _TOTALS.match(first):
        return "export.skip.total"
    day = None
    for at in columns.dates:
        day = read_date(cells[at]) if at < len(cells) else None
        if day is not None:
            break
    if day is None and not profile.cumulative:
        summary = isinstance(first, str) and normalize(first).startswith(_SUMMARY_STARTS)
        return "export.skip.summary" if summary else "export.skip.no_date"
    post = _text_at(cells, columns.post)
    if profile.per_post and post is None:
        return "export.skip.no_post"
    values: dict[str, float] = {}
    for at, column, points in columns.reads:
        if at < len(cells):
            number = read_number(cells[at], points=points)
            if number.__class__ is float:
                values[column] = number
            elif number is not None:
                unreadable.append((line, column, number.found))
    title = next((t for t in (_text_at(cells, at) for at in columns.titles) if t), None)
    if title is not None:
        title = title.splitlines()[0].strip()[:_TITLE_LENGTH]
    dated = day if isinstance(day, date) else date.min
    return ExportRow(line, dated, post, values, title), day


def _text_at(cells: list[object], at: int | None) -> str | None:
    if at is None or at >= len(cells):
        return None
    return parse_text(cells[at])


def _redated(row: ExportRow, day: date) -> ExportRow:
    return ExportRow(row.line, day, row.post, row.values, row.title)


def _tell_apart(rows: list[ExportRow], publish: dict[int, str]) -> None:
    """Posts keyed by title that share one: each gets its publish time after the title."""
    counts = Counter(row.post for row in rows)
    for index, row in enumerate(rows):
        if counts[row.post] > 1 and publish.get(index):
            rows[index] = ExportRow(
                row.line, row.date, f"{row.post} ({publish[index]})", row.values, row.title
            )


def _modified(path: Path) -> date:
    return date.fromtimestamp(path.stat().st_mtime)
