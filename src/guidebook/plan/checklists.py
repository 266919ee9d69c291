"""Dated checklists: before the trip, on each treatment day, after each session, back home."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from babel.dates import format_date

from ..i18n import N_
from ..inputs.catalogue import Catalogue
from ..inputs.models import Profile
from .cautions import is_suppressed, suppressed
from .types import Appointment, ChecklistItem, Checklists, Day, PersonalCaution, Unplaced


def short_date(day: date) -> str:
    """A date as "28 Apr", for reasons and checklist texts (English, whatever the locale)."""
    return format_date(day, "d MMM", locale="en")


def build_checklists(
    profile: Profile,
    catalogue: Catalogue,
    days: Sequence[Day],
    unplaced: Sequence[Unplaced],
    *,
    cautions: Sequence[PersonalCaution] = (),
) -> Checklists:
    """Checklists with real dates, from the planned days and the sessions left for later.

    Advice a personal caution rules out for this traveler ("numbing cream goes on 30-40 minutes
    before" for someone allergic to lidocaine) is left out, and each caution (with its question
    for the doctor) comes on the first day of a treatment it touches."""
    sessions = [a for d in days for a in d.appointments if a.kind == "treatment"]
    phrases = suppressed(cautions)

    def keep(items: list[ChecklistItem]) -> list[ChecklistItem]:
        return [item for item in items if not is_suppressed(item.text, phrases)]

    return Checklists(
        before=keep(_before(profile, catalogue, sessions)),
        treatment_days=sorted(  # on each day, the cautions first
            _caution_items(cautions, sessions) + keep(_merge(_treatment_days(catalogue, days))),
            key=lambda item: item.date or date.max,
        ),
        after_each=keep(_join_spans(_merge(_after_each(catalogue, sessions)))),
        after_home=keep(_after_home(profile, catalogue, sessions, unplaced)),
    )


def _caution_items(cautions: Sequence[PersonalCaution], sessions: list[Appointment]) -> list[ChecklistItem]:
    """Each caution, and its question for the doctor, on the first day of a treatment it touches."""
    items = []
    for caution in cautions:
        days = [a for a in sessions if caution.effects.get(a.treatment_id or "") in {"caution", "ask"}]
        if not days:
            continue
        first = min(days, key=lambda a: a.date)
        items.append(
            ChecklistItem(date=first.date, text=caution.text, treatment_id=first.treatment_id, kind="caution")
        )
        if caution.ask:
            items.append(
                ChecklistItem(
                    date=first.date,
                    text=caution.ask,
                    treatment_id=first.treatment_id,
                    kind="question",
                    ko=caution.ask_ko,
                )
            )
    return sorted(items, key=lambda item: item.date or date.max)


def _before(profile: Profile, catalogue: Catalogue, sessions: list[Appointment]) -> list[ChecklistItem]:
    """Each treatment's preparation, dated from its first session, then general trip items."""
    first: dict[str, date] = {}
    for a in sessions:
        if a.treatment_id and a.treatment_id not in first:
            first[a.treatment_id] = a.date
    earliest: dict[str, ChecklistItem] = {}
    for treatment_id, day in first.items():
        for advice in catalogue.get(treatment_id).prep:
            item = ChecklistItem(
                date=day - timedelta(days=advice.days), text=advice.text, treatment_id=treatment_id
            )
            known = earliest.get(advice.text)
            if known is None or (known.date and item.date and item.date < known.date):
                earliest[advice.text] = item
    items = list(earliest.values()) + _general(profile, bool(sessions))
    return sorted(items, key=lambda item: item.date or date.max)


def _general(profile: Profile, has_appointments: bool) -> list[ChecklistItem]:
    """Trip items every traveler needs, dated back from the arrival day."""
    arrival = profile.trip.arrival.date()

    def item(days_before: int, text: str) -> ChecklistItem:
        return ChecklistItem(date=arrival - timedelta(days=days_before), text=text)

    medical = item(7, _medical_note(profile))
    medical.template = N_(
        "Tell the clinic about your allergies and the medicines you take (they are on your medical card)."
    )
    items = [
        item(30, N_("Check that your passport is valid for the whole trip.")),
        # Ordinary travel insurance usually excludes elective cosmetic treatment (issue 13;
        # data/first_visit.yaml sources, checked 2026-12-01).
        item(
            30,
            N_(
                "Travel insurance usually does not cover elective cosmetic treatment or its "
                "complications. Read your policy before you go."
            ),
        ),
        medical,
    ]
    if profile.trip.interpreter:
        items.append(item(7, N_("Book a medical interpreter; services ask for 5 to 7 days' notice.")))
    if has_appointments:
        items.append(item(3, N_("Confirm your appointments with each clinic.")))
    return items


def _medical_note(profile: Profile) -> str:
    medical = profile.traveler.medical
    named = []
    if medical and medical.allergies:
        named.append("allergies (" + ", ".join(medical.allergies) + ")")
    if medical and medical.medications:
        named.append("medications (" + ", ".join(medical.medications) + ")")
    if not named:
        return "Tell the clinic about any allergies and any medicines you take."
    return "Tell the clinic about your " + " and ".join(named) + "."


def _treatment_days(catalogue: Catalogue, days: Sequence[Day]) -> list[ChecklistItem]:
    """On each day with treatments, what to do for each of them."""
    items: list[ChecklistItem] = []
    for day in days:
        seen: set[str] = set()
        for a in day.appointments:
            if a.kind != "treatment" or not a.treatment_id:
                continue
            for text in catalogue.get(a.treatment_id).on_the_day:
                if text not in seen:
                    seen.add(text)
                    items.append(ChecklistItem(date=day.date, text=text, treatment_id=a.treatment_id))
    return items


def _after_each(catalogue: Catalogue, sessions: list[Appointment]) -> list[ChecklistItem]:
    """Aftercare for each session, from its day until the advice runs out."""
    items: list[ChecklistItem] = []
    for a in sessions:
        if not a.treatment_id:
            continue
        for advice in catalogue.get(a.treatment_id).aftercare:
            items.append(
                ChecklistItem(
                    date=a.date,
                    until=a.date + timedelta(days=advice.days),
                    text=advice.text,
                    treatment_id=a.treatment_id,
                )
            )
    return items


def _merge(items: list[ChecklistItem]) -> list[ChecklistItem]:
    """One item per day and advice: the same text keeps its longest span, and a text that a
    more specific one of the same day starts with ("Tell the doctor ... you take." before
    "Tell the doctor ... you take, especially ...") is left out."""
    kept: dict[tuple[date | None, str], ChecklistItem] = {}
    for item in items:
        key = (item.date, item.text)
        known = kept.get(key)
        if known is None or (item.until and (known.until is None or item.until > known.until)):
            kept[key] = item
    stems = {(d, t.rstrip(".")) for d, t in kept}
    out = [
        item
        for (day, text), item in kept.items()
        if not any(
            d == day and other != text.rstrip(".") and other.startswith(text.rstrip("."))
            for d, other in stems
        )
    ]
    return sorted(out, key=lambda i: (i.date or date.max, i.until or i.date or date.max))


def _join_spans(items: list[ChecklistItem]) -> list[ChecklistItem]:
    """Lasting advice that reads the same and whose spans overlap or touch becomes one item
    over the whole span ("Use SPF 50+ every day" after two laser sessions a week apart is one
    line from the first session to 14 days after the second, not two overlapping lines)."""
    out: list[ChecklistItem] = []
    open_spans: dict[tuple[str, str | None, str | None], ChecklistItem] = {}
    for item in items:  # by start date (from _merge)
        if item.date is None or item.until is None:
            out.append(item)
            continue
        named = item.template and "%(treatment)s" in item.template
        key = (item.text, item.template, item.treatment_id if named else None)
        current = open_spans.get(key)
        if (
            current is not None
            and current.until is not None
            and item.date <= current.until + timedelta(days=1)
        ):
            joined = current.model_copy(update={"until": max(current.until, item.until)})
            out[out.index(current)] = joined
            open_spans[key] = joined
            continue
        out.append(item)
        open_spans[key] = item
    return sorted(out, key=lambda i: (i.date or date.max, i.until or i.date or date.max))


def _after_home(
    profile: Profile,
    catalogue: Catalogue,
    sessions: list[Appointment],
    unplaced: Sequence[Unplaced],
) -> list[ChecklistItem]:
    """Sun protection after lasers, the sessions still to do, and the paperwork."""
    departure = profile.trip.departure.date()
    items: list[ChecklistItem] = []
    sun_until = _sun_until(catalogue, sessions)
    if sun_until and sun_until > departure:
        text = (
            "Keep using a high-SPF sunscreen every day and stay out of strong sun until "
            f"{short_date(sun_until)}."
        )
        items.append(
            ChecklistItem(
                date=departure,
                until=sun_until,
                text=text,
                template=N_("Keep using a high-SPF sunscreen every day and stay out of strong sun."),
            )
        )
    announced: set[str] = set()
    for u in unplaced:
        if u.earliest is None or u.treatment_id in announced:
            continue
        announced.add(u.treatment_id)
        name = catalogue.get(u.treatment_id).name
        if any(a.treatment_id == u.treatment_id for a in sessions):
            text = (
                f"Next {name} session from {short_date(u.earliest)}, "
                "at a clinic at home or on your next trip."
            )
            template = N_("Next %(treatment)s session, at a clinic at home or on your next trip.")
        else:  # not one session fitted in this stay
            text = (
                f"{name} was not done on this trip; it could be done from "
                f"{short_date(u.earliest)}, at a clinic at home or on your next trip."
            )
            template = N_(
                "%(treatment)s was not done on this trip: it could be done from this "
                "date, at a clinic at home or on your next trip."
            )
        items.append(
            ChecklistItem(date=u.earliest, text=text, treatment_id=u.treatment_id, template=template)
        )
    items.append(
        ChecklistItem(
            date=departure,
            text=N_("Keep your receipts and itemized bills, for insurance claims or any complaint."),
        )
    )
    return sorted(items, key=lambda item: item.date or date.max)


def _sun_until(catalogue: Catalogue, sessions: list[Appointment]) -> date | None:
    """The last day of aftercare after the lasers of the stay, or None without a laser."""
    ends = []
    for a in sessions:
        t = catalogue.get(a.treatment_id) if a.treatment_id else None
        if t is not None and t.category == "laser":
            ends.append(a.date + timedelta(days=max((c.days for c in t.aftercare), default=0)))
    return max(ends, default=None)
