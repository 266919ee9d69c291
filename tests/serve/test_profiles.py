"""A profile from a request (serve/profiles.py): JSON validated by the library's own loader, with
the messages `validate` gives; the trip form's fields as a profile, its problems by field."""

from __future__ import annotations

import json

import pytest
from helpers import SAMPLES, problems, sample_profile_json, write_file
from starlette.datastructures import FormData

from guidebook.guide import load_shared
from guidebook.inputs.load import load_profile
from guidebook.options import GuideOptions
from guidebook.serve.profiles import (
    MAX_JSON_DEPTH,
    TripForm,
    field_of,
    inputs_from_data,
    parse_json,
    sample_profile,
)


@pytest.fixture(scope="module")
def shared():
    return load_shared(GuideOptions(clinics=SAMPLES / "clinics.yaml"))


def test_the_sample_traveler_as_json_is_the_same_profile_as_her_yaml_file(shared):
    inputs = inputs_from_data(sample_profile_json(), shared)
    from_file = load_profile(SAMPLES / "traveler.yaml", shared.catalogue, shared.clinics)
    assert inputs.profile == from_file and inputs.shared is shared


def test_json_problems_are_the_loaders_own_located_by_field(shared, tmp_path):
    data = {
        "traveler": {"nmae": "x"},
        "trip": {"arrival": "2026-02-30T10:00", "departure": "2026-03-04T18:00"},
        "treatments": [{"id": "rejuran-heeler"}],
    }
    found = [str(p) for p in problems(lambda: inputs_from_data(data, shared))]
    assert "profile: traveler.nmae: unknown key 'nmae'; did you mean 'name'? (given: 'x')" in found
    assert "profile: traveler.name: is required but missing" in found
    assert any(p.startswith("profile: trip.arrival: not a valid date") for p in found)
    assert (
        "profile: treatments[0].id: unknown treatment; did you mean 'rejuran-healer'? "
        "(given: 'rejuran-heeler')" in found
    )
    # the same messages as the YAML file gives, without its line numbers
    text = "traveler:\n  nmae: x\ntrip:\n  arrival: 2026-02-30T10:00\n  departure: 2026-03-04T18:00\n"
    text += "treatments:\n  - id: rejuran-heeler\n"
    path = write_file(tmp_path, text)
    from_yaml = problems(lambda: load_profile(path, shared.catalogue, shared.clinics))
    assert {(p.location, p.message) for p in from_yaml} == {
        (p.location, p.message) for p in problems(lambda: inputs_from_data(data, shared))
    }


def test_not_an_object_is_a_problem(shared):
    assert [p.message for p in problems(lambda: inputs_from_data([1, 2], shared))] == [
        "expected a JSON object of keys to values"
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe\x00", "not JSON (not UTF-8 text)"),
        (b"[" * (MAX_JSON_DEPTH + 5) + b"]" * (MAX_JSON_DEPTH + 5), "nested too deeply"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_a_body_that_is_not_json_or_nests_too_deep_is_one_problem(body, message):
    [problem] = problems(lambda: parse_json(body))
    assert problem.file == "profile" and problem.message.startswith(message)


def test_a_json_body_with_a_byte_order_mark_is_read():
    assert parse_json(b"\xef\xbb\xbf" + json.dumps({"a": 1}).encode()) == {"a": 1}


def form(**fields: str | list[str]) -> FormData:
    items = []
    for key, value in fields.items():
        for v in value if isinstance(value, list) else [value]:
            items.append((key, v))
    return FormData(items)


IDS = ["pico-laser", "aqua-peel", "rejuran-healer"]


def test_the_trip_form_as_a_profile(shared):
    posted = form(
        name=" Kim Minji ",
        language="ko",
        arrival_date="2026-09-19",
        arrival_time="15:20",
        departure_date="2026-09-30",
        departure_time="",
        hotel_name="Hanok Stay",
        hotel_address_ko="서울특별시 중구 명동8길 12",
        treatment=["pico-laser", "aqua-peel", "not-a-treatment", "pico-laser"],
        **{"sessions-pico-laser": "2", "sessions-aqua-peel": ""},
        allergies="latex, lidocaine\npenicillin",
        medications="",
        conditions="melasma、rosacea",
    )
    trip = TripForm.parse(posted, IDS)
    assert trip.treatments == ["pico-laser", "aqua-peel"]
    assert trip.profile_data() == {
        "traveler": {
            "name": "Kim Minji",
            "language": "ko",
            "medical": {
                "allergies": ["latex", "lidocaine", "penicillin"],
                "conditions": ["melasma", "rosacea"],
            },
        },
        "trip": {
            "arrival": "2026-09-19T15:20",
            "departure": "2026-09-30T12:00",
            "hotel": {"name": "Hanok Stay", "address_ko": "서울특별시 중구 명동8길 12"},
        },
        "treatments": [{"id": "pico-laser", "sessions": 2}, {"id": "aqua-peel"}],
    }
    assert inputs_from_data(trip.profile_data(), shared).profile.traveler.medical.allergies == [
        "latex", "lidocaine", "penicillin",
    ]  # fmt: skip


def test_each_problem_of_the_form_lands_on_its_field(shared):
    trip = TripForm.parse(
        form(name="", arrival_date="2026-09-30", departure_date="2026-09-19", **{"sessions-aqua-peel": "x"},
             treatment=["aqua-peel"]),
        IDS,
    )  # fmt: skip
    found = problems(lambda: inputs_from_data(trip.profile_data(), shared))
    fields = {field_of(p) for p in found}
    assert {"name", "departure_date", "treatments"} <= fields


@pytest.mark.parametrize(
    ("location", "field"),
    [
        ("traveler.name", "name"),
        ("traveler.medical.allergies[2]", "allergies"),
        ("trip.hotel.address_ko", "hotel_address_ko"),
        ("trip.hotel.address", "hotel_address"),
        ("trip.hotel", "hotel_name"),
        ("trip", "departure_date"),
        ("treatments[0].sessions", "treatments"),
        ("budget.max", None),
        ("", None),
    ],
)
def test_field_of(location, field):
    from guidebook.errors import Problem

    assert field_of(Problem("profile", location, "m")) == field


def test_the_sample_traveler_warms_the_renderers_without_her_clinics_or_notes():
    profile = sample_profile(load_shared(GuideOptions()))
    assert profile is not None and profile.traveler.name == "Olivia Park-Martin"
    assert all(t.clinic is None for t in profile.treatments) and profile.notes is None
