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

_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Invalid:
    """A cell that could not be read: the text found, why (a label key), and a hint."""

    found: str
    reason: str
    hint: str = ""


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


def parse_date(value: object) -> date | Invalid | None:
    """A date: Excel dates, or text such as 2026-12-01 · 2026/12/01 · 2026.12.01 · 2026年12月1日.

    Day-first and month-first text (01/12/2026) is refused rather than guessed; the hint then
    shows the ISO form of the likely date."""
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
            return _EXCEL_EPOCH + timedelta(days=int(value))
        return Invalid(shown(value), "parse.not_a_date", _date_hint(""))
    if isinstance(value, timedelta):
        return Invalid(shown(value), "parse.not_a_date", _date_hint(""))
    text = clean_text(value).casefold()
    if not text:
        return None
    match = _YMD.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            pass
    return Invalid(str(value).strip(), "parse.not_a_date", _date_hint(text))


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
