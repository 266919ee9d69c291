"""Spreadsheet cells -> values (inputs/cells.py): tables of what spreadsheets write, and the
message a coordinator reads for what cannot be read."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidebook.inputs.cells import (
    CellError,
    When,
    is_to_confirm,
    parse_bool,
    parse_date,
    parse_money,
    parse_number,
    parse_time,
    parse_when,
    split_list,
)

D = date(2026, 10, 13)


@pytest.mark.parametrize(
    ("cell", "order", "expected"),
    [
        ("2026-10-13", None, When(D)),
        ("2026-10-13T09:30", None, When(D, time(9, 30))),
        ("2026-10-13 9:30", None, When(D, time(9, 30))),
        ("2026-10-13 09:30:00", None, When(D, time(9, 30))),
        ("2026-10-13T09:30:00+09:00", None, When(D, time(9, 30))),  # Seoul's own offset
        ("13/10/2026", None, When(D)),  # reads one way only: the day is 13
        ("10/13/2026", None, When(D)),
        ("13/10/2026", "dmy", When(D)),
        ("10/13/2026", "mdy", When(D)),
        ("05/06/2026", "dmy", When(date(2026, 6, 5))),
        ("05/06/2026", "mdy", When(date(2026, 5, 6))),
        ("06/06/2026", None, When(date(2026, 6, 6))),  # both readings are the same day
        ("13.10.2026", None, When(D)),  # German
        ("13-10-2026 21:30", "dmy", When(D, time(21, 30))),
        ("13/10/26", None, When(D)),  # a two-digit year
        ("2026.10.13", None, When(D)),
        ("2026/10/13", "dmy", When(D)),  # the year first is always year-month-day
        ("2026. 10. 13.", None, When(D)),  # Korean Excel
        ("2026. 10. 13. 오후 9:30:00", None, When(D, time(21, 30))),
        ("2026年10月13日", None, When(D)),
        ("2026년 10월 13일 오전 9:30", None, When(D, time(9, 30))),
        ("13 Oct 2026", None, When(D)),
        ("13-Oct-26", None, When(D)),
        ("October 13, 2026 9:30 PM", None, When(D, time(21, 30))),
        ("Oct 13 2026 12:15 AM", None, When(D, time(0, 15))),
        ("10/13/2026 9:30 PM", None, When(D, time(21, 30))),
        ("13/10/2026 9 pm", None, When(D, time(21))),
        ("13/10/2026 12:00 p.m.", None, When(D, time(12))),
        ("46308", None, When(D)),  # an Excel serial number
        ("46308.395833", None, When(D, time(9, 30))),
        ("46308.5", None, When(D, time(12))),
        ("２０２６－１０－１３　９：３０", None, When(D, time(9, 30))),  # full-width, as typed in Japan
        ("  2026-10-13  ", None, When(D)),
    ],
)
def test_dates_as_spreadsheets_write_them(cell, order, expected):
    assert parse_when(cell, order) == expected


@pytest.mark.parametrize(
    ("cell", "order", "message"),
    [
        ("05/06/2026", None, "'05/06/2026' could be 5 June 2026 (day first: --date-format dmy) or May"),
        ("05/06/2026", None, "May 6, 2026 (month first: --date-format mdy); say which with --date-format"),
        ("30/02/2026", None, "February has no 30th"),
        ("2026-02-30", None, "February has no 30th"),
        ("29/02/2026", "dmy", "February 2026 has no 29th (2026 is not a leap year)"),
        ("31/04/2026", None, "April has no 31st"),
        ("2026-13-01", None, "there is no month 13"),
        ("13/13/2026", None, "there is no month 13"),
        ("10/13/2026", "dmy", "there is no month 13"),
        ("2026-10-13T09:30Z", None, "has a time zone (Z); give Seoul local time"),
        ("2026-10-13 25:00", None, "not a time of day"),
        ("2026-10-13 13:00 PM", None, "with AM or PM the hour goes from 1 to 12"),
        ("2026-10-13 PM", None, "has AM/PM but no time"),
        ("next tuesday", None, "is not a date; write it as 2026-10-13"),
        ("12345", None, "is a number, not a date"),
        ("13 Octember 2026", None, "'Octember' is not a month name"),
        ("", None, "is empty"),
    ],
)
def test_dates_that_cannot_be_read_say_why_in_plain_words(cell, order, message):
    with pytest.raises(CellError) as info:
        parse_when(cell, order)
    assert message in info.value.message
    if "could be" in message:
        assert "June" in info.value.message and "May" in info.value.message


def test_a_date_alone_has_no_time_and_never_becomes_midnight():
    assert parse_when("13/10/2026").time is None
    assert parse_when("13/10/2026 00:00").time == time(0)  # a time given as midnight is one
    assert parse_date("2026-10-13") == D


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("9:30", time(9, 30)),
        ("09:30:00", time(9, 30)),
        ("21:30", time(21, 30)),
        ("9:30 PM", time(21, 30)),
        ("9:30pm", time(21, 30)),
        ("12:05 AM", time(0, 5)),
        ("오후 9:30", time(21, 30)),
        ("午後9時30分", time(21, 30)),
        ("午前9時", time(9)),
        ("0.395833", time(9, 30)),  # Excel's fraction of a day
        (".75", time(18)),
        ("TBC", None),
        ("tbd", None),
        ("?", None),
        ("미정", None),
        ("未定", None),
    ],
)
def test_times_as_spreadsheets_write_them(cell, expected):
    assert parse_time(cell) == expected


@pytest.mark.parametrize("cell", ["25:00", "9:75", "930", "soon", "1.5"])
def test_a_time_that_cannot_be_read(cell):
    with pytest.raises(CellError, match="time"):
        parse_time(cell)


def test_words_that_say_a_time_is_not_known_yet():
    assert all(is_to_confirm(w) for w in ["TBC", " tba ", "未定", "待定"])
    assert not is_to_confirm("9:30")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("yes", True), ("Y", True), ("TRUE", True), ("1", True), ("x", True), ("✓", True), ("예", True)],
)
def test_yes(cell, expected):
    assert parse_bool(cell) is expected


@pytest.mark.parametrize("cell", ["no", "N", "false", "0", "-", "いいえ", "否"])
def test_no(cell):
    assert parse_bool(cell) is False


def test_neither_yes_nor_no():
    with pytest.raises(CellError, match="not yes or no"):
        parse_bool("maybe")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1800", Decimal(1800)),
        ("1,800", Decimal(1800)),
        ("1 800", Decimal(1800)),
        ("1,800.50", Decimal("1800.50")),
        ("1.800,50", Decimal("1800.50")),
        ("1.800.000", Decimal(1800000)),
        ("9,2", Decimal("9.2")),
        ("9.245", Decimal("9.245")),  # a rate may have three decimals
    ],
)
def test_numbers_with_either_decimal_mark(cell, expected):
    assert parse_number(cell) == expected


@pytest.mark.parametrize("cell", ["", "abc", "-5", "0", "NaN", "Infinity"])
def test_a_number_that_is_not_one_above_zero(cell):
    with pytest.raises(CellError):
        parse_number(cell)


@pytest.mark.parametrize(
    ("cell", "home", "expected"),
    [
        ("1800 USD", None, (Decimal(1800), "USD")),
        ("USD 1,800", None, (Decimal(1800), "USD")),
        ("usd1800", None, (Decimal(1800), "USD")),
        ("1800", "JPY", (Decimal(1800), "JPY")),
        ("€1.500", None, (Decimal(1500), "EUR")),  # money has no three decimals: fifteen hundred
        ("$1,800", "USD", (Decimal(1800), "USD")),
        ("¥200,000", "JPY", (Decimal(200000), "JPY")),
        ("₩2,500,000", None, (Decimal(2500000), "KRW")),
    ],
)
def test_money_with_its_currency(cell, home, expected):
    assert parse_money(cell, home) == expected


@pytest.mark.parametrize(
    ("cell", "home", "message"),
    [
        ("1800", None, "needs its currency: write e.g. 1800 USD (a three-letter currency code)"),
        ("$1,800", "JPY", "$ is the sign of several currencies; write the code instead"),
        ("¥5000", None, "¥ is the sign of several currencies"),
    ],
)
def test_money_whose_currency_is_not_clear(cell, home, message):
    with pytest.raises(CellError) as info:
        parse_money(cell, home)
    assert message in info.value.message


def test_lists_are_separated_by_semicolons_or_line_breaks():
    assert split_list("lidocaine; latex ;;") == ["lidocaine", "latex"]
    assert split_list("lidocaine\nlatex") == ["lidocaine", "latex"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.sampled_from([None, "dmy", "mdy", "ymd"]))
def test_any_cell_is_a_value_or_a_cell_error(text, order):
    """Hypothesis: whatever a cell holds, reading it never raises anything but CellError."""
    for read in (lambda: parse_when(text, order), lambda: parse_time(text), lambda: parse_money(text, "USD")):
        try:
            read()
        except CellError as exc:
            assert exc.message
