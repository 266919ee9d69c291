"""Money, dates and times in the guide's locale (render/fmt.py): won never has decimals."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from guidebook.render import fmt

MONDAY = date(2026, 4, 6)


@pytest.mark.parametrize(
    ("locale", "won", "day", "long_day", "weekdays", "japanese"),
    [
        ("en", "₩350,000", "Mon 6 Apr", "6 April 2026", "Mon–Fri", "Japanese"),
        ("ko_KR", "₩350,000", "4월 6일 (월)", "2026년 4월 6일", "월–금", "일본어"),
        ("ja_JP", "₩350,000", "4月6日（月）", "2026年4月6日", "月–金", "日本語"),
        ("zh_Hans_CN", "₩350,000", "4月6日周一", "2026年4月6日", "周一–周五", "日语"),
        ("zh_Hant_TW", "￦350,000", "4月6日週一", "2026年4月6日", "週一–週五", "日文"),
    ],
)
def test_each_locale_writes_won_dates_and_weekdays_its_own_way(
    locale, won, day, long_day, weekdays, japanese
):
    assert fmt.krw(350_000, locale) == won
    assert fmt.day(MONDAY, locale) == day
    assert fmt.long_day(MONDAY, locale) == long_day
    assert fmt.weekday_range("mon-fri", locale) == weekdays
    assert fmt.language_name("ja", locale) == japanese
    assert fmt.clock(time(14, 5), locale) == "14:05"  # 24-hour clock everywhere


def test_won_has_no_decimals_and_other_currencies_keep_theirs():
    assert fmt.krw(Decimal("350000.4")) == "₩350,000"
    assert fmt.krw(1_234_567) == "₩1,234,567"
    assert fmt.money(Decimal("1253.62"), "USD") == "$1,253.62"
    assert fmt.money(Decimal("77174"), "JPY") == "¥77,174"
    assert fmt.money(Decimal("1253.62"), "USD", "ko_KR") == "US$1,253.62"
    assert fmt.number(Decimal("1380.5")) == "1,380.5"


def test_what_is_not_known_is_a_dash_or_as_given():
    assert fmt.krw(None) == fmt.money(None, "USD") == "–"
    assert fmt.weekday_range("holidays") == "holidays"
    assert fmt.language_name("xx-!!") == "xx-!!"


@pytest.mark.parametrize(
    ("locale", "usd", "jpy"),
    [
        ("en", "$1,580", "¥189,000"),
        ("ja_JP", "$1,580", "￥189,000"),
        ("zh_Hant_TW", "US$1,580", "¥189,000"),
        ("ko_KR", "US$1,580", "JP¥189,000"),
    ],
)
def test_an_estimate_is_a_whole_amount_in_the_locales_way(locale, usd, jpy):
    assert fmt.estimate(Decimal(1580), "USD", locale) == usd  # never "$1,580.00"
    assert fmt.estimate(Decimal(189000), "JPY", locale) == jpy
    assert fmt.estimate(None, "USD") == "–"


def test_a_budget_shows_cents_only_when_it_has_them():
    assert fmt.budget(Decimal(1800), "USD") == "$1,800"
    assert fmt.budget(Decimal("1800.50"), "USD") == "$1,800.50"


@pytest.mark.parametrize(
    ("locale", "joined", "labelled", "aside", "short_day"),
    [
        ("en", "a, b", "Safety: x", "Arrive (OZ271)", "1 Dec 2026"),
        ("ko_KR", "a, b", "Safety: x", "Arrive (OZ271)", "2026년 12월 1일"),  # Korean: Latin punctuation
        ("ja_JP", "a、b", "Safety：x", "Arrive（OZ271）", "2026年12月1日"),  # one date style a language
        ("zh_Hans_CN", "a、b", "Safety：x", "Arrive（OZ271）", "2026年12月1日"),
        ("zh_Hant_TW", "a、b", "Safety：x", "Arrive（OZ271）", "2026年12月1日"),
    ],
)
def test_the_separators_and_short_dates_of_each_locale(locale, joined, labelled, aside, short_day):
    p = fmt.punctuation(locale)
    assert p.list.join(["a", "b"]) == joined
    assert f"Safety{p.colon}x" == labelled
    assert f"Arrive{p.open}OZ271{p.close}" == aside
    assert fmt.short_day(date(2026, 12, 1), locale) == short_day


def test_a_run_of_days_is_one_day_or_first_to_last():
    assert fmt.day_range(date(2026, 9, 24), date(2026, 9, 26)) == "Thu 24 Sep–Sat 26 Sep"
    assert fmt.day_range(date(2026, 9, 24), date(2026, 9, 24)) == "Thu 24 Sep"


@pytest.mark.parametrize(
    ("amount", "up", "said"),
    [
        (678, False, 670),
        (1574, True, 1600),
        (2_180_000, True, 2_200_000),
        (940_000, False, 940_000),
        (85, True, 85),
    ],
)
def test_an_estimates_bounds_are_rounded_outward_to_two_figures(amount, up, said):
    assert fmt.rounded(amount, up=up) == said
    assert fmt.rounded(None, up=up) is None


def test_a_stay_is_one_span_of_dates_in_the_guides_date_style():
    assert fmt.day_span(date(2026, 9, 19), date(2026, 9, 30)) == "19–30 September 2026"
    assert fmt.day_span(date(2026, 9, 28), date(2026, 10, 3)) == "28 September – 3 October 2026"
    assert fmt.day_span(date(2026, 12, 28), date(2027, 1, 3)) == "28 December 2026 – 3 January 2027"
    assert fmt.day_span(date(2026, 9, 19), date(2026, 9, 30), "ja_JP") == "2026年9月19日～30日"


def test_a_korean_number_is_written_as_a_driver_types_it_and_hours_take_an_en_dash():
    assert fmt.korean_phone("+82 2 555 0131") == "02-555-0131"
    assert fmt.korean_phone("+82 10 1234 5678") == "010-1234-5678"
    assert fmt.korean_phone("+1 206 555 0188") == "+1 206 555 0188"
    assert fmt.hours("10:00-19:00") == "10:00–19:00" and fmt.hours("closed") == "closed"


@pytest.mark.parametrize("locale", ["en", "zh_Hant_TW", "ja_JP"])
def test_taiwan_dollars_are_nt_dollars_in_every_language(locale):
    assert "NT$" in fmt.money(1580, "TWD", locale) and "NT$" in fmt.estimate(1580, "TWD", locale)
    assert "NT$" not in fmt.money(1580, "USD", locale)
