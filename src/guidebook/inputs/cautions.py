"""The personal cautions table (data/cautions.yaml) as validated, read-only models."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import InputError, Problem
from .data import DATA, load_validated

DEFAULT_CAUTIONS = DATA / "cautions.yaml"
Effect = Literal["caution", "ask", "not_planned"]
Field_ = Literal["allergies", "medications", "conditions"]
LANGUAGES = ("en", "ja", "zh-Hans", "zh-Hant", "ko")
EFFECT_RANK = {"caution": 0, "ask": 1, "not_planned": 2}  # the strongest wins for a treatment


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Trigger(_Frozen):
    fields: tuple[Field_, ...] = Field(min_length=1)
    terms: dict[str, tuple[str, ...]]
    exclude: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _languages(self) -> Trigger:
        unknown = (set(self.terms) | set(self.exclude)) - set(LANGUAGES)
        if unknown:
            raise ValueError(f"unknown languages {sorted(unknown)}; use {', '.join(LANGUAGES)}")
        return self


class Action(_Frozen):
    effect: Effect
    treatments: tuple[str, ...] = Field(min_length=1)


class Caution(_Frozen):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")]
    trigger: Trigger
    actions: tuple[Action, ...] = Field(min_length=1)
    text: str
    not_planned_reason: str | None = None
    ask: str | None = None
    ask_ko: str | None = None
    ask_romanization: str | None = None
    medical_card: bool = False
    phrase_page: bool = False
    suppress: tuple[str, ...] = ()
    source: Annotated[str, Field(min_length=3)]
    checked: date
    confidence: Literal["high", "medium", "low"]
    note: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> Caution:
        if any(a.effect == "not_planned" for a in self.actions) and not self.not_planned_reason:
            raise ValueError("a caution that leaves treatments out needs not_planned_reason")
        if self.ask and not (self.ask_ko and self.ask_romanization):
            raise ValueError("a question needs its Korean (ask_ko) and romanization")
        return self

    def effect_on(self, treatment_id: str) -> Effect | None:
        """The strongest effect this caution has on a treatment, or None."""
        best: Effect | None = None
        for action in self.actions:
            if treatment_id in action.treatments and (
                best is None or EFFECT_RANK[action.effect] > EFFECT_RANK[best]
            ):
                best = action.effect
        return best


class CautionTable(_Frozen):
    version: int
    checked: date
    source_keys: dict[str, str]
    cautions: tuple[Caution, ...]


def load_cautions(path: Path | None = None, *, treatment_ids: frozenset[str] = frozenset()) -> CautionTable:
    """The cautions table (default: the built-in), validated once per version of the file; with
    `treatment_ids`, every treatment it names must be one of them."""
    path = path or DEFAULT_CAUTIONS
    table = load_validated(path, CautionTable)
    unknown = sorted({t for c in table.cautions for a in c.actions for t in a.treatments} - treatment_ids)
    if treatment_ids and unknown:
        raise InputError(
            [Problem(str(path), "cautions", f"names treatments the catalogue does not have: {unknown}")]
        )
    return table
