"""The whole plan of a trip, from the validated inputs (pure: no clock, files or network)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from ..inputs.catalogue import Catalogue
from ..inputs.cautions import CautionTable
from ..inputs.data import HelpNumber
from ..inputs.models import Clinic, Profile
from .cautions import not_planned, personal_cautions
from .checklists import build_checklists
from .costs import Rate, estimate_costs
from .itinerary import plan_itinerary
from .types import Plan


def plan_trip(
    profile: Profile,
    catalogue: Catalogue,
    *,
    clinics: Sequence[Clinic] = (),
    closed_dates: Iterable[date] = (),
    rate: Rate | None = None,
    help_numbers: Sequence[HelpNumber] = (),
    public_holidays: Mapping[date, str] | None = None,
    cautions: CautionTable | None = None,
) -> Plan:
    """The whole plan of a trip: the personal cautions the profile triggers (and the sessions
    they leave out), itinerary, unplaced sessions, checklists, costs, help numbers."""
    personal = personal_cautions(profile, cautions) if cautions else []
    days, unplaced = plan_itinerary(
        profile,
        catalogue,
        clinics=clinics,
        closed_dates=closed_dates,
        public_holidays=public_holidays,
        not_planned=not_planned(personal),
    )
    return Plan(
        arrival=profile.trip.arrival.date(),
        departure=profile.trip.departure.date(),
        days=days,
        unplaced=unplaced,
        checklists=build_checklists(profile, catalogue, days, unplaced, cautions=personal),
        costs=estimate_costs(profile, catalogue, days, clinics=clinics, rate=rate),
        help_numbers=list(help_numbers),
        cautions=personal,
    )
