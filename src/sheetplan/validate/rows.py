"""Shared by the sheet validators: the problem collector and the row parser."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from .. import labels
from ..errors import DataProblem, Severity
from ..labels import Lang, Matcher
from ..model import Category
from ..parse import (
    Invalid,
    date_order,
    parse_date,
    parse_id,
    parse_number,
    parse_percent,
    parse_text,
    shown,
)
from ..reader import RawSheet, RawWorkbook
from ..schema import SHEETS_BY_KEY, Column, Kind

FIELD_OF = {
    "company_goal": "name",
    "goal": "name",
    "kpi": "name",
    "tactic": "name",
    "actual_value": "value",
}
"""Column key → record field, where they differ."""


@dataclass
class Problems:
    """Collects the problems of one workbook, rendering each message in its language."""

    raw: RawWorkbook
    lang: Lang
    items: list[DataProblem] = field(default_factory=list)
    setting_rows: dict[str, int] = field(default_factory=dict)
    """Setting key → its row on the Settings sheet, for problems found later about a setting."""
    date_order_noted: bool = False

    def add(
        self,
        severity: Severity,
        code: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        found: object = None,
        key: str | None = None,
        **values: object,
    ) -> None:
        found_text = None if found is None else shown(found)
        values = {"found": found_text, "column": column or "", "sheet": sheet or "", **values}
        message = labels.text(key or f"check.{code}", self.lang, **values)
        self.items.append(DataProblem(severity, code, message, sheet, row, column, found_text))

    def sheet_name(self, key: str) -> str:
        """The sheet as the user named it, or its standard name in the workbook's language."""
        raw = self.raw.sheets.get(key)
        return raw.name if raw else labels.text(f"sheet.{key}", self.lang)

    def setting_where(self, key: str) -> dict[str, object]:
        """Where a setting's value stands on the Settings sheet."""
        raw = self.raw.sheets.get("settings")
        if raw is None or key not in self.setting_rows:
            return {"sheet": self.sheet_name("settings")}
        column = raw.header_of("setting_value") if raw.header_row else None
        return {"sheet": raw.name, "row": self.setting_rows[key], "column": column}

    def where(self, sheet_key: str, row: int, column: str | None = None) -> dict[str, object]:
        raw = self.raw.sheets[sheet_key]
        header = raw.header_of(column) if column and column in raw.columns else None
        return {"sheet": raw.name, "row": row, "column": header}


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, object]
    invalid: set[str]

    def get(self, key: str) -> object:
        return self.values.get(key)

    def blank(self, key: str) -> bool:
        """Blank as typed (an unreadable value is not blank: it was already reported)."""
        return self.values.get(key) is None and key not in self.invalid

    def drop(self, key: str) -> None:
        self.values[key] = None
        self.invalid.add(key)

    def fields(self) -> dict[str, object]:
        """Keyword arguments for the record of this row."""
        out: dict[str, object] = {FIELD_OF.get(k, k): v for k, v in self.values.items()}
        out["row"] = self.number
        out["invalid"] = frozenset(FIELD_OF.get(k, k) for k in self.invalid)
        return out


def rows(problems: Problems, key: str) -> Iterator[Row]:
    """The non-blank rows of a sheet, each cell parsed by its column's kind."""
    raw = problems.raw.sheets.get(key)
    if raw is None:
        return
    columns = [(c, raw.columns[c.key]) for c in SHEETS_BY_KEY[key].columns if c.key in raw.columns]
    for number, cells in raw.rows:
        values: dict[str, object] = {}
        invalid: set[str] = set()
        for column, position in columns:
            cell = cells[position] if position < len(cells) else None
            value = parse_cell(problems, raw, column, cell, number)
            if isinstance(value, Invalid):
                invalid.add(column.key)
                value = None
            values[column.key] = value
        if invalid or any(v is not None for v in values.values()):
            yield Row(key, number, values, invalid)


def parse_cell(problems: Problems, raw: RawSheet, column: Column, cell: object, row: int) -> object:
    kind = column.kind
    if kind in (Kind.TEXT, Kind.OWNER):
        return parse_text(cell)
    if kind in (Kind.ID, Kind.REF):
        return parse_id(cell)
    if kind == Kind.CHOICE:
        return _choice(problems, raw, column, cell, row)
    if kind == Kind.DATE:
        value = parse_date(cell)
        if type(cell) is str:
            note_date_order(
                problems, cell, value, sheet=raw.name, row=row, column=raw.header_of(column.key)
            )
    elif kind == Kind.PERCENT:
        value = parse_percent(cell)
    else:
        value = parse_number(cell)
    if isinstance(value, Invalid):
        report_invalid(problems, value, sheet=raw.name, row=row, column=raw.header_of(column.key))
    return value


def report_invalid(problems: Problems, value: Invalid, **where: object) -> None:
    extra = {
        name.removesuffix("_key"): labels.text(str(v), problems.lang)
        if name.endswith("_key")
        else v
        for name, v in value.values
    }
    problems.add(
        Severity.ERROR,
        value.reason.split(".")[-1],
        key=value.reason,
        found=value.found,
        hint=value.hint,
        **extra,
        **where,
    )


def note_date_order(problems: Problems, cell: object, value: object, **where: object) -> None:
    """The first date read by its only possible day/month order gets a note (once a workbook:
    a log of 31/12/2026-style dates would otherwise say it on every row)."""
    if problems.date_order_noted or not isinstance(value, date):
        return
    order = date_order(cell)
    if order is None:
        return
    problems.date_order_noted = True
    problems.add(
        Severity.INFO,
        f"date_order_{order}",
        found=cell,
        read=value.isoformat(),
        **where,
    )


_MATCHERS: dict[type, Matcher] = {}


def choice_matcher(enum: type) -> Matcher:
    if enum not in _MATCHERS:
        _MATCHERS[enum] = Matcher(member.label_key for member in enum)
    return _MATCHERS[enum]


def _choice(problems: Problems, raw: RawSheet, column: Column, cell: object, row: int) -> object:
    text = parse_text(cell)
    if text is None or column.choices is None:
        return text
    enum = column.choices
    matcher = choice_matcher(enum)
    key = matcher.match(text)
    if key is not None:
        return next(member for member in enum if member.label_key == key)
    closest = matcher.closest(text, cutoff=column.near)
    suggestion = ""
    if closest:
        suggestion = labels.text(
            "check.suggestion", problems.lang, value=labels.text(closest, problems.lang)
        )
    where = {"sheet": raw.name, "row": row, "column": raw.header_of(column.key), "found": text}
    if column.open_list:
        problems.add(Severity.WARNING, "category_other", suggestion=suggestion, **where)
        return text
    choices = " / ".join(labels.text(member.label_key, problems.lang) for member in enum)
    problems.add(Severity.ERROR, "not_in_list", suggestion=suggestion, choices=choices, **where)
    return Invalid(text, "not_in_list")


def category_text(category: object, lang: Lang) -> str:
    return (
        labels.text(category.label_key, lang) if isinstance(category, Category) else str(category)
    )


# ---------------------------------------------------------------------------------------------
# Checks that several sheets share


def require(problems: Problems, row: Row, *keys: str) -> bool:
    """Report each blank required cell; True when all are present and readable."""
    ok = True
    for key in keys:
        if row.blank(key):
            where = problems.where(row.sheet, row.number, key)
            column = where["column"] or labels.text(f"col.{key}", problems.lang)
            problems.add(Severity.ERROR, "required_missing", **{**where, "column": column})
        if row.get(key) is None:
            ok = False
    return ok


def non_negative(problems: Problems, row: Row, *keys: str) -> None:
    for key in keys:
        value = row.get(key)
        if value is not None and value < 0:
            problems.add(
                Severity.ERROR,
                "negative",
                found=value,
                **problems.where(row.sheet, row.number, key),
            )
            row.drop(key)


def dates_in_order(problems: Problems, row: Row) -> None:
    start, due = row.get("start"), row.get("due")
    if start is not None and due is not None and due < start:
        problems.add(
            Severity.ERROR,
            "due_before_start",
            due=shown(due),
            start=shown(start),
            **problems.where(row.sheet, row.number, "due"),
        )
        row.drop("due")
