"""Property-based: any typed text either renders or gives a clean validation error."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from helpers import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from guidebook.errors import InputError
from guidebook.guide import GuideRenderer, Inputs, SharedInputs, plan_guide
from guidebook.inputs.bookings import COLUMNS, Row, profile_from_row
from guidebook.inputs.load import check_profile, load_catalogue, load_clinics
from guidebook.inputs.models import Profile
from guidebook.render.html import render_html

CATALOGUE = load_catalogue()
CLINICS = load_clinics(SAMPLES / "clinics.yaml", CATALOGUE)
RENDERER = GuideRenderer()

text = st.text(st.characters(codec="utf-8"), max_size=400)
ids = st.sampled_from([t.id for t in CATALOGUE.treatments] + ["Rejuran Healer", "pico lazer", ""])


@st.composite
def profiles(draw):
    return {
        "traveler": {
            "name": draw(text),
            "medical": {"allergies": draw(st.lists(text, max_size=3)), "notes": draw(text)},
        },
        "trip": {
            "arrival": draw(st.sampled_from(["2026-09-20T10:00", "2026-02-30T10:00", "x"])),
            "departure": "2026-09-28T18:00",
            "hotel": {"name": draw(text), "address_ko": draw(text)},
        },
        "treatments": [{"id": draw(ids), "sessions": draw(st.one_of(st.none(), st.integers(-2, 30)))}],
        "notes": draw(text),
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles())
def test_profile_fields_render_or_fail_cleanly(data):
    try:
        profile = check_profile(Profile.model_validate(data), CATALOGUE, CLINICS, file="p.yaml")
    except (ValidationError, InputError):
        return
    inputs = Inputs(profile, SharedInputs(CATALOGUE, CLINICS))
    html = render_html(
        profile=profile,
        plan=plan_guide(inputs),
        catalogue=CATALOGUE,
        clinics=list(CLINICS.clinics),
        brand=None,
        theme=RENDERER.theme,
        env=RENDERER.env(),
    )
    assert "<script" not in html.split("</head>")[1].lower().replace("&lt;script", "")


cells = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=120)


@settings(max_examples=120, deadline=None)
@given(st.dictionaries(st.sampled_from([c for c in COLUMNS if c != "profile"]), cells))
def test_csv_cells_give_a_profile_or_a_clean_error(values):
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values.values())
    [record] = list(csv.reader(io.StringIO(buffer.getvalue())))
    row = Row(
        2,
        values.get("booking_id", "line-2"),
        {k: v.strip() for k, v in zip(values, record, strict=True) if v.strip()},
    )
    try:
        profile, _ = profile_from_row(Path("bookings.csv"), row, CATALOGUE, CLINICS)
    except InputError as exc:
        assert all(p.location.startswith("row 2, column ") for p in exc.problems)
        return
    assert profile.traveler.name


@pytest.mark.slow
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S", "Zs"]), min_size=1, max_size=200
    ).filter(str.strip)
)
def test_any_name_makes_a_pdf(name):
    profile = Profile.model_validate(
        {
            "traveler": {"name": name},
            "trip": {"arrival": "2026-09-20T10:00", "departure": "2026-09-24T18:00"},
            "treatments": [{"id": "aqua-peel"}],
        }
    )
    inputs = Inputs(profile, SharedInputs(CATALOGUE, CLINICS))
    data = RENDERER.render(inputs, plan_guide(inputs)).pdf
    assert data.startswith(b"%PDF-")
