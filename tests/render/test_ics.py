"""The calendar (render/ics.py): one event per appointment and flight, in Seoul time with its
VTIMEZONE, in the guide's language; read by two parsers (icalendar and vobject); UIDs from the
booking, treatment and session, so a rescheduled trip updates its events (SEQUENCE carried on)."""

from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest
import vobject
from helpers import SAMPLES, load, write_file
from icalendar import Calendar

from guidebook.guide import Inputs, plan_guide
from guidebook.render.ics import carry_sequences, make_ics, previous_calendar

SAMPLE_CLINICS = SAMPLES / "clinics.yaml"


def calendar_of(inputs: Inputs, **kwargs) -> bytes:
    kwargs.setdefault("key", inputs.key)
    return make_ics(inputs.profile, plan_guide(inputs), inputs.catalogue, inputs.clinic_list, **kwargs)


def events(data: bytes) -> dict[str, object]:
    """The VEVENTs by UID (icalendar)."""
    return {str(e["uid"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def test_every_appointment_and_flight_is_an_event_in_seoul_time_and_the_same_bytes_each_time():
    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLE_CLINICS)
    plan = plan_guide(inputs)
    data = make_ics(inputs.profile, plan, inputs.catalogue, inputs.clinic_list)
    assert data == make_ics(inputs.profile, plan, inputs.catalogue, inputs.clinic_list)
    found = Calendar.from_ical(data).walk("VEVENT")
    appointments = [a for d in plan.days for a in d.appointments]
    assert len(found) == len(appointments) + 2 >= 6  # and the flights in and out
    assert all(str(e["dtstart"].dt.tzinfo) == "Asia/Seoul" for e in found)
    assert len({str(e["uid"]) for e in found}) == len(found)
    first = next(a for a in appointments if a.kind == "treatment" and a.sessions_in_stay)
    [event] = [
        e
        for e in found
        if e["dtstart"].dt.replace(tzinfo=None).time() == first.start and e["dtstart"].dt.date() == first.date
    ]
    name = inputs.catalogue.get(first.treatment_id).name
    assert str(event["summary"]).startswith(name)
    arrival, home = found[0], found[-1]
    assert str(arrival["summary"]) == "Arrive in Seoul (OZ271)"
    assert arrival["dtstart"].dt.replace(tzinfo=None) == inputs.profile.trip.arrival
    assert str(home["summary"]) == "Flight home (OZ272)" and "airport" in str(home["description"])
    assert home["dtstart"].dt.replace(tzinfo=None) == inputs.profile.trip.departure


def test_two_parsers_read_it_with_the_seoul_time_zone_it_defines():
    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLE_CLINICS)
    data = calendar_of(inputs)
    text = data.decode()
    assert text.count("BEGIN:VTIMEZONE") == 1 and "TZID:Asia/Seoul" in text
    assert "\r\n" in text and all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded
    ours = Calendar.from_ical(data)
    [zone] = ours.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Asia/Seoul"
    theirs = vobject.readOne(text)
    assert theirs.vtimezone.tzid.value == "Asia/Seoul"
    by_uid = {e.uid.value: e for e in theirs.vevent_list}
    assert set(by_uid) == set(events(data))
    for uid, event in events(data).items():
        other = by_uid[uid].dtstart.value
        assert other.utcoffset() == timedelta(hours=9)  # vobject read the VTIMEZONE, not a name
        assert other == event["dtstart"].dt
        assert event["dtstamp"].dt.utcoffset() == timedelta(0)  # DTSTAMP is UTC (RFC 5545)
        assert int(event["sequence"]) == 0


def test_the_calendar_speaks_the_guide_language():
    from guidebook.i18n import translations

    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLE_CLINICS)
    plan = plan_guide(inputs)
    names = {
        inputs.catalogue.get(a.treatment_id).name for d in plan.days for a in d.appointments if a.treatment_id
    }
    for language in ["ja", "zh-Hans", "zh-Hant", "ko"]:
        found = Calendar.from_ical(
            make_ics(inputs.profile, plan, inputs.catalogue, inputs.clinic_list, language)
        ).walk("VEVENT")
        _ = translations(language).gettext
        visits = [e for e in found if "flight" not in str(e["uid"])]
        titles = [str(e["summary"]).split(" – ")[0].split(" (")[0] for e in visits]
        assert _("Consultation") != "Consultation" and _("Consultation") in titles
        assert {_(n) for n in names} <= set(titles)
        assert not names & set(titles)  # no English treatment name left
        assert all(_("Phone") + ":" in str(e["description"]) for e in visits)
        assert str(found[0]["summary"]).startswith(_("Arrive in Seoul"))
        assert str(found[-1]["summary"]).startswith(_("Flight home"))


def test_uids_come_from_the_booking_treatment_and_session_so_a_reschedule_updates_its_events(tmp_path):
    text = (SAMPLES / "traveler.yaml").read_text(encoding="utf-8")
    first = load(SAMPLES / "traveler.yaml", clinics=SAMPLE_CLINICS)
    moved = load(
        write_file(tmp_path, text.replace("2026-09-19T15:20", "2026-09-21T09:05").replace("OZ271", "KE81")),
        clinics=SAMPLE_CLINICS,
    )
    before, after = events(calendar_of(first)), events(calendar_of(moved))
    assert before.keys() == after.keys()  # the same events, at new times: updated, not doubled
    assert all(re.fullmatch(r"[0-9a-f]{16}-[a-z0-9-]+-(in|out|[0-9]+)@guidebook", uid) for uid in before)
    changed = [uid for uid in before if before[uid]["dtstart"].dt != after[uid]["dtstart"].dt]
    assert changed and len(changed) < len(before)
    booked = events(calendar_of(Inputs(first.profile, first.shared, key="B-17")))
    assert booked.keys().isdisjoint(before.keys())  # a booking id, not the name, when given
    renamed = first.profile.model_copy(
        update={"traveler": first.profile.traveler.model_copy(update={"name": "X"})}
    )
    assert events(calendar_of(Inputs(renamed, first.shared, key="B-17"))).keys() == booked.keys()


def test_sequence_goes_up_for_changed_events_and_a_dropped_event_is_cancelled(tmp_path):
    text = (SAMPLES / "traveler.yaml").read_text(encoding="utf-8")
    old = calendar_of(load(SAMPLES / "traveler.yaml", clinics=SAMPLE_CLINICS))
    assert carry_sequences(old, old) == old  # nothing changed: the same bytes
    assert carry_sequences(old, None) == old and carry_sequences(old, b"not a calendar") == old
    without = "  - id: hydrafacial\n    clinic: seoul-glow-myeongdong\n"
    assert without in text
    shorter = text.replace("2026-09-19T15:20", "2026-09-21T09:05").replace(without, "")
    new = calendar_of(load(write_file(tmp_path, shorter), clinics=SAMPLE_CLINICS))
    carried = events(carry_sequences(new, old))
    before, fresh = events(old), events(new)
    for uid, event in fresh.items():
        moved = event["dtstart"].dt != before[uid]["dtstart"].dt if uid in before else False
        assert int(carried[uid]["sequence"]) == (1 if moved else 0), uid
    dropped = set(before) - set(fresh)
    assert {u.split("-", 1)[1] for u in dropped} == {
        "hydrafacial-1@guidebook",
        "consultation-seoul-glow-myeongdong-1@guidebook",
    }
    for uid in dropped:
        assert str(carried[uid]["status"]) == "CANCELLED" and int(carried[uid]["sequence"]) == 1
    again = carry_sequences(new, carry_sequences(new, old))
    assert events(again).keys() == carried.keys()
    assert all(int(events(again)[u]["sequence"]) == int(carried[u]["sequence"]) for u in carried)
    vobject.readOne(carry_sequences(new, old).decode())  # still a calendar another parser takes


def test_a_reminder_the_day_before_when_asked():
    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLE_CLINICS)
    assert not Calendar.from_ical(calendar_of(inputs)).walk("VALARM")
    found = events(calendar_of(inputs, reminder=True))
    for event in found.values():
        [alarm] = event.walk("VALARM")
        assert alarm["trigger"].dt == timedelta(days=-1) and str(alarm["action"]) == "DISPLAY"
    theirs = vobject.readOne(calendar_of(inputs, reminder=True).decode())
    assert all(e.valarm.trigger.value == timedelta(days=-1) for e in theirs.vevent_list)


def test_a_flight_time_to_be_confirmed_is_an_all_day_event(tmp_path):
    text = (SAMPLES / "traveler.yaml").read_text(encoding="utf-8")
    profile = write_file(
        tmp_path,
        text.replace("departure: 2026-09-30T18:45", "departure: 2026-09-30\n  departure_time_tbc: true"),
    )
    found = Calendar.from_ical(calendar_of(load(profile, clinics=SAMPLE_CLINICS))).walk("VEVENT")
    home = found[-1]
    assert str(home["summary"]) == "Flight home (OZ272) – time to be confirmed"
    assert str(home["dtstart"].dt) == "2026-09-30" and str(home["dtend"].dt) == "2026-10-01"
    assert "T000000" not in calendar_of(load(profile)).decode().split("UID:")[-1]  # never midnight


@pytest.mark.parametrize("kind", ["link", "fifo", "huge", "missing"])
def test_only_a_regular_previous_calendar_of_a_sane_size_is_read(tmp_path, kind):
    target = tmp_path / "trip.ics"
    if kind == "link":
        (tmp_path / "real.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        target.symlink_to(tmp_path / "real.ics")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "huge":
        target.write_bytes(b"x" * (6 << 20))
    assert previous_calendar(target) is None
    target.unlink(missing_ok=True)
    target.write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert previous_calendar(target) == target.read_bytes()
