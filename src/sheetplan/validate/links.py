"""Checks across sheets: IDs that point nowhere, owners not on Team, weights and profiles."""

from __future__ import annotations

from collections import defaultdict

from ..errors import Severity
from ..labels import normalize
from ..model import CompanyGoal, Goal, Kpi, Settings, Tactic, TeamMember, WeightRow
from ..parse import shown
from .rows import Problems


def check_references(
    problems: Problems,
    company_goals: tuple[CompanyGoal, ...],
    goals: tuple[Goal, ...],
    kpis: tuple[Kpi, ...],
    tactics: tuple[Tactic, ...],
    team: tuple[TeamMember, ...],
) -> None:
    """Every Goal ID, Company goal ID and owner must name something that exists."""
    goal_ids = {g.id for g in goals}
    company_ids = {c.id for c in company_goals}
    names = {normalize(m.name) for m in team}
    sheet_goals = problems.sheet_name("goals")
    if "company_goals" in problems.raw.sheets:
        for goal in goals:
            _ref(
                problems,
                "goals",
                goal.row,
                "company_goal_id",
                goal.company_goal_id,
                company_ids,
                "company_goals",
            )
    for kpi in kpis:
        _ref(problems, "kpis", kpi.row, "goal_id", kpi.goal_id, goal_ids, "goals", sheet_goals)
    for tactic in tactics:
        _ref(
            problems,
            "tactics",
            tactic.row,
            "goal_id",
            tactic.goal_id,
            goal_ids,
            "goals",
            sheet_goals,
        )
    if not names:
        return
    team_sheet = problems.sheet_name("team")
    for key, records in (("company_goals", company_goals), ("goals", goals), ("tactics", tactics)):
        for record in records:
            owner = record.owner
            if owner and normalize(owner) not in names:
                where = problems.where(key, record.row, "owner")
                problems.add(
                    Severity.WARNING, "owner_not_in_team", found=owner, team=team_sheet, **where
                )


def _ref(
    problems: Problems,
    sheet: str,
    row: int,
    column: str,
    value: str | None,
    known: set[str],
    target_key: str,
    target: str | None = None,
) -> None:
    if value is None or value in known:
        return
    where = problems.where(sheet, row, column)
    problems.add(
        Severity.ERROR,
        "unknown_ref",
        found=value,
        target=target or problems.sheet_name(target_key),
        **where,
    )


def check_weights(
    problems: Problems, settings: Settings, goals: tuple[Goal, ...], weights: tuple[WeightRow, ...]
) -> None:
    """The chosen profile must exist; without one, goal weights are all filled or all blank."""
    totals: dict[str, float] = defaultdict(float)
    first_row: dict[str, int] = {}
    spelled: dict[str, str] = {}
    for weight in weights:
        key = normalize(weight.profile)
        totals[key] += weight.weight
        first_row.setdefault(key, weight.row)
        spelled.setdefault(key, weight.profile)
    weights_sheet = problems.sheet_name("weights")
    profile = settings.weighting_profile
    if profile:
        where = problems.setting_where("weighting_profile")
        if not totals:
            problems.add(
                Severity.ERROR, "no_profiles", found=profile, weights=weights_sheet, **where
            )
        elif normalize(profile) not in totals:
            names = ", ".join(spelled.values())
            problems.add(
                Severity.ERROR,
                "unknown_profile",
                found=profile,
                weights=weights_sheet,
                profiles=names,
                **where,
            )
    for key, total in totals.items():
        if abs(total - 100) > 1e-9 and total > 0:
            problems.add(
                Severity.INFO,
                "profile_total",
                found=spelled[key],
                total=shown(round(total, 6)),
                sheet=weights_sheet,
                row=first_row[key],
            )
    if profile and normalize(profile) in totals:
        return
    filled = [g for g in goals if g.weight is not None]
    blank = [g for g in goals if g.weight is None and "weight" not in g.invalid]
    if filled and blank:
        rows = ", ".join(str(g.row) for g in blank[:10]) + (" …" if len(blank) > 10 else "")
        raw = problems.raw.sheets["goals"]
        column = raw.header_of("weight") if "weight" in raw.columns else None
        problems.add(Severity.WARNING, "partial_weights", rows=rows, sheet=raw.name, column=column)
