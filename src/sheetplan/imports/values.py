"""Numbers and dates as the platforms write them in their exports.

Unlike `parse` (cells a person typed), these readers know the platforms' own habits: counts
written as floats (`1203.0`), `-`, `N/A` and `undefined` for "no value", `H:MM:SS` and `8.5秒`
durations, US month-first dates (`09/28/2026 18:12`), `Tue, Jul 14, 2026`, year-less
`August 31`. A rate is stored as a fraction (`9.34%` → 0.0934), because sheetplan's rate KPIs
are percent-formatted cells holding fractions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..parse import EXCEL_EPOCH, Invalid, clean_text, maybe_date, parse_number

ABSENT = frozenset({"-", "--", "—", "–", "n/a", "na", "undefined", "null", "none", "nan", "/"})
"""Cells a platform writes for "no value": the metric is absent, not zero."""

_PLAIN = re.compile(r"\d{1,15}(?:\.\d{1,15})?\Z")
_CLOCK = re.compile(r"^(\d+):([0-5]?\d)(?::([0-5]?\d(?:\.\d+)?))?$")
_UNITS = re.compile(
    r"^(?:(\d+(?:\.\d+)?)\s*(?:h|小时|时))?\s*(?:(\d+(?:\.\d+)?)\s*(?:min|m|分钟|分))?"
    r"\s*(?:(\d+(?:\.\d+)?)\s*(?:s|sec|秒))?$"
)


@dataclass(frozen=True)
class YearLess:
    """A day written without its year (TikTok's `August 31`): the year comes from the file."""

    month: int
    day: int


def read_number(value: object, *, points: bool = False) -> float | Invalid | None:
    """An export's number: None for a blank or "no value" cell, Invalid for text that is not a
    number (a formula or an injection string stays text, never evaluated).

    `points`: the column holds percent points without a sign (YouTube's `CTR (%)` = 4.5), so
    a bare number is divided by 100; `4.5%` is a fraction either way."""
    if value is None:
        return None
    kind = type(value)
    if kind is float or kind is int:
        number = parse_number(value)
        return _fraction(number) if points and isinstance(number, float) else number
    if isinstance(value, timedelta):
        return value.total_seconds()
    if not isinstance(value, str):
        return parse_number(value)
    if _PLAIN.match(value):  # most cells of a big export: skip the general reader
        return _fraction(float(value)) if points else float(value)
    text = clean_text(value)
    if not text or text.casefold() in ABSENT:
        return None
    seconds = _duration(text.casefold())
    if seconds is not None:
        return seconds
    percent = text.endswith(("%", "％"))
    if percent or points:
        number = parse_number(text[:-1] if percent else text)
        return _fraction(number) if isinstance(number, float) else _as_typed(number, value)
    return parse_number(text)


def _fraction(points: float) -> float:
    """Percent points → a fraction without binary noise (35.2 → 0.352, not 0.35200000000000004)."""
    return float(f"{points / 100.0:.12g}")


def _as_typed(number: Invalid | None, value: str) -> Invalid | None:
    return Invalid(value.strip(), number.reason) if isinstance(number, Invalid) else number


def _duration(text: str) -> float | None:
    """`0:03:12`, `3:12` → seconds; `8.5s`, `8.5秒`, `1分30秒`, `2h 5min` → seconds."""
    if ":" in text:
        match = _CLOCK.match(text)
        if not match:
            return None
        first, second, third = match.groups()
        if third is None:
            return int(first) * 60 + int(second) * 1.0
        return int(first) * 3600 + int(second) * 60 + float(third)
    if not text.endswith(("s", "秒", "分", "时", "min", "分钟")):
        return None
    match = _UNITS.match(text)
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


# ---------------------------------------------------------------------------------------------
# Dates

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:$|[ t,])")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:$|[ t,])")
_NAMED = re.compile(
    r"^(?:[a-z]{3,9},?\s+)?([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?(?:$|[ t,])"
)
_DAY_FIRST_NAMED = re.compile(r"^(?:[a-z]{3,9},?\s+)?(\d{1,2})\s+([a-z]{3,9})\.?(?:\s+(\d{4}))?$")
_ZH_MONTH_DAY = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")


def read_date(value: object) -> date | YearLess | None:
    """The day a cell names, or None when it names none (`Lifetime`, a title, a blank).

    Month-first is assumed for `09/10/2026`, as the platforms write it (Meta's US format);
    a first number above 12 is read day-first. Times and zones are dropped: a row is dated
    the day the platform wrote, as the platform reports it."""
    kind = type(value)
    if kind is date:
        return value
    if kind is datetime:
        return value.date()
    if kind is float or kind is int:
        return _from_number(value)
    if not isinstance(value, str):
        return None
    text = clean_text(value).casefold()
    if not text or not (text[0].isdigit() or text[0].isalpha()):
        return None
    if text[0].isdigit():
        return _numeric_date(text)
    return _named_date(text)


def _from_number(value: float) -> date | None:
    """A workbook number: an Excel serial day (1954–2119), or 20260714 written as a number."""
    if value != value or value < 0:
        return None
    whole = int(value)
    if 20_000 <= whole <= 80_000:
        return EXCEL_EPOCH + timedelta(days=whole)
    if 19_000_101 <= whole <= 29_991_231 and whole == value:
        return maybe_date(whole // 10_000, whole // 100 % 100, whole % 100)
    return None


def _numeric_date(text: str) -> date | YearLess | None:
    match = _YMD.match(text)
    if match:
        return maybe_date(*(int(g) for g in match.groups()))
    match = _US.match(text)
    if match:
        first, second, year = (int(g) for g in match.groups())
        if first > 12:
            return maybe_date(year, second, first)
        return maybe_date(year, first, second)
    match = _COMPACT.match(text)
    if match:
        return maybe_date(*(int(g) for g in match.groups()))
    match = _ZH_MONTH_DAY.match(text)
    if match:
        return _year_less(int(match.group(1)), int(match.group(2)))
    match = _DAY_FIRST_NAMED.match(text)
    if match and match.group(2) in _MONTHS:
        day, month = int(match.group(1)), _MONTHS[match.group(2)]
        if match.group(3):
            return maybe_date(int(match.group(3)), month, day)
        return _year_less(month, day)
    return None


def _named_date(text: str) -> date | YearLess | None:
    match = _NAMED.match(text)
    if not match or match.group(1) not in _MONTHS:
        match = _DAY_FIRST_NAMED.match(text)
        if not match or match.group(2) not in _MONTHS:
            return None
        day, month, year = int(match.group(1)), _MONTHS[match.group(2)], match.group(3)
    else:
        month, day, year = _MONTHS[match.group(1)], int(match.group(2)), match.group(3)
    if year:
        return maybe_date(int(year), month, day)
    return _year_less(month, day)


def _year_less(month: int, day: int) -> YearLess | None:
    return YearLess(month, day) if maybe_date(2024, month, day) else None  # 2024: has 29 February


def place_years(days: list[YearLess], anchor: date) -> list[date | None]:
    """Years for year-less days: each gets the latest year that does not put it after
    `anchor` (the export day), so a file covering December to January reads December as the
    year before. A 29 February goes back to the last leap year."""
    placed: list[date | None] = []
    for day in days:
        found = None
        for year in range(anchor.year, anchor.year - 8, -1):
            candidate = maybe_date(year, day.month, day.day)
            if candidate is not None and candidate <= anchor:
                found = candidate
                break
        placed.append(found)
    return placed


_NAME_DATES = (
    (re.compile(r"(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)"), "ymd"),
    (re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"), "ymd"),
    (re.compile(r"(?<![a-z])([a-z]{3})[-_ ](\d{1,2})[-_ ,]+(\d{4})(?!\d)"), "mdy"),
)


def date_in_name(name: str) -> date | None:
    """The last date a file name carries (`…_2026-07-01_2026-07-31.csv` → 31 July 2026,
    Meta's `Feb-01-2026_Feb-28-2026_….csv` → 28 February 2026), or None."""
    text = name.casefold()
    found: list[tuple[int, date]] = []
    for pattern, order in _NAME_DATES:
        for match in pattern.finditer(text):
            if order == "ymd":
                day = maybe_date(*(int(g) for g in match.groups()))
            else:
                month = _MONTHS.get(match.group(1))
                day = maybe_date(int(match.group(3)), month, int(match.group(2))) if month else None
            if day is not None and 1990 <= day.year <= 2200:
                found.append((match.end(), day))
    return max(found)[1] if found else None
