"""The itinerary planner (plan/itinerary.py): tables of stays in, schedules out."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from ruamel.yaml import YAML

from guidebook.inputs.catalogue import Catalogue, combinable
from guidebook.inputs.data import DEFAULT_CATALOGUE
from guidebook.inputs.models import Clinic
from guidebook.plan.itinerary import korean_holidays, plan_itinerary
from guidebook.plan.types import Day

D = date.fromisoformat


def clinic(id: str, **fields: object) -> Clinic:
    return Clinic.model_validate(
        {
            "id": id,
            "name": id.title(),
            "type": "boutique",
            "address": "1 Test-ro, Seoul",
            "address_ko": "서울 테스트로 1",
            **fields,
        }
    )


SUNDAY_CLOSED = clinic(
    "sunday-closed",
    hours={"mon-sat": "10:00-19:00", "sun": "closed"},
    treatments=["rejuran-healer", "pico-laser"],
)


def sessions_by_treatment(days: list[Day]) -> dict[str, list[date]]:
    placed: dict[str, list[date]] = {}
    for day in days:
        for a in day.appointments:
            if a.kind == "treatment" and a.treatment_id:
                placed.setdefault(a.treatment_id, []).append(a.date)
    return placed


PLACEMENTS = [
    # id, arrival, departure, requests, planner keywords, expected dates per treatment
    ("chuseok-skipped", "2026-09-23", "2026-10-02", [("aqua-peel", 1)], {}, {"aqua-peel": ["2026-09-27"]}),
    ("labor-day-skipped", "2026-04-30", "2026-05-06", [("aqua-peel", 1)], {}, {"aqua-peel": ["2026-05-02"]}),
    (
        "interval-kept",
        "2026-04-06",
        "2026-04-30",
        [("rejuran-healer", 3)],
        {},
        {"rejuran-healer": ["2026-04-07", "2026-04-14", "2026-04-21"]},
    ),
    (
        "ad-hoc-closure",
        "2026-04-06",
        "2026-04-17",
        [("aqua-peel", 1)],
        {"closed_dates": [D("2026-04-07")]},
        {"aqua-peel": ["2026-04-08"]},
    ),
    (
        "clinic-closure",
        "2026-04-06",
        "2026-04-17",
        [("aqua-peel", 1)],
        {"clinics": [clinic("c", treatments=["aqua-peel"], closed_dates=[D("2026-04-07"), D("2026-04-08")])]},
        {"aqua-peel": ["2026-04-09"]},
    ),
    (
        "other-clinic-closure-ignored",
        "2026-04-06",
        "2026-04-17",
        [("aqua-peel", 1, "mine")],
        {"clinics": [clinic("other", closed_dates=[D("2026-04-07")])]},
        {"aqua-peel": ["2026-04-07"]},
    ),
    (
        "clinic-closed-sunday",
        "2026-04-11",
        "2026-04-30",
        [("rejuran-healer", 2)],
        {"clinics": [SUNDAY_CLOSED]},
        {"rejuran-healer": ["2026-04-13", "2026-04-20"]},
    ),
    (
        "no-clinic-sunday-ok",
        "2026-04-11",
        "2026-04-30",
        [("rejuran-healer", 2)],
        {},
        {"rejuran-healer": ["2026-04-12", "2026-04-19"]},
    ),
    (
        "laser-and-booster-share",
        "2026-04-06",
        "2026-04-17",
        [("rejuran-healer", 1), ("pico-laser", 1)],
        {},
        {"rejuran-healer": ["2026-04-07"], "pico-laser": ["2026-04-07"]},
    ),
    (
        "not-combinable-split",
        "2026-04-06",
        "2026-04-17",
        [("aqua-peel", 1), ("exosome", 1)],
        {},
        {"aqua-peel": ["2026-04-07"], "exosome": ["2026-04-08"]},
    ),
    (
        "heavy-downtime-first",
        "2026-04-06",
        "2026-04-30",
        [("pico-laser", 1), ("fractional-laser", 1)],
        {},
        {"fractional-laser": ["2026-04-07"], "pico-laser": ["2026-04-13"]},
    ),
    (
        "keep-apart",
        "2026-04-06",
        "2026-04-30",
        [("aqua-peel", 1), ("fractional-laser", 1)],
        {},
        {"fractional-laser": ["2026-04-07"], "aqua-peel": ["2026-04-21"]},
    ),
    (
        "booster-downtime-blocks-next-day",
        "2026-04-06",
        "2026-04-17",
        [("exosome", 1), ("rejuran-healer", 1)],
        {},
        {"rejuran-healer": ["2026-04-07"], "exosome": ["2026-04-09"]},
    ),
    (
        "separate-clinics-separate-days",
        "2026-04-06",
        "2026-04-17",
        [("rejuran-healer", 1, "a"), ("pico-laser", 1, "b")],
        {},
        {"rejuran-healer": ["2026-04-07"], "pico-laser": ["2026-04-09"]},
    ),
    (
        "two-night-stay-fits-one",
        "2026-04-06",
        "2026-04-08",
        [("aqua-peel", 1)],
        {},
        {"aqua-peel": ["2026-04-07"]},
    ),
]


@pytest.mark.parametrize(
    ("arrival", "departure", "requests", "options", "expected"),
    [case[1:] for case in PLACEMENTS],
    ids=[case[0] for case in PLACEMENTS],
)
def test_sessions_are_placed_on(catalogue, make_profile, arrival, departure, requests, options, expected):
    profile = make_profile(arrival, departure, requests)
    days, unplaced = plan_itinerary(profile, catalogue, **options)
    assert sessions_by_treatment(days) == {k: [D(v) for v in vs] for k, vs in expected.items()}
    assert unplaced == []


UNPLACED = [
    # id, arrival, departure, requests, options, [(treatment, session, code, requested, earliest)]
    (
        "third-rejuran-in-ten-days",
        "2026-04-06",
        "2026-04-17",
        [("rejuran-healer", 3)],
        {},
        [("rejuran-healer", 3, "interval", True, "2026-04-21")],
    ),
    (
        "laser-two-days-before-flight",
        "2026-04-14",
        "2026-04-17",
        [("fractional-laser", 1)],
        {},
        [("fractional-laser", 1, "flight_buffer", True, "2026-04-18")],
    ),
    (
        "second-session-in-flight-buffer",
        "2026-04-06",
        "2026-04-16",
        [("rejuran-healer", 2)],
        {},
        [("rejuran-healer", 2, "flight_buffer", True, "2026-04-17")],
    ),
    (
        "one-night-stay",
        "2026-04-06",
        "2026-04-07",
        [("aqua-peel", 1)],
        {},
        [("aqua-peel", 1, "stay_too_short", True, "2026-04-08")],
    ),
    (
        "default-course-remainder",
        "2026-04-06",
        "2026-04-17",
        ["pico-laser"],
        {},
        [
            ("pico-laser", 3, "interval", False, "2026-04-21"),
            ("pico-laser", 4, "interval", False, "2026-04-28"),
            ("pico-laser", 5, "interval", False, "2026-05-05"),
        ],
    ),
    (
        "only-holidays-left",
        "2026-09-23",
        "2026-09-27",
        [("aqua-peel", 1)],
        {},
        [("aqua-peel", 1, "no_open_day", True, "2026-09-28")],
    ),
    (
        "blocked-by-downtime-and-closure",
        "2026-04-06",
        "2026-04-10",
        [("exosome", 1), ("rejuran-healer", 1)],
        {"closed_dates": [D("2026-04-09")]},
        [("exosome", 1, "downtime", True, "2026-04-11")],
    ),
    ("asked-for-one-of-three", "2026-04-06", "2026-04-17", [("rejuran-healer", 1)], {}, []),
]


@pytest.mark.parametrize(
    ("arrival", "departure", "requests", "options", "expected"),
    [case[1:] for case in UNPLACED],
    ids=[case[0] for case in UNPLACED],
)
def test_sessions_that_do_not_fit(catalogue, make_profile, arrival, departure, requests, options, expected):
    _, unplaced = plan_itinerary(make_profile(arrival, departure, requests), catalogue, **options)
    got = [(u.treatment_id, u.session, u.reason_code, u.requested, u.earliest) for u in unplaced]
    assert got == [(t, s, c, r, D(e)) for t, s, c, r, e in expected]
    assert all(u.reason.endswith(".") and len(u.reason) > 30 for u in unplaced)


@pytest.mark.parametrize(
    ("arrival", "departure", "requests", "options", "words"),
    [
        (
            "2026-04-06",
            "2026-04-17",
            [("rejuran-healer", 3)],
            {},
            ["Rejuran Healer", "7 days between sessions", "session 3", "21 Apr", "17 Apr"],
        ),
        (
            "2026-04-14",
            "2026-04-17",
            [("fractional-laser", 1)],
            {},
            ["Fractional Laser", "7 days", "17 Apr", "10 Apr", "15 Apr"],
        ),
        ("2026-04-06", "2026-04-07", [("aqua-peel", 1)], {}, ["6 Apr", "7 Apr", "kept light"]),
        ("2026-09-23", "2026-09-27", [("aqua-peel", 1)], {}, ["24 Sep", "26 Sep", "public holiday"]),
        (
            "2026-04-06",
            "2026-04-10",
            [("exosome", 1), ("rejuran-healer", 1)],
            {"closed_dates": [D("2026-04-09")]},
            ["cannot share a day with Rejuran Healer", "1-day recovery after Rejuran Healer"],
        ),
    ],
)
def test_reasons_name_the_rule_and_the_numbers(
    catalogue, make_profile, arrival, departure, requests, options, words
):
    _, unplaced = plan_itinerary(make_profile(arrival, departure, requests), catalogue, **options)
    assert len(unplaced) == 1
    for word in words:
        assert word in unplaced[0].reason


def test_days_cover_the_stay_with_flags(catalogue, make_profile):
    profile = make_profile("2026-09-22", "2026-09-30", [("aqua-peel", 1)])
    days, _ = plan_itinerary(profile, catalogue, closed_dates=[D("2026-09-28")])
    assert [d.date for d in days] == [D("2026-09-22") + timedelta(n) for n in range(9)]
    assert [d.is_arrival for d in days] == [True] + [False] * 8
    assert [d.is_departure for d in days] == [False] * 8 + [True]
    holidays = {d.date: d.holiday for d in days if d.holiday}
    assert holidays == {
        D("2026-09-24"): "The day preceding Chuseok",
        D("2026-09-25"): "Chuseok",
        D("2026-09-26"): "The second day of Chuseok",
    }
    assert [d.date for d in days if d.closed] == [D("2026-09-28")]
    assert not any(d.appointments for d in days if d.holiday or d.closed)
    assert sessions_by_treatment(days) == {"aqua-peel": [D("2026-09-23")]}


def test_injected_holidays_replace_the_korean_calendar(catalogue, make_profile):
    profile = make_profile("2026-09-23", "2026-10-02", [("aqua-peel", 1)])
    days, _ = plan_itinerary(profile, catalogue, public_holidays={})
    assert sessions_by_treatment(days) == {"aqua-peel": [D("2026-09-24")]}
    assert not any(d.holiday for d in days)


def test_downtime_days_are_marked(catalogue, make_profile):
    profile = make_profile("2026-04-06", "2026-04-30", [("fractional-laser", 1)])
    days, _ = plan_itinerary(profile, catalogue)
    marked = [d.date for d in days if d.downtime == ["fractional-laser"]]
    assert marked == [D("2026-04-08") + timedelta(n) for n in range(5)]
    assert len([d for d in days if d.downtime]) == 5


def test_new_downtime_may_not_cover_a_placed_treatment(make_treatment, make_catalogue, make_profile):
    a = make_treatment("a", downtime=2, sessions=2, interval=4)
    b = make_treatment("b", downtime=2)
    profile = make_profile("2026-04-06", "2026-04-30", [("a", 2), ("b", 1)])
    days, _ = plan_itinerary(profile, make_catalogue(a, b))
    # a: 7 and 11 Apr. b on 10 Apr would put 11 Apr inside b's recovery.
    assert sessions_by_treatment(days) == {"a": [D("2026-04-07"), D("2026-04-11")], "b": [D("2026-04-14")]}


def test_at_most_three_treatments_a_day(make_treatment, make_catalogue, make_profile):
    ids = ["t1", "t2", "t3", "t4"]
    cat = make_catalogue(*(make_treatment(i, combines=tuple(set(ids) - {i})) for i in ids))
    days, unplaced = plan_itinerary(make_profile("2026-04-06", "2026-04-17", ids), cat)
    assert sessions_by_treatment(days) == {
        "t1": [D("2026-04-07")],
        "t2": [D("2026-04-07")],
        "t3": [D("2026-04-07")],
        "t4": [D("2026-04-08")],
    }
    assert unplaced == []


def times(day: Day) -> list[tuple[str, str | None, str | None, time, time]]:
    return [(a.kind, a.clinic_id, a.treatment_id, a.start, a.end) for a in day.appointments]


def test_consultation_then_laser_before_booster(catalogue, make_profile):
    profile = make_profile("2026-04-06", "2026-04-17", [("rejuran-healer", 2), ("pico-laser", 1)])
    days, _ = plan_itinerary(profile, catalogue)
    first, second = days[1], days[8]
    assert times(first) == [
        ("consultation", None, None, time(10, 0), time(10, 30)),
        ("treatment", None, "pico-laser", time(10, 30), time(10, 50)),
        ("treatment", None, "rejuran-healer", time(10, 50), time(11, 20)),
    ]
    assert times(second) == [("treatment", None, "rejuran-healer", time(10, 0), time(10, 30))]
    rejuran = [a for a in first.appointments + second.appointments if a.treatment_id == "rejuran-healer"]
    assert [(a.session, a.sessions_in_stay) for a in rejuran] == [(1, 2), (2, 2)]


def test_a_consultation_at_each_clinic_from_its_opening(catalogue, make_profile):
    late = clinic("late", hours={"mon-sun": "11:00-20:00"})
    early = clinic("early", hours={"mon-sun": "09:00-18:00"}, treatments=["pico-laser"])
    profile = make_profile("2026-04-06", "2026-04-17", [("rejuran-healer", 1, "late"), ("pico-laser", 1)])
    days, _ = plan_itinerary(profile, catalogue, clinics=[late, early])
    assert times(days[1]) == [
        ("consultation", "late", None, time(11, 0), time(11, 30)),
        ("treatment", "late", "rejuran-healer", time(11, 30), time(12, 0)),
    ]
    assert times(days[3]) == [
        ("consultation", "early", None, time(10, 0), time(10, 30)),
        ("treatment", "early", "pico-laser", time(10, 30), time(10, 50)),
    ]


def test_clinic_closed_on_sundays_gets_no_sunday(catalogue, make_profile):
    profile = make_profile("2026-04-04", "2026-05-20", ["pico-laser", "rejuran-healer"])
    days, _ = plan_itinerary(profile, catalogue, clinics=[SUNDAY_CLOSED])
    mondays = [D("2026-04-06") + timedelta(weeks=n) for n in range(5)]
    assert sessions_by_treatment(days) == {"pico-laser": mondays, "rejuran-healer": mondays[:3]}
    assert all(a.date.weekday() != 6 for d in days for a in d.appointments)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-05-01", "2026-05-01", {"2026-05-01": "Labor Day"}),
        ("2026-07-16", "2026-07-18", {"2026-07-17": "Constitution Day"}),
        ("2026-12-30", "2027-01-02", {"2027-01-01": "New Year's Day"}),
        ("2026-04-06", "2026-04-17", {}),
    ],
)
def test_korean_holidays(start, end, expected):
    got = korean_holidays(D(start), D(end))
    assert got == {D(k): v for k, v in expected.items()}


# --- against the real catalogue (data/catalogue.yaml) --------------------------------------------


@pytest.fixture
def real_catalogue() -> Catalogue:
    return Catalogue.model_validate(YAML(typ="safe").load(DEFAULT_CATALOGUE))


def check_rules(days: list[Day], cat: Catalogue) -> None:
    """Every rule of the planner holds on a finished itinerary."""
    departure = days[-1].date
    placed = sessions_by_treatment(days)
    for day in days:
        todays = [cat.get(a.treatment_id) for a in day.appointments if a.treatment_id]
        if day.is_arrival or day.is_departure or day.holiday or day.closed:
            assert not day.appointments, day
        assert len(todays) <= 3
        assert all(combinable(a, b) for a in todays for b in todays if a is not b)
    for tid, dates in placed.items():
        t = cat.get(tid)
        gaps = [(b - a).days for a, b in zip(dates, dates[1:], strict=False)]
        assert all(gap >= t.interval_days.value for gap in gaps)
        assert all((departure - d).days >= max(1, t.flight_buffer_days.value) for d in dates)


@pytest.mark.parametrize(
    ("arrival", "departure"),
    [
        ("2026-09-20", "2026-10-04"),  # Chuseok and National Foundation Day
        ("2026-04-28", "2026-05-08"),  # Labor Day and Children's Day
        ("2026-04-06", "2026-04-17"),
    ],
)
def test_real_catalogue_keeps_every_rule(real_catalogue, make_profile, arrival, departure):
    requests = ["fractional-laser", "rejuran-healer", "pico-laser", "aqua-peel", "water-shine"]
    days, unplaced = plan_itinerary(make_profile(arrival, departure, requests), real_catalogue)
    check_rules(days, real_catalogue)
    assert all(u.reason and (u.earliest is None or u.earliest > D(departure)) for u in unplaced)


def test_real_catalogue_third_rejuran_in_ten_days(real_catalogue, make_profile):
    profile = make_profile("2026-04-06", "2026-04-17", [("rejuran-healer", 3)])
    days, unplaced = plan_itinerary(profile, real_catalogue)
    interval = real_catalogue.get("rejuran-healer").interval_days.value
    third = unplaced[-1]
    assert (third.session, third.reason_code) == (3, "interval")
    placed = sessions_by_treatment(days).get("rejuran-healer", [])
    before = placed[1] if len(placed) == 2 else unplaced[-2].earliest
    assert third.earliest == before + timedelta(days=interval)


def test_real_catalogue_fractional_laser_two_days_before_flight(real_catalogue, make_profile):
    profile = make_profile("2026-04-14", "2026-04-17", [("fractional-laser", 1)])
    _, unplaced = plan_itinerary(profile, real_catalogue)
    assert [(u.session, u.reason_code) for u in unplaced] == [(1, "flight_buffer")]


@pytest.mark.parametrize(
    ("requests", "exosome_day"),
    [
        # heavier exosome is listed first, but it waits for the laser and joins its day
        ([("exosome", 1), ("rejuran-healer", 1), ("pico-laser", 1)], D("2026-04-07")),
        ([("exosome", 1), ("aqua-peel", 1)], None),  # no laser in the plan: never on its own
    ],
)
def test_real_catalogue_exosome_only_on_a_laser_day(real_catalogue, make_profile, requests, exosome_day):
    profile = make_profile("2026-04-06", "2026-04-17", requests)
    days, unplaced = plan_itinerary(profile, real_catalogue)
    check_rules(days, real_catalogue)
    placed = sessions_by_treatment(days)
    if exosome_day is None:
        assert "exosome" not in placed
        [missed] = [u for u in unplaced if u.treatment_id == "exosome"]
        assert "laser" in missed.reason
    else:
        assert placed["exosome"] == [exosome_day] == placed["pico-laser"]
        day = next(d for d in days if d.date == exosome_day)
        order = [a.treatment_id for a in day.appointments if a.kind == "treatment"]
        # right after the laser, before any injection: never on skin just punctured (issue 13)
        assert order == ["pico-laser", "exosome", "rejuran-healer"]


def test_a_short_opening_day_takes_only_what_fits_before_closing(catalogue, make_profile):
    # Saturday 10:00-11:00: a consultation (30 min) and Rejuran Healer (30) fit; Pico Laser (20)
    # beside them would run past closing, so it goes to the next day the clinic can hold it.
    short_saturday = clinic(
        "short-sat",
        hours={"mon-fri": "10:00-19:00", "sat": "10:00-11:00", "sun": "closed"},
        treatments=["rejuran-healer", "pico-laser"],
    )
    profile = make_profile(
        "2026-04-03",
        "2026-04-12",  # a Friday: the first full day is Saturday
        [("rejuran-healer", 1), ("pico-laser", 1)],
    )
    days, unplaced = plan_itinerary(profile, catalogue, clinics=[short_saturday])
    assert unplaced == []
    placed = sessions_by_treatment(days)
    assert placed["rejuran-healer"] == [D("2026-04-04")]
    assert placed["pico-laser"] == [D("2026-04-06")]  # Monday, not Saturday or the closed Sunday
    for day in days:
        hours = short_saturday.opening(day.date.weekday())
        for a in day.appointments:
            assert a.end <= time.fromisoformat(hours[1]), (day.date, a)


def test_a_visit_longer_than_any_opening_day_is_reported_not_squeezed(catalogue, make_profile):
    tiny = clinic("tiny", hours={"mon-sun": "10:00-10:40"}, treatments=["rejuran-healer"])
    profile = make_profile("2026-04-06", "2026-04-12", [("rejuran-healer", 1)])
    days, unplaced = plan_itinerary(profile, catalogue, clinics=[tiny])
    assert not any(d.appointments for d in days)
    assert len(unplaced) == 1
    assert "open until 10:40" in unplaced[0].reason and "60 minutes" in unplaced[0].reason
    assert unplaced[0].reason_code == "clinic_hours"  # so other languages say why, too


def _home_rules_kept(day: date, treatment_id: str, placed: dict[str, list[date]], cat: Catalogue) -> bool:
    """Brute force: whether a session of `treatment_id` on `day` keeps every gap with the sessions
    of the stay (keep apart both ways, the other treatments' recovery)."""
    t = cat.get(treatment_id)
    for other_id, days in placed.items():
        other = cat.get(other_id)
        if other_id == treatment_id:
            continue
        apart = max(t.keep_apart.get(other_id, 0), other.keep_apart.get(treatment_id, 0))
        for done in days:
            gap = (day - done).days
            if abs(gap) < apart or 0 < gap <= other.downtime_days.value:
                return False
    return True


@pytest.mark.parametrize(
    ("arrival", "departure", "requests"),
    [
        ("2026-09-20", "2026-09-29", [("ipl", 1), ("hydrafacial", 1)]),  # the case
        ("2026-09-20", "2026-09-24", [("fractional-laser", 1), ("aqua-peel", 1), ("chemical-peel", 1)]),
        ("2026-04-06", "2026-04-10", [("pico-laser", 2), ("hydrafacial", 1), ("ipl", 1)]),
    ],
)
def test_the_earliest_date_of_a_session_left_out_keeps_every_rule(
    real_catalogue, make_profile, arrival, departure, requests
):
    days, unplaced = plan_itinerary(make_profile(arrival, departure, requests), real_catalogue)
    placed = sessions_by_treatment(days)
    assert unplaced
    for u in unplaced:
        if u.earliest is None:
            continue
        assert u.earliest > D(departure)
        assert _home_rules_kept(u.earliest, u.treatment_id, placed, real_catalogue), u
        if u.session == 1:  # and it is the first such day after the flight home
            day = D(departure) + timedelta(days=1)
            while day < u.earliest:
                assert not _home_rules_kept(day, u.treatment_id, placed, real_catalogue), (u, day)
                day += timedelta(days=1)


def test_a_hydrafacial_after_ipl_waits_out_the_keep_apart_gap(real_catalogue, make_profile):
    days, unplaced = plan_itinerary(
        make_profile("2026-09-20", "2026-09-29", [("ipl", 1), ("hydrafacial", 1)]), real_catalogue
    )
    [ipl_day] = sessions_by_treatment(days)["ipl"]
    [missed] = [u for u in unplaced if u.treatment_id == "hydrafacial"]
    assert missed.earliest == max(ipl_day + timedelta(days=14), D("2026-09-30"))


def test_fractional_resurfacing_and_injections_never_share_a_visit(real_catalogue, make_profile):
    days, _ = plan_itinerary(
        make_profile(
            "2026-04-06", "2026-04-27", [("fractional-laser", 1), ("rejuran-healer", 2), ("water-shine", 1)]
        ),
        real_catalogue,
    )
    for day in days:
        treatments = {a.treatment_id for a in day.appointments if a.kind == "treatment"}
        assert not ({"fractional-laser"} & treatments and {"rejuran-healer", "water-shine"} & treatments), day
