"""Input validation: every problem at once, with file, line and field, in plain words."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import load

from guidebook.errors import InputError
from guidebook.inputs.load import load_brand, load_catalogue, load_clinics, load_profile

SAMPLES = Path(__file__).parents[1] / "samples"
SPEC = Path(__file__).parents[2] / "shared" / "spec"

GOOD = """\
traveler:
  name: Test Person
trip:
  arrival: 2026-04-06T14:30
  departure: 2026-04-17T19:10
treatments:
  - id: pico-laser
"""


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def write(tmp_path: Path, text: str, name: str = "profile.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(call) -> list:
    with pytest.raises(InputError) as info:
        call()
    return info.value.problems


def test_samples_load(catalogue):
    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml",
                         brand=SAMPLES / "brand.yaml")
    assert inputs.profile.traveler.name == "Olivia Park-Martin"
    # "Rejuran Healer" (a display name) became the catalogue id
    assert [t.id for t in inputs.profile.treatments][:2] == ["pico-laser", "rejuran-healer"]
    assert inputs.brand and inputs.brand.logo and inputs.brand.logo.name == "logo.svg"


@pytest.mark.skipif(not SPEC.is_dir(), reason="the shared spec folder is not beside the project")
def test_spec_examples_are_accepted(catalogue, tmp_path):
    clinics = load_clinics(SPEC / "clinics.example.yaml", catalogue)
    profile = load_profile(SPEC / "profile.example.yaml", catalogue, clinics)
    assert profile.treatments[0].clinic == "glow-derm-apgujeong"
    brand_text = (SPEC / "brand.example.yaml").read_text().replace("logo: logo.svg", "logo: null")
    assert load_brand(write(tmp_path, brand_text, "brand.yaml")).brand.agency


def test_unknown_key_names_closest_known_key_and_line(catalogue, tmp_path):
    path = write(tmp_path, GOOD.replace("  name: Test Person", "  name: Test Person\n  emial: a@b.c"))
    [p] = problems(lambda: load_profile(path, catalogue))
    assert p.location == "traveler.emial"
    assert p.line == 3
    assert "did you mean 'email'" in p.message
    assert str(path) in str(p)


@pytest.mark.parametrize(("given", "suggestion"), [
    ("rejuran-heeler", "rejuran-healer"),
    ("Pico Lazer", "pico-laser"),
    ("hydrafacal", "hydrafacial"),
])
def test_treatment_typo_gets_did_you_mean(catalogue, tmp_path, given, suggestion):
    path = write(tmp_path, GOOD.replace("id: pico-laser", f"id: {given}"))
    [p] = problems(lambda: load_profile(path, catalogue))
    assert p.location == "treatments[0].id"
    assert p.line == 7
    assert f"did you mean {suggestion!r}" in p.message
    assert p.value == given


@pytest.mark.parametrize("name", ["Rejuran Healer", "PICO LASER", "Fraxel", "aqua peel"])
def test_display_names_and_aliases_are_accepted(catalogue, tmp_path, name):
    path = write(tmp_path, GOOD.replace("id: pico-laser", f"id: {name}"))
    profile = load_profile(path, catalogue)
    assert catalogue.resolve(name).id == profile.treatments[0].id


@pytest.mark.parametrize(("arrival", "departure", "message"), [
    ("2026-04-17T10:00", "2026-04-06T10:00", "departure must come after arrival"),
    ("2026-04-06T08:00", "2026-04-06T20:00", "at least one night"),
    ("2026-02-30T10:00", "2026-03-06T10:00", "not a valid date and time"),
    ("tomorrow", "2026-03-06T10:00", "not a valid date and time"),
])
def test_bad_dates(catalogue, tmp_path, arrival, departure, message):
    text = GOOD.replace("2026-04-06T14:30", arrival).replace("2026-04-17T19:10", departure)
    found = problems(lambda: load_profile(write(tmp_path, text), catalogue))
    assert any(message in p.message for p in found), found


def test_currency_must_be_iso_4217(catalogue, tmp_path):
    path = write(tmp_path, GOOD.replace("  name: Test Person", "  name: Test Person\n  home_currency: USX"))
    [p] = problems(lambda: load_profile(path, catalogue))
    assert p.location == "traveler.home_currency" and "ISO 4217" in p.message


def test_every_problem_is_reported_at_once(catalogue, tmp_path):
    text = """\
traveler:
  nmae: X
trip:
  arrival: 2026-04-06T14:30
  departure: 2026-04-17T19:10
treatments:
  - id: pico-laser
    sesions: 2
budget:
  currency: usd
  max: -5
"""
    found = problems(lambda: load_profile(write(tmp_path, text), catalogue))
    locations = {p.location for p in found}
    assert {"traveler.nmae", "traveler.name", "treatments[0].sesions", "budget.max"} <= locations
    assert next(p for p in found if p.location == "traveler.nmae").line == 2
    assert next(p for p in found if p.location == "treatments[0].sesions").line == 8


def test_yaml_syntax_error_has_a_line(catalogue, tmp_path):
    path = write(tmp_path, GOOD + "notes: [unclosed\n")
    [p] = problems(lambda: load_profile(path, catalogue))
    assert "YAML syntax" in p.message and p.line is not None


def test_unknown_clinic_and_clinic_without_treatment(catalogue, tmp_path):
    clinics = load_clinics(SAMPLES / "clinics.yaml", catalogue)
    text = GOOD.replace("  - id: pico-laser", "  - id: pico-laser\n    clinic: nowhere\n"
                        "  - id: hydrafacial\n    clinic: haneul-skin-sinsa")
    found = problems(lambda: load_profile(write(tmp_path, text), catalogue, clinics))
    assert [p.location for p in found] == ["treatments[0].clinic", "treatments[1].clinic"]
    assert "no clinic with this id" in found[0].message
    assert "does not offer Hydrafacial" in found[1].message


@pytest.mark.parametrize(("field", "value", "message"), [
    ("primary", '"red;} body {display:none"', "hex code"),
    ("primary", '"#12345"', "hex code"),
])
def test_brand_colours_are_validated(tmp_path, field, value, message):
    path = write(tmp_path, f"agency: A\ncolors:\n  {field}: {value}\n", "brand.yaml")
    [p] = problems(lambda: load_brand(path))
    assert p.location == f"colors.{field}" and message in p.message


def test_brand_logo_must_exist_and_be_an_image(tmp_path):
    (tmp_path / "logo.png").write_text("not a png")
    path = write(tmp_path, "agency: A\nlogo: logo.png\n", "brand.yaml")
    [p] = problems(lambda: load_brand(path))
    assert p.location == "logo" and "not a valid PNG" in p.message
    path = write(tmp_path, "agency: A\nlogo: ../../etc/passwd.svg\n", "brand.yaml")
    [p] = problems(lambda: load_brand(path))
    assert "inside the brand file's folder" in p.message


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
    found = problems(lambda: load_clinics(write(tmp_path, text, "clinics.yaml"), catalogue))
    messages = {p.location: p.message for p in found}
    assert "https" in messages["clinics[0].website"]
    assert any(loc.startswith("clinics[0].hours") for loc in messages)


@pytest.mark.parametrize(("hours", "closed", "saturday", "monday"), [
    ({"mon-fri": "10:00-19:00", "sat": "10:00-15:00", "sun": "closed"}, {6},
     ("10:00", "15:00"), ("10:00", "19:00")),
    ({"sat-mon": "11:00-18:00", "tue-fri": "closed"}, {1, 2, 3, 4},
     ("11:00", "18:00"), ("11:00", "18:00")),  # a range across Sunday
])
def test_clinic_hours(hours, closed, saturday, monday):
    from guidebook.inputs.models import Clinic

    clinic = Clinic(id="c", name="C", type="chain", address="a", address_ko="b", hours=hours)
    assert clinic.closed_weekdays() == closed
    assert clinic.opening(5) == saturday and clinic.opening(0) == monday


def test_a_bad_brand_does_not_hide_problems_in_the_profile(tmp_path):
    brand = write(tmp_path, "agency: A\ncolors:\n  primary: nope\n", "brand.yaml")
    profile = write(tmp_path, GOOD.replace("  - id: pico-laser", "  - id: pico-laser\n    clinic: nowhere"))
    with pytest.raises(InputError) as info:
        load(profile, clinics=SAMPLES / "clinics.yaml", brand=brand)
    assert [p.location for p in info.value.problems] == ["colors.primary", "treatments[0].clinic"]
