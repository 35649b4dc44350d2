"""Cell values as people type them → Python values, or an `Invalid` that says what was found.

Each reader takes what the spreadsheet reader returned for one cell (str, float, int, bool,
date, datetime or None) and returns the value, None for a blank cell, or `Invalid`. They never
raise for bad data. The fast paths come first: a 100,000-row log is mostly numbers and dates
that Excel already typed.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Invalid:
    """A cell that could not be read: the text found, why (a label key), and a hint."""

    found: str
    reason: str
    hint: str = ""
    values: tuple[tuple[str, object], ...] = ()
    """More placeholders for the message; a name ending in `_key` holds a label key."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value: object) -> str:
    """The cell as the user sees it, for quoting in a message."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def clean_text(value: object) -> str:
    """Text with full-width characters folded and spaces trimmed (for parsing, not for display)."""
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


# ---------------------------------------------------------------------------------------------
# Text


def parse_text(value: object) -> str | None:
    """Free text, kept as typed apart from surrounding spaces; numbers typed into a text cell
    read as they show (12.0 → "12")."""
    if value is None:
        return None
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return shown(value)


def parse_id(value: object) -> str | None:
    """An ID such as G1 or K3; full-width characters folded so Ｇ１ and G1 are the same ID."""
    if value is None:
        return None
    if isinstance(value, str):
        cleaned = clean_text(value)
        return cleaned or None
    return shown(value)


# ---------------------------------------------------------------------------------------------
# Numbers

_MULTIPLIERS = {"k": 1_000.0, "千": 1_000.0, "万": 10_000.0, "w": 10_000.0, "亿": 100_000_000.0}
_CURRENCY = re.compile(
    r"^(?:[$¥€£₩₹]|us\$|hk\$|rmb|cny|usd|eur|gbp|jpy|hkd)\s*|\s*(?:元|块|rmb|cny|usd|eur|gbp)$"
)
_NUMBER = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d*)?$")


def parse_number(value: object) -> float | Invalid | None:
    """A number: Excel numbers, or text such as 1,200 · ¥5,000 · $5,000 · 20% · 1.2万 · １２."""
    kind = type(value)
    if kind is float or kind is int:
        if value - value != 0:  # NaN or infinity, which a script can store but Excel cannot
            return Invalid(shown(value), "parse.not_a_number")
        return float(value)
    if value is None:
        return None
    if kind is bool or isinstance(value, date):
        return Invalid(shown(value), "parse.not_a_number")
    if isinstance(value, (int, float)):
        return parse_number(float(value))
    text = clean_text(value).casefold()
    if not text:
        return None
    number = _number_from_text(text)
    if number is None:
        return Invalid(str(value).strip(), "parse.not_a_number")
    return number


def _number_from_text(text: str) -> float | None:
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
    text = _CURRENCY.sub("", text).strip()
    if text[:1] in "+-" and len(text) > 1:
        negative, text = negative != (text[0] == "-"), text[1:].strip()
        text = _CURRENCY.sub("", text).strip()
    multiplier = 1.0
    if text and text[-1] in _MULTIPLIERS:
        multiplier, text = _MULTIPLIERS[text[-1]], text[:-1].strip()
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        return None
    number = float(text) * multiplier
    if percent:
        number /= 100.0
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return -number if negative else number


def parse_percent(value: object) -> float | Invalid | None:
    """A share stored as a fraction: 20% · 0.2 · "20%" → 0.2. A bare number above 1 is read as
    points (20 → 0.2), since nobody means 2,000 % when they type 20 into a % column."""
    number = parse_number(value)
    if isinstance(number, float):
        if isinstance(value, str) and "%" in value:
            return number
        return number / 100.0 if abs(number) > 1 else number
    return number


def parse_int(value: object) -> int | Invalid | None:
    number = parse_number(value)
    if isinstance(number, float):
        if not number.is_integer():
            return Invalid(shown(value), "parse.not_a_whole_number")
        return int(number)
    return number


def parse_score_scale(value: object) -> tuple[float, float] | Invalid | None:
    """A score range such as 1–5, 1-5, 1~5, 1 to 5 or 1至5; a single number n means 1–n."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1.0, float(value)) if value > 1 else Invalid(shown(value), "parse.not_a_scale")
    text = clean_text(value).casefold()
    parts = re.split(r"\s*(?:–|—|-|~|〜|to|至|到)\s*", text)
    if len(parts) == 2:
        lo, hi = (_number_from_text(p) for p in parts)
        if lo is not None and hi is not None and lo < hi:
            return (lo, hi)
    return Invalid(str(value).strip(), "parse.not_a_scale")


# ---------------------------------------------------------------------------------------------
# Dates

_YMD = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_THREE_NUMBERS = re.compile(r"^(\d{1,4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,4})$")
_YEAR_LAST = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})$")


def parse_date(value: object) -> date | Invalid | None:
    """A date: Excel dates, or text such as 2026-12-01 · 2026/12/01 · 2026.12.01 · 2026年12月1日.

    Day-first or month-first text is read when only one order makes a date (31/12/2026) and
    refused, naming both readings, when two do (03/04/2026); a date that cannot exist
    (2026-11-31) says why."""
    kind = type(value)
    if kind is date:
        return value
    if kind is datetime:
        return value.date()
    if value is None:
        return None
    if kind is bool:
        return Invalid(shown(value), "parse.not_a_date", _date_hint(""))
    if isinstance(value, (int, float)):
        if 1 <= value < 2958466:  # a serial date typed into a General cell
            return EXCEL_EPOCH + timedelta(days=int(value))
        return Invalid(shown(value), "parse.not_a_date", _date_hint(""))
    if isinstance(value, timedelta):
        return Invalid(shown(value), "parse.not_a_date", _date_hint(""))
    text = clean_text(value).casefold()
    if not text:
        return None
    found = str(value).strip()
    match = _YMD.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return _impossible(found, year, month, day)
    read = _year_last(found, text)
    if read is not None:
        return read
    return Invalid(found, "parse.not_a_date", _date_hint(text))


def date_order(value: object) -> str | None:
    """ "day_first" or "month_first" when text such as 31/12/2026 was read by the only order
    it can have (a note says so the first time); None for any other cell."""
    if not isinstance(value, str):
        return None
    match = _YEAR_LAST.match(clean_text(value))
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if first > 12 >= second:
        return "day_first"
    if second > 12 >= first:
        return "month_first"
    return None


def _year_last(found: str, text: str) -> date | Invalid | None:
    """DD/MM/YYYY or MM/DD/YYYY: read when only one order makes a date, refused naming both
    readings when two do, explained when one order is plausible but the day is impossible."""
    match = _YEAR_LAST.match(text)
    if not match:
        return None
    first, second, year = (int(g) for g in match.groups())
    day_first = maybe_date(year, second, first)
    month_first = maybe_date(year, first, second)
    if day_first and month_first and day_first != month_first:
        readings = (("day_first", day_first.isoformat()), ("month_first", month_first.isoformat()))
        return Invalid(found, "parse.ambiguous_date", values=readings)
    if day_first or month_first:
        return day_first or month_first
    if second <= 12 < first:
        return _impossible(found, year, second, first)
    if first <= 12 < second:
        return _impossible(found, year, first, second)
    return None


def maybe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _impossible(found: str, year: int, month: int, day: int) -> Invalid:
    """Say what is wrong with a date that cannot exist, instead of suggesting another one."""
    import calendar

    if not 1 <= month <= 12 or not 1 <= year <= 9999:
        return Invalid(found, "parse.no_such_month", values=(("month", month),))
    days = calendar.monthrange(year, month)[1]
    if month == 2:
        return Invalid(found, "parse.impossible_february", values=(("year", year), ("days", days)))
    return Invalid(
        found, "parse.impossible_day", values=(("month_key", f"month.{month}"), ("days", days))
    )


def _date_hint(text: str) -> str:
    """The ISO form of what the user most likely meant, or a year-end example."""
    match = _THREE_NUMBERS.match(text)
    if match:
        parts = [int(g) for g in match.groups()]
        year = parts[2] if len(match.group(3)) == 4 else parts[0] if len(match.group(1)) == 4 else 0
        if year:
            rest = parts[:2] if year == parts[2] and len(match.group(3)) == 4 else parts[1:]
            readings = set()
            for month, day in (rest, rest[::-1]):
                with contextlib.suppress(ValueError):
                    readings.add(date(year, month, day))
            if len(readings) == 1:
                return readings.pop().isoformat()
            return date(year, 12, 31).isoformat()
    match = _YMD.match(text)
    if match:
        return date(int(match.group(1)), 12, 31).isoformat()
    return "YYYY-MM-DD"
