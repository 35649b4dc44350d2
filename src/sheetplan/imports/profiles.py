"""The export layouts sheetplan knows, read from data/exports.json, and header matching.

A layout is recognised by its signature (columns that must all be there, under any alias)
rather than by one exact column list, since platforms add and rename columns month to month;
among layouts whose signature fits, the one that knows the most of the file's columns wins,
and a file-name hint breaks ties.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..labels import normalize
from ..model import Platform


@dataclass(frozen=True)
class Profile:
    layout: str
    platform: Platform
    files: tuple[str, ...]
    name_required: bool
    per_post: bool
    cumulative: bool
    title_metric: bool
    date: tuple[str, ...]
    post: str | None
    title: tuple[str, ...]
    publish: str | None
    signature: tuple[str, ...]
    metrics: tuple[str, ...]
    points: frozenset[str]
    names: dict[str, str]
    """Normalized header → canonical column (key and metric columns)."""
    aliases: dict[str, frozenset[str]]
    """Canonical column → every normalized name it goes by."""

    def named_in(self, file_name: str) -> bool:
        name = normalize(file_name.replace("_", " "))
        return any(normalize(hint.replace("_", " ")) in name for hint in self.files)


@dataclass(frozen=True)
class Match:
    profile: Profile
    columns: dict[str, int]
    """Canonical column → its 0-based position in the header row (first occurrence)."""


@cache
def profiles() -> tuple[Profile, ...]:
    path = Path(__file__).parent.parent / "data" / "exports.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(_profile(layout, spec) for layout, spec in data["layouts"].items())


def _profile(layout: str, spec: dict) -> Profile:
    names: dict[str, str] = {}
    aliases: dict[str, frozenset[str]] = {}
    for column, others in (*spec["keys"].items(), *spec["metrics"].items()):
        spelled = frozenset(normalize(n) for n in (column, *others))
        aliases[column] = spelled
        for name in spelled:
            names.setdefault(name, column)
    return Profile(
        layout=layout,
        platform=Platform(spec["platform"]),
        files=tuple(spec.get("files", ())),
        name_required=spec.get("name_required", False),
        per_post=spec.get("per_post", False),
        cumulative=spec.get("cumulative", False),
        title_metric=spec.get("title_metric", False),
        date=tuple(spec["date"]),
        post=spec.get("post"),
        title=tuple(spec.get("title", ())),
        publish=spec.get("publish"),
        signature=tuple(spec["signature"]),
        metrics=tuple(spec["metrics"]),
        points=frozenset(spec.get("points", ())),
        names=names,
        aliases=aliases,
    )


def match_header(cells: list[object], file_name: str) -> Match | None:
    """The layout whose signature this row carries, or None when the row is not a header."""
    headers = [normalize(c) if isinstance(c, str) else "" for c in cells]
    if sum(1 for h in headers if h) < 2:
        return None
    best: tuple[int, Match] | None = None
    for profile in profiles():
        named = profile.named_in(file_name)
        if profile.name_required and not named:
            continue
        columns: dict[str, int] = {}
        for at, header in enumerate(headers):
            column = profile.names.get(header)
            if column is not None and column not in columns:
                columns[column] = at
        if not all(column in columns for column in profile.signature):
            continue
        score = len(columns) * 2 + (1 if named else 0)
        if best is None or score > best[0]:
            best = (score, Match(profile, columns))
    return best[1] if best else None
