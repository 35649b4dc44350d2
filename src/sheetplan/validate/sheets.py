"""One reader per input sheet: rows → records, with the checks that need only that row."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Severity
from ..labels import normalize
from ..model import (
    Aggregation,
    Category,
    CompanyGoal,
    Goal,
    Kpi,
    Settings,
    Tactic,
    TacticStatus,
    TeamMember,
    WeightRow,
)
from ..parse import shown
from .rows import Problems, Row, category_text, dates_in_order, non_negative, require, rows


def company_goals(problems: Problems) -> Iterator[CompanyGoal]:
    for row in _identified(problems, "company_goals", "C1"):
        yield CompanyGoal(**row.fields())


def team(problems: Problems) -> Iterator[TeamMember]:
    seen: dict[str, int] = {}
    for row in rows(problems, "team"):
        if not require(problems, row, "name"):
            continue
        name = str(row.get("name"))
        if normalize(name) in seen:
            where = problems.where("team", row.number, "name")
            problems.add(
                Severity.ERROR, "duplicate_name", found=name, first=seen[normalize(name)], **where
            )
            continue
        seen[normalize(name)] = row.number
        non_negative(problems, row, "capacity_hours")
        yield TeamMember(**row.fields())


def weights(problems: Problems) -> Iterator[WeightRow]:
    seen: dict[tuple[str, object], int] = {}
    for row in rows(problems, "weights"):
        if not require(problems, row, "profile", "category", "weight"):
            continue
        non_negative(problems, row, "weight")
        if row.get("weight") is None:
            continue
        profile, category = str(row.get("profile")), row.get("category")
        ident = (
            normalize(profile),
            category if isinstance(category, Category) else normalize(str(category)),
        )
        if ident in seen:
            problems.add(
                Severity.WARNING,
                "duplicate_weight",
                found=profile,
                category=category_text(category, problems.lang),
                first=seen[ident],
                **problems.where("weights", row.number, "category"),
            )
            continue
        seen[ident] = row.number
        yield WeightRow(profile, category, float(row.get("weight")), row.number)


def goals(problems: Problems) -> Iterator[Goal]:
    for row in _identified(problems, "goals", "G1"):
        dates_in_order(problems, row)
        non_negative(problems, row, "weight")
        yield Goal(**row.fields())


def kpis(problems: Problems) -> Iterator[Kpi]:
    for row in _identified(problems, "kpis", "K1"):
        require(problems, row, "goal_id", "target")
        dates_in_order(problems, row)
        non_negative(problems, row, "weight")
        _target_and_stretch(problems, row)
        fields = row.fields()
        fields["aggregation"] = fields.get("aggregation") or Aggregation.LATEST
        yield Kpi(**fields)


def tactics(problems: Problems, settings: Settings) -> Iterator[Tactic]:
    lo, hi = settings.score_scale
    for row in _identified(problems, "tactics", "T1"):
        require(problems, row, "goal_id")
        for key in ("value", "complexity"):
            score = row.get(key)
            if score is not None and not lo <= score <= hi:
                where = problems.where("tactics", row.number, key)
                problems.add(
                    Severity.ERROR,
                    "score_out_of_scale",
                    found=score,
                    lo=shown(lo),
                    hi=shown(hi),
                    **where,
                )
                row.drop(key)
        done = row.get("percent_complete")
        if done is not None and not 0 <= done <= 1:
            where = problems.where("tactics", row.number, "percent_complete")
            problems.add(Severity.ERROR, "percent_out_of_range", found=f"{done:.0%}", **where)
            row.drop("percent_complete")
        dates_in_order(problems, row)
        non_negative(problems, row, "budget", "hours")
        fields = row.fields()
        fields["status"] = fields.get("status") or TacticStatus.NOT_STARTED
        yield Tactic(**fields)


def _identified(problems: Problems, key: str, example: str) -> Iterator[Row]:
    """Rows with a non-blank ID unused before on the sheet; the others are reported, left out."""
    seen: dict[str, int] = {}
    for row in rows(problems, key):
        ident = row.get("id")
        where = problems.where(key, row.number, "id")
        if not ident:
            problems.add(Severity.ERROR, "missing_id", example=example, **where)
            continue
        if ident in seen:
            problems.add(
                Severity.ERROR, "duplicate_id", found=ident, first=seen[str(ident)], **where
            )
            continue
        seen[str(ident)] = row.number
        yield row


def _target_and_stretch(problems: Problems, row: Row) -> None:
    target, baseline, stretch = row.get("target"), row.get("baseline"), row.get("stretch")
    if target is None:
        return
    base = baseline if baseline is not None else 0.0
    if target == base:
        where = problems.where("kpis", row.number, "target")
        problems.add(Severity.ERROR, "target_equals_baseline", found=target, **where)
        row.drop("target")
        return
    if stretch is None:
        return
    lower_is_better = target < base
    if (lower_is_better and stretch >= target) or (not lower_is_better and stretch <= target):
        where = problems.where("kpis", row.number, "stretch")
        problems.add(
            Severity.WARNING, "stretch_direction", found=stretch, target=shown(target), **where
        )
