"""Cell values as people type them: every format SPEC §3 lists, and the failures."""

from datetime import date, datetime

import pytest

from sheetplan.parse import (
    Invalid,
    parse_date,
    parse_id,
    parse_int,
    parse_number,
    parse_percent,
    parse_score_scale,
    parse_text,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (1200.0, 1200.0),
        (7, 7.0),
        ("1200", 1200.0),
        ("1,200", 1200.0),
        ("1,234,567.5", 1234567.5),
        ("¥5,000", 5000.0),
        ("￥5,000", 5000.0),
        ("$5,000", 5000.0),
        ("€1.5", 1.5),
        ("RMB 800", 800.0),
        ("800元", 800.0),
        ("20%", 0.2),
        ("２０％", 0.2),
        ("１２００", 1200.0),
        ("１，２００", 1200.0),
        ("1.2万", 12000.0),
        ("5k", 5000.0),
        ("-3", -3.0),
        ("(500)", -500.0),
        ("  42  ", 42.0),
        ("1e3", 1000.0),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_numbers_read_as_typed(typed, expected):
    assert parse_number(typed) == expected


@pytest.mark.parametrize(
    "typed", ["abc", "12abc", "1,20", "1.2.3", "--5", "five", "nan", "inf", "¥"]
)
def test_unreadable_numbers_keep_the_text(typed):
    result = parse_number(typed)
    assert isinstance(result, Invalid)
    assert result.found == typed.strip()
    assert result.reason == "parse.not_a_number"


def test_booleans_and_dates_are_not_numbers():
    assert isinstance(parse_number(True), Invalid)
    assert isinstance(parse_number(date(2026, 1, 1)), Invalid)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (date(2026, 12, 1), date(2026, 12, 1)),
        (datetime(2026, 12, 1, 15, 30), date(2026, 12, 1)),
        ("2026-12-01", date(2026, 12, 1)),
        ("2026/12/01", date(2026, 12, 1)),
        ("2026.12.01", date(2026, 12, 1)),
        ("2026/3/1", date(2026, 3, 1)),
        ("2026年12月1日", date(2026, 12, 1)),
        ("2026年3月1日", date(2026, 3, 1)),
        ("２０２６年３月１日", date(2026, 3, 1)),
        ("2026 年 3 月 1 日", date(2026, 3, 1)),
        ("2026-03-01 00:00:00", date(2026, 3, 1)),
        (46082.0, date(2026, 3, 1)),  # Excel serial 46082 = 2026-03-01
        (None, None),
        ("", None),
    ],
)
def test_dates_read_as_typed(typed, expected):
    assert parse_date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("31/13/2026", "2026-12-31"),  # neither 31 nor 13 is a month: year-end example
        ("12/25/2026", "2026-12-25"),  # only one reading: month 12, day 25
        ("25.12.2026", "2026-12-25"),
        ("01/02/2026", "2026-12-31"),  # ambiguous: never guessed
        ("2026-02-30", "2026-12-31"),
        ("next week", "YYYY-MM-DD"),
        ("2026年13月1日", "2026-12-31"),
    ],
)
def test_unreadable_dates_get_a_hint(typed, hint):
    result = parse_date(typed)
    assert isinstance(result, Invalid)
    assert (result.found, result.reason, result.hint) == (typed, "parse.not_a_date", hint)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (0.2, 0.2),
        (1.0, 1.0),
        ("20%", 0.2),
        ("100%", 1.0),
        (20.0, 0.2),  # a bare number above 1 is points
        ("20", 0.2),
        ("0.5", 0.5),
        (None, None),
    ],
)
def test_percentages_are_fractions(typed, expected):
    assert parse_percent(typed) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1-5", (1.0, 5.0)),
        ("1–5", (1.0, 5.0)),
        ("0 ~ 10", (0.0, 10.0)),
        ("1至5", (1.0, 5.0)),
        (10.0, (1.0, 10.0)),
    ],
)
def test_score_scales(typed, expected):
    assert parse_score_scale(typed) == expected


@pytest.mark.parametrize("typed", ["5-1", "high", "1-", 0.5])
def test_bad_score_scales(typed):
    assert isinstance(parse_score_scale(typed), Invalid)


def test_whole_numbers():
    assert parse_int(7.0) == 7
    assert parse_int("１４") == 14
    assert isinstance(parse_int(7.5), Invalid)


def test_text_and_ids():
    assert parse_text("  Weekly live  ") == "Weekly live"
    assert parse_text(12.0) == "12"
    assert parse_text("") is None
    assert parse_id("Ｇ１") == "G1"
    assert parse_id(" T12 ") == "T12"
    assert parse_id(3.0) == "3"
