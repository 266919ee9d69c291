"""Spreadsheet cells -> values: dates and times as spreadsheets write them, yes/no, amounts, lists.

Every function takes the text of one cell and returns its value, or raises CellError with a
message a coordinator can act on ("February has no 30th", "05/06/2026 could be 5 June or May 6:
choose with --date-format"). Pure: no files, no clock.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

DATE_FORMATS = ("dmy", "mdy", "ymd")
# Excel's day 0 (its serial numbers count days from here; 1900's leap-year bug makes it the 30th)
EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers of the years a trip may have (2000-01-01 to 2100-12-31): anything else in a date
# column is a number typed by mistake, not a date Excel stored as a number.
EXCEL_FIRST, EXCEL_LAST = 36526, 73415
# Words that say a time is not known yet.
TO_CONFIRM = frozenset({"tbc", "tbd", "tba", "?", "unknown", "미정", "未定", "待定", "時間未定", "시간 미정"})
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
ORDINAL = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}
YES = frozenset({"yes", "y", "true", "1", "x", "✓", "✔", "on", "예", "네", "はい", "是", "有"})
NO = frozenset({"no", "n", "false", "0", "-", "off", "아니오", "아니요", "いいえ", "否", "无", "無"})
# Currency symbols that name one currency, and those shared by several (then the home currency
# must be one of them).
SYMBOLS = {"€": "EUR", "£": "GBP", "₩": "KRW", "₫": "VND", "฿": "THB", "₱": "PHP"}
SHARED_SYMBOLS = {
    "$": {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "TWD", "MXN"},
    "¥": {"JPY", "CNY"},
}


class CellError(ValueError):
    """A cell that cannot be read as what its column holds; the message says what to write."""

    @property
    def message(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class When:
    """A date, and its time when the cell gave one (None: the cell held a date alone)."""

    day: date
    time: time | None = None

    def at(self) -> datetime:
        return datetime.combine(self.day, self.time or time())


def normal(text: str) -> str:
    """The cell's text with full-width digits and letters made plain (NFKC) and outer spaces cut."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_when(text: str, order: str | None = None) -> When:
    """A date with an optional time: ISO (2026-10-13T09:30), 13/10/2026, 10/13/2026, 2026.10.13,
    2026. 10. 13. 오후 9:30, 2026年10月13日, 13 Oct 2026, an Excel serial number (46308.4).

    `order` (dmy, mdy or ymd) says how to read a date whose year is not first; without it a date
    that reads two ways (05/06/2026) is an error that shows both readings.
    """
    value = normal(text)
    if not value:
        raise CellError("is empty")
    serial = _serial(value)
    if serial is not None:
        return serial
    marker, rest = _meridiem(value)
    date_part, time_part = _split(rest, marker)
    if time_part is None and marker:
        raise CellError(f"{text!r} has AM/PM but no time; write e.g. 2026-10-13 9:30 PM")
    day = parse_date(date_part, order, original=text)
    clock = _clock(time_part, marker, original=text) if time_part is not None else None
    return When(day, clock)


def parse_date(text: str, order: str | None = None, *, original: str | None = None) -> date:
    """A date alone (see parse_when for the forms)."""
    value = normal(text).rstrip(".").strip()
    shown = original if original is not None else text
    if match := re.fullmatch(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?", value):
        return _make(int(match[1]), int(match[2]), int(match[3]), shown)
    if match := re.fullmatch(r"(\d{1,2})[\s\-/.]*([A-Za-z]{3,9})\.?,?[\s\-/.]*(\d{2}|\d{4})", value):
        return _make(_year(match[3]), _month(match[2], shown), int(match[1]), shown)
    if match := re.fullmatch(
        r"([A-Za-z]{3,9})\.?[\s\-/.]*(\d{1,2})(?:st|nd|rd|th)?,?[\s\-/.]+(\d{4})", value
    ):
        return _make(int(match[3]), _month(match[1], shown), int(match[2]), shown)
    match = re.fullmatch(r"(\d{1,4})\s*([\-/.])\s*(\d{1,2})\s*\2\s*(\d{1,4})", value)
    if not match:
        raise CellError(
            f"{shown!r} is not a date; write it as 2026-10-13 (or 13/10/2026 with --date-format dmy)"
        )
    a, b, c = match[1], match[3], match[4]
    if len(a) == 4 or (len(a) == 2 and order == "ymd" and len(c) <= 2):
        return _make(_year(a), int(b), int(c), shown)
    if len(a) > 2 or len(c) not in (2, 4):
        raise CellError(f"{shown!r} is not a date; write it as 2026-10-13")
    year = _year(c)
    readings: dict[str, date | CellError] = {}
    for name, (day, month) in (("dmy", (a, b)), ("mdy", (b, a))):
        try:
            readings[name] = _make(year, int(month), int(day), shown)
        except CellError as exc:
            readings[name] = exc
    if order in ("dmy", "mdy"):
        reading = readings[order]
        other = "mdy" if order == "dmy" else "dmy"
        if isinstance(reading, CellError) and isinstance(readings[other], date):
            first = "day" if other == "dmy" else "month"
            raise CellError(
                f"{reading.message}; does this sheet write the {first} first? then --date-format {other}"
            )
        if isinstance(reading, CellError):
            raise reading
        return reading
    good = {name: d for name, d in readings.items() if isinstance(d, date)}
    if len(set(good.values())) == 1:
        return next(iter(good.values()))
    if not good:  # neither reading is a date: explain the one a reader most likely meant
        failed = readings["dmy" if int(a) > 12 else "mdy"]
        raise failed if isinstance(failed, CellError) else CellError(f"{shown!r} is not a date")
    dmy, mdy = good["dmy"], good["mdy"]
    raise CellError(
        f"{shown!r} could be {dmy.day} {calendar.month_name[dmy.month]} {dmy.year} "
        f"(day first: --date-format dmy) or {calendar.month_name[mdy.month]} {mdy.day}, {mdy.year} "
        "(month first: --date-format mdy); say which with --date-format, or write dates year first "
        "(2026-10-13)"
    )


def parse_time(text: str) -> time | None:
    """A time of day alone: 9:30, 21:30, 9:30 PM, 오후 9:30, 午後9時30分, or an Excel fraction of a
    day (0.395833). None when the cell says the time is not known yet (TBC, TBD, ?, 미정, 未定)."""
    value = normal(text)
    if value.lower() in TO_CONFIRM:
        return None
    if re.fullmatch(r"0?\.\d+", value):
        minutes = round(float(value) * 24 * 60)
        if minutes >= 24 * 60:
            raise CellError(f"{text!r} is not a time of day")
        return time(minutes // 60, minutes % 60)
    marker, rest = _meridiem(value)
    rest = re.sub(r"(\d{1,2})\s*[時시]\s*(?:(\d{1,2})\s*[分분])?", _cjk_time, rest).strip()
    return _clock(rest, marker, original=text)


def is_to_confirm(text: str) -> bool:
    """Whether the cell says a time is not known yet (TBC, TBD, ?, 미정, 未定)."""
    return normal(text).lower() in TO_CONFIRM


def parse_bool(text: str) -> bool:
    """yes/no, y/n, true/false, 1/0, x, ✓, and the same words in Korean, Japanese and Chinese."""
    value = normal(text).lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise CellError(f"{text!r} is not yes or no; write yes or no (or leave the cell empty for no)")


def parse_number(text: str, *, money: bool = False) -> Decimal:
    """A positive amount: 1800, 1,800, 1 800, 1.800,50 (European), 1800.50. With `money`, 1.500
    is fifteen hundred (no price has three decimals); otherwise it is one and a half."""
    value = re.sub(r"[\s\u00a0\u202f']", "", normal(text))
    if money and re.fullmatch(r"\d{1,3}\.\d{3}", value):
        value = value.replace(".", "")
    if "," in value and "." in value:  # the later one is the decimal mark
        thousands = "," if value.rfind(",") < value.rfind(".") else "."
        value = value.replace(thousands, "")
        value = value.replace(",", ".")
    elif "," in value:
        # 1,800 or 1,800,000 (thousands); 1,5 or 12,50 (a decimal comma)
        value = (
            value.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", value) else value.replace(",", ".")
        )
    elif re.fullmatch(r"\d{1,3}(\.\d{3}){2,}", value):  # 1.800.000
        value = value.replace(".", "")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise CellError(f"{text!r} is not a number; write e.g. 1800 or 1,800.50") from None
    if not number.is_finite() or number <= 0:
        raise CellError(f"{text!r} must be a number above zero")
    return number


def parse_money(text: str, home_currency: str | None = None) -> tuple[Decimal, str]:
    """An amount with its currency: "1800 USD", "USD 1,800", "€1.500", or a number alone in the
    traveler's home currency. The currency as a three-letter code (ISO 4217)."""
    value = normal(text)
    code = None
    if match := re.fullmatch(r"([A-Za-z]{3})\s*(.+)|(.+?)\s*([A-Za-z]{3})", value):
        code = (match[1] or match[4]).upper()
        value = match[2] or match[3]
    else:
        for symbol in [*SYMBOLS, *SHARED_SYMBOLS]:
            if symbol in value:
                value = value.replace(symbol, "").strip()
                code = SYMBOLS.get(symbol) or _shared_symbol(symbol, home_currency, text)
                break
    code = code or (home_currency.upper() if home_currency else None)
    if code is None:
        raise CellError(
            f"{text!r} needs its currency: write e.g. 1800 USD (a three-letter currency code), "
            "or fill in home_currency"
        )
    return parse_number(value, money=True), code


def _shared_symbol(symbol: str, home: str | None, text: str) -> str:
    codes = SHARED_SYMBOLS[symbol]
    if home and home.upper() in codes:
        return home.upper()
    raise CellError(
        f"{text!r}: {symbol} is the sign of several currencies; write the code instead, "
        f"e.g. 1800 {sorted(codes)[-1]} (a three-letter currency code)"
    )


def split_list(text: str) -> list[str]:
    """The entries of a list cell, separated by ; (or line breaks in the cell)."""
    return [item.strip() for item in re.split(r"[;\n]", text) if item.strip()]


def ordinal(day: int) -> str:
    return f"{day}{ORDINAL.get(day, 'th')}"


def _make(year: int, month: int, day: int, shown: str) -> date:
    if not 1 <= month <= 12:
        raise CellError(f"{shown!r}: there is no month {month} (months go from 1 to 12)")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        if month == 2 and day == 29:
            raise CellError(f"{shown!r}: February {year} has no 29th ({year} is not a leap year)")
        raise CellError(f"{shown!r}: {name} has no {ordinal(day)}" if day > 0 else f"{shown!r}: no day 0")
    return date(year, month, day)


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) <= 2 else year


def _month(name: str, shown: str) -> int:
    month = MONTHS.get(name.lower().rstrip("."))
    if month is None:
        raise CellError(f"{shown!r}: {name!r} is not a month name")
    return month


def _serial(value: str) -> When | None:
    """An Excel serial number (days since 1899-12-30, the time as a fraction of a day)."""
    if not re.fullmatch(r"\d{5}(\.\d+)?", value):
        return None
    number = float(value)
    if not EXCEL_FIRST <= number <= EXCEL_LAST + 1:
        raise CellError(f"{value!r} is a number, not a date; write it as 2026-10-13")
    days = int(number)
    minutes = round((number - days) * 24 * 60)
    if minutes == 24 * 60:
        days, minutes = days + 1, 0
    day = EXCEL_EPOCH + timedelta(days=days)
    return When(day, time(minutes // 60, minutes % 60) if "." in value else None)


_MERIDIEM = re.compile(r"(?<![A-Za-z])([AaPp])\.?\s?[Mm]\.?(?=\s|$)|오전|오후|午前|午後|上午|下午")


def _meridiem(value: str) -> tuple[str | None, str]:
    """("am" or "pm" or None, the text without it)."""
    match = _MERIDIEM.search(value)
    if not match:
        return None, value
    word = match.group(0)
    marker = "pm" if word[0] in "Pp" or word in {"오후", "午後", "下午"} else "am"
    return marker, (value[: match.start()] + " " + value[match.end() :]).strip()


def _split(value: str, marker: str | None) -> tuple[str, str | None]:
    """(date, time or None): the time is the last part, after a T or a space; a time without
    minutes ("9") only beside AM or PM."""
    match = re.fullmatch(
        r"(.+?)[T\s]+(\d{1,2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?)?)\s*(Z|[+-]\d{2}:?\d{2})?", value
    )
    if not match or (":" not in match[2] and marker is None):
        return value, None
    if match[3] and match[3].replace(":", "") != "+0900":
        raise CellError(
            f"{value!r} has a time zone ({match[3]}); give Seoul local time without one, "
            "e.g. 2026-10-13 09:30"
        )
    return match[1].strip(), match[2]


def _cjk_time(match: re.Match[str]) -> str:
    return f"{match[1]}:{match[2] or '00'}"


def _clock(text: str, marker: str | None, *, original: str) -> time:
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?(?::(\d{2})(?:\.\d+)?)?", text.strip())
    if not match or (match[2] is None and marker is None):
        raise CellError(f"{original!r} is not a time; write it as 14:30 or 2:30 PM (Seoul time)")
    hour, minute = int(match[1]), int(match[2] or 0)
    if marker:
        if not 1 <= hour <= 12:
            raise CellError(f"{original!r}: with AM or PM the hour goes from 1 to 12")
        hour = hour % 12 + (12 if marker == "pm" else 0)
    if hour > 23 or minute > 59:
        raise CellError(f"{original!r} is not a time of day (00:00 to 23:59)")
    return time(hour, minute)
