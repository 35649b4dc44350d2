"""Helpers for tests of the refreshed workbook: build inputs with notes and tricky text, run a
refresh with fixed dates, read the result back and compare it with the engine."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from sheetplan import labels
from sheetplan.api import load_plan, refresh
from sheetplan.compute import compute

AS_OF = date(2026, 8, 15)
STAMP = datetime(2026, 8, 15, 9, 30)

OPENPYXL_WARNINGS = [
    # The data bars are Excel 2010 bars (solid, with a fixed 0–100 % scale), stored in an
    # <extLst> that openpyxl does not read; it says so and drops them from its own copy.
    "ignore:Conditional Formatting extension is not supported:UserWarning",
    "ignore:Unknown extension is not supported:UserWarning",
]


def build(
    path: Path,
    sheets: dict[str, list[list[Any]]],
    notes: dict[str, list[tuple[int, int, str, str]]] | None = None,
) -> Path:
    """Rows as typed (text always text, even `=…`), with cell notes (sheet → (row, col, text,
    author), 0-based)."""
    book = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, (date, datetime)):
                    ws.write_datetime(r, c, value, day)
                elif isinstance(value, str):
                    ws.write_string(r, c, value)
                elif isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                else:
                    ws.write_number(r, c, value)
        for r, c, text, author in (notes or {}).get(name, []):
            ws.write_comment(r, c, text, {"author": author})
    book.close()
    return path


def run_refresh(source: Path, output: Path, as_of: date = AS_OF) -> Path:
    refresh(source, output=output, as_of=as_of, refreshed_at=STAMP)
    return output


def engine(path: Path, as_of: date = AS_OF):
    """What the engine computes for the plan in `path`, in the workbook's language."""
    loaded = load_plan(path, as_of=as_of)
    return loaded, compute(loaded.plan, as_of, loaded.language)


def header_row(ws, first_key: str = "col.id") -> int:
    """1-based row holding the headers (the one with an ID header)."""
    names = set(labels.label(first_key).names())
    for row in ws.iter_rows(min_row=1, max_row=12):
        if any(isinstance(c.value, str) and c.value in names for c in row):
            return row[0].row
    raise AssertionError(f"no header row on {ws.title}")


def columns_of(ws, row: int) -> dict[str, int]:
    """Header text → 1-based column."""
    return {c.value: c.column for c in ws[row] if c.value is not None}


def expected_cells(sheet_key: str, record, lang) -> dict[str, Any]:
    """The computed columns of one record as the workbook must show them."""

    def lab(choice):
        return labels.text(choice.label_key, lang) if choice is not None else None

    def yes_no(value):
        return None if value is None else labels.text("yes" if value else "no", lang)

    values = {
        "goals": lambda g: {
            "weight_share": g.weight_share,
            "time_frame": lab(g.time_frame),
            "progress": g.progress,
            "expected": g.expected,
            "status": lab(g.status),
            "smart": g.smart,
        },
        "kpis": lambda k: {
            "actual": k.actual,
            "progress": k.progress,
            "expected": k.expected,
            "status": lab(k.status),
            "last_update": k.last_update,
            "stale": yes_no(k.stale),
            "forecast": k.forecast,
            "on_course": yes_no(k.on_course),
        },
        "tactics": lambda t: {
            "quadrant": lab(t.quadrant),
            "score": t.score,
            "rank": t.rank,
            "target_pct": t.target_pct,
            "target_budget": t.target_budget,
            "due_status": lab(t.due_status),
            "days_left": t.days_left,
        },
    }[sheet_key](record)
    return {labels.text(f"computed.{sheet_key}.{k}", lang): v for k, v in values.items()}


def same(found: Any, wanted: Any) -> bool:
    if wanted is None:
        return found is None
    if isinstance(wanted, date) and not isinstance(wanted, datetime):
        return isinstance(found, datetime) and found.date() == wanted
    if isinstance(wanted, float) or isinstance(found, float):
        return isinstance(found, (int, float)) and abs(found - wanted) <= 1e-9 * max(1, abs(wanted))
    return found == wanted


_CELL = re.compile(rb"<c\b[^>]*>(.*?)</c>", re.S)
_FORMULA = re.compile(rb"<f[ >/]")


def formulas_without_values(path: Path) -> list[str]:
    """Parts holding a formula cell that has no cached value."""
    bad = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/sheet"):
                continue
            for cell in _CELL.finditer(archive.read(name)):
                body = cell.group(1)
                if _FORMULA.search(body) and b"<v>" not in body:
                    bad.append(name)
    return bad
