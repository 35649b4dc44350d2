"""Cell values as people type them: every format SPEC §3 lists, and the failures."""

from datetime import date, datetime

import pytest

from sheetplan.parse import (
    Invalid,
    date_order,
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
        ("next week", "YYYY-MM-DD"),
    ],
)
def test_unreadable_dates_get_a_hint(typed, hint):
    result = parse_date(typed)
    assert isinstance(result, Invalid)
    assert (result.found, result.reason, result.hint) == (typed, "parse.not_a_date", hint)


@pytest.mark.parametrize(
    ("typed", "expected", "order"),
    [
        ("31/12/2026", date(2026, 12, 31), "day_first"),  # 31 cannot be a month
        ("25.12.2026", date(2026, 12, 25), "day_first"),
        ("12/25/2026", date(2026, 12, 25), "month_first"),  # 25 cannot be a month
        ("04/04/2026", date(2026, 4, 4), None),  # the same date either way: nothing to say
        ("2026-12-31", date(2026, 12, 31), None),
    ],
)
def test_a_day_month_order_that_can_be_read_one_way_is_read(typed, expected, order):
    assert parse_date(typed) == expected
    assert date_order(typed) == order


@pytest.mark.parametrize(
    ("typed", "reason", "values"),
    [
        # 3 April or 4 March: both exist, so neither is guessed
        (
            "03/04/2026",
            "parse.ambiguous_date",
            (("day_first", "2026-04-03"), ("month_first", "2026-03-04")),
        ),
        (
            "01/02/2026",
            "parse.ambiguous_date",
            (("day_first", "2026-02-01"), ("month_first", "2026-01-02")),
        ),
        # November has 30 days, whichever way round the day and month are written
        ("2026-11-31", "parse.impossible_day", (("month_key", "month.11"), ("days", 30))),
        ("31/11/2026", "parse.impossible_day", (("month_key", "month.11"), ("days", 30))),
        ("11/31/2026", "parse.impossible_day", (("month_key", "month.11"), ("days", 30))),
        # 2026 is not a leap year (not divisible by 4); 2028 is
        ("2026-02-29", "parse.impossible_february", (("year", 2026), ("days", 28))),
        ("2028-02-30", "parse.impossible_february", (("year", 2028), ("days", 29))),
        ("2026-13-01", "parse.no_such_month", (("month", 13),)),
        ("2026年13月1日", "parse.no_such_month", (("month", 13),)),
    ],
)
def test_impossible_and_ambiguous_dates_say_why(typed, reason, values):
    result = parse_date(typed)
    assert isinstance(result, Invalid)
    assert (result.found, result.reason, result.values) == (typed, reason, values)


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
