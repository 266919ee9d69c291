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
        ("en", "₩350,000", "Mon 6 Apr", "April 6, 2026", "Mon–Fri", "Japanese"),
        ("ko_KR", "₩350,000", "4월 6일 (월)", "2026년 4월 6일", "월–금", "일본어"),
        ("ja_JP", "₩350,000", "4月6日(月)", "2026年4月6日", "月–金", "日本語"),
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
