"""Appointments as an iCalendar file (Asia/Seoul times), reproducible for the same input."""

from __future__ import annotations

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from ..i18n import translations
from ..inputs.catalogue import Catalogue
from ..inputs.models import Clinic, Profile
from ..plan.types import Plan

SEOUL = ZoneInfo("Asia/Seoul")


def make_ics(
    profile: Profile, plan: Plan, catalogue: Catalogue, clinics: list[Clinic], language: str | None = None
) -> bytes:
    """One VEVENT per appointment, with the clinic's name, address and phone, in the guide's
    language (by default the traveler's)."""
    language = language or profile.traveler.language
    _ = translations(language).gettext
    by_id = {c.id: c for c in clinics}
    cal = Calendar()
    cal.add("prodid", "-//guidebook//Seoul skin-treatment trip//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{_('Your skin-care trip to Seoul')} – {profile.traveler.name}")
    stamp = profile.trip.arrival.replace(tzinfo=SEOUL)  # fixed, from the input
    for day in plan.days:
        for appt in day.appointments:
            clinic = by_id.get(appt.clinic_id or "")
            what = (
                _("Consultation")
                if appt.kind == "consultation"
                else _(catalogue.get(appt.treatment_id or "").name)
            )
            if appt.session and appt.sessions_in_stay and appt.sessions_in_stay > 1:
                what += f" ({appt.session}/{appt.sessions_in_stay})"
            event = Event()
            event.add("summary", f"{what} – {clinic.name_in(language)}" if clinic else what)
            event.add("dtstart", datetime.combine(appt.date, appt.start, SEOUL))
            event.add("dtend", datetime.combine(appt.date, appt.end, SEOUL))
            event.add("dtstamp", stamp)
            key = f"{profile.traveler.name}|{appt.date}|{appt.start}|{appt.kind}|{appt.treatment_id}"
            event.add("uid", hashlib.sha256(key.encode()).hexdigest()[:32] + "@guidebook")
            if clinic:
                event.add("location", f"{clinic.address_ko} ({clinic.address})")
                lines = [clinic.name + (f" / {clinic.name_ko}" if clinic.name_ko else "")]
                lines += [clinic.address, clinic.address_ko]
                if clinic.phone:
                    lines.append(f"{_('Phone')}: {clinic.phone}")
                event.add("description", "\n".join(lines))
            cal.add_component(event)
    return bytes(cal.to_ical())
