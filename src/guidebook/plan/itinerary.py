"""Place treatment sessions on the days of a stay by the catalogue's rules (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from ..inputs.catalogue import Catalogue, Treatment, combinable
from ..inputs.models import Clinic, Profile, TreatmentRequest
from .checklists import short_date
from .types import Appointment, Day, Unplaced

MAX_TREATMENTS_PER_DAY = 3
DAY_START = time(10, 0)
CONSULTATION_MIN = 30
ONE_DAY = timedelta(days=1)
Reason = Literal["interval", "flight_buffer", "no_open_day", "stay_too_short", "downtime", "clinic_hours"]


def korean_holidays(start: date, end: date) -> dict[date, str]:
    """Korean public holidays from start to end inclusive, with their English names."""
    import holidays  # 0.2 s to import: only when a plan needs it

    years = list(range(start.year, end.year + 1))
    found = holidays.country_holidays("KR", years=years, language="en_US")
    return {d: name for d, name in sorted(found.items()) if start <= d <= end}


@dataclass(frozen=True)
class _Calendar:
    """The stay and what keeps clinics shut on which day."""

    arrival: date
    departure: date
    holidays: Mapping[date, str]
    closed: frozenset[date]
    clinics: Mapping[str, Clinic]

    def is_open(self, day: date, clinic_id: str | None) -> bool:
        """No holiday, no closure, and the clinic (when known) opens on that weekday."""
        if day in self.holidays or day in self.closed:
            return False
        clinic = self.clinics.get(clinic_id) if clinic_id else None
        if clinic is None:
            return True
        return day not in clinic.closed_dates and day.weekday() not in clinic.closed_weekdays()


@dataclass(frozen=True)
class _Request:
    """One requested treatment, with its clinic (None: still to be chosen)."""

    index: int  # position in the profile, to report in the profile's order
    t: Treatment
    clinic_id: str | None
    sessions: int | None  # None: the catalogue's recommended course, as far as it fits

    def interval(self) -> int:
        """Minimum days between two sessions (at least one)."""
        return max(1, self.t.interval_days.value)

    def last_day(self, departure: date) -> date:
        """The last day a session may be done before the flight home."""
        return departure - timedelta(days=max(1, self.t.flight_buffer_days.value))


@dataclass(frozen=True)
class _Placed:
    req: _Request
    day: date
    session: int


def plan_itinerary(
    profile: Profile,
    catalogue: Catalogue,
    *,
    clinics: Sequence[Clinic] = (),
    closed_dates: Iterable[date] = (),
    public_holidays: Mapping[date, str] | None = None,
    not_planned: Mapping[str, str] = {},
) -> tuple[list[Day], list[Unplaced]]:
    """Every day of the stay with its appointments, and every session that did not fit.

    `not_planned` maps treatment ids that must not be planned for this traveler (a personal
    caution) to the reason; their sessions are all listed as not in this trip."""
    arrival, departure = profile.trip.arrival.date(), profile.trip.departure.date()
    if public_holidays is None:
        public_holidays = korean_holidays(arrival, departure)
    cal = _Calendar(arrival, departure, public_holidays, frozenset(closed_dates), {c.id: c for c in clinics})
    requests = [
        _Request(i, catalogue.get(r.id), _clinic_for(r, clinics), r.sessions)
        for i, r in enumerate(profile.treatments)
    ]
    placed: list[_Placed] = []
    missed: dict[int, list[Unplaced]] = {}
    # Heavy-downtime treatments first, so their recovery falls early in the stay; those booked
    # only beside another treatment (topical exosome after a laser) once the others are placed.
    for req in sorted(requests, key=lambda r: (bool(r.t.only_with), -r.t.downtime_days.value)):
        if req.t.id in not_planned:
            missed[req.index] = _medical(req, not_planned[req.t.id])
        else:
            missed[req.index] = _place_request(req, cal, placed)
    for req in requests:  # with every session placed, the earliest dates keep every rule
        missed[req.index] = _settle_earliest(req, missed[req.index], placed)
    used = {r.clinic_id for r in requests if r.clinic_id}
    return _build_days(cal, placed, used), [u for r in requests for u in missed[r.index]]


def _clinic_for(request: TreatmentRequest, clinics: Sequence[Clinic]) -> str | None:
    """The requested clinic, else the first clinic offering the treatment, else None."""
    if request.clinic:
        return request.clinic
    return next((c.id for c in clinics if request.id in c.treatments), None)


def _medical(req: _Request, reason: str) -> list[Unplaced]:
    """Every session of a treatment a personal caution leaves out (reason `medical`)."""
    count = req.sessions or max(1, req.t.sessions.value)
    return [
        Unplaced(
            treatment_id=req.t.id,
            session=k,
            requested=req.sessions is not None or k == 1,
            reason_code="medical",
            reason=reason,
            earliest=None,
        )
        for k in range(1, count + 1)
    ]


def _place_request(req: _Request, cal: _Calendar, placed: list[_Placed]) -> list[Unplaced]:
    """Place the sessions of one request in order; return those that do not fit."""
    interval = timedelta(days=req.interval())
    prev: date | None = None
    missed: list[Unplaced] = []
    for k in range(1, (req.sessions or max(1, req.t.sessions.value)) + 1):
        if missed:
            why = _after_missed(req.t, k, missed[-1].earliest)
        else:
            lo = max(cal.arrival + ONE_DAY, prev + interval if prev else cal.arrival)
            day = _first_fit(req, lo, req.last_day(cal.departure), cal, placed)
            if day is not None:
                placed.append(_Placed(req, day, k))
                prev = day
                continue
            why = _explain(req, k, lo, prev, cal, placed)
        code, reason, earliest = why
        # The profile asks for every session it counts; without a count, for at least one.
        requested = req.sessions is not None or k == 1
        missed.append(
            Unplaced(
                treatment_id=req.t.id,
                session=k,
                requested=requested,
                reason_code=code,
                reason=reason,
                earliest=earliest,
            )
        )
    return missed


def _after_missed(t: Treatment, k: int, before: date | None) -> tuple[Reason, str, date | None]:
    """A session after one that is already not in this stay."""
    earliest = before + timedelta(days=max(1, t.interval_days.value)) if before else None
    return "interval", _after_missed_text(t, k, earliest), earliest


def _after_missed_text(t: Treatment, k: int, earliest: date | None) -> str:
    interval = max(1, t.interval_days.value)
    when = short_date(earliest) if earliest else "a later trip"
    return (
        f"{t.name} needs {_n_days(interval)} between sessions and session {k - 1} is not in "
        f"this stay; session {k} could be done from {when}."
    )


def _n_days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _days(lo: date, hi: date) -> list[date]:
    return [lo + timedelta(days=n) for n in range((hi - lo).days + 1)]


def _first_fit(req: _Request, lo: date, hi: date, cal: _Calendar, placed: list[_Placed]) -> date | None:
    """The earliest open day in [lo, hi] where nothing already placed conflicts."""
    for day in _days(lo, hi):
        if cal.is_open(day, req.clinic_id) and _conflict(req, day, placed, cal) is None:
            return day
    return None


def _conflict(req: _Request, day: date, placed: list[_Placed], cal: _Calendar) -> str | None:
    """Why the request cannot take this day given what is placed already; None when it can."""
    t = req.t
    same_day = [p for p in placed if p.day == day]
    if len(same_day) >= MAX_TREATMENTS_PER_DAY:
        return f"at most {MAX_TREATMENTS_PER_DAY} treatments a day"
    if (short := _too_long(req, day, same_day, cal)) is not None:
        return short
    if t.only_with and not any(p.req.t.id in t.only_with for p in same_day):
        return "it is done only on the same day as a laser session in this plan"
    for p in same_day:
        if not combinable(t, p.req.t):
            return f"it cannot share a day with {p.req.t.name}"
        if p.req.clinic_id and req.clinic_id and p.req.clinic_id != req.clinic_id:
            return f"{p.req.t.name} is booked at another clinic"
    return _gap_conflict(t, day, placed, own_recovery=True)


def _too_long(req: _Request, day: date, same_day: list[_Placed], cal: _Calendar) -> str | None:
    """Why the clinic's hours that day cannot hold this visit with the others booked there (a
    consultation counted in, as on a first visit); None when they can, or are not given."""
    clinic = cal.clinics.get(req.clinic_id) if req.clinic_id else None
    hours = clinic.opening(day.weekday()) if clinic else None
    if clinic is None or hours is None:
        return None
    opens, closes = (_minutes(text) for text in hours)
    if closes <= opens:  # "10:00-02:00": open past midnight
        closes += 24 * 60
    available = closes - max(opens, DAY_START.hour * 60 + DAY_START.minute)
    needed = (
        CONSULTATION_MIN
        + req.t.duration_min.value
        + sum(p.req.t.duration_min.value for p in same_day if p.req.clinic_id == req.clinic_id)
    )
    if needed <= available:
        return None
    return (
        f"{clinic.name} is open until {hours[1]} on {day.strftime('%A')}s, too short for "
        f"{needed} minutes of appointments"
    )


def _minutes(text: str) -> int:
    """Minutes since midnight of "HH:MM" ("24:00" is 1,440)."""
    hours, _, minutes = text.partition(":")
    return int(hours) * 60 + int(minutes)


def _settle_earliest(req: _Request, missed: list[Unplaced], placed: list[_Placed]) -> list[Unplaced]:
    """The earliest dates again, against every session of the stay (a treatment placed after
    this one was explained may need a gap too), each session at least an interval after the one
    before."""
    settled: list[Unplaced] = []
    interval = timedelta(days=req.interval())
    for u in missed:
        if u.earliest is None:
            settled.append(u)
            continue
        previous = settled[-1].earliest if settled else None
        start = max(u.earliest, previous + interval) if previous else u.earliest
        earliest = earliest_after(req, start, placed)
        if earliest != u.earliest:
            update: dict[str, object] = {"earliest": earliest}
            if previous is not None:  # a session after one already left out: its sentence has the date
                update["reason"] = _after_missed_text(req.t, u.session, earliest)
            u = u.model_copy(update=update)
        settled.append(u)
    return settled


def earliest_after(req: _Request, start: date, placed: list[_Placed]) -> date:
    """The first day from `start` that keeps the rules a session must keep with the sessions of
    this stay once the traveler is home: the "keep apart" gaps both ways, and the recovery of
    each placed session (a Hydrafacial 14 days after an IPL, not the day after the flight)."""
    day = start
    for _ in range(400):  # every rule is a gap of days, so the answer is within a few months
        if _home_conflict(req.t, day, placed) is None:
            return day
        day += ONE_DAY
    return day


def _home_conflict(t: Treatment, day: date, placed: list[_Placed]) -> str | None:
    """Why a session on `day`, after the stay, breaks a gap with a session of the stay; None if
    it does not (its own recovery no longer matters: nothing follows it here)."""
    return _gap_conflict(t, day, placed, own_recovery=False)


def _gap_conflict(t: Treatment, day: date, placed: list[_Placed], *, own_recovery: bool) -> str | None:
    """The gaps in days a session keeps with the others: keep apart (both ways), the others'
    recovery, and (`own_recovery`) its own recovery before a later session."""
    for p in placed:
        other = p.req.t
        if other.id == t.id:
            continue
        gap = (day - p.day).days
        apart = max(t.keep_apart.get(other.id, 0), other.keep_apart.get(t.id, 0))
        if abs(gap) < apart:
            return f"it must be {apart} days apart from {other.name}"
        if 0 < gap <= other.downtime_days.value:
            return f"the {other.downtime_days.value}-day recovery after {other.name}"
        if own_recovery and 0 < -gap <= t.downtime_days.value:
            return f"its own {t.downtime_days.value}-day recovery would overlap {other.name}"
    return None


def _explain(
    req: _Request, k: int, lo: date, prev: date | None, cal: _Calendar, placed: list[_Placed]
) -> tuple[Reason, str, date | None]:
    """The reason code, an English sentence and the earliest date for a session that did not fit."""
    t, interval, last_ok = req.t, req.interval(), req.last_day(cal.departure)
    due = prev + timedelta(days=interval) if prev else None
    after_return = cal.departure + ONE_DAY
    earliest = earliest_after(req, max(after_return, due) if due else after_return, placed)
    name, dep = t.name, short_date(cal.departure)
    if cal.arrival + ONE_DAY > cal.departure - ONE_DAY:
        return (
            "stay_too_short",
            (
                f"Your stay from {short_date(cal.arrival)} to {dep} has no full day between arrival "
                f"and departure (both kept light) for {name} session {k}."
            ),
            earliest,
        )
    if due and due > cal.departure:
        return (
            "interval",
            (
                f"{name} needs {_n_days(interval)} between sessions; session {k} could be done on "
                f"{short_date(due)}, after your flight on {dep}."
            ),
            earliest,
        )
    if lo > last_ok:
        buffer = max(1, t.flight_buffer_days.value)
        start = f"{_n_days(interval)} after session {k - 1}" if due else "the day after arrival"
        return (
            "flight_buffer",
            (
                f"{name} needs {_n_days(buffer)} between a session and your flight on {dep}, so by "
                f"{short_date(last_ok)}; session {k} could be done on {short_date(lo)} at the "
                f"earliest ({start})."
            ),
            earliest,
        )
    window = f"from {short_date(lo)} to {short_date(last_ok)}"
    open_days = [d for d in _days(lo, last_ok) if cal.is_open(d, req.clinic_id)]
    if not open_days:
        return (
            "no_open_day",
            (
                f"{name} session {k} could be done {window}, but on each of those days the clinic is "
                "closed or it is a public holiday."
            ),
            earliest,
        )
    conflicts = {d: _conflict(req, d, placed, cal) for d in open_days}
    causes = dict.fromkeys(str(c) for c in conflicts.values())
    hours_only = all(
        c == _too_long(req, d, [p for p in placed if p.day == d], cal) for d, c in conflicts.items()
    )
    code: Reason = "clinic_hours" if hours_only else "downtime"
    return (
        code,
        (f"{name} session {k} fits no open day {window}: " + "; ".join(list(causes)[:3]) + "."),
        earliest,
    )


def _build_days(cal: _Calendar, placed: list[_Placed], used: set[str]) -> list[Day]:
    """One Day per date of the stay, with appointments, downtime and closures.

    A day is marked closed for a global closure or a closure of a clinic the traveler uses.
    """
    per_request: dict[int, int] = {}
    for p in placed:
        per_request[p.req.index] = per_request.get(p.req.index, 0) + 1
    closed = set(cal.closed)
    for clinic_id in used:
        if clinic_id in cal.clinics:
            closed.update(cal.clinics[clinic_id].closed_dates)
    consulted: set[str | None] = set()
    days: list[Day] = []
    for day in _days(cal.arrival, cal.departure):
        todays = [p for p in placed if p.day == day]
        recovering = [
            p.req.t.id
            for p in sorted(placed, key=lambda p: p.day)
            if 0 < (day - p.day).days <= p.req.t.downtime_days.value
        ]
        days.append(
            Day(
                date=day,
                is_arrival=day == cal.arrival,
                is_departure=day == cal.departure,
                holiday=cal.holidays.get(day),
                closed=day in closed,
                appointments=_appointments(day, todays, per_request, consulted, cal),
                downtime=list(dict.fromkeys(recovering)),
            )
        )
    return days


def _appointments(
    day: date,
    todays: list[_Placed],
    per_request: Mapping[int, int],
    consulted: set[str | None],
    cal: _Calendar,
) -> list[Appointment]:
    """Back-to-back appointments per clinic: a first-visit consultation, then treatments."""
    groups: dict[str | None, list[_Placed]] = {}
    for p in sorted(todays, key=lambda p: p.req.t.day_order):
        groups.setdefault(p.req.clinic_id, []).append(p)
    clock = datetime.combine(day, DAY_START)
    out: list[Appointment] = []
    for clinic_id, group in groups.items():
        clock = max(clock, _opening(day, cal.clinics.get(clinic_id) if clinic_id else None))
        if clinic_id not in consulted:
            consulted.add(clinic_id)
            end = clock + timedelta(minutes=CONSULTATION_MIN)
            out.append(
                Appointment(
                    date=day,
                    start=clock.time(),
                    end=end.time(),
                    kind="consultation",
                    clinic_id=clinic_id,
                )
            )
            clock = end
        for p in group:
            end = clock + timedelta(minutes=p.req.t.duration_min.value)
            out.append(
                Appointment(
                    date=day,
                    start=clock.time(),
                    end=end.time(),
                    kind="treatment",
                    clinic_id=clinic_id,
                    treatment_id=p.req.t.id,
                    session=p.session,
                    sessions_in_stay=per_request[p.req.index],
                )
            )
            clock = end
    return out


def _opening(day: date, clinic: Clinic | None) -> datetime:
    """When the clinic opens that day (10:00 when its hours are not given)."""
    hours = clinic.opening(day.weekday()) if clinic else None
    if hours is None:
        return datetime.combine(day, DAY_START)
    return datetime.combine(day, time.fromisoformat(hours[0]))
