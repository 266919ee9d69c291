"""Money, dates, times and punctuation for the guide's locale (Babel); KRW never has decimals."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date, time
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton, format_time, get_day_names
from babel.numbers import format_currency, format_decimal, get_currency_symbol

DEFAULT_LOCALE = "en"


@dataclass(frozen=True)
class Punctuation:
    """The separators a guide's templates put between the things they join."""

    list: str  # between the items of a list: "a, b" / "a、b"
    comma: str  # between two parts of a phrase: "19 Sep, 15:20" / "9月19日，15:20"
    colon: str  # between a label and its text: "Safety: ..." / "安全：..."
    semicolon: str  # between two clauses: "Arrive (OZ271); check in" / "到着（OZ271）、チェックイン"
    stop: str  # the end of a sentence a template finishes
    space: str  # between two sentences: " " in Latin text, nothing in Japanese and Chinese
    open: str  # brackets around a short aside: " (OZ271)" / "（OZ271）"
    close: str


LATIN = Punctuation(
    list=", ", comma=", ", colon=": ", semicolon="; ", stop=".", space=" ", open=" (", close=")"
)
# Japanese and Chinese use their full-width forms, with no space around them; Japanese joins two
# clauses with a comma (、) where Chinese uses a semicolon (；). Korean writes Latin punctuation.
PUNCTUATION = {
    "ja": Punctuation(
        list="、", comma="、", colon="：", semicolon="、", stop="。", space="", open="（", close="）"
    ),
    "zh": Punctuation(
        list="、", comma="，", colon="：", semicolon="；", stop="。", space="", open="（", close="）"
    ),
}


def punctuation(locale: str = DEFAULT_LOCALE) -> Punctuation:
    """The separators of a Babel locale: full-width for Japanese and Chinese, Latin otherwise."""
    return PUNCTUATION.get(locale.split("_")[0], LATIN)


def krw(amount: int | Decimal | None, locale: str = DEFAULT_LOCALE) -> str:
    if amount is None:
        return "–"
    return format_currency(amount, "KRW", locale=locale)


# Currency signs a guide writes the same in every language: the Taiwan dollar is NT$ (CLDR gives
# a bare "$" in Taiwan's own locale, which reads as US dollars to a traveler).
SIGNS = {"TWD": "NT$"}


def _signed(text: str, currency: str, locale: str) -> str:
    sign = SIGNS.get(currency)
    if sign is None:
        return text
    own = get_currency_symbol(currency, locale=locale)
    return text if sign in text else text.replace(own, sign, 1)


def money(amount: Decimal | int | None, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    if amount is None:
        return "–"
    return _signed(format_currency(amount, currency, locale=locale), currency, locale)


def rounded(amount: Decimal | int | None, *, up: bool) -> Decimal | None:
    """An estimate's bound rounded as a person says it, to two significant figures: the low end
    down and the high end up, so that the range still holds the estimate (678 -> 670,
    1,574 -> 1,600, 2,180,000 -> 2,200,000); amounts under 100 stay as they are."""
    if amount is None:
        return None
    value = Decimal(amount)
    if value < 100:
        return value
    step = Decimal(10) ** (len(str(int(value))) - 2)
    return (value / step).to_integral_value(rounding=ROUND_CEILING if up else ROUND_FLOOR) * step


def estimate(amount: Decimal | int | None, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """A rounded estimate in whole units, as a person says it: "$1,580", not "$1,574.01"."""
    if amount is None:
        return "–"
    where = Locale.parse(locale)
    pattern = copy.copy(where.currency_formats["standard"])
    pattern.frac_prec = (0, 0)
    text = str(pattern.apply(Decimal(amount), where, currency=currency, currency_digits=False))
    return _signed(text, currency, locale)


def budget(amount: Decimal | int | None, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """An amount the traveler gave: "$1,800" for a whole one, "$1,800.50" otherwise."""
    if amount is not None and Decimal(amount) == Decimal(amount).to_integral_value():
        return estimate(amount, currency, locale)
    return money(amount, currency, locale)


def number(value: Decimal | int, locale: str = DEFAULT_LOCALE) -> str:
    return format_decimal(value, locale=locale)


def day(value: date, locale: str = DEFAULT_LOCALE) -> str:
    """A short date with its weekday: "Mon 6 Apr" in English, 4月6日（月） in Japanese (CLDR's
    half-width brackets made the full-width ones every other Japanese text of the guide uses)."""
    if locale.startswith("en"):
        return format_date(value, "EEE d MMM", locale=locale)
    text = format_skeleton("MMMEd", value, locale=locale)
    return text.replace("(", "（").replace(")", "）") if locale.startswith("ja") else text


def day_span(first: date, last: date, locale: str = DEFAULT_LOCALE) -> str:
    """A stay's dates as one span: "19–30 September 2026", 2026年9月19日～30日."""
    if not locale.startswith("en"):
        return format_interval(first, last, "yMMMMd", locale=locale)
    if first.year != last.year:
        return f"{long_day(first, locale)} – {long_day(last, locale)}"
    if first.month != last.month:
        return f"{format_date(first, 'd MMMM', locale=locale)} – {long_day(last, locale)}"
    return f"{first.day}–{long_day(last, locale)}"


def day_range(first: date, last: date, locale: str = DEFAULT_LOCALE) -> str:
    """Days from `first` to `last` as "Thu 24 Sep–Sat 26 Sep"; one day as "Thu 24 Sep"."""
    if first == last:
        return day(first, locale)
    return f"{day(first, locale)}–{day(last, locale)}"


def long_day(value: date, locale: str = DEFAULT_LOCALE) -> str:
    """A date with its year: "19 September 2026" (day before month, as every other English date
    of the guide), 2026年9月19日, 2026년 9월 19일."""
    if locale.startswith("en"):
        return format_date(value, "d MMMM y", locale=locale)
    return format_date(value, "long", locale=locale)


def short_day(value: date, locale: str = DEFAULT_LOCALE) -> str:
    """A date with its year, short: "1 Dec 2026"; in Japanese, Chinese and Korean the one date
    style of the guide, 2026年12月1日, 2026년 12월 1일 (not a second, numeric one)."""
    if locale.startswith("en"):
        return format_date(value, "d MMM y", locale=locale)
    return long_day(value, locale)


def clock(value: time, locale: str = DEFAULT_LOCALE) -> str:
    return format_time(value, "HH:mm", locale=locale)


def hours(value: str) -> str:
    """Opening hours as typed ("10:00-19:00") with an en dash between the times."""
    return re.sub(r"(?<=\d)\s*-\s*(?=\d)", "–", value)


def korean_phone(number: str) -> str:
    """A Korean number as a Korean writes it (a taxi driver types it into the navigation):
    "+82 2 555 0131" -> "02-555-0131", "+82 10 1234 5678" -> "010-1234-5678"; other numbers as
    they are."""
    compact = number.strip()
    if not compact.startswith("+82"):
        return number
    groups = re.findall(r"\d+", compact[3:])
    if not groups:
        return number
    groups[0] = "0" + groups[0].lstrip("0")
    return "-".join(groups)


def weekday_range(key: str, locale: str = DEFAULT_LOCALE) -> str:
    """An hours key such as "mon-fri" as "Mon–Fri" in the locale; "holidays" as is."""
    order = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    names = get_day_names("abbreviated", locale=locale)
    parts = [names[order.index(p)] if p in order else p for p in key.split("-")]
    return "–".join(parts)


def language_name(code: str, locale: str = DEFAULT_LOCALE) -> str:
    """A language code as its name in the guide's language ("ja" -> "Japanese", "日本語")."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(locale) or code
    except (UnknownLocaleError, ValueError):
        return code
