"""Appointments and flights as an iCalendar file (RFC 5545) that every calendar app takes.

Times are Asia/Seoul, with the VTIMEZONE that defines it in the file. Each event's UID comes from
the booking (its id, or the traveler's name), the treatment and the session number, never from
the date or time, so a rescheduled appointment updates its event instead of adding another; the
same input gives the same bytes (DTSTAMP comes from the input, not the clock). `carry_sequences`
raises SEQUENCE for the events that changed since the file a new one replaces, and marks the
events no longer in the trip as cancelled.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneStandard

from ..i18n import translations
from ..inputs.catalogue import Catalogue
from ..inputs.models import Clinic, Profile
from ..plan.types import Plan

SEOUL = ZoneInfo("Asia/Seoul")
UTC = ZoneInfo("UTC")
PRODID = "-//guidebook//Seoul skin-treatment trip//EN"
MAX_PREVIOUS = 5 << 20  # bytes of a previous calendar read to carry its sequence numbers
# What makes an event different from its previous version (SEQUENCE goes up when one changes).
COMPARED = ("DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION", "STATUS")


def make_ics(
    profile: Profile,
    plan: Plan,
    catalogue: Catalogue,
    clinics: list[Clinic],
    language: str | None = None,
    *,
    key: str | None = None,
    reminder: bool = False,
) -> bytes:
    """One VEVENT per appointment (with the clinic's name, address and phone) and one for each
    flight, in the guide's language (by default the traveler's). `key` identifies the booking in
    the events' UIDs (a booking id; by default the traveler's name); `reminder` adds an alert the
    day before each event."""
    language = language or profile.traveler.language
    _ = translations(language).gettext
    by_id = {c.id: c for c in clinics}
    base = hashlib.sha256((key or profile.traveler.name).encode()).hexdigest()[:16]
    stamp = profile.trip.arrival.replace(tzinfo=SEOUL).astimezone(UTC)  # fixed, from the input
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{_('Your skin-care trip to Seoul')} – {profile.traveler.name}")
    cal.add("x-wr-timezone", "Asia/Seoul")
    cal.add_component(seoul_timezone())

    def add(event: Event, uid: str) -> None:
        event.add("uid", f"{base}-{uid}@guidebook")
        event.add("dtstamp", stamp)
        event.add("sequence", 0)
        if reminder:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", str(event["summary"]))
            alarm.add("trigger", timedelta(days=-1))
            event.add_component(alarm)
        cal.add_component(event)

    trip = profile.trip
    add(_flight(_("Arrive in Seoul"), trip.flight_in, trip.arrival, trip.arrival_time_tbc, _), "flight-in")
    consultations: Counter[str] = Counter()
    for day in plan.days:
        for appt in day.appointments:
            clinic = by_id.get(appt.clinic_id or "")
            if appt.kind == "consultation":
                what = _("Consultation")
                consultations[appt.clinic_id or "-"] += 1
                uid = f"consultation-{appt.clinic_id or 'tbc'}-{consultations[appt.clinic_id or '-']}"
            else:
                what = _(catalogue.get(appt.treatment_id or "").name)
                uid = f"{appt.treatment_id}-{appt.session or 1}"
            if appt.session and appt.sessions_in_stay and appt.sessions_in_stay > 1:
                what += f" ({appt.session}/{appt.sessions_in_stay})"
            event = Event()
            event.add("summary", f"{what} – {clinic.name_in(language)}" if clinic else what)
            event.add("dtstart", datetime.combine(appt.date, appt.start, SEOUL))
            event.add("dtend", datetime.combine(appt.date, appt.end, SEOUL))
            if clinic:
                event.add("location", f"{clinic.address_ko} ({clinic.address})")
                lines = [clinic.name + (f" / {clinic.name_ko}" if clinic.name_ko else "")]
                lines += [clinic.address, clinic.address_ko]
                if clinic.phone:
                    lines.append(f"{_('Phone')}: {clinic.phone}")
                event.add("description", "\n".join(lines))
            add(event, uid)
    home = _flight(_("Flight home"), trip.flight_out, trip.departure, trip.departure_time_tbc, _)
    home.add("description", _("be at the airport 3 hours before"))
    add(home, "flight-out")
    return bytes(cal.to_ical())


def seoul_timezone() -> Timezone:
    """Asia/Seoul as a VTIMEZONE: Korea Standard Time, UTC+9, without daylight saving since 1988."""
    zone = Timezone()
    zone.add("tzid", "Asia/Seoul")
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", timedelta(hours=9))
    standard.add("tzoffsetto", timedelta(hours=9))
    standard.add("tzname", "KST")
    zone.add_component(standard)
    return zone


def _flight(title: str, number: str | None, when: datetime, to_confirm: bool, _: Any) -> Event:
    """A flight's event: an hour from its time, or the whole day when the time is to be confirmed."""
    event = Event()
    summary = f"{title} ({number})" if number else title
    if to_confirm:
        event.add("summary", f"{summary} – {_('time to be confirmed')}")
        event.add("dtstart", when.date())
        event.add("dtend", when.date() + timedelta(days=1))
    else:
        start = when.replace(tzinfo=SEOUL)
        event.add("summary", summary)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(hours=1))
    return event


def previous_calendar(path: Path) -> bytes | None:
    """The calendar at `path` that a new one will replace, if it is a regular file of a sane size
    (its sequence numbers are carried on); None otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        data = handle.read(MAX_PREVIOUS + 1)
    return data if len(data) <= MAX_PREVIOUS else None


def carry_sequences(new: bytes, previous: bytes | None) -> bytes:
    """`new` with each event's SEQUENCE carried on from `previous` (the calendar it replaces): the
    same for an unchanged event, one more for a changed one (a rescheduled session); an event of
    `previous` that `new` no longer has comes back cancelled (STATUS:CANCELLED, one more), so a
    calendar that imports the file drops it. Without a readable `previous`, `new` as it is."""
    if not previous:
        return new
    try:
        old = {str(e["uid"]): e for e in Calendar.from_ical(previous).walk("VEVENT") if "uid" in e}
    except (ValueError, KeyError, IndexError, TypeError):
        return new  # not a calendar guidebook can read: nothing to carry on
    cal = Calendar.from_ical(new)
    seen = set()
    for event in cal.walk("VEVENT"):
        uid = str(event["uid"])
        seen.add(uid)
        before = old.get(uid)
        if before is not None:
            _set_sequence(event, _sequence(before) + (0 if _same(event, before) else 1))
    for uid, before in old.items():
        if uid in seen or not uid.endswith("@guidebook"):
            continue
        gone = Event()
        for name, value in before.property_items(recursive=False)[1:-1]:
            if name not in {"SEQUENCE", "STATUS"}:
                gone.add(name, value, encode=False)
        already = str(before.get("status", "")).upper() == "CANCELLED"
        gone.add("status", "CANCELLED")
        _set_sequence(gone, _sequence(before) + (0 if already else 1))
        cal.add_component(gone)
    return bytes(cal.to_ical())


def _sequence(event: Any) -> int:
    try:
        return int(event.get("sequence", 0))
    except (TypeError, ValueError):
        return 0


def _set_sequence(event: Any, value: int) -> None:
    if "sequence" in event:
        del event["sequence"]
    event.add("sequence", value)


def _same(a: Any, b: Any) -> bool:
    return all(_value(a, name) == _value(b, name) for name in COMPARED)


def _value(event: Any, name: str) -> str:
    value = event.get(name)
    if value is None:
        return ""
    inner = getattr(value, "dt", None)
    if isinstance(inner, datetime):
        return inner.astimezone(UTC).isoformat() if inner.tzinfo else inner.isoformat()
    if isinstance(inner, (date, time)):
        return inner.isoformat()
    return str(value)
