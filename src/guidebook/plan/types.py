"""The planner's output: plain data, no I/O, serialisable to JSON (`guidebook plan --json`)."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from ..inputs.data import HelpNumber


class Data(BaseModel):
    model_config = {"frozen": False}


class Appointment(Data):
    date: date
    start: time
    end: time
    kind: Literal["consultation", "treatment"]
    clinic_id: str | None = None  # None: the clinic is still to be chosen
    treatment_id: str | None = None  # None for a consultation
    session: int | None = None  # 1-based number of this session in the stay
    sessions_in_stay: int | None = None


class Day(Data):
    date: date
    is_arrival: bool = False
    is_departure: bool = False
    holiday: str | None = None  # Korean public holiday name (clinics closed)
    closed: bool = False  # an ad-hoc closure given by the user or the clinics file
    appointments: list[Appointment] = Field(default_factory=list)
    downtime: list[str] = Field(default_factory=list)  # treatment ids recovering on this day


class Unplaced(Data):
    """A session that is not in this stay, and why: never dropped in silence."""

    treatment_id: str
    session: int  # 1-based number within the course
    requested: bool  # True: the profile asked for it; False: rest of the recommended course
    reason_code: Literal[
        "interval",
        "flight_buffer",
        "no_open_day",
        "stay_too_short",
        "downtime",
        "clinic_hours",
        "medical",
    ]
    reason: str  # English sentence, also for `plan --json`
    earliest: date | None = None  # the earliest date it could be done, if any


# A field named `date` with a default shadows the type inside the class body: use an alias.
_Date = date


class ChecklistItem(Data):
    date: _Date | None = None  # the day it applies to or starts on
    until: _Date | None = None  # for advice that lasts
    text: str  # English, as in `plan --json`
    treatment_id: str | None = None
    # For other languages: a message id with %(treatment)s for the treatment's name, used
    # instead of `text` when `text` is built from the profile (names, dates) and so has no id.
    template: str | None = None
    kind: Literal["advice", "caution", "question"] = "advice"  # a personal caution, or a question
    ko: str | None = None  # a question's Korean, to show the clinic


class Checklists(Data):
    before: list[ChecklistItem] = Field(default_factory=list)
    treatment_days: list[ChecklistItem] = Field(default_factory=list)
    after_each: list[ChecklistItem] = Field(default_factory=list)
    after_home: list[ChecklistItem] = Field(default_factory=list)


class CostRow(Data):
    treatment_id: str
    sessions: int  # sessions in this stay
    unit_low: int | None  # KRW per session; None when the catalogue has no figure
    unit_high: int | None
    low: int | None
    high: int | None


class Money(Data):
    currency: str
    low: Decimal
    high: Decimal


class Costs(Data):
    rows: list[CostRow]
    consultations: int
    consultation_low: int
    consultation_high: int
    total_low: int  # KRW, priced rows and consultations
    total_high: int
    unpriced: list[str] = Field(default_factory=list)  # treatment ids left out of the totals
    rate_currency: str | None = None
    krw_per_unit: Decimal | None = None
    rate_date: date | None = None
    rate_source: str | None = None  # where the rate came from (English, for `plan --json`)
    rate_note: str | None = None  # the source as the user typed it, printed in the guide
    home: Money | None = None  # totals converted, when a rate is known
    budget_currency: str | None = None
    budget_max: Decimal | None = None
    budget_high_in_budget_currency: Decimal | None = None
    over_budget: bool | None = None  # None: cannot compare (no rate for the budget's currency)


class PersonalCaution(Data):
    """A caution of the cautions table (data/cautions.yaml) that this traveler's profile triggers."""

    id: str
    matched: list[str]  # the profile's entries that triggered it, as typed
    text: str  # English; the guide prints it translated
    effects: dict[str, Literal["caution", "ask", "not_planned"]]  # requested treatment -> effect
    not_planned_reason: str | None = None
    ask: str | None = None  # a question for the consultation (English)
    ask_ko: str | None = None
    ask_romanization: str | None = None
    medical_card: bool = False  # the Korean question goes on the medical card
    phrase_page: bool = False  # and on the phrase page
    suppress: list[str] = Field(default_factory=list)  # advice the guide must not give her
    source: str
    checked: _Date
    confidence: Literal["high", "medium", "low"]


class Plan(Data):
    arrival: date
    departure: date
    days: list[Day]
    unplaced: list[Unplaced]
    checklists: Checklists
    costs: Costs
    help_numbers: list[HelpNumber]
    cautions: list[PersonalCaution] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def no_session_fits(self) -> list[str]:
        """Treatment ids the profile asked for of which not one session is in this stay (said
        loudly: on the guide's first page, in `plan`, and as a batch row's `warning`)."""
        return self.requested_without_sessions()

    def requested_without_sessions(self) -> list[str]:
        """Treatment ids the profile asked for of which no session is in this stay."""
        placed = {a.treatment_id for d in self.days for a in d.appointments if a.kind == "treatment"}
        return list(
            dict.fromkeys(
                u.treatment_id for u in self.unplaced if u.requested and u.treatment_id not in placed
            )
        )
