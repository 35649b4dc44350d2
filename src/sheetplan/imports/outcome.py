"""What `sheetplan import` says: one line per export, one for the plan, or JSON for scripts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from .. import labels
from .exports import ExportProblem
from .mapping import FileImport

SHOWN_CHANGES = 3
"""Updated values a file's line spells out before it counts the rest."""


def all_imported(report: Any) -> bool:
    """Every export was read and had at least one mapped column."""
    return all(isinstance(f, FileImport) and not f.unmapped for f in report.files)


def file_lines(report: Any) -> Iterator[tuple[bool, str]]:
    """(fine, line) per export, in the order given."""
    lang = report.language
    for entry in report.files:
        if isinstance(entry, ExportProblem):
            yield False, str(entry)
            continue
        name = entry.export.path.name
        platform = _platform(entry, lang)
        if entry.unmapped:
            columns = labels.text("cli.list_separator", lang).join(entry.export.columns)
            sources = labels.text("sheet.sources", lang)
            key = "import.unmapped" if report.has_sources else "import.no_sources"
            yield (
                False,
                labels.text(
                    key,
                    lang,
                    file=name,
                    platform=labels.text(entry.export.platform.label_key, lang),
                    sheet=sources,
                    columns=columns,
                ),
            )
            continue
        yield (
            True,
            labels.text(
                "import.file_line",
                lang,
                file=name,
                platform=platform,
                added=entry.added,
                updated=len(entry.updated),
                unchanged=entry.unchanged,
                skipped=_skipped(entry, lang),
                changes=_changes(entry, lang),
            ),
        )


def plan_line(report: Any, *, dry_run: bool) -> str:
    lang = report.language
    values = {
        "file": report.plan.name,
        "sheet": report.sheet,
        "added": report.added,
        "updated": report.updated,
    }
    if dry_run:
        return labels.text("import.dry_run", lang, **values)
    if not report.written:
        read = any(isinstance(f, FileImport) and not f.unmapped for f in report.files)
        return labels.text("import.nothing" if read else "import.none", lang, **values)
    return labels.text("import.written", lang, **values)


def to_dict(report: Any) -> dict[str, object]:
    files: list[dict[str, object]] = []
    for entry in report.files:
        if isinstance(entry, ExportProblem):
            files.append({"status": "refused", "message": str(entry)})
            continue
        export = entry.export
        files.append(
            {
                "file": export.path.name,
                "status": "unmapped" if entry.unmapped else "imported",
                "platform": export.platform.value,
                "layout": export.layout,
                "columns": list(export.columns),
                "mapped": {column: m.kpi_id for column, m in entry.mapped},
                "added": entry.added,
                "updated": [
                    {
                        "row": u.row,
                        "kpi_id": u.kpi_id,
                        "date": u.date.isoformat(),
                        "source": u.source,
                        "old": u.old,
                        "new": u.new,
                    }
                    for u in entry.updated
                ],
                "unchanged": entry.unchanged,
                "skipped": [{"line": line, "reason": reason} for line, reason in entry.skipped],
                "not_numbers": [
                    {"line": line, "column": column, "found": found}
                    for line, column, found in export.unreadable
                ],
            }
        )
    return {
        "plan": report.plan.name,
        "sheet": report.sheet,
        "added": report.added,
        "updated": report.updated,
        "written": report.written,
        "files": files,
    }


def _platform(entry: FileImport, lang: labels.Lang) -> str:
    key = f"export.layout.{entry.export.layout}"
    if key in labels.all_labels():
        return labels.text(key, lang)
    return labels.text(entry.export.platform.label_key, lang)


def _skipped(entry: FileImport, lang: labels.Lang) -> str:
    reasons = Counter(reason for _, reason in entry.skipped)
    if entry.export.unreadable:
        reasons["import.not_a_number"] = len(entry.export.unreadable)
    if not reasons:
        return ""
    listed = labels.text("cli.list_separator", lang).join(
        labels.text("import.reason", lang, count=count, reason=_reason(key, lang))
        for key, count in reasons.most_common()
    )
    return labels.text("import.skipped_lead", lang) + labels.text(
        "import.skipped", lang, count=sum(reasons.values()), reasons=listed
    )


def _reason(key: str, lang: labels.Lang) -> str:
    return labels.text(key, lang) if key in labels.all_labels() else key


def _changes(entry: FileImport, lang: labels.Lang) -> str:
    if not entry.updated:
        return ""
    shown = [
        labels.text(
            "import.change",
            lang,
            kpi=u.kpi_id,
            date=u.date.isoformat(),
            old=_number(u.old),
            new=_number(u.new),
        )
        for u in entry.updated[:SHOWN_CHANGES]
    ]
    rest = len(entry.updated) - SHOWN_CHANGES
    if rest > 0:
        shown.append(labels.text("import.more", lang, count=rest))
    return labels.text(
        "import.changes", lang, list=labels.text("cli.list_separator", lang).join(shown)
    )


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"
