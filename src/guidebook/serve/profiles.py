"""A profile from a request: JSON shaped as the YAML profile file (the API), or the trip form's
fields (the page). Both are validated by the library's own loader, so every problem is the one
`guidebook validate` gives, located by field ("traveler.name"); the form's problems are also
mapped back to the field that holds them."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from ..guide import Inputs, SharedInputs
from ..inputs.load import load_profile, load_profile_data
from ..inputs.models import Profile
from ..render.theme import default_theme

PROFILE_NAME = "profile"  # the "file" an API profile's problems are located in
MAX_JSON_DEPTH = 32  # as a YAML profile (inputs/yaml.py)
LIST_SEPARATORS = re.compile(r"[,;\n、，；]")
FORM_FIELDS = (
    "name",
    "language",
    "arrival_date",
    "arrival_time",
    "departure_date",
    "departure_time",
    "hotel_name",
    "hotel_address",
    "hotel_address_ko",
    "treatments",
    "allergies",
    "medications",
    "conditions",
)
# Where a problem's field path lands in the form: the longest prefix that matches wins.
FIELD_OF = {
    "traveler.name": "name",
    "traveler.language": "language",
    "traveler.medical.allergies": "allergies",
    "traveler.medical.medications": "medications",
    "traveler.medical.conditions": "conditions",
    "trip.arrival": "arrival_date",
    "trip.departure": "departure_date",
    "trip.hotel.name": "hotel_name",
    "trip.hotel.address_ko": "hotel_address_ko",
    "trip.hotel.address": "hotel_address",
    "trip.hotel": "hotel_name",
    "trip": "departure_date",
    "treatments": "treatments",
}


def parse_json(body: bytes) -> Any:
    """A request's JSON; InputError (located in "profile") when it is not JSON, or nested deeper
    than a profile may be."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError([Problem(PROFILE_NAME, "", f"not JSON ({_reason(exc)})", line)]) from None
    except RecursionError:
        raise InputError(
            [Problem(PROFILE_NAME, "", f"nested too deeply (over {MAX_JSON_DEPTH} levels)")]
        ) from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise InputError([Problem(PROFILE_NAME, "", f"nested too deeply (over {MAX_JSON_DEPTH} levels)")])
    return data


def _reason(exc: Exception) -> str:
    return exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8 text"


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_JSON_DEPTH:
        return level
    if isinstance(value, dict):
        return max([_depth(v, level + 1) for v in value.values()], default=level + 1)
    if isinstance(value, list):
        return max([_depth(v, level + 1) for v in value], default=level + 1)
    return level


def inputs_from_data(data: Any, shared: SharedInputs, *, language: str | None = None) -> Inputs:
    """The validated inputs of a profile given as data (JSON or the form's), with the server's
    catalogue, clinics and brand; InputError with every problem otherwise."""
    if not isinstance(data, Mapping):
        raise InputError([Problem(PROFILE_NAME, "", "expected a JSON object of keys to values", 1)])
    warnings: list[str] = []
    profile = load_profile_data(
        data,
        shared.catalogue,
        shared.clinics,
        name=PROFILE_NAME,
        language=language,
        warnings=warnings,
    )
    return Inputs(profile, shared, tuple(warnings))


@dataclass
class TripForm:
    """The trip form's values as typed (to show them again) and the treatments picked."""

    values: dict[str, str] = field(default_factory=dict)
    treatments: list[str] = field(default_factory=list)
    sessions: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, form: Mapping[str, Any], treatment_ids: list[str]) -> TripForm:
        """From the posted fields (a multi-dict: `getlist` gives the treatments picked)."""
        values = {name: str(form.get(name) or "").strip() for name in FORM_FIELDS if name != "treatments"}
        picked = form.getlist("treatment") if hasattr(form, "getlist") else form.get("treatment", [])
        known = set(treatment_ids)
        treatments = [str(t) for t in picked if str(t) in known]
        sessions = {t: str(form.get(f"sessions-{t}") or "").strip() for t in treatment_ids}
        return cls(values, list(dict.fromkeys(treatments)), {t: s for t, s in sessions.items() if s})

    def profile_data(self) -> dict[str, Any]:
        """The profile the form describes, shaped as the YAML file (empty fields left out)."""
        v = self.values
        traveler: dict[str, Any] = {"name": v.get("name", "")}
        if v.get("language"):
            traveler["language"] = v["language"]
        medical = {
            key: [item.strip() for item in LIST_SEPARATORS.split(v.get(key, "")) if item.strip()]
            for key in ("allergies", "medications", "conditions")
        }
        medical = {k: items for k, items in medical.items() if items}
        if medical:
            traveler["medical"] = medical
        trip: dict[str, Any] = {}
        for end in ("arrival", "departure"):
            day, clock = v.get(f"{end}_date", ""), v.get(f"{end}_time", "")
            if day:
                trip[end] = f"{day}T{clock or '12:00'}"
        hotel = {key: v[f"hotel_{key}"] for key in ("name", "address", "address_ko") if v.get(f"hotel_{key}")}
        if hotel:
            trip["hotel"] = hotel
        treatments: list[dict[str, Any]] = []
        for treatment in self.treatments:
            entry: dict[str, Any] = {"id": treatment}
            count = self.sessions.get(treatment, "")
            if count:
                entry["sessions"] = int(count) if count.isdigit() else count
            treatments.append(entry)
        return {"traveler": traveler, "trip": trip, "treatments": treatments}


def field_of(problem: Problem) -> str | None:
    """The form field a problem is about, or None."""
    location = re.sub(r"\[\d+\]", "", problem.location)
    for prefix in sorted(FIELD_OF, key=len, reverse=True):
        if location == prefix or location.startswith(prefix + "."):
            return FIELD_OF[prefix]
    return None


def samples_dir() -> Path:
    """The bundled samples: in the wheel (guidebook/_samples) or the checkout's samples/."""
    packaged = Path(__file__).parent.parent / "_samples"
    return packaged if packaged.is_dir() else default_theme() / "samples"


def sample_profile(shared: SharedInputs) -> Profile | None:
    """The sample traveler (without her clinics, which the server may not have): the guide the
    renderers warm up on, and the one a brand's preview shows."""
    try:
        profile = load_profile(samples_dir() / "traveler.yaml", shared.catalogue, None)
    except InputError:
        return None
    treatments = [t.model_copy(update={"clinic": None}) for t in profile.treatments]
    # without her notes, whose page would come before the itinerary (the preview's page 3)
    return profile.model_copy(update={"treatments": treatments, "notes": None})
