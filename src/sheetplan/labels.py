"""Every word sheetplan shows, in English and Simplified Chinese, read from data/labels/*.csv.

The CSV files are the one place where sheet names, headers, list values, labels and messages
live; code asks for them by key. Matching a user's header or list value ignores case, width
(full-width letters and digits) and surrounding or repeated spaces, and accepts either
language or any alias listed in the file.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")


@dataclass(frozen=True)
class Label:
    key: str
    en: str
    zh: str
    aliases: tuple[str, ...] = ()

    def __call__(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def names(self) -> tuple[str, ...]:
        """Every spelling a user may type for this label."""
        return (self.en, self.zh, *self.aliases)


def normalize(text: str) -> str:
    """The form used to compare what a user typed with a label: NFKC, case-folded, spaces folded."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@cache
def all_labels() -> dict[str, Label]:
    labels: dict[str, Label] = {}
    folder = Path(__file__).parent / "data" / "labels"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".csv"):
            continue
        with entry.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                key = row["key"].strip()
                if key in labels:
                    raise ValueError(f"label {key!r} is declared twice ({entry.name})")
                aliases = tuple(
                    a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()
                )
                labels[key] = Label(key, row["en"], row["zh"], aliases)
    return labels


def label(key: str) -> Label:
    return all_labels()[key]


def text(key: str, lang: Lang, /, **values: object) -> str:
    """The label `key` in `lang`, with `{placeholders}` filled in."""
    template = all_labels()[key](lang)
    return template.format(**values) if values else template


def keys_with_prefix(prefix: str) -> list[str]:
    return [k for k in all_labels() if k.startswith(prefix)]


class Matcher:
    """Looks up what a user typed among a set of labels (either language or an alias)."""

    def __init__(self, keys: Iterable[str]):
        self._by_name: dict[str, str] = {}
        for key in keys:
            for name in label(key).names():
                self._by_name.setdefault(normalize(name), key)

    def match(self, typed: str) -> str | None:
        return self._by_name.get(normalize(typed))

    def match_with_language(self, typed: str) -> tuple[str | None, Lang | None]:
        """The key and which language's own name (not an alias) matched, if any."""
        key = self.match(typed)
        if key is None:
            return None, None
        norm = normalize(typed)
        found = label(key)
        if norm == normalize(found.zh) and norm != normalize(found.en):
            return key, "zh"
        if norm == normalize(found.en) and norm != normalize(found.zh):
            return key, "en"
        return key, None

    def closest(self, typed: str, cutoff: float = 0.5) -> str | None:
        """The key whose spelling is nearest to `typed`, for a "did you mean" hint."""
        import difflib

        names = list(self._by_name)
        hits = difflib.get_close_matches(normalize(typed), names, n=1, cutoff=cutoff)
        return self._by_name[hits[0]] if hits else None
