"""What a first-time visitor must know, chosen for one trip (plan/first_visit.py): the entry rules
by nationality and arrival date, nothing from an expired row, the closed-clinic notes only when a
closure falls in a recovery, and notes about some treatments only when they are planned."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from guidebook.inputs.first_visit import load_first_visit
from guidebook.plan.first_visit import closures_in_recovery, entry_rules, first_visit
from guidebook.plan.types import Appointment, Day

D = date.fromisoformat


@pytest.mark.parametrize(
    ("nationality", "arrival", "rules", "says"),
    [
        ("US", "2026-09-19", ["keta-exempt"], "You do not need a K-ETA"),
        ("JP", "2026-10-14", ["keta-exempt"], "You do not need a K-ETA"),
        ("TW", "2026-12-31", ["keta-exempt"], "You do not need a K-ETA"),  # the last day it holds
        ("US", "2027-01-04", ["default"], "Check at www.k-eta.go.kr"),  # the exemption has expired
        ("CH", "2026-06-01", ["keta-exempt-unconfirmed"], "Some published lists"),
        ("CH", "2025-12-31", ["default"], "Check at www.k-eta.go.kr"),  # before the window opens
        ("CN", "2026-05-02", ["cn-visa", "cn-group-visa-free"], "With a mainland Chinese passport"),
        ("CN", "2026-09-22", ["cn-visa"], "With a mainland Chinese passport"),  # the trial scheme ended
        ("CN", "2027-07-01", ["default"], "Check at www.k-eta.go.kr"),  # past its review date
        ("BR", "2026-09-19", ["default"], "Check at www.k-eta.go.kr"),  # a country with no row
        (None, "2026-09-19", ["default"], "Check at www.k-eta.go.kr"),  # no nationality given
        ("KR", "2026-09-19", [], None),  # a Korean national: no entry section
    ],
)
def test_entry_rules_by_nationality_and_arrival_date(nationality, arrival, rules, says):
    chosen = entry_rules(load_first_visit(), nationality, D(arrival))
    assert [rule.id for rule in chosen] == rules
    if says:
        assert chosen[0].text[0].startswith(says)
    for rule in chosen:  # nothing from a row whose window has passed
        assert rule.applies(D(arrival))


def days_of(first: str, last: str, marks: dict[str, dict] | None = None) -> list[Day]:
    """Every day from `first` to `last`, with the fields `marks` gives a day (by ISO date)."""
    start, end = D(first), D(last)
    days = [start + timedelta(n) for n in range((end - start).days + 1)]
    return [Day(date=day, **(marks or {}).get(day.isoformat(), {})) for day in days]


def session(day: str, treatment: str) -> Appointment:
    return Appointment(date=D(day), start=time(10), end=time(11), kind="treatment", treatment_id=treatment)


CHUSEOK = {
    "2026-09-24": {"holiday": "The day preceding Chuseok", "downtime": ["rejuran-healer"]},
    "2026-09-25": {"holiday": "Chuseok"},
    "2026-09-26": {"holiday": "The second day of Chuseok"},
}


def sample_days() -> list[Day]:
    """The sample's stay: Rejuran on 21 Sep, three days of recovery, the last one Chuseok's first."""
    days = days_of("2026-09-19", "2026-09-30", CHUSEOK)
    days[2].appointments = [session("2026-09-21", "rejuran-healer")]
    for day in days[3:5]:
        day.downtime = ["rejuran-healer"]
    return days


def test_a_closure_in_a_recovery_is_found_with_the_closed_days_around_it():
    assert closures_in_recovery(sample_days()) == ((D("2026-09-24"), D("2026-09-26")),)


def test_a_closure_after_the_recovery_or_with_no_treatment_is_not():
    days = sample_days()
    days[5].downtime = []  # the recovery ends the day before Chuseok
    assert closures_in_recovery(days) == ()
    no_treatment = {day: {"holiday": marks["holiday"]} for day, marks in CHUSEOK.items()}
    assert closures_in_recovery(days_of("2026-09-23", "2026-09-27", no_treatment)) == ()


def test_an_ad_hoc_closure_counts_as_a_public_holiday_does():
    days = days_of("2026-04-06", "2026-04-12", {"2026-04-08": {"closed": True, "downtime": ["ipl"]}})
    assert closures_in_recovery(days) == ((D("2026-04-08"), D("2026-04-08")),)


def test_the_sections_of_a_trip_with_chuseok_after_rejuran(make_profile):
    profile = make_profile(
        "2026-09-19", "2026-09-30", ["rejuran-healer"], traveler={"name": "T", "nationality": "US"}
    )
    sections = {s.id: s for s in first_visit(load_first_visit(), profile, sample_days())}
    assert list(sections) == [
        "entry",
        "choosing-clinic",
        "consent-products",
        "paying",
        "clinic-closed",
        "after-home",
    ]
    assert sections["entry"].notes[0].title is None  # the rule, then the official sites
    assert sections["entry"].notes[0].lines[0].startswith("You do not need a K-ETA")
    assert sections["clinic-closed"].closures == ((D("2026-09-24"), D("2026-09-26")),)
    home = [n.title for n in sections["after-home"].notes]
    assert "After injections: signs that need urgent care" in home  # Rejuran is injected
    assert "After lasers and peels: signs to see a doctor" not in home  # no laser in this plan
    assert all(n.checked == D("2026-12-01") for s in sections.values() for n in s.notes)


def test_no_closed_clinic_notes_without_a_closure_in_a_recovery_and_no_entry_for_a_korean(make_profile):
    profile = make_profile(
        "2026-09-19", "2026-09-30", ["pico-laser"], traveler={"name": "T", "nationality": "KR"}
    )
    days = days_of("2026-09-19", "2026-09-30")
    days[2].appointments = [session("2026-09-21", "pico-laser")]
    sections = {s.id: s for s in first_visit(load_first_visit(), profile, days)}
    assert "entry" not in sections and "clinic-closed" not in sections
    home = [n.title for n in sections["after-home"].notes]
    assert "After lasers and peels: signs to see a doctor" in home
    assert "After injections: signs that need urgent care" not in home
