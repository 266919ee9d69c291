"""The whole plan of a trip (plan/trip.py): the planner's parts put together."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from guidebook.plan.costs import Rate
from guidebook.plan.trip import plan_trip

D = date.fromisoformat


def test_plan_trip_combines_the_parts(catalogue, make_profile):
    profile = make_profile("2026-04-06", "2026-04-17", [("rejuran-healer", 3)])
    plan = plan_trip(profile, catalogue)
    assert (plan.arrival, plan.departure) == (D("2026-04-06"), D("2026-04-17"))
    assert [u.session for u in plan.unplaced] == [3]
    assert plan.costs.rows[0].sessions == 2
    assert [i.date for i in plan.checklists.after_home] == [D("2026-04-17"), D("2026-04-21")]
    assert plan.help_numbers == []
    assert plan.model_dump_json()  # serialisable for `plan --json`


def test_closures_holidays_and_the_rate_reach_the_parts(catalogue, make_profile):
    profile = make_profile("2026-04-06", "2026-04-17", [("aqua-peel", 1)])
    plan = plan_trip(
        profile,
        catalogue,
        closed_dates=[D("2026-04-07")],
        public_holidays={D("2026-04-08"): "A made-up holiday"},
        rate=Rate("USD", Decimal(1000), None, "test"),
    )
    [visit] = [d for d in plan.days if d.appointments]
    assert visit.date == D("2026-04-09")  # the 7th closed, the 8th a holiday
    assert [d.holiday for d in plan.days if d.holiday] == ["A made-up holiday"]
    assert plan.costs.home is not None and plan.costs.home.currency == "USD"
    assert plan.costs.home.low == Decimal("60.00")  # (50,000 + a 10,000 consultation) / 1,000
