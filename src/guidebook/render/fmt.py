"""Money, dates and times for the guide's locale (Babel); KRW never has decimals."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from babel.dates import format_date, format_skeleton, format_time, get_day_names
from babel.numbers import format_currency, format_decimal

DEFAULT_LOCALE = "en"


def krw(amount: int | Decimal | None, locale: str = DEFAULT_LOCALE) -> str:
    if amount is None:
        return "–"
    return format_currency(amount, "KRW", locale=locale)


def money(amount: Decimal | int | None, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    if amount is None:
        return "–"
    return format_currency(amount, currency, locale=locale)


def number(value: Decimal | int, locale: str = DEFAULT_LOCALE) -> str:
    return format_decimal(value, locale=locale)


def day(value: date, locale: str = DEFAULT_LOCALE) -> str:
    """A short date with its weekday: "Mon 6 Apr" in English, 4月6日(月) in Japanese."""
    if locale.startswith("en"):
        return format_date(value, "EEE d MMM", locale=locale)
    return format_skeleton("MMMEd", value, locale=locale)


def long_day(value: date, locale: str = DEFAULT_LOCALE) -> str:
    return format_date(value, "long", locale=locale)


def clock(value: time, locale: str = DEFAULT_LOCALE) -> str:
    return format_time(value, "HH:mm", locale=locale)


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
