"""Build small plan workbooks for tests: a dict of sheet name → rows (the first row is headers)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import xlsxwriter


def write_workbook(
    path: Path,
    sheets: dict[str, list[list[object]]],
    *,
    formulas: bool = True,
    extra: Callable[[xlsxwriter.Workbook], None] | None = None,
) -> Path:
    """Write rows as typed: str as text, numbers as numbers, dates as Excel dates; text
    starting with "=" as a formula unless `formulas` is off. `extra(book)` adds more (a chart,
    a picture) before the file is closed."""
    book = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, datetime | date):
                    sheet.write_datetime(r, c, value, date_format)
                elif formulas and isinstance(value, str) and value.startswith("="):
                    sheet.write_formula(r, c, value, None, "")
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write(r, c, value)
    if extra is not None:
        extra(book)
    book.close()
    return path


def minimal_plan(**overrides: list[list[object]]) -> dict[str, list[list[object]]]:
    """A small valid English plan; pass a sheet name to replace that sheet."""
    sheets: dict[str, list[list[object]]] = {
        "Settings": [
            ["Key", "Value"],
            ["Plan name", "Q3 social"],
            ["As-of date", date(2026, 8, 15)],
            ["Total budget", 10000],
        ],
        "Company Goals": [["ID", "Company goal", "Owner"], ["C1", "Grow revenue", "Ann"]],
        "Goals": [
            ["ID", "Company goal ID", "Category", "Goal", "Owner", "Start", "Due", "Weight"],
            ["G1", "C1", "Awareness", "Be known", "Ann", date(2026, 7, 1), date(2026, 9, 30), 60],
            ["G2", "C1", "Engagement", "Be loved", "Bo", date(2026, 7, 1), date(2026, 9, 30), 40],
        ],
        "KPIs": [
            [
                "ID",
                "Goal ID",
                "Level",
                "KPI",
                "Unit",
                "Baseline",
                "Target",
                "Aggregation",
                "Current",
            ],
            ["K1", "G1", "Strategic", "Followers", "count", 1000, 2000, "latest", None],
            ["K2", "G2", "Tactical", "Comments", "count", 0, 500, "sum", 120],
        ],
        "Tactics": [
            [
                "ID",
                "Goal ID",
                "Tactic",
                "Value",
                "Complexity",
                "Owner",
                "Start",
                "Due",
                "Status",
                "% complete",
                "Budget",
                "Hours",
            ],
            [
                "T1",
                "G1",
                "Weekly live",
                5,
                2,
                "Ann",
                date(2026, 7, 1),
                date(2026, 8, 31),
                "In progress",
                0.5,
                3000,
                40,
            ],
            [
                "T2",
                "G2",
                "Giveaway",
                4,
                4,
                "Bo",
                date(2026, 7, 15),
                date(2026, 9, 15),
                "Not started",
                0,
                2000,
                20,
            ],
        ],
        "Team": [["Name", "Role", "Capacity hours"], ["Ann", "Lead", 300], ["Bo", "Editor", 200]],
        "Actuals": [
            ["Date", "KPI ID", "Value", "Channel"],
            [date(2026, 7, 10), "K1", 1200, "Weibo"],
            [date(2026, 8, 10), "K1", 1500, "Weibo"],
        ],
    }
    sheets.update({k.replace("_", " "): v for k, v in overrides.items()})
    return sheets


def in_chinese(sheets: dict[str, list[list[object]]]) -> dict[str, list[list[object]]]:
    """The same plan with Chinese sheet names, headers and Settings keys (values untouched)."""
    from sheetplan import labels
    from sheetplan.schema import SETTINGS, SHEETS_BY_KEY

    sheet_keys = labels.Matcher(f"sheet.{k}" for k in SHEETS_BY_KEY)
    setting_keys = labels.Matcher(s.label_key for s in SETTINGS)
    out = {}
    for name, rows in sheets.items():
        key = sheet_keys.match(name)
        if key is None:
            out[name] = rows
            continue
        sheet = SHEETS_BY_KEY[key.removeprefix("sheet.")]
        columns = labels.Matcher(c.label_key for c in sheet.columns)
        header = [labels.label(columns.match(h)).zh if columns.match(h) else h for h in rows[0]]
        body = [list(r) for r in rows[1:]]
        if sheet.key == "settings":
            for r in body:
                found = setting_keys.match(str(r[0]))
                r[0] = labels.label(found).zh if found else r[0]
        out[labels.label(key).zh] = [header, *body]
    return out
