"""Reading one platform export: which platform and layout it is, and its numbers.

The contract the rest of the import builds on; the readers live beside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import InputError
from ..model import Platform


class ExportProblem(InputError):
    """The file cannot be imported (unknown layout, empty, unreadable): one line, the file
    name first, saying what was found and what to do."""


@dataclass(frozen=True)
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

    def column_for(self, typed: str) -> str | None:
        """The canonical column a Sources row means by `typed` (any alias, any case/width)."""
        from ..labels import normalize

        wanted = normalize(typed)
        for column in self.columns:
            if normalize(column) == wanted or wanted in self.aliases.get(column, ()):
                return column
        return None
