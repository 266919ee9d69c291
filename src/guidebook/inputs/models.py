"""Input models: a traveler profile, an agency's clinics and its brand (formats in README)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from babel.numbers import is_currency
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# CSS named colours an agency is likely to use; anything else must be hex.
_COLOR_NAMES = """black white gray grey silver red maroon orange gold yellow olive lime green teal aqua
cyan blue navy purple fuchsia magenta pink brown coral crimson indigo ivory khaki lavender salmon
tomato turquoise violet darkblue darkgreen darkred steelblue slategray midnightblue royalblue
seagreen hotpink plum orchid"""
NAMED_COLORS = frozenset(_COLOR_NAMES.split())
# Dates a trip, rate or closure may have: anything else is a typo (0206, 20260) or a test value.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# Characters that must never be in a one-line field (a name, an id, a hotel): control characters
# (line breaks, tabs), line and paragraph separators, and the bidirectional controls that could
# make text read in another order than it is stored.
_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Strict(BaseModel):
    """Unknown keys are errors; surrounding whitespace is dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _currency(value: str) -> str:
    code = value.upper()
    if not re.fullmatch(r"[A-Z]{3}", code) or not is_currency(code):
        raise ValueError("not an ISO 4217 currency code such as USD, JPY, CNY, TWD or EUR")
    return code


def _color(value: str) -> str:
    if _HEX.match(value) or value.lower() in NAMED_COLORS:
        return value
    raise ValueError("a colour must be a hex code such as #0F6E8C or a CSS colour name such as navy")


def _font_name(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 \-]{0,63}", value):
        raise ValueError("a font family name may hold only letters, digits, spaces and hyphens")
    return value


def _https(value: str) -> str:
    if not re.fullmatch(r"https://[^\s<>\"'`\\]+", value):
        raise ValueError("must be an https:// link (QR codes only carry https links)")
    if any(unicodedata.category(ch) in {"Cf", "Cc", "Zs", "Zl", "Zp"} for ch in value):
        raise ValueError("has an invisible character (zero-width or direction mark) inside the link")
    return value


def _one_line(value: str) -> str:
    if found := _BREAKING.search(value):
        raise ValueError(
            f"has a line break or control character (U+{ord(found.group()):04X}); write it on one line"
        )
    return value


def _text_block(value: str) -> str:
    if found := _CONTROL.search(value):
        raise ValueError(f"has a control character (U+{ord(found.group()):04X})")
    return value


def _sane_date(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"the year {value.year} is not a real trip's; check the date")
    return value


def _seoul_time(value: datetime) -> datetime:
    if value.tzinfo is not None:
        raise ValueError("give Seoul local time without a time zone or offset, e.g. 2026-04-06T14:30")
    _sane_date(value.date())
    return value


def _country(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}", value.upper()):
        raise ValueError("must be an ISO 3166 two-letter country code such as US or JP")
    return value.upper()


def _language(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        raise ValueError("must be a BCP 47 language tag such as en, ja, zh-Hans or ko")
    return value


Currency = Annotated[str, AfterValidator(_currency)]
Color = Annotated[str, AfterValidator(_color)]
FontName = Annotated[str, AfterValidator(_font_name)]
HttpsUrl = Annotated[str, Field(max_length=500), AfterValidator(_https)]
Text = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_one_line)]
LongText = Annotated[str, Field(max_length=5000), AfterValidator(_text_block)]
SeoulTime = Annotated[datetime, AfterValidator(_seoul_time)]
TripDate = Annotated[date, AfterValidator(_sane_date)]
Phone = Annotated[str, Field(min_length=3, max_length=40, pattern=r"^[0-9+()\-. /]+$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]{0,63}$")]
BloodType = Literal["A+", "A-", "B+", "B-", "O+", "O-", "AB+", "AB-", "A", "B", "O", "AB"]


class EmergencyContact(Strict):
    name: Text
    relation: Text | None = None
    phone: Phone


class Medical(Strict):
    allergies: list[Text] = Field(default_factory=list, max_length=50)
    medications: list[Text] = Field(default_factory=list, max_length=50)
    blood_type: BloodType | None = None
    conditions: list[Text] = Field(default_factory=list, max_length=50)
    notes: LongText | None = None


class Traveler(Strict):
    name: Text
    language: Annotated[str, AfterValidator(_language)] = "en"
    home_currency: Currency | None = None
    email: Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    phone: Phone | None = None
    nationality: Annotated[str, AfterValidator(_country)] | None = None
    emergency_contact: EmergencyContact | None = None
    medical: Medical | None = None


class Hotel(Strict):
    name: Text
    address: Text | None = None
    address_ko: Text | None = None
    phone: Phone | None = None


class Trip(Strict):
    arrival: SeoulTime
    departure: SeoulTime
    flight_in: Text | None = None
    flight_out: Text | None = None
    hotel: Hotel | None = None
    interpreter: bool = False

    @model_validator(mode="after")
    def _stay(self) -> Trip:
        if self.departure <= self.arrival:
            raise ValueError("departure must come after arrival")
        if self.departure.date() == self.arrival.date():
            raise ValueError("the stay must be at least one night (departure on a later day)")
        if (self.departure - self.arrival).days > 366:
            raise ValueError("a stay longer than a year is not supported")
        return self


class TreatmentRequest(Strict):
    id: Text
    sessions: Annotated[int, Field(ge=1, le=20)] | None = None
    clinic: Text | None = None


class Budget(Strict):
    currency: Currency
    max: Annotated[Decimal, Field(gt=0, max_digits=14)]


class ExchangeRate(Strict):
    krw_per_unit: Annotated[Decimal, Field(gt=0, max_digits=14)]
    as_of: TripDate
    source: Text | None = None


class Profile(Strict):
    """One traveler: the main input of `guidebook build`."""

    traveler: Traveler
    trip: Trip
    treatments: list[TreatmentRequest] = Field(min_length=1, max_length=50)
    budget: Budget | None = None
    exchange_rate: ExchangeRate | None = None
    notes: LongText | None = None


def _hours_key(value: str) -> str:
    key = value.lower()
    parts = key.split("-")
    if key == "holidays" or (1 <= len(parts) <= 2 and all(p in WEEKDAYS for p in parts)):
        return key
    raise ValueError("a day is mon..sun, a range such as mon-fri, or 'holidays'")


def _hours_value(value: str) -> str:
    text = value.strip().lower()
    if text == "closed" or _HOURS.match(text.replace(" ", "")):
        return text.replace(" ", "")
    raise ValueError("opening hours are written HH:MM-HH:MM, or 'closed'")


HoursKey = Annotated[str, AfterValidator(_hours_key)]
HoursValue = Annotated[str, AfterValidator(_hours_value)]


class Clinic(Strict):
    id: Slug
    name: Text
    name_ko: Text | None = None
    type: Literal["chain", "boutique", "international"]
    district: Text | None = None
    address: Text
    address_ko: Text
    phone: Phone | None = None
    website: HttpsUrl | None = None
    languages: list[Annotated[str, AfterValidator(_language)]] = Field(default_factory=list)
    hours: dict[HoursKey, HoursValue] | None = None
    treatments: list[Text] = Field(default_factory=list)
    closed_dates: list[TripDate] = Field(default_factory=list)
    consultation_fee_krw: Annotated[int, Field(ge=0, le=10_000_000)] | None = None

    def closed_weekdays(self) -> set[int]:
        """Weekday numbers (Monday 0) the clinic says it is closed."""
        closed: set[int] = set()
        open_days: set[int] = set()
        for key, value in (self.hours or {}).items():
            if key != "holidays":
                (closed if value == "closed" else open_days).update(_weekdays(key))
        return closed - open_days

    def name_in(self, language: str) -> str:
        """The name a guide in `language` prints: the Korean one in a Korean guide."""
        return self.name_ko if language == "ko" and self.name_ko else self.name

    def opening(self, weekday: int) -> tuple[str, str] | None:
        """(open, close) times for a weekday, or None when not given or closed."""
        for key, value in (self.hours or {}).items():
            if key != "holidays" and value != "closed" and weekday in _weekdays(key):
                start, _, end = value.partition("-")
                return start, end
        return None


def _weekdays(key: str) -> set[int]:
    """The weekday numbers (Monday 0) of an hours key: "sat", "mon-fri", or "sat-mon"."""
    a, _, b = key.partition("-")
    lo, hi = WEEKDAYS.index(a), WEEKDAYS.index(b or a)
    return set(range(lo, hi + 1)) if lo <= hi else set(range(lo, 7)) | set(range(0, hi + 1))


class ClinicsFile(Strict):
    clinics: list[Clinic] = Field(max_length=500)
    closed_dates: list[TripDate] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> ClinicsFile:
        seen: set[str] = set()
        for clinic in self.clinics:
            if clinic.id in seen:
                raise ValueError(f"clinic id {clinic.id!r} is used twice")
            seen.add(clinic.id)
        return self


class Colors(Strict):
    primary: Color = "#0F6E8C"
    accent: Color = "#E8A0B4"


class Contact(Strict):
    phone: Phone | None = None
    email: Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    website: HttpsUrl | None = None
    messenger: Text | None = None


class Brand(Strict):
    agency: Text
    logo: Text | None = None
    colors: Colors = Field(default_factory=Colors)
    font: FontName | None = None
    font_files: list[Text] = Field(default_factory=list, max_length=8)
    contact: Contact | None = None
    footer: Text | None = None
    templates: Text | None = None
    white_label: bool = False
