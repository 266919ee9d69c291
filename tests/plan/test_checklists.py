"""Checklists with real dates, from a planned stay."""

from __future__ import annotations

from datetime import date

import pytest

from guidebook.plan.checklists import build_checklists
from guidebook.plan.itinerary import plan_itinerary
from guidebook.plan.types import Checklists

D = date.fromisoformat
MEDICAL = {"allergies": ["lidocaine", "latex"], "medications": ["aspirin"]}


def checklists_for(catalogue, make_profile, arrival, departure, requests, **extra) -> Checklists:
    profile = make_profile(arrival, departure, requests, **extra)
    days, unplaced = plan_itinerary(profile, catalogue)
    return build_checklists(profile, catalogue, days, unplaced)


@pytest.fixture
def laser_trip(catalogue, make_profile) -> Checklists:
    """Fractional laser on 7 Apr, pico laser on 13 Apr; interpreter and medical notes given."""
    return checklists_for(
        catalogue,
        make_profile,
        "2026-04-06",
        "2026-04-30",
        [("pico-laser", 1), ("fractional-laser", 1)],
        traveler={"name": "T", "medical": MEDICAL},
        trip={"interpreter": True},
    )


def test_before_the_trip_in_date_order(laser_trip):
    got = [(i.date, i.text, i.treatment_id) for i in laser_trip.before]
    assert got == [
        (D("2026-03-07"), "Check that your passport is valid for the whole trip.", None),
        (
            D("2026-03-07"),
            "Travel insurance usually does not cover elective cosmetic treatment or its complications. "
            "Read your policy before you go.",
            None,
        ),
        # both lasers say it; the fractional laser's date (28 days before 7 Apr) is earlier
        (D("2026-03-10"), "Avoid sun and tanning", "fractional-laser"),
        (
            D("2026-03-30"),
            "Tell the clinic about your allergies (lidocaine, latex) and medications (aspirin).",
            None,
        ),
        (D("2026-03-30"), "Book a medical interpreter; services ask for 5 to 7 days' notice.", None),
        # stop retinoids 7 days before the first fractional session, not 3 before the pico
        (D("2026-03-31"), "Stop retinoids", "fractional-laser"),
        (D("2026-04-03"), "Confirm your appointments with each clinic.", None),
    ]


def test_treatment_days_and_aftercare(laser_trip):
    days = [(i.date, i.text, i.treatment_id) for i in laser_trip.treatment_days]
    assert days == [
        (D("2026-04-07"), "Bring a hat and a mask", "fractional-laser"),
        (D("2026-04-13"), "Come without make-up", "pico-laser"),
    ]
    after = [(i.date, i.until, i.text) for i in laser_trip.after_each]
    assert after == [
        # by day, then the advice that ends first
        (D("2026-04-07"), D("2026-04-14"), "No retinoids"),
        (D("2026-04-07"), D("2026-05-07"), "Strict sun protection"),
        (D("2026-04-13"), D("2026-04-16"), "No scrubs"),
        (D("2026-04-13"), D("2026-04-27"), "Use SPF 50 sunscreen"),
    ]


def test_sun_protection_after_coming_home_lasts_the_longest_aftercare(laser_trip):
    first = laser_trip.after_home[0]
    assert (first.date, first.until) == (D("2026-04-30"), D("2026-05-07"))
    assert "7 May" in first.text and "sun" in first.text
    assert "receipts" in laser_trip.after_home[-1].text
    assert len(laser_trip.after_home) == 2


@pytest.mark.parametrize(
    ("arrival", "departure", "requests", "expected"),
    [
        pytest.param(
            "2026-04-06",
            "2026-04-17",
            [("rejuran-healer", 3)],
            [
                (D("2026-04-17"), "Keep your receipts"),
                (D("2026-04-21"), "Next Rejuran Healer session from 21 Apr"),
            ],
            id="rest-of-course-no-laser",
        ),
        pytest.param(
            "2026-04-06",
            "2026-04-17",
            ["pico-laser"],
            [
                (D("2026-04-17"), "until 28 Apr"),
                (D("2026-04-17"), "Keep your receipts"),
                (D("2026-04-21"), "Next Pico Laser session from 21 Apr"),
            ],
            id="one-line-per-treatment",
        ),  # by date
        pytest.param(
            "2026-04-06",
            "2026-04-30",
            [("aqua-peel", 1)],
            [(D("2026-04-30"), "Keep your receipts")],
            id="nothing-left",
        ),
    ],
)
def test_after_coming_home(catalogue, make_profile, arrival, departure, requests, expected):
    lists = checklists_for(catalogue, make_profile, arrival, departure, requests)
    assert len(lists.after_home) == len(expected)
    for item, (day, words) in zip(lists.after_home, expected, strict=True):
        assert item.date == day
        assert words in item.text


def test_a_text_shared_by_two_treatments_shows_once_a_day(catalogue, make_profile):
    lists = checklists_for(
        catalogue, make_profile, "2026-04-06", "2026-04-17", [("rejuran-healer", 1), ("pico-laser", 1)]
    )
    assert [(i.date, i.text) for i in lists.treatment_days] == [
        (D("2026-04-07"), "Come without make-up"),
    ]


@pytest.mark.parametrize(
    ("extra", "present", "absent"),
    [
        pytest.param(
            {},
            ["Tell the clinic about any allergies and any medicines you take."],
            ["interpreter", "Confirm"],
            id="nothing-known-and-nothing-booked",
        ),
        pytest.param(
            {"traveler": {"name": "T", "medical": {"medications": ["warfarin"]}}},
            ["Tell the clinic about your medications (warfarin)."],
            ["allergies"],
            id="medications-only",
        ),
    ],
)
def test_general_items_follow_the_profile(catalogue, make_profile, extra, present, absent):
    # a one-night stay: nothing is booked, so there is nothing to confirm and no prep
    lists = checklists_for(
        catalogue, make_profile, "2026-04-06", "2026-04-07", [("rejuran-healer", 1)], **extra
    )
    texts = [i.text for i in lists.before]
    assert all(p in texts for p in present)
    assert not any(a in t for a in absent for t in texts)
    assert all(i.treatment_id is None for i in lists.before)


def test_shared_advice_keeps_the_earliest_date(make_treatment, make_catalogue, make_profile):
    # a comes first in the stay but asks for less notice than b
    a = make_treatment("a", prep=((2, "Stop retinoids"),))
    b = make_treatment("b", prep=((10, "Stop retinoids"),))
    lists = checklists_for(make_catalogue(a, b), make_profile, "2026-04-06", "2026-04-17", ["a", "b"])
    retinoids = [(i.date, i.treatment_id) for i in lists.before if i.text == "Stop retinoids"]
    assert retinoids == [(D("2026-03-29"), "b")]  # b on 8 Apr, minus 10 days


def test_same_day_advice_is_merged():
    from guidebook.plan.checklists import _merge
    from guidebook.plan.types import ChecklistItem

    day = D("2026-04-07")
    items = [
        ChecklistItem(date=day, until=D("2026-04-09"), text="Skip makeup"),
        ChecklistItem(date=day, until=D("2026-04-08"), text="Skip makeup"),
        ChecklistItem(date=day, text="Tell the doctor about every medicine you take."),
        ChecklistItem(date=day, text="Tell the doctor about every medicine you take, especially aspirin."),
        ChecklistItem(date=D("2026-04-08"), text="Tell the doctor about every medicine you take."),
    ]
    merged = [(i.date, i.until, i.text) for i in _merge(items)]
    assert merged == [
        (day, None, "Tell the doctor about every medicine you take, especially aspirin."),
        (day, D("2026-04-09"), "Skip makeup"),
        (D("2026-04-08"), None, "Tell the doctor about every medicine you take."),
    ]


def test_a_treatment_that_never_fitted_is_not_called_a_next_session(catalogue, make_profile):
    lists = checklists_for(catalogue, make_profile, "2026-04-06", "2026-04-08", [("fractional-laser", 1)])
    [item] = [i for i in lists.after_home if i.treatment_id]
    assert "was not done on this trip" in item.text and not item.text.startswith("Next")
    assert item.template and "%(treatment)s" in item.template


def test_the_same_lasting_advice_after_several_sessions_is_one_line():
    from guidebook.plan.checklists import _join_spans
    from guidebook.plan.types import ChecklistItem

    spf = "Use SPF 50+ every day"
    items = [  # pico laser on 20 and 27 Sep, rejuran on 21 Sep; a late session on 20 Oct
        ChecklistItem(date=D("2026-09-20"), until=D("2026-10-04"), text=spf, treatment_id="pico"),
        ChecklistItem(date=D("2026-09-21"), until=D("2026-09-22"), text="No scrubs"),
        ChecklistItem(date=D("2026-09-21"), until=D("2026-10-05"), text=spf, treatment_id="rej"),
        ChecklistItem(date=D("2026-09-27"), until=D("2026-10-11"), text=spf, treatment_id="pico"),
        ChecklistItem(date=D("2026-10-12"), until=D("2026-10-13"), text="No scrubs"),
        ChecklistItem(date=D("2026-10-20"), until=D("2026-11-03"), text=spf, treatment_id="pico"),
    ]
    joined = [(i.date, i.until, i.text) for i in _join_spans(items)]
    assert joined == [
        (D("2026-09-20"), D("2026-10-11"), spf),  # three overlapping spans
        (D("2026-09-21"), D("2026-09-22"), "No scrubs"),
        (D("2026-10-12"), D("2026-10-13"), "No scrubs"),  # apart: two lines
        (D("2026-10-20"), D("2026-11-03"), spf),
    ]
