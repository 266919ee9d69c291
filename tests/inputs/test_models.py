"""The input models (inputs/models.py): what a profile, a clinic and a brand may hold."""

from __future__ import annotations

import pytest
from helpers import GOOD_PROFILE, problems, write_file

from guidebook.inputs.load import load_brand, load_catalogue, load_clinics, load_profile


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.mark.parametrize(
    ("arrival", "departure", "message"),
    [
        ("2026-04-17T10:00", "2026-04-06T10:00", "departure must come after arrival"),
        ("2026-04-06T08:00", "2026-04-06T20:00", "at least one night"),
        ("2026-02-30T10:00", "2026-03-06T10:00", "not a valid date and time"),
        ("tomorrow", "2026-03-06T10:00", "not a valid date and time"),
    ],
)
def test_bad_dates(catalogue, tmp_path, arrival, departure, message):
    text = GOOD_PROFILE.replace("2026-04-06T14:30", arrival).replace("2026-04-17T19:10", departure)
    found = problems(lambda: load_profile(write_file(tmp_path, text), catalogue))
    assert any(message in p.message for p in found), found


def test_currency_must_be_iso_4217(catalogue, tmp_path):
    path = write_file(
        tmp_path, GOOD_PROFILE.replace("  name: Test Person", "  name: Test Person\n  home_currency: USX")
    )
    [p] = problems(lambda: load_profile(path, catalogue))
    assert p.location == "traveler.home_currency" and "ISO 4217" in p.message


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("primary", '"red;} body {display:none"', "hex code"),
        ("primary", '"#12345"', "hex code"),
    ],
)
def test_brand_colours_are_validated(tmp_path, field, value, message):
    path = write_file(tmp_path, f"agency: A\ncolors:\n  {field}: {value}\n", "brand.yaml")
    [p] = problems(lambda: load_brand(path))
    assert p.location == f"colors.{field}" and message in p.message


def test_clinic_hours_and_website_are_validated(catalogue, tmp_path):
    text = """\
clinics:
  - id: c1
    name: C
    type: boutique
    address: a
    address_ko: 서울
    website: http://insecure.example
    hours:
      weekdays: "10-19"
    treatments: [pico-lazer]
"""
    found = problems(lambda: load_clinics(write_file(tmp_path, text, "clinics.yaml"), catalogue))
    messages = {p.location: p.message for p in found}
    assert "https" in messages["clinics[0].website"]
    assert any(loc.startswith("clinics[0].hours") for loc in messages)


@pytest.mark.parametrize(
    ("hours", "closed", "saturday", "monday"),
    [
        (
            {"mon-fri": "10:00-19:00", "sat": "10:00-15:00", "sun": "closed"},
            {6},
            ("10:00", "15:00"),
            ("10:00", "19:00"),
        ),
        (
            {"sat-mon": "11:00-18:00", "tue-fri": "closed"},
            {1, 2, 3, 4},
            ("11:00", "18:00"),
            ("11:00", "18:00"),
        ),  # a range across Sunday
    ],
)
def test_clinic_hours(hours, closed, saturday, monday):
    from guidebook.inputs.models import Clinic

    clinic = Clinic(id="c", name="C", type="chain", address="a", address_ko="b", hours=hours)
    assert clinic.closed_weekdays() == closed
    assert clinic.opening(5) == saturday and clinic.opening(0) == monday


def test_a_korean_guide_prints_the_clinics_korean_name():
    from guidebook.inputs.models import Clinic

    named = Clinic(id="c", name="Glow", name_ko="글로우", type="chain", address="a", address_ko="b")
    unnamed = named.model_copy(update={"name_ko": None})
    assert (named.name_in("ko"), named.name_in("ja"), unnamed.name_in("ko")) == ("글로우", "Glow", "Glow")


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ({"weekdays": "10:00-19:00"}, "a day is mon..sun"),
        ({"mon": "10-19"}, "HH:MM-HH:MM"),
        ({"mon": "25:00-26:00"}, "HH:MM-HH:MM"),
    ],
)
def test_opening_hours_are_days_and_times(hours, message):
    from pydantic import ValidationError

    from guidebook.inputs.models import Clinic

    with pytest.raises(ValidationError, match=message):
        Clinic(id="c", name="C", type="chain", address="a", address_ko="b", hours=hours)


def test_codes_are_normalised_to_upper_case():
    from guidebook.inputs.models import Traveler

    traveler = Traveler(name="T", home_currency="usd", nationality="jp")
    assert (traveler.home_currency, traveler.nationality) == ("USD", "JP")


# -- values that cannot work are refused by validation, not by a crash later (issue 12) ----------

HOSTILE = [
    # (where in the profile, the YAML value, what the message says)
    ("arrival", "0001-04-06T14:30", "is not a real trip's"),
    ("arrival", "9999-04-06T14:30", "is not a real trip's"),
    ("arrival", "2026-04-06T14:30+09:00", "without a time zone or offset"),
    ("arrival", "2026-04-06T05:30Z", "without a time zone or offset"),
    ("name", '"Ann\\nSmith"', "line break or control character"),
    ("name", '"Ann\\tSmith"', "line break or control character"),
    ("name", '"Ann\\u202eSmith"', "U+202E"),  # right-to-left override
    ("name", '"Ann\\u2028Smith"', "line break"),
    ("name", '"Ann\\x07"', "control character"),
]


@pytest.mark.parametrize(("field", "value", "message"), HOSTILE)
def test_hostile_values_are_refused_with_their_place(catalogue, tmp_path, field, value, message):
    text = GOOD_PROFILE
    if field == "name":
        text = text.replace("name: Test Person", f"name: {value}")
    else:
        text = text.replace("2026-04-06T14:30", value)
    found = problems(lambda: load_profile(write_file(tmp_path, text), catalogue))
    assert any(message in p.message and p.line for p in found), found


@pytest.mark.parametrize(
    "website",
    ["https://example.com/\u200bclinic", "https://example.com/\u202eclinic", "https://exa\u2060mple.com"],
)
def test_invisible_characters_inside_a_link_are_refused(catalogue, tmp_path, website):
    text = (
        "clinics:\n  - id: c\n    name: C\n    type: boutique\n    address: A\n    address_ko: 서울\n"
        f'    website: "{website}"\n'
    )
    found = problems(lambda: load_clinics(write_file(tmp_path, text, "clinics.yaml"), catalogue))
    assert any("invisible character" in p.message for p in found), found


def test_notes_may_hold_line_breaks_but_not_control_characters(catalogue, tmp_path):
    ok = GOOD_PROFILE + 'notes: "line one\\nline two\\ttabbed"\n'
    assert load_profile(write_file(tmp_path, ok), catalogue).notes == "line one\nline two\ttabbed"
    bad = GOOD_PROFILE + 'notes: "bell\\x07"\n'
    found = problems(lambda: load_profile(write_file(tmp_path, bad), catalogue))
    assert any("control character" in p.message for p in found)


# --- agency texts per language, the hotel's Korean name (issue 13) ------------------------------


@pytest.mark.parametrize(
    ("given", "language", "shown"),
    [
        ("Call us 24/7.", "ja", "Call us 24/7."),  # one text: shown in every guide
        ({"en": "Call us", "ja": "お電話を"}, "ja", "お電話を"),
        ({"en": "Call us", "ja": "お電話を"}, "ko", "Call us"),  # no Korean given: the English
        ({"en": "Call us", "zh-Hant": "請來電"}, "zh-Hans", "請來電"),  # the other Chinese script first
        ({"ko": "전화 주세요", "ja": "お電話を"}, "en", "전화 주세요"),  # no English either: the first
        (None, "en", None),
    ],
)
def test_an_agency_text_is_shown_in_the_guides_language(given, language, shown):
    from guidebook.inputs.models import localized

    assert localized(given, language) == shown


def test_a_brand_gives_its_footer_and_messenger_per_language(tmp_path):
    path = write_file(
        tmp_path,
        "agency: Bloom\nfooter: {en: We answer 24/7., ja: 24時間対応します。, zh-TW: 全天候服務。}\n"
        "contact: {messenger: {en: KakaoTalk bloom, ja: LINE bloom}}\n",
        "brand.yaml",
    )
    brand = load_brand(path).brand
    assert brand.footer == {"en": "We answer 24/7.", "ja": "24時間対応します。", "zh-Hant": "全天候服務。"}
    assert brand.contact is not None and brand.contact.messenger == {
        "en": "KakaoTalk bloom",
        "ja": "LINE bloom",
    }


@pytest.mark.parametrize(
    ("footer", "location", "message"),
    [
        ("{fr: Bonjour}", "footer", "unsupported language 'fr'"),
        ("{en: ''}", "footer.en", "at least 1 character"),
        ("[a, b]", "footer", "one per language such as {en: ..., ja: ...}"),
        ("{zh-TW: a, zh-Hant: b}", "footer", "given twice"),
    ],
)
def test_a_footer_per_language_is_checked_once_with_plain_locations(tmp_path, footer, location, message):
    path = write_file(tmp_path, f"agency: Bloom\nfooter: {footer}\n", "brand.yaml")
    [p] = problems(lambda: load_brand(path))
    assert p.location == location and message in p.message


def test_a_hotel_may_have_its_korean_name(catalogue, tmp_path):
    text = GOOD_PROFILE.replace(
        "  departure: 2026-04-17T19:10",
        "  departure: 2026-04-17T19:10\n  hotel: {name: Lantern Hotel, name_ko: 명동 랜턴 호텔}",
    )
    hotel = load_profile(write_file(tmp_path, text), catalogue).trip.hotel
    assert hotel is not None and hotel.name_ko == "명동 랜턴 호텔"
    assert (hotel.name_in("ko"), hotel.name_in("en"), hotel.name_in("ja")) == (
        "명동 랜턴 호텔",
        "Lantern Hotel",
        "Lantern Hotel",
    )


@pytest.mark.parametrize(
    ("trip", "location"),
    [
        ("  arrival: 2026-04-06\n  departure: 2026-04-17T19:10\n", "trip.arrival"),
        ("  arrival: '2026-04-06'\n  departure: 2026-04-17T19:10\n", "trip.arrival"),
        ("  arrival: 2026-04-06T14:30\n  departure: 2026-04-17\n", "trip.departure"),
    ],
)
def test_a_date_without_a_time_is_never_midnight(catalogue, tmp_path, trip, location):
    text = GOOD_PROFILE.replace("  arrival: 2026-04-06T14:30\n  departure: 2026-04-17T19:10\n", trip)
    [p] = problems(lambda: load_profile(write_file(tmp_path, text), catalogue))
    assert p.location == location and p.message.startswith("has a date but no time")
    assert "arrival_time_tbc: true" in p.message and "time to be confirmed" in p.message


def test_a_time_to_be_confirmed_takes_a_date_alone(catalogue, tmp_path):
    text = GOOD_PROFILE.replace(
        "  arrival: 2026-04-06T14:30\n", "  arrival: 2026-04-06\n  arrival_time_tbc: true\n"
    )
    trip = load_profile(write_file(tmp_path, text), catalogue).trip
    assert trip.arrival_time_tbc and trip.arrival.date().isoformat() == "2026-04-06"
    assert not trip.departure_time_tbc and trip.departure.hour == 19


@pytest.mark.parametrize(
    ("line", "location", "plain", "standard"),
    [
        (
            "  home_currency: USX",
            "traveler.home_currency",
            "write the three letters of the currency",
            "ISO 4217",
        ),
        ("  nationality: USA", "traveler.nationality", "a two-letter country code such as US", "ISO 3166"),
        ("  language: en_US!", "traveler.language", "a language code such as en, ja", "BCP 47"),
    ],
)
def test_standards_are_named_beside_plain_words(catalogue, tmp_path, line, location, plain, standard):
    path = write_file(tmp_path, GOOD_PROFILE.replace("  name: Test Person", f"  name: Test Person\n{line}"))
    [p] = problems(lambda: load_profile(path, catalogue))
    assert p.location == location and plain in p.message and standard in p.message
    assert p.message.index(plain) < p.message.index(standard)


def test_every_field_of_the_input_files_has_a_description_for_editors():
    from pydantic import BaseModel

    from guidebook.inputs import models

    # Fields being changed by another engineer as this was written (Brand.footer and
    # Contact.messenger became texts per language, Hotel.name_ko is new): theirs to describe.
    pending = {("Brand", "footer"), ("Contact", "messenger"), ("Hotel", "name_ko")}
    missing = [
        (cls.__name__, name)
        for cls in vars(models).values()
        if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == models.__name__
        for name, info in cls.model_fields.items()
        if not info.description and (cls.__name__, name) not in pending
    ]
    assert not missing
    schema = models.Profile.model_json_schema()
    arrival = schema["$defs"]["Trip"]["properties"]["arrival"]
    assert arrival["description"] and "format" not in arrival and arrival["pattern"]


def test_the_profile_schema_accepts_every_sample_profile_as_an_editor_reads_it():
    """The YAML language server reads `arrival: 2026-09-19T15:20` as a string (YAML 1.2 has no
    timestamps), which `format: date-time` refused (it wants seconds and an offset)."""
    from datetime import date

    import jsonschema
    from helpers import SAMPLES

    from guidebook.inputs.models import Profile
    from guidebook.inputs.yaml import plain, read_yaml

    def as_editor_reads(value):  # noqa: ANN001, ANN202
        if isinstance(value, dict):
            return {k: as_editor_reads(v) for k, v in value.items()}
        if isinstance(value, list):
            return [as_editor_reads(v) for v in value]
        return value.isoformat() if isinstance(value, date) else value

    validator = jsonschema.Draft202012Validator(
        Profile.model_json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    profiles = [*SAMPLES.glob("traveler*.yaml"), SAMPLES / "profiles" / "tanaka.yaml"]
    assert len(profiles) >= 5
    for path in profiles:
        errors = [e.message for e in validator.iter_errors(as_editor_reads(plain(read_yaml(path))))]
        assert not errors, (path, errors)
    wrong = as_editor_reads(plain(read_yaml(SAMPLES / "traveler.yaml")))
    wrong["trip"]["arrival"] = "19/09/2026"
    assert not validator.is_valid(wrong)
