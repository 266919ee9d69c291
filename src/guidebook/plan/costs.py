"""Cost estimate: KRW ranges per treatment and consultation, converted at a given, dated rate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_precision

from ..inputs.catalogue import Catalogue
from ..inputs.models import Clinic, Profile
from .types import CostRow, Costs, Day, Money


@dataclass(frozen=True)
class Rate:
    """How many won one unit of `currency` buys, as of a date, from a named source."""

    currency: str
    krw_per_unit: Decimal
    as_of: date | None
    source: str
    note: str | None = None  # the source as the user typed it, printed in the guide


def profile_rate(profile: Profile) -> Rate | None:
    """The rate given in the profile, for the traveler's home currency (or the budget's)."""
    given = profile.exchange_rate
    currency = profile.traveler.home_currency
    if currency is None and profile.budget and profile.budget.currency != "KRW":
        currency = profile.budget.currency
    if given is None or currency is None or currency == "KRW":
        return None
    source = f"traveler profile ({given.source})" if given.source else "traveler profile"
    return Rate(currency, given.krw_per_unit, given.as_of, source, note=given.source)


def estimate_costs(
    profile: Profile,
    catalogue: Catalogue,
    days: Sequence[Day],
    *,
    clinics: Sequence[Clinic] = (),
    rate: Rate | None = None,
) -> Costs:
    """Low and high totals for the sessions of this stay; the rate argument beats the profile's."""
    rows, unpriced = _rows(profile, catalogue, days)
    count, consult_low, consult_high = _consultations(catalogue, days, clinics)
    total_low = sum(r.low for r in rows if r.low is not None) + consult_low
    total_high = sum(r.high for r in rows if r.high is not None) + consult_high
    costs = Costs(
        rows=rows,
        consultations=count,
        consultation_low=consult_low,
        consultation_high=consult_high,
        total_low=total_low,
        total_high=total_high,
        unpriced=unpriced,
    )
    rate = rate or profile_rate(profile)
    if rate is not None:
        costs.rate_currency, costs.krw_per_unit = rate.currency, rate.krw_per_unit
        costs.rate_date, costs.rate_source = rate.as_of, rate.source
        costs.rate_note = rate.note
        costs.home = Money(
            currency=rate.currency,
            low=rounded(convert(total_low, rate), up=False),
            high=rounded(convert(total_high, rate), up=True),
        )
    _check_budget(profile, costs)
    return costs


def convert(krw: int, rate: Rate) -> Decimal:
    """Won to the rate's currency, rounded to that currency's usual number of decimals."""
    step = Decimal(1).scaleb(-get_currency_precision(rate.currency))
    return (Decimal(krw) / rate.krw_per_unit).quantize(step, rounding=ROUND_HALF_UP)


def rounded(amount: Decimal, *, up: bool) -> Decimal:
    """A converted estimate as a person says it, in whole units: to the unit below 1,000, then to
    three significant figures (tens below 10,000, hundreds below 100,000, ...). Rounded outward,
    the low end down and the high end up, so the range still holds the estimate and a budget
    check on the high end is never too kind."""
    if amount <= 0:
        return Decimal(0)
    step = Decimal(10) ** max(0, len(str(int(amount))) - 3)
    return (amount / step).to_integral_value(rounding=ROUND_CEILING if up else ROUND_FLOOR) * step


def _rows(profile: Profile, catalogue: Catalogue, days: Sequence[Day]) -> tuple[list[CostRow], list[str]]:
    """A row per requested treatment, with the sessions placed in the stay."""
    placed: dict[str, int] = {}
    for day in days:
        for a in day.appointments:
            if a.kind == "treatment" and a.treatment_id:
                placed[a.treatment_id] = placed.get(a.treatment_id, 0) + 1
    rows: list[CostRow] = []
    unpriced: list[str] = []
    for treatment_id in dict.fromkeys(r.id for r in profile.treatments):
        price = catalogue.get(treatment_id).price_krw
        n = placed.get(treatment_id, 0)
        if price.low is None or price.high is None:
            unpriced.append(treatment_id)
            rows.append(
                CostRow(
                    treatment_id=treatment_id,
                    sessions=n,
                    unit_low=None,
                    unit_high=None,
                    low=None,
                    high=None,
                )
            )
            continue
        rows.append(
            CostRow(
                treatment_id=treatment_id,
                sessions=n,
                unit_low=price.low,
                unit_high=price.high,
                low=price.low * n,
                high=price.high * n,
            )
        )
    return rows, unpriced


def _consultations(
    catalogue: Catalogue, days: Sequence[Day], clinics: Sequence[Clinic]
) -> tuple[int, int, int]:
    """How many consultations the itinerary holds and their fees, low and high, in won.

    A clinic's own fee wins over the catalogue's range; a missing figure counts as zero.
    """
    visited = dict.fromkeys(a.clinic_id for d in days for a in d.appointments if a.kind == "consultation")
    fees = {c.id: c.consultation_fee_krw for c in clinics}
    default = catalogue.consultation_fee_krw
    low = high = 0
    for clinic_id in visited:
        fee = fees.get(clinic_id) if clinic_id else None
        low += fee if fee is not None else default.low or 0
        high += fee if fee is not None else default.high or 0
    return len(visited), low, high


def _check_budget(profile: Profile, costs: Costs) -> None:
    """Compare the high total with the budget, in won or in the rate's currency."""
    budget = profile.budget
    if budget is None:
        return
    costs.budget_currency, costs.budget_max = budget.currency, budget.max
    if budget.currency == "KRW":
        high = Decimal(costs.total_high)
    elif costs.home is not None and costs.home.currency == budget.currency:
        high = costs.home.high
    else:
        return
    costs.budget_high_in_budget_currency = high
    costs.over_budget = high > budget.max
