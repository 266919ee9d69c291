"""What a first-time visitor must know, chosen for one trip (pure: the notes table, the profile
and the planned days in, plain data out).

The entry rules are chosen by the traveler's nationality and the arrival date: every row that
names the country and holds on that date (inside its window, not past its review date); when
none does, the default row; nothing from an expired row. "When the clinic is closed" is printed
only when a public holiday or closure falls in the recovery days after a treatment, and an item
about some treatments only when one of them is in the plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..inputs.first_visit import EntryRule, FirstVisit, Item
from ..inputs.models import Profile
from .types import Day


@dataclass(frozen=True)
class Note:
    """One note as the guide prints it: a title (none for an entry rule), its lines, its date."""

    title: str | None
    lines: tuple[str, ...]
    checked: date
    advice: bool = False  # the team's advice, with no external source: no checked date printed


@dataclass(frozen=True)
class NoteSection:
    id: str
    title: str
    notes: tuple[Note, ...]
    # "When the clinic is closed": the runs of days (first, last) clinics close during a recovery
    closures: tuple[tuple[date, date], ...] = ()


def entry_rules(table: FirstVisit, nationality: str | None, arrival: date) -> tuple[EntryRule, ...]:
    """The entry rules for a traveler of `nationality` arriving on `arrival`: the rows naming the
    country that hold that day; else the default row (no or an unknown nationality, or every row
    of the country expired); none for a country whose row says to skip the section."""
    rules = [rule for section in table.sections for rule in section.entry_rules]
    own = [rule for rule in rules if rule.names(nationality) and rule.applies(arrival)]
    if any(rule.skip_section for rule in own):
        return ()
    if own:
        return tuple(own)
    default = table.default_rule()
    return (default,) if default is not None and default.applies(arrival) else ()


def closures_in_recovery(days: Sequence[Day]) -> tuple[tuple[date, date], ...]:
    """The runs of days clinics close (public holidays, closures) that begin while the traveler
    recovers from a treatment, each as (first, last): Chuseok two days after a Rejuran session
    is (24 Sep, 26 Sep), its three days together."""
    closed = {day.date for day in days if day.holiday or day.closed}
    runs: list[tuple[date, date]] = []
    for day in days:
        if day.date not in closed or not day.downtime:
            continue
        if runs and runs[-1][1] >= day.date:
            continue  # inside a run already found
        first = day.date
        while first - timedelta(days=1) in closed:  # a run may begin before the recovery does
            first -= timedelta(days=1)
        last = day.date
        while last + timedelta(days=1) in closed:
            last += timedelta(days=1)
        runs.append((first, last))
    return tuple(runs)


def _note(item: Item | EntryRule, title: str | None) -> Note:
    return Note(title=title, lines=item.text, checked=item.checked, advice=item.advice)


def first_visit(table: FirstVisit, profile: Profile, days: Sequence[Day]) -> tuple[NoteSection, ...]:
    """The sections of notes this traveler's guide prints, in the table's order."""
    planned = {a.treatment_id for d in days for a in d.appointments if a.kind == "treatment"}
    closures = closures_in_recovery(days)
    arrival = profile.trip.arrival.date()
    chosen = []
    for section in table.sections:
        if section.when == "closed_after_treatment" and not closures:
            continue
        notes = []
        if section.entry_rules:
            rules = entry_rules(table, profile.traveler.nationality, arrival)
            if not rules:
                continue  # nothing to say (Korean nationals)
            notes = [_note(rule, None) for rule in rules]
        notes += [
            _note(item, item.title)
            for item in section.items
            if not item.only_for or planned & set(item.only_for)
        ]
        chosen.append(
            NoteSection(
                id=section.id,
                title=section.title,
                notes=tuple(notes),
                closures=closures if section.when == "closed_after_treatment" else (),
            )
        )
    return tuple(chosen)
