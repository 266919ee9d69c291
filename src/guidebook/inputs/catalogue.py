"""The treatment catalogue: data (data/catalogue.yaml) with a source and check date per figure."""

from __future__ import annotations

import difflib
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from .models import Strict


class Source(Strict):
    """Where a figure comes from and when it was last checked."""

    source: Annotated[str, Field(min_length=3)]
    checked: date
    note: str | None = None


class Figure(Source):
    value: Annotated[int, Field(ge=0)]
    # The top of the usual range, printed beside `value` ("5-10 sessions"); the planner uses `value`.
    high: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _range(self) -> Figure:
        if self.high is not None and self.high < self.value:
            raise ValueError("high must not be below value")
        return self


class PriceRange(Source):
    low: Annotated[int, Field(ge=0)] | None = None  # None: no published figure, ask the clinic
    high: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _order(self) -> PriceRange:
        if (self.low is None) != (self.high is None):
            raise ValueError("give both low and high, or neither")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError("low must not exceed high")
        return self


class TimedAdvice(Strict):
    """Advice tied to a date: `days` before the first session, or after a session."""

    days: Annotated[int, Field(ge=0, le=365)]
    text: Annotated[str, Field(min_length=3)]


class Treatment(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")]
    name: str
    name_ko: str
    aliases: list[str] = Field(default_factory=list)
    category: Literal["booster", "laser", "facial"]
    purpose: str
    duration_min: Figure
    price_krw: PriceRange
    downtime_days: Figure
    downtime_note: str
    sessions: Figure  # recommended course
    interval_days: Figure  # minimum days between two sessions
    flight_buffer_days: Figure  # minimum days between a session and the flight home
    day_order: int  # on a shared day, lower goes first (laser before booster)
    combines_with: list[str] = Field(default_factory=list)  # ids that may share its day
    only_with: list[str] = Field(default_factory=list)  # booked only on a day with one of these
    keep_apart: dict[str, int] = Field(default_factory=dict)  # id -> minimum days apart
    prep: list[TimedAdvice] = Field(default_factory=list)  # days before the first session
    on_the_day: list[str] = Field(default_factory=list)
    aftercare: list[TimedAdvice] = Field(default_factory=list)  # days after each session
    safety_note: str | None = None


class Catalogue(Strict):
    version: int
    checked: date
    sources: dict[str, str]
    consultation_fee_krw: PriceRange
    treatments: list[Treatment]

    @model_validator(mode="after")
    def _references(self) -> Catalogue:
        ids = {t.id for t in self.treatments}
        if len(ids) != len(self.treatments):
            raise ValueError("treatment ids must be unique")
        for t in self.treatments:
            unknown = (set(t.combines_with) | set(t.keep_apart) | set(t.only_with)) - ids
            if unknown:
                raise ValueError(f"{t.id} refers to unknown treatments: {sorted(unknown)}")
        return self

    def get(self, treatment_id: str) -> Treatment:
        for t in self.treatments:
            if t.id == treatment_id:
                return t
        raise KeyError(treatment_id)

    def resolve(self, name: str) -> Treatment | None:
        """A treatment by id, display name or alias, ignoring case and spacing."""
        key = _norm(name)
        for t in self.treatments:
            if key in {_norm(t.id), _norm(t.name), *(_norm(a) for a in t.aliases)}:
                return t
        return None

    def suggest(self, name: str) -> str | None:
        """The closest id to a mistyped name, for a "did you mean" message."""
        choices = {_norm(t.id): t.id for t in self.treatments}
        choices.update({_norm(t.name): t.id for t in self.treatments})
        found = difflib.get_close_matches(_norm(name), list(choices), n=1, cutoff=0.6)
        return choices[found[0]] if found else None


def _norm(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def combinable(a: Treatment, b: Treatment) -> bool:
    """Two treatments may share a day only when both say so."""
    return b.id in a.combines_with and a.id in b.combines_with
