"""Plain-text views for the terminal: the catalogue table and a plan summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..inputs.catalogue import Catalogue
from ..plan.types import Plan
from ..render import fmt

if TYPE_CHECKING:
    from ..guide import Inputs


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def catalogue_table(catalogue: Catalogue) -> str:
    rows = []
    for t in catalogue.treatments:
        p = t.price_krw
        price = f"{fmt.krw(p.low)}-{fmt.krw(p.high)}" if p.low is not None else "ask clinic"
        rows.append(
            [
                t.id,
                t.name,
                price,
                str(t.downtime_days.value),
                str(t.sessions.value),
                str(t.interval_days.value),
                str(t.flight_buffer_days.value),
            ]
        )
    header = ["id", "name", "price per session", "downtime d", "sessions", "interval d", "before flight d"]
    return _table(header, rows) + f"\n\nFigures checked {catalogue.checked}; sources: `--json`."


def bookings_columns() -> str:
    """The columns of a bookings file, for `guidebook schema bookings`."""
    from ..inputs.bookings import SPECS

    out = [
        "Columns of a bookings file (CSV or .xlsx), one booking a row. Only name is needed (or a",
        "profile file that gives it), with arrival, departure and treatments. Headers are matched",
        "ignoring case, spaces and underscores, and by the other names shown; other columns are",
        "listed once and ignored (--strict-columns refuses them). Empty cells mean not given.",
        "",
    ]
    import textwrap

    width = max(len(name) for name in SPECS) + 2
    indent = " " * width
    for spec in SPECS.values():
        parts = [spec.what, f"e.g. {spec.example}"]
        if spec.aliases:
            parts.append("also: " + ", ".join(a.replace("_", " ") for a in spec.aliases))
        lines = [line for part in parts for line in textwrap.wrap(part, 96 - width, subsequent_indent="  ")]
        out.append(f"{spec.name:<{width}}{lines[0]}")
        out += [indent + line for line in lines[1:]]
    return "\n".join(out)


def bookings_schema() -> dict[str, object]:
    """One row of a bookings file as a JSON Schema: every column a string, with its description."""
    from ..inputs.bookings import SPECS

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "guidebook bookings row",
        "type": "object",
        "properties": {
            spec.name: {"type": "string", "description": spec.what, "examples": [spec.example]}
            for spec in SPECS.values()
        },
        "additionalProperties": True,
    }


def _booked(plan: Plan, inputs: Inputs) -> dict[str, int]:
    """Sessions booked for each treatment: those in the stay and those that did not fit."""
    booked: dict[str, int] = {}
    for day in plan.days:
        for a in day.appointments:
            if a.kind == "treatment" and a.treatment_id and a.sessions_in_stay:
                booked[a.treatment_id] = a.sessions_in_stay
    for u in plan.unplaced:
        if u.requested:
            booked[u.treatment_id] = max(booked.get(u.treatment_id, 0), u.session)
    return booked


def plan_text(plan: Plan, inputs: Inputs) -> str:
    names = {t.id: t.name for t in inputs.catalogue.treatments}
    booked = _booked(plan, inputs)
    clinics = {c.id: c.name for c in inputs.clinic_list}
    out = [f"Itinerary {plan.arrival} to {plan.departure}"]
    for day in plan.days:
        notes = []
        if day.is_arrival:
            notes.append("arrival")
        if day.is_departure:
            notes.append("departure")
        if day.holiday:
            notes.append(f"holiday: {day.holiday}")
        if day.closed:
            notes.append("closed")
        for a in day.appointments:
            what = "consultation" if a.kind == "consultation" else names[a.treatment_id or ""]
            total = booked.get(a.treatment_id or "", a.sessions_in_stay or 0)
            if a.session and total > 1:
                what += f" ({a.session} of {total} sessions)"
            where = clinics.get(a.clinic_id or "", a.clinic_id or "clinic to be confirmed")
            notes.append(f"{a.start:%H:%M} {what} @ {where}")
        if day.downtime:
            notes.append("recovery: " + ", ".join(names[t] for t in day.downtime))
        out.append(f"  {day.date:%a %Y-%m-%d}  " + ("; ".join(notes) or "free"))
    for treatment_id in plan.requested_without_sessions():
        out.append(f"\nWARNING: not one session of {names[treatment_id]} fits this stay (see below).")
    if plan.cautions:
        out.append("\nPersonal cautions")
        for caution in plan.cautions:
            out.append(f"  {caution.text}" + (f" Ask: {caution.ask}" if caution.ask else ""))
    if plan.unplaced:
        out.append("\nNot in this trip")
        for u in plan.unplaced:
            out.append(
                f"  {names[u.treatment_id]} session {u.session}: {u.reason}"
                + (f" (earliest {u.earliest})" if u.earliest else "")
            )
    out.append("\nChecklist dates")
    for item in plan.checklists.before:
        out.append(f"  {str(item.date or ''):10}  {item.text}")
    c = plan.costs
    out.append(f"\nCosts: {fmt.krw(c.total_low)} - {fmt.krw(c.total_high)}")
    if c.home:
        out.append(
            f"  = {fmt.money(c.home.low, c.home.currency)} - "
            f"{fmt.money(c.home.high, c.home.currency)} at 1 {c.rate_currency} = "
            f"{fmt.krw(c.krw_per_unit)} ({c.rate_date})"
        )
    if c.over_budget:
        out.append(f"  over the budget of {fmt.money(c.budget_max, c.budget_currency or 'KRW')}")
    return "\n".join(out)
