"""Cost estimates: exact KRW totals, unpriced rows, the rate's precedence, the budget check."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from guidebook.inputs.models import Clinic
from guidebook.plan.costs import Rate, convert, estimate_costs, rounded
from guidebook.plan.types import Appointment, Day

VISIT = date(2026, 4, 7)


def day_of(*visits: tuple[str | None, list[str]]) -> list[Day]:
    """One day holding, per (clinic, treatment ids), a consultation and those treatments."""
    appointments = []
    for clinic_id, treatment_ids in visits:
        appointments.append(
            Appointment(
                date=VISIT, start=time(10), end=time(10, 30), kind="consultation", clinic_id=clinic_id
            )
        )
        appointments += [
            Appointment(
                date=VISIT,
                start=time(11),
                end=time(11, 30),
                kind="treatment",
                clinic_id=clinic_id,
                treatment_id=t,
            )
            for t in treatment_ids
        ]
    return [Day(date=VISIT, appointments=appointments)]


def clinic(id: str, fee: int | None) -> Clinic:
    return Clinic.model_validate(
        {
            "id": id,
            "name": id,
            "type": "chain",
            "address": "1 Test-ro",
            "address_ko": "테스트로 1",
            "consultation_fee_krw": fee,
        }
    )


REJURAN_TWICE_PICO_ONCE = day_of((None, ["rejuran-healer", "rejuran-healer", "pico-laser"]))


@pytest.mark.parametrize(
    ("requests", "days", "clinics", "rows", "consult", "totals", "unpriced"),
    [
        pytest.param(
            ["rejuran-healer", "pico-laser"],
            REJURAN_TWICE_PICO_ONCE,
            [],
            [("rejuran-healer", 2, 600_000, 1_400_000), ("pico-laser", 1, 100_000, 300_000)],
            (1, 10_000, 30_000),
            (710_000, 1_730_000),
            [],
            id="two-treatments",
        ),
        pytest.param(
            ["exosome", "pico-laser"],
            day_of((None, ["exosome", "pico-laser"])),
            [],
            [("exosome", 1, None, None), ("pico-laser", 1, 100_000, 300_000)],
            (1, 10_000, 30_000),
            (110_000, 330_000),
            ["exosome"],
            id="unpriced-left-out",
        ),
        pytest.param(
            ["rejuran-healer", "fractional-laser"],
            day_of((None, ["rejuran-healer"])),
            [],
            [("rejuran-healer", 1, 300_000, 700_000), ("fractional-laser", 0, 0, 0)],
            (1, 10_000, 30_000),
            (310_000, 730_000),
            [],
            id="nothing-placed-costs-nothing",
        ),
        pytest.param(
            ["rejuran-healer", "pico-laser"],
            day_of(("a", ["rejuran-healer"]), ("b", ["pico-laser"])),
            [clinic("a", 50_000)],
            [("rejuran-healer", 1, 300_000, 700_000), ("pico-laser", 1, 100_000, 300_000)],
            (2, 60_000, 80_000),
            (460_000, 1_080_000),
            [],
            id="clinic-fee-beats-catalogue",
        ),
        pytest.param(
            ["aqua-peel"],
            day_of(("a", ["aqua-peel"])),
            [clinic("a", 0)],
            [("aqua-peel", 1, 50_000, 150_000)],
            (1, 0, 0),
            (50_000, 150_000),
            [],
            id="free-consultation",
        ),
        pytest.param(
            ["aqua-peel"],
            [Day(date=VISIT)],
            [],
            [("aqua-peel", 0, 0, 0)],
            (0, 0, 0),
            (0, 0),
            [],
            id="no-appointments",
        ),
    ],
)
def test_rows_and_totals(catalogue, make_profile, requests, days, clinics, rows, consult, totals, unpriced):
    profile = make_profile("2026-04-06", "2026-04-17", requests)
    costs = estimate_costs(profile, catalogue, days, clinics=clinics)
    assert [(r.treatment_id, r.sessions, r.low, r.high) for r in costs.rows] == rows
    assert (costs.consultations, costs.consultation_low, costs.consultation_high) == consult
    assert (costs.total_low, costs.total_high) == totals
    assert isinstance(costs.total_low, int) and isinstance(costs.total_high, int)
    assert costs.unpriced == unpriced


def test_unit_prices_come_from_the_catalogue(catalogue, make_profile):
    profile = make_profile("2026-04-06", "2026-04-17", ["rejuran-healer", "exosome"])
    costs = estimate_costs(profile, catalogue, REJURAN_TWICE_PICO_ONCE)
    assert [(r.unit_low, r.unit_high) for r in costs.rows] == [(300_000, 700_000), (None, None)]


def test_krw_only_without_a_rate(catalogue, make_profile):
    profile = make_profile(
        "2026-04-06", "2026-04-17", ["rejuran-healer"], traveler={"name": "T", "home_currency": "USD"}
    )
    costs = estimate_costs(profile, catalogue, REJURAN_TWICE_PICO_ONCE)
    assert costs.home is None
    assert (costs.rate_currency, costs.krw_per_unit, costs.rate_date) == (None, None, None)


PROFILE_RATE = {"krw_per_unit": 1380, "as_of": "2026-03-20"}


@pytest.mark.parametrize(
    ("traveler", "exchange_rate", "rate", "expected"),
    [
        pytest.param(
            {"home_currency": "USD"},
            PROFILE_RATE,
            None,
            ("USD", Decimal(514), Decimal(1260), date(2026, 3, 20), "traveler profile"),  # 514.49-1253.62
            id="profile-rate",
        ),
        pytest.param(
            {"home_currency": "USD"},
            PROFILE_RATE,
            Rate("USD", Decimal(1400), date(2026, 4, 1), "command line"),
            ("USD", Decimal(507), Decimal(1240), date(2026, 4, 1), "command line"),  # 507.14-1235.71
            id="argument-beats-profile",
        ),
        pytest.param(
            {},
            None,
            Rate("JPY", Decimal("9.2"), None, "agency"),
            ("JPY", Decimal(77100), Decimal(189000), None, "agency"),  # 77,174-188,043
            id="yen-to-three-figures",
        ),
        pytest.param(
            {"home_currency": "EUR"},
            {**PROFILE_RATE, "source": "ECB"},
            None,
            ("EUR", Decimal(514), Decimal(1260), date(2026, 3, 20), "traveler profile (ECB)"),
            id="profile-rate-with-source",
        ),
    ],
)
def test_home_currency(catalogue, make_profile, traveler, exchange_rate, rate, expected):
    extra = {"exchange_rate": exchange_rate} if exchange_rate else {}
    profile = make_profile(
        "2026-04-06",
        "2026-04-17",
        ["rejuran-healer", "pico-laser"],
        traveler={"name": "T", **traveler},
        **extra,
    )
    costs = estimate_costs(profile, catalogue, REJURAN_TWICE_PICO_ONCE, rate=rate)
    assert costs.home is not None
    got = (costs.home.currency, costs.home.low, costs.home.high, costs.rate_date, costs.rate_source)
    assert got == expected
    assert costs.home.low.as_tuple().exponent >= 0 and costs.home.high.as_tuple().exponent >= 0  # whole


@pytest.mark.parametrize(
    ("budget", "traveler", "over", "compared"),
    [
        pytest.param({"currency": "KRW", "max": 1_500_000}, {}, True, Decimal(1_730_000), id="krw-over"),
        pytest.param({"currency": "KRW", "max": 2_000_000}, {}, False, Decimal(1_730_000), id="krw-under"),
        pytest.param(
            {"currency": "USD", "max": 1000},
            {"home_currency": "USD"},
            True,
            Decimal(1260),
            id="usd-over",
        ),
        pytest.param(
            {"currency": "USD", "max": 3000},
            {"home_currency": "USD"},
            False,
            Decimal(1260),
            id="usd-under",
        ),
        pytest.param(
            {"currency": "USD", "max": 1260},
            {"home_currency": "USD"},
            False,
            Decimal(1260),
            id="exactly-at-budget",
        ),
        # the check uses the estimate the guide prints ("about $1,260", rounded up from
        # $1,253.62), so a budget between the two is over: never a kinder verdict than the page
        pytest.param(
            {"currency": "USD", "max": 1255},
            {"home_currency": "USD"},
            True,
            Decimal(1260),
            id="rounded-estimate-above-budget",
        ),
        pytest.param(
            {"currency": "EUR", "max": 1000},
            {"home_currency": "USD"},
            None,
            None,
            id="no-rate-for-budget-currency",
        ),
        pytest.param(
            {"currency": "USD", "max": 1000},
            {},
            True,
            Decimal(1260),
            id="rate-for-budget-currency-without-home-currency",
        ),
    ],
)
def test_budget_check(catalogue, make_profile, budget, traveler, over, compared):
    profile = make_profile(
        "2026-04-06",
        "2026-04-17",
        ["rejuran-healer", "pico-laser"],
        traveler={"name": "T", **traveler},
        budget=budget,
        exchange_rate=PROFILE_RATE,
    )
    costs = estimate_costs(profile, catalogue, REJURAN_TWICE_PICO_ONCE)
    assert costs.over_budget is over
    assert costs.budget_high_in_budget_currency == compared
    assert (costs.budget_currency, costs.budget_max) == (budget["currency"], Decimal(str(budget["max"])))


def test_no_budget_no_verdict(catalogue, make_profile):
    profile = make_profile("2026-04-06", "2026-04-17", ["rejuran-healer"])
    costs = estimate_costs(profile, catalogue, REJURAN_TWICE_PICO_ONCE)
    assert (costs.budget_currency, costs.over_budget) == (None, None)


@pytest.mark.parametrize(
    ("krw", "currency", "per_unit", "expected"),
    [
        (1_000_000, "USD", "1380", "724.64"),
        (1_000_005, "USD", "1000", "1000.01"),  # half up
        (350_000, "JPY", "9.2", "38043"),
        (350_000, "KWD", "4500", "77.778"),  # three decimals
    ],
)
def test_convert_rounds_to_the_currency(krw, currency, per_unit, expected):
    got = convert(krw, Rate(currency, Decimal(per_unit), None, "test"))
    assert str(got) == expected


@pytest.mark.parametrize(
    ("amount", "low", "high"),
    [
        ("678.70", "678", "679"),  # whole units below 1,000
        ("1574.01", "1570", "1580"),  # tens below 10,000: no "$1,574.01" for an estimate
        ("77174", "77100", "77200"),  # three figures
        ("188043", "188000", "189000"),
        ("999.5", "999", "1000"),
        ("60.00", "60", "60"),  # already round
        ("0.4", "0", "1"),
        ("0", "0", "0"),
    ],
)
def test_converted_estimates_are_rounded_as_a_person_says_them(amount, low, high):
    """Outward: the low end down, the high end up, so the range still holds the estimate."""
    assert str(rounded(Decimal(amount), up=False)) == low
    assert str(rounded(Decimal(amount), up=True)) == high
