"""Columns a sheet lacks, and headers sheetplan does not read but that look like one it does.

A missing optional column changes every number that needs it (no Due column: every tactic is
"No due date"), so it is named once, with what it means, instead of leaving each row quietly
blank. What each missing column means lives in the labels (`missing.<sheet>.<column>`); a
column without such a label changes nothing worth a warning (Notes, Source, Unit…).
"""

from __future__ import annotations

from .. import labels
from ..errors import Severity
from ..labels import Matcher
from ..schema import SHEETS_BY_KEY
from .rows import Problems

HEADER_CUTOFF = 0.75
"""How alike (difflib ratio) an unknown header must be to a known one for "did you mean": high
enough that a user's own column (Platform link, Approved?) is not taken for one of ours."""


def check_columns(problems: Problems) -> None:
    lang = problems.lang
    for raw in problems.raw.sheets.values():
        if raw.key == "settings" or not raw.header_row:
            continue
        sheet = SHEETS_BY_KEY[raw.key]
        missing = [c for c in sheet.columns if c.key not in raw.columns]
        if not missing:
            continue
        near = Matcher(c.label_key for c in missing)
        suggested: set[str] = set()
        for header in raw.extra_columns.values():
            key = near.closest(header, cutoff=HEADER_CUTOFF)
            if key is None or key in suggested:
                continue
            suggested.add(key)
            problems.add(
                Severity.WARNING,
                "unknown_header",
                sheet=raw.name,
                row=raw.header_row,
                column=header,
                found=header,
                known=labels.text(key, lang),
                meaning=_meaning(raw.key, key.removeprefix("col."), lang),
            )
        for column in missing:
            meaning_key = f"missing.{raw.key}.{column.key}"
            if column.label_key in suggested or meaning_key not in labels.all_labels():
                continue
            problems.add(
                Severity.WARNING,
                "missing_column",
                sheet=raw.name,
                row=raw.header_row,
                known=labels.text(column.label_key, lang),
                meaning=labels.text(meaning_key, lang),
            )


def _meaning(sheet: str, column: str, lang) -> str:
    key = f"missing.{sheet}.{column}"
    return labels.text(key if key in labels.all_labels() else "missing.not_read", lang)
