"""Raw sheets → the Plan, and every data problem found on the way.

Bad data never raises: each unreadable cell, broken reference or impossible value becomes a
DataProblem that names the sheet, row and column as the user wrote them, in the workbook's
language; the row stays in the plan with that field marked invalid (or, when it cannot count
at all, such as a log row without a date, is left out).
"""

from __future__ import annotations

from datetime import date

from .. import labels
from ..errors import DataProblem, Severity
from ..labels import Lang
from ..model import Plan
from ..reader import RawWorkbook
from . import links, log, sheets
from . import sources as source_sheet
from .columns import check_columns
from .rows import Problems
from .settings import read_settings, settings_language


def validate(
    raw: RawWorkbook, *, as_of: date | None = None
) -> tuple[Plan, list[DataProblem], Lang]:
    """Turn the raw sheets into a Plan; return it with every problem and the language to speak.

    `as_of` is the date checks such as "logged after the as-of date" use; None means the
    Settings as-of date, then today."""
    lang = settings_language(raw) or raw.language
    problems = Problems(raw, lang)
    settings = read_settings(problems)
    _structure(problems)
    check_columns(problems)
    as_of = as_of or settings.as_of or date.today()

    company_goals = tuple(sheets.company_goals(problems))
    team = tuple(sheets.team(problems))
    weights = tuple(sheets.weights(problems))
    goals = tuple(sheets.goals(problems))
    kpis = tuple(sheets.kpis(problems))
    tactics = tuple(sheets.tactics(problems, settings))
    links.check_references(problems, company_goals, goals, kpis, tactics, team)
    links.check_weights(problems, settings, goals, weights)
    actuals = log.actuals(problems, kpis, goals, settings, as_of)
    log.check_kpi_data(problems, kpis, actuals)
    log.check_formulas(problems)
    sources = tuple(source_sheet.sources(problems, kpis))
    plan = Plan(settings, company_goals, goals, kpis, tactics, team, weights, actuals, sources)
    return plan, in_reading_order(problems.items, raw.sheet_names), lang


def in_reading_order(problems: list[DataProblem], sheet_names: list[str]) -> list[DataProblem]:
    """Errors first, then warnings, then notes; each in the workbook's sheet order, by row."""
    position = {name: index for index, name in enumerate(sheet_names)}

    def key(problem: DataProblem) -> tuple:
        return (
            problem.severity.rank,
            position.get(problem.sheet or "", -1),
            problem.row or 0,
            problem.column or "",
            problem.code,
        )

    return sorted(problems, key=key)


def _structure(problems: Problems) -> None:
    """Sheets or columns that appear twice: the first is read, the other is named."""
    for key, name in problems.raw.duplicate_sheets:
        standard = labels.text(f"sheet.{key}", problems.lang)
        problems.items.append(
            DataProblem(
                Severity.WARNING,
                "duplicate_sheet",
                labels.text("check.duplicate_sheet", problems.lang, sheet=standard, found=name),
                name,
            )
        )
    for name in problems.raw.hidden_sheets:
        problems.items.append(
            DataProblem(
                Severity.WARNING,
                "hidden_sheet",
                labels.text("check.hidden_sheet", problems.lang),
                name,
            )
        )
    for raw in problems.raw.sheets.values():
        for number, shown_as in raw.total_rows.items():
            problems.add(Severity.INFO, "total_row", sheet=raw.name, row=number, found=shown_as)
        for _, header in raw.duplicate_headers:
            problems.add(
                Severity.WARNING,
                "duplicate_column",
                sheet=raw.name,
                row=raw.header_row,
                column=header,
            )
