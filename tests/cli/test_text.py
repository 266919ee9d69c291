"""Plain-text views for the terminal (cli/text.py): the catalogue table and a plan summary."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from helpers import SAMPLES, load

from guidebook.cli.text import catalogue_table, plan_text
from guidebook.guide import plan_guide
from guidebook.plan.types import Appointment, Checklists, Costs, Day, Money, Plan, Unplaced

D = date.fromisoformat


def test_the_catalogue_table_lines_up_its_columns(catalogue):
    lines = catalogue_table(catalogue).splitlines()
    assert lines[0].split() == [
        "id",
        "name",
        "price",
        "per",
        "session",
        "downtime",
        "d",
        "sessions",
        "interval",
        "d",
        "before",
        "flight",
        "d",
    ]
    assert set(lines[1]) <= {"-", " "}
    columns = [line.index(" ", len("fractional-laser")) for line in lines[2:7]]
    assert [line.split()[0] for line in lines[2:7]] == [t.id for t in catalogue.treatments]
    assert len(set(columns)) == 1 or all(line[len("fractional-laser") + 1] != " " for line in lines[2:7])
    exosome = next(line for line in lines if line.startswith("exosome"))
    assert "ask clinic" in exosome
    assert "₩300,000-₩700,000" in next(line for line in lines if line.startswith("rejuran-healer"))
    assert lines[-1].startswith("Figures checked 2026-01-01")


def test_a_plan_in_plain_text(catalogue, make_profile):
    inputs = load(SAMPLES / "traveler.yaml")
    plan = Plan(
        arrival=D("2026-04-06"),
        departure=D("2026-04-08"),
        days=[
            Day(date=D("2026-04-06"), is_arrival=True),
            Day(
                date=D("2026-04-07"),
                downtime=["fractional-laser"],
                appointments=[
                    Appointment(date=D("2026-04-07"), start=time(10), end=time(10, 30), kind="consultation"),
                    Appointment(
                        date=D("2026-04-07"),
                        start=time(10, 30),
                        end=time(11, 10),
                        kind="treatment",
                        clinic_id="nowhere",
                        treatment_id="fractional-laser",
                        session=1,
                        sessions_in_stay=2,
                    ),
                ],
            ),
            Day(date=D("2026-04-08"), is_departure=True, closed=True),
        ],
        unplaced=[
            Unplaced(
                treatment_id="pico-laser",
                session=2,
                requested=True,
                reason_code="interval",
                reason="Too soon.",
                earliest=D("2026-04-14"),
            )
        ],
        checklists=Checklists(),
        costs=Costs(
            rows=[],
            consultations=1,
            consultation_low=10_000,
            consultation_high=30_000,
            total_low=310_000,
            total_high=1_030_000,
            rate_currency="USD",
            krw_per_unit=Decimal(1000),
            rate_date=D("2026-03-20"),
            home=Money(currency="USD", low=Decimal("310.00"), high=Decimal("1030.00")),
            budget_currency="USD",
            budget_max=Decimal(1000),
            over_budget=True,
        ),
        help_numbers=[],
    )
    text = plan_text(plan, inputs)
    assert text.splitlines()[:4] == [
        "Itinerary 2026-04-06 to 2026-04-08",
        "  Mon 2026-04-06  arrival",
        "  Tue 2026-04-07  10:00 consultation @ clinic to be confirmed; 10:30 Fractional Laser (1 of 2 "
        "sessions) @ "
        "nowhere; recovery: Fractional Laser",
        "  Wed 2026-04-08  departure; closed",
    ]
    assert "  Pico Laser session 2: Too soon. (earliest 2026-04-14)" in text
    assert "Costs: ₩310,000 - ₩1,030,000\n  = $310.00 - $1,030.00 at 1 USD = ₩1,000 (2026-03-20)" in text
    assert text.endswith("  over the budget of $1,000.00")


def test_the_sample_plan_in_plain_text_names_its_clinics():
    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml")
    text = plan_text(plan_guide(inputs), inputs)
    assert "@ Haneul Skin Clinic Sinsa" in text and "holiday: Chuseok" in text


def test_the_plan_says_loudly_what_does_not_fit_and_what_to_watch_for():
    from helpers import SAMPLES, load

    from guidebook.cli.text import plan_text
    from guidebook.guide import plan_guide

    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml")
    short = inputs.profile.model_copy(deep=True)
    short.trip.departure = short.trip.arrival.replace(day=short.trip.arrival.day + 1)
    from guidebook.guide import Inputs

    plan = plan_guide(Inputs(short, inputs.shared))
    text = plan_text(plan, Inputs(short, inputs.shared))
    assert "WARNING: not one session of Pico Laser fits this stay" in text
    assert "Personal cautions" in text and "lidocaine" in text
    assert plan.no_session_fits and '"no_session_fits"' in plan.model_dump_json()
