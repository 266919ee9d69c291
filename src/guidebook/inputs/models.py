"""Input models: a traveler profile, an agency's clinics and its brand (formats in README)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, Literal

from babel.numbers import is_currency
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    model_validator,
)

from ..i18n import UnsupportedLanguage, resolve_language

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
        raise ValueError(
            "not a currency code: write the three letters of the currency, such as USD, JPY, CNY, "
            "TWD or EUR (ISO 4217)"
        )
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


# A date without a time (2026-04-06): refused for arrival and departure, where it would be midnight.
_DATE_ONLY = re.compile(r"\s*\d{4}-\d{2}-\d{2}\s*")
# Seoul local time as the profile gives it: a date and a time, to the minute (seconds allowed), no
# offset; a date alone only with arrival_time_tbc / departure_time_tbc.
SEOUL_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$"


def _date_only(value: object) -> bool:
    if isinstance(value, str):
        return bool(_DATE_ONLY.fullmatch(value))
    return isinstance(value, date) and not isinstance(value, datetime)


def _with_time(value: object) -> object:
    if _date_only(value):
        raise ValueError(
            "has a date but no time; write the time too, e.g. 2026-04-06T14:30 (Seoul time), or if "
            "it is not known yet add arrival_time_tbc: true (departure_time_tbc for the departure): "
            'the guide then says "time to be confirmed"'
        )
    return value


def _seoul_time(value: datetime) -> datetime:
    if value.tzinfo is not None:
        raise ValueError("give Seoul local time without a time zone or offset, e.g. 2026-04-06T14:30")
    _sane_date(value.date())
    return value


def _country(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}", value.upper()):
        raise ValueError("must be a two-letter country code such as US, JP, CN or TW (ISO 3166)")
    return value.upper()


def _language(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        raise ValueError("must be a language code such as en, ja, zh-Hans or ko (a BCP 47 tag)")
    return value


def _by_language(value: dict[str, str]) -> dict[str, str]:
    """An agency text per guide language ({en: ..., ja: ...}), keyed by the guide's own tags."""
    texts: dict[str, str] = {}
    for tag, text in value.items():
        try:
            language = resolve_language(tag)
        except UnsupportedLanguage as exc:
            raise ValueError(str(exc)) from None
        if language in texts:
            raise ValueError(f"the {language} text is given twice")
        texts[language] = text
    if not texts:
        raise ValueError("give the text, or the text in at least one language")
    return texts


# A guide language's other script, tried before English (a Traditional Chinese reader reads
# Simplified Chinese better than English, and the other way round).
_SIBLING = {"zh-Hans": "zh-Hant", "zh-Hant": "zh-Hans"}


def localized(value: str | Mapping[str, str] | None, language: str) -> str | None:
    """The text an agency gave (one text, or one per language) for a guide in `language`: its
    own, else the other Chinese script's, else the English, else the first given. An English
    text shows in a Japanese guide only when no Japanese one is given."""
    if value is None or isinstance(value, str):
        return value
    for key in (language, _SIBLING.get(language, language), "en"):
        if key in value:
            return value[key]
    return next(iter(value.values()), None)


Currency = Annotated[str, AfterValidator(_currency)]
Color = Annotated[str, AfterValidator(_color)]
FontName = Annotated[str, AfterValidator(_font_name)]
HttpsUrl = Annotated[str, Field(max_length=500), AfterValidator(_https)]
Text = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_one_line)]
LongText = Annotated[str, Field(max_length=5000), AfterValidator(_text_block)]
SeoulTime = Annotated[
    datetime,
    BeforeValidator(_with_time),
    AfterValidator(_seoul_time),
    WithJsonSchema({"type": "string", "pattern": SEOUL_TIME_PATTERN, "examples": ["2026-04-06T14:30"]}),
]
# One text, or one per guide language ({en: ..., ja: ...}); only the branch the value's type
# picks is validated, so a problem is reported once. The tags hold "[" so that problem locations
# leave them out, as they leave out pydantic's own "function-after[...]" steps (inputs/yaml.py).
LocalText = Annotated[
    Annotated[Text, Tag("text[one]")]
    | Annotated[
        dict[str, Text], Field(max_length=10), AfterValidator(_by_language), Tag("text[by language]")
    ],
    Discriminator(
        lambda v: "text[by language]" if isinstance(v, dict) else "text[one]" if isinstance(v, str) else None,
        custom_error_type="local_text",
        custom_error_message="give one line of text, or one per language such as {en: ..., ja: ...}",
    ),
]
TripDate = Annotated[date, AfterValidator(_sane_date)]
Phone = Annotated[str, Field(min_length=3, max_length=40, pattern=r"^[0-9+()\-. /]+$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]{0,63}$")]
BloodType = Literal["A+", "A-", "B+", "B-", "O+", "O-", "AB+", "AB-", "A", "B", "O", "AB"]


class EmergencyContact(Strict):
    name: Text = Field(description="Who to call in an emergency.")
    relation: Text | None = Field(
        default=None, description="Who they are to the traveler, e.g. husband, mother, friend."
    )
    phone: Phone = Field(description="Their phone number with the country code, e.g. +1 206 555 0188.")


class Medical(Strict):
    allergies: list[Text] = Field(
        default_factory=list,
        max_length=50,
        description="Allergies, one per entry (lidocaine, latex): on the medical card in Korean.",
    )
    medications: list[Text] = Field(
        default_factory=list,
        max_length=50,
        description="Medicines taken, one per entry; some treatments need a pause (e.g. isotretinoin).",
    )
    blood_type: BloodType | None = Field(
        default=None, description="Blood type: A, B, O or AB, with + or - when known."
    )
    conditions: list[Text] = Field(
        default_factory=list,
        max_length=50,
        description="Medical or skin conditions, one per entry (e.g. melasma, keloids).",
    )
    notes: LongText | None = Field(
        default=None, description="Anything else a clinic should know, printed on the medical card."
    )


class Traveler(Strict):
    name: Text = Field(description="The traveler's name as printed on the guide.")
    language: Annotated[str, AfterValidator(_language)] = Field(
        default="en",
        description="The guide's language: en, ja, zh-Hans, zh-Hant or ko (zh, zh-TW, ja-JP understood).",
    )
    home_currency: Currency | None = Field(
        default=None,
        description="The traveler's currency, a three-letter code (USD, JPY, EUR): costs are shown in it.",
    )
    email: Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = Field(
        default=None, description="The traveler's email."
    )
    phone: Phone | None = Field(default=None, description="The traveler's phone with the country code.")
    nationality: Annotated[str, AfterValidator(_country)] | None = Field(
        default=None, description="The traveler's country as a two-letter code (US, JP, CN, TW)."
    )
    emergency_contact: EmergencyContact | None = Field(
        default=None, description="Who to call in an emergency."
    )
    medical: Medical | None = Field(
        default=None,
        description="Allergies, medicines, blood type, conditions: the medical card and cautions.",
    )


class Hotel(Strict):
    name: Text = Field(description="The hotel's name.")
    name_ko: Text | None = Field(
        default=None, description="The hotel's name in Korean: the main line of the taxi card."
    )
    address: Text | None = Field(default=None, description="The hotel's address in English.")
    address_ko: Text | None = Field(
        default=None, description="The hotel's address in Korean, printed on the taxi card."
    )
    phone: Phone | None = Field(default=None, description="The hotel's phone.")

    def name_in(self, language: str) -> str:
        """The name a guide in `language` prints: the Korean one in a Korean guide."""
        return self.name_ko if language == "ko" and self.name_ko else self.name


class Trip(Strict):
    arrival: SeoulTime = Field(description="Landing in Seoul, Seoul local time: 2026-04-06T14:30.")
    departure: SeoulTime = Field(description="The flight home, Seoul local time: 2026-04-17T19:10.")
    flight_in: Text | None = Field(default=None, description="The flight number to Seoul, e.g. OZ271.")
    flight_out: Text | None = Field(default=None, description="The flight number home, e.g. OZ272.")
    hotel: Hotel | None = Field(
        default=None, description="Where the traveler stays: name, addresses in English and Korean, phone."
    )
    interpreter: bool = Field(
        default=False, description="true when the traveler wants a medical interpreter."
    )
    arrival_time_tbc: bool = Field(
        default=False,
        description='true when the arrival time is not known yet: the guide says "time to be confirmed".',
    )
    departure_time_tbc: bool = Field(
        default=False,
        description='true when the departure time is not known yet: the guide says "time to be confirmed".',
    )

    @model_validator(mode="before")
    @classmethod
    def _times_to_confirm(cls, data: Any) -> Any:
        """With arrival_time_tbc (or departure_time_tbc), a date alone stands: the guide prints
        "time to be confirmed", never a made-up time."""
        if isinstance(data, dict):
            for key in ("arrival", "departure"):
                value = data.get(key)
                if data.get(f"{key}_time_tbc") is True and _date_only(value):
                    day = date.fromisoformat(value.strip()) if isinstance(value, str) else value
                    if isinstance(day, date):
                        data = {**data, key: datetime.combine(day, time())}
        return data

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
    id: Text = Field(description="A treatment by catalogue id (pico-laser) or name (Rejuran Healer).")
    sessions: Annotated[int, Field(ge=1, le=20)] | None = Field(
        default=None, description="How many sessions were booked (default: the catalogue's usual number)."
    )
    clinic: Text | None = Field(
        default=None, description="The id of the clinic in the clinics file that does it."
    )


class Budget(Strict):
    currency: Currency = Field(description="The budget's currency as a three-letter code (USD, JPY, EUR).")
    max: Annotated[Decimal, Field(gt=0, max_digits=14)] = Field(
        description="The most the traveler wants to spend, in that currency."
    )


class ExchangeRate(Strict):
    krw_per_unit: Annotated[Decimal, Field(gt=0, max_digits=14)] = Field(
        description="Korean won for one unit of the home currency, e.g. 1385 for USD."
    )
    as_of: TripDate = Field(description="The day the rate was checked: 2026-09-01.")
    source: Text | None = Field(default=None, description="Where the rate comes from, printed beside it.")


class Profile(Strict):
    """One traveler: the main input of `guidebook build`."""

    traveler: Traveler = Field(
        description="Who travels: name, language, currency, contacts and medical details."
    )
    trip: Trip = Field(description="When and where: arrival and departure (Seoul time), flights, hotel.")
    treatments: list[TreatmentRequest] = Field(
        min_length=1,
        max_length=50,
        description="The treatments booked, in any order: the planner spaces the sessions.",
    )
    budget: Budget | None = Field(default=None, description="The most the traveler wants to spend.")
    exchange_rate: ExchangeRate | None = Field(
        default=None, description="The rate to show costs in the home currency."
    )
    notes: LongText | None = Field(default=None, description="Anything else, printed on the first page.")


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
    id: Slug = Field(
        description="A short id used in profiles and bookings: lowercase letters, digits and hyphens."
    )
    name: Text = Field(description="The clinic's name in English.")
    name_ko: Text | None = Field(default=None, description="The clinic's name in Korean.")
    type: Literal["chain", "boutique", "international"] = Field(
        description="chain, boutique or international."
    )
    district: Text | None = Field(default=None, description="The district, e.g. Gangnam or Myeongdong.")
    address: Text = Field(description="The address in English.")
    address_ko: Text = Field(description="The address in Korean, printed on the taxi card.")
    phone: Phone | None = Field(default=None, description="The clinic's phone.")
    website: HttpsUrl | None = Field(
        default=None, description="The clinic's https:// website (printed as a QR code)."
    )
    languages: list[Annotated[str, AfterValidator(_language)]] = Field(
        default_factory=list, description="Languages the staff speak: en, ja, zh-Hans, zh-Hant, ko."
    )
    hours: dict[HoursKey, HoursValue] | None = Field(
        default=None,
        description='Opening hours by day: mon-fri: "10:00-19:00", sun: closed, holidays: closed.',
    )
    treatments: list[Text] = Field(
        default_factory=list, description="The treatments it offers (catalogue ids or names); empty: all."
    )
    closed_dates: list[TripDate] = Field(
        default_factory=list, description="Days it is closed besides its hours: 2026-09-24."
    )
    consultation_fee_krw: Annotated[int, Field(ge=0, le=10_000_000)] | None = Field(
        default=None, description="Its consultation fee in won."
    )

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
    clinics: list[Clinic] = Field(max_length=500, description="The agency's clinics.")
    closed_dates: list[TripDate] = Field(
        default_factory=list, description="Days every clinic is closed (holidays declared at short notice)."
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> ClinicsFile:
        seen: set[str] = set()
        for clinic in self.clinics:
            if clinic.id in seen:
                raise ValueError(f"clinic id {clinic.id!r} is used twice")
            seen.add(clinic.id)
        return self


class Colors(Strict):
    primary: Color = Field(
        default="#0F6E8C", description="The main colour: a hex code (#1F5F74) or a CSS colour name."
    )
    accent: Color = Field(
        default="#E8A0B4", description="The second colour: a hex code (#E9A8B9) or a CSS colour name."
    )


class Contact(Strict):
    phone: Phone | None = Field(
        default=None, description="The agency's phone, printed on every page's help box."
    )
    email: Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = Field(
        default=None, description="The agency's email."
    )
    website: HttpsUrl | None = Field(default=None, description="The agency's https:// website.")
    messenger: LocalText | None = Field(
        default=None,
        description="A messenger account (KakaoTalk): one text, or one per language {en: ..., ja: ...}.",
    )


class Brand(Strict):
    agency: Text = Field(description="The agency's name.")
    logo: Text | None = Field(default=None, description="An SVG or PNG file beside the brand file.")
    colors: Colors = Field(default_factory=Colors, description="The guide's two colours.")
    font: FontName | None = Field(
        default=None,
        description="An installed font family (`fc-list` lists them), or the family of font_files.",
    )
    font_files: list[Text] = Field(
        default_factory=list,
        max_length=8,
        description="Font files (.ttf, .otf, .woff2) beside the brand file, for a font not installed.",
    )
    contact: Contact | None = Field(default=None, description="How travelers reach the agency.")
    footer: LocalText | None = Field(
        default=None,
        description="A line at the foot of every page: one text, or one per language {en: ..., ja: ...} "
        "(a guide shows its own language's, else English).",
    )
    templates: Text | None = Field(
        default=None,
        description="A theme folder (templates/, styles/) beside the brand file, over the built-in one.",
    )
    white_label: bool = Field(
        default=False, description="true to leave out the agency's name, logo and contact."
    )
