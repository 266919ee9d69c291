"""`validate` in the library (inputs/check.py): each file's kind found from its keys, clinics
first so that profiles and bookings are checked against them, every problem of every file at once."""

from __future__ import annotations

import pytest
from helpers import GOOD_PROFILE, SAMPLES, problems, write_csv, write_file

from guidebook.inputs.check import detect_kind, validate_files


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("traveler.yaml", "profile"),
        ("clinics.yaml", "clinics"),
        ("brand.yaml", "brand"),
        ("bookings.csv", "bookings"),
    ],
)
def test_the_kind_of_a_file_is_found_from_its_keys(name, kind):
    assert detect_kind(SAMPLES / name) == kind


def test_a_file_of_no_known_kind_is_a_problem_at_line_1(tmp_path):
    path = write_file(tmp_path, "hello: world\n", "other.yaml")
    [p] = problems(lambda: detect_kind(path))
    assert (p.line, p.message) == (
        1,
        "not a profile (traveler, trip), clinics (clinics) or brand (agency) file",
    )


def test_profiles_are_checked_against_clinics_given_after_them(tmp_path):
    profile = write_file(
        tmp_path,
        GOOD_PROFILE.replace("  - id: pico-laser", "  - id: pico-laser\n    clinic: haneul-skin-sinsa"),
    )
    lines = validate_files([profile, SAMPLES / "clinics.yaml", SAMPLES / "bookings.csv"])
    assert lines == [
        f"{SAMPLES / 'clinics.yaml'}: ok (clinics)",
        f"{profile}: ok (profile)",
        f"{SAMPLES / 'bookings.csv'}: ok (bookings, 3 rows)",
    ]
    unknown = write_file(
        tmp_path,
        GOOD_PROFILE.replace("  - id: pico-laser", "  - id: pico-laser\n    clinic: nowhere"),
        "unknown.yaml",
    )
    [p] = problems(lambda: validate_files([unknown, SAMPLES / "clinics.yaml"]))
    assert p.location == "treatments[0].clinic" and "no clinic with this id" in p.message


def test_the_problems_of_every_file_are_reported_together(tmp_path):
    brand = write_file(tmp_path, "agency: A\ncolors:\n  primary: nope\n", "brand.yaml")
    bookings = write_csv(tmp_path)
    found = problems(lambda: validate_files([brand, bookings, SAMPLES / "traveler.yaml"]))
    assert found[0].location == "colors.primary"
    assert [p.line for p in found[1:]] == [6, 7, 8, 10]  # the bookings' bad rows (no clinics given)
