"""The calendar (render/ics.py): one event per appointment, in Seoul time and the guide's language."""

from __future__ import annotations

import pytest
from helpers import SAMPLES, load


def test_every_appointment_is_an_event_in_seoul_time_and_the_same_bytes_each_time():
    from icalendar import Calendar

    from guidebook.guide import plan_guide
    from guidebook.render.ics import make_ics

    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml")
    plan = plan_guide(inputs)
    data = make_ics(inputs.profile, plan, inputs.catalogue, inputs.clinic_list)
    assert data == make_ics(inputs.profile, plan, inputs.catalogue, inputs.clinic_list)
    events = Calendar.from_ical(data).walk("VEVENT")
    appointments = [a for d in plan.days for a in d.appointments]
    assert len(events) == len(appointments) >= 4
    assert all(str(e["dtstart"].dt.tzinfo) == "Asia/Seoul" for e in events)
    assert len({str(e["uid"]) for e in events}) == len(events)
    first = next(a for a in appointments if a.kind == "treatment" and a.sessions_in_stay)
    [event] = [
        e
        for e in events
        if e["dtstart"].dt.replace(tzinfo=None).time() == first.start and e["dtstart"].dt.date() == first.date
    ]
    name = inputs.catalogue.get(first.treatment_id).name
    assert str(event["summary"]).startswith(name)


@pytest.mark.parametrize("language", ["ja", "zh-Hans", "zh-Hant", "ko"])
def test_the_calendar_speaks_the_guide_language(language):
    from icalendar import Calendar

    from guidebook.guide import plan_guide
    from guidebook.i18n import translations
    from guidebook.render.ics import make_ics

    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml")
    plan = plan_guide(inputs)
    events = Calendar.from_ical(
        make_ics(inputs.profile, plan, inputs.catalogue, inputs.clinic_list, language)
    ).walk("VEVENT")
    _ = translations(language).gettext
    names = {
        inputs.catalogue.get(a.treatment_id).name for d in plan.days for a in d.appointments if a.treatment_id
    }
    titles = [str(e["summary"]).split(" – ")[0].split(" (")[0] for e in events]
    assert _("Consultation") != "Consultation" and _("Consultation") in titles
    assert {_(n) for n in names} <= set(titles)
    assert not names & set(titles)  # no English treatment name left
    assert all(_("Phone") + ":" in str(e["description"]) for e in events)
