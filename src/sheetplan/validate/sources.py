"""The Sources sheet: which column of a platform's export feeds which KPI, for `sheetplan import`.

A row without a KPI ID is a suggestion (the template lists the common columns of every
platform) that the user has not mapped yet: one note for all of them, never an error, and it
is left out of the plan so the import never has to tell a mapping from a suggestion.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import labels
from ..errors import Severity
from ..labels import normalize
from ..model import Aggregation, Kpi, Platform, SourceMapping, ValueKind
from .rows import Problems, require, rows

CUMULATIVE_PER_POST = frozenset({Platform.DOUYIN, Platform.XIAOHONGSHU})
"""Platforms whose exports give each post's lifetime totals: the import turns a running total
there into the increase since the previous import, so it may feed a KPI that adds up."""

LISTED_RUNS = 10
"""Runs of unmapped rows named in the note; the rest are shown as "…"."""


def sources(problems: Problems, kpis: tuple[Kpi, ...]) -> Iterator[SourceMapping]:
    """The mappings the import can use: platform, export column and an existing KPI. Blank
    Channel is the platform's name; blank Value is, per period."""
    if "sources" not in problems.raw.sheets:
        return
    by_id = {kpi.id: kpi for kpi in kpis}
    seen: dict[tuple[Platform, str, str], int] = {}
    unmapped: list[int] = []
    for row in rows(problems, "sources"):
        if not require(problems, row, "platform", "export_column") or "value_kind" in row.invalid:
            continue  # an unreadable Value is may hide a running total: never guess per period
        platform, kpi_id = row.get("platform"), row.get("kpi_id")
        column = str(row.get("export_column"))
        if kpi_id is None:
            if "kpi_id" not in row.invalid:
                unmapped.append(row.number)
            continue
        platform_name = labels.text(platform.label_key, problems.lang)
        kpi = by_id.get(str(kpi_id))
        if kpi is None:
            problems.add(
                Severity.ERROR,
                "unknown_ref",
                found=kpi_id,
                target=problems.sheet_name("kpis"),
                **problems.where("sources", row.number, "kpi_id"),
            )
            continue
        ident = (platform, normalize(column), kpi.id)
        if ident in seen:
            problems.add(
                Severity.WARNING,
                "duplicate_source",
                found=column,
                platform=platform_name,
                kpi=kpi.id,
                first=seen[ident],
                **problems.where("sources", row.number, "export_column"),
            )
            continue
        seen[ident] = row.number
        kind = row.get("value_kind") or ValueKind.PER_PERIOD
        if (
            kind is ValueKind.RUNNING_TOTAL
            and kpi.aggregation is Aggregation.SUM
            and platform not in CUMULATIVE_PER_POST
        ):
            problems.add(
                Severity.WARNING,
                "running_total_sum",
                found=column,
                platform=platform_name,
                kpi=kpi.id,
                **problems.where("sources", row.number, "value_kind"),
            )
        channel = row.get("channel") or platform_name
        yield SourceMapping(platform, column, kpi.id, str(channel), kind, row.number)
    if unmapped:
        problems.add(
            Severity.INFO,
            "source_unmapped",
            rows=row_ranges(unmapped),
            **problems.where("sources", unmapped[0], "kpi_id"),
        )


def row_ranges(numbers: list[int]) -> str:
    """Ascending row numbers as runs ("2–43", "2, 5, 7–9"), the first LISTED_RUNS of them: the
    template's suggestions are one long run."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    shown = [f"{a}–{b}" if b > a else str(a) for a, b in runs[:LISTED_RUNS]]
    return ", ".join(shown) + (" …" if len(runs) > LISTED_RUNS else "")
