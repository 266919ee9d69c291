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
