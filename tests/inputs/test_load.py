"""Loading the input files (inputs/load.py): samples and the spec's examples load; names become
catalogue ids; clinics, brands and their assets are checked; every problem at once."""

from __future__ import annotations

import os

import pytest
from helpers import DATA, GOOD_PROFILE, SAMPLES, load, problems, write_file

from guidebook.inputs.load import load_brand, load_catalogue, load_clinics, load_profile, load_profile_data

SPEC = DATA / "spec"  # the spec's example files (shared/spec), copied: the tests read only the repository


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def test_samples_load(catalogue):
    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml", brand=SAMPLES / "brand.yaml")
    assert inputs.profile.traveler.name == "Olivia Park-Martin"
    # "Rejuran Healer" (a display name) became the catalogue id
    assert [t.id for t in inputs.profile.treatments][:2] == ["pico-laser", "rejuran-healer"]
    assert inputs.brand and inputs.brand.logo and inputs.brand.logo.name == "logo.svg"


def test_spec_examples_are_accepted(catalogue, tmp_path):
    clinics = load_clinics(SPEC / "clinics.example.yaml", catalogue)
    profile = load_profile(SPEC / "profile.example.yaml", catalogue, clinics)
    assert profile.treatments[0].clinic == "glow-derm-apgujeong"
    brand_text = (SPEC / "brand.example.yaml").read_text().replace("logo: logo.svg", "logo: null")
    assert load_brand(write_file(tmp_path, brand_text, "brand.yaml")).brand.agency


@pytest.mark.parametrize(
    ("given", "suggestion"),
    [
        ("rejuran-heeler", "rejuran-healer"),
        ("Pico Lazer", "pico-laser"),
        ("hydrafacal", "hydrafacial"),
    ],
)
def test_treatment_typo_gets_did_you_mean(catalogue, tmp_path, given, suggestion):
    path = write_file(tmp_path, GOOD_PROFILE.replace("id: pico-laser", f"id: {given}"))
    [p] = problems(lambda: load_profile(path, catalogue))
    assert p.location == "treatments[0].id"
    assert p.line == 7
    assert f"did you mean {suggestion!r}" in p.message
    assert p.value == given


@pytest.mark.parametrize("name", ["Rejuran Healer", "PICO LASER", "Fraxel", "aqua peel"])
def test_display_names_and_aliases_are_accepted(catalogue, tmp_path, name):
    path = write_file(tmp_path, GOOD_PROFILE.replace("id: pico-laser", f"id: {name}"))
    profile = load_profile(path, catalogue)
    assert catalogue.resolve(name).id == profile.treatments[0].id


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
    found = problems(lambda: load_profile(write_file(tmp_path, text), catalogue))
    locations = {p.location for p in found}
    assert {"traveler.nmae", "traveler.name", "treatments[0].sesions", "budget.max"} <= locations
    assert next(p for p in found if p.location == "traveler.nmae").line == 2
    assert next(p for p in found if p.location == "treatments[0].sesions").line == 8


def test_unknown_clinic_and_clinic_without_treatment(catalogue, tmp_path):
    clinics = load_clinics(SAMPLES / "clinics.yaml", catalogue)
    text = GOOD_PROFILE.replace(
        "  - id: pico-laser",
        "  - id: pico-laser\n    clinic: nowhere\n  - id: hydrafacial\n    clinic: haneul-skin-sinsa",
    )
    found = problems(lambda: load_profile(write_file(tmp_path, text), catalogue, clinics))
    assert [p.location for p in found] == ["treatments[0].clinic", "treatments[1].clinic"]
    assert "no clinic with this id" in found[0].message
    assert "does not offer Hydrafacial" in found[1].message


def test_brand_logo_must_exist_and_be_an_image(tmp_path):
    (tmp_path / "logo.png").write_text("not a png")
    path = write_file(tmp_path, "agency: A\nlogo: logo.png\n", "brand.yaml")
    [p] = problems(lambda: load_brand(path))
    assert p.location == "logo" and "not a valid PNG" in p.message
    path = write_file(tmp_path, "agency: A\nlogo: ../../etc/passwd.svg\n", "brand.yaml")
    [p] = problems(lambda: load_brand(path))
    assert "inside the brand file's folder" in p.message


def _png_header(width: int, height: int) -> bytes:
    """The first bytes of a PNG: signature and IHDR (what the size check reads)."""
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))


@pytest.mark.parametrize(
    ("setup", "line", "message"),
    [
        # a PNG whose header declares 100,000 x 100,000 pixels: refused before anything decodes it
        (
            lambda d: (d / "logo.png").write_bytes(_png_header(100_000, 100_000)),
            "logo: logo.png",
            "too large an image",
        ),
        (lambda d: os.mkfifo(d / "logo.svg"), "logo: logo.svg", "not a regular file"),
        (lambda d: (d / "logo.svg").symlink_to("/etc/hostname"), "logo: logo.svg", "inside the brand"),
        (lambda d: (d / "t").symlink_to("/etc", target_is_directory=True), "templates: t", "leads out of it"),
        (lambda d: None, "templates: ../elsewhere", "leads out of it"),
        (lambda d: None, "templates: /etc", "given relative to it"),
        (lambda d: os.mkfifo(d / "f.ttf"), "font_files: [f.ttf]", "not a regular file"),
    ],
)
def test_brand_assets_and_theme_stay_in_the_brand_folder_and_are_regular_files(
    tmp_path, setup, line, message
):
    setup(tmp_path)
    path = write_file(tmp_path, f"agency: A\n{line}\n", "brand.yaml")
    [p] = problems(lambda: load_brand(path))
    assert message in p.message and p.line == 2, p


def test_a_small_png_logo_is_accepted(tmp_path):
    (tmp_path / "logo.png").write_bytes(_png_header(400, 200) + b"\0" * 64)
    brand = load_brand(write_file(tmp_path, "agency: A\nlogo: logo.png\n", "brand.yaml"))
    assert brand.logo == tmp_path / "logo.png"


def test_a_profile_from_data_is_validated_and_checked_as_a_file_is():
    catalogue = load_catalogue()
    data = {
        "traveler": {"name": "Ann", "language": "zh-TW"},
        "trip": {"arrival": "2026-04-06T14:30", "departure": "2026-04-12T19:10"},
        "treatments": [{"id": "Rejuran Healer"}],
    }
    profile = load_profile_data(data, catalogue)
    assert (profile.traveler.language, profile.treatments[0].id) == ("zh-Hant", "rejuran-healer")
    data["treatments"] = [{"id": "rejuran-heeler"}]
    data["trip"]["arrival"] = "soon"
    found = problems(lambda: load_profile_data(data, catalogue, name="booking B-7"))
    assert [(p.file, p.location, p.line) for p in found] == [
        ("booking B-7", "trip.arrival", None),
        ("booking B-7", "treatments[0].id", None),
    ]
    assert "did you mean 'rejuran-healer'?" in found[1].message
