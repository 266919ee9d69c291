"""What a first-time visitor must know (data/first_visit.yaml) as validated, read-only models:
sections of short dated notes, and the entry rules by nationality with their validity windows."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import InputError, Problem
from .data import DATA, load_validated

DEFAULT_FIRST_VISIT = DATA / "first_visit.yaml"
ANY_COUNTRY = "*"
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Line = Annotated[str, Field(min_length=3)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Sourced(_Frozen):
    id: Id
    source: Annotated[str, Field(min_length=3)]  # keys of `source_keys`, "; "-separated, with ": detail"
    checked: date
    confidence: Literal["high", "medium", "low"]
    note: str | None = None

    @property
    def source_keys(self) -> tuple[str, ...]:
        return tuple(part.split(":", 1)[0].strip() for part in self.source.split(";"))

    @property
    def advice(self) -> bool:
        """The team's advice, with no external source: printed as such, with no checked date."""
        return self.source_keys == ("assumption",)


class Item(_Sourced):
    title: Line
    text: tuple[Line, ...] = Field(min_length=1)
    only_for: tuple[str, ...] = ()  # printed only when one of these treatments is in the plan


class EntryRule(_Sourced):
    """What a traveler of these nationalities must do to enter Korea, while the rule holds."""

    countries: tuple[Country, ...] | Literal["*"]
    valid_from: date | None = None
    valid_until: date | None = None
    review_by: date | None = None  # no known end: printed until this date, then re-checked
    skip_section: bool = False  # nothing to print (Korean nationals)
    text: tuple[Line, ...] = ()

    @model_validator(mode="after")
    def _window(self) -> EntryRule:
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise ValueError("valid_from must not come after valid_until")
        if not self.text and not self.skip_section:
            raise ValueError("a rule needs its text, or skip_section: true")
        return self

    def applies(self, day: date) -> bool:
        """Whether the rule holds on `day` (the arrival): inside its window, not past its review."""
        return (
            (self.valid_from is None or self.valid_from <= day)
            and (self.valid_until is None or day <= self.valid_until)
            and (self.review_by is None or day <= self.review_by)
        )

    def names(self, country: str | None) -> bool:
        return country is not None and self.countries != ANY_COUNTRY and country in self.countries


class Section(_Frozen):
    id: Id
    title: Line
    when: Literal["always", "closed_after_treatment"] = "always"
    items: tuple[Item, ...] = Field(min_length=1)
    entry_rules: tuple[EntryRule, ...] = ()


class FirstVisit(_Frozen):
    version: int
    checked: date
    source_keys: dict[str, str]
    sections: tuple[Section, ...]

    @model_validator(mode="after")
    def _references(self) -> FirstVisit:
        rules = [rule for section in self.sections for rule in section.entry_rules]
        defaults = [rule.id for rule in rules if rule.countries == ANY_COUNTRY]
        if rules and len(defaults) != 1:
            raise ValueError(f'the entry rules need exactly one default row (countries: "*"), not {defaults}')
        ids = [x.id for s in self.sections for x in (*s.items, *s.entry_rules)]
        if twice := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"ids are used twice: {twice}")
        sourced: list[_Sourced] = [*rules, *(item for s in self.sections for item in s.items)]
        if unknown := sorted({k for x in sourced for k in x.source_keys} - set(self.source_keys)):
            raise ValueError(f"sources name keys that source_keys does not have: {unknown}")
        return self

    def default_rule(self) -> EntryRule | None:
        return next(
            (r for s in self.sections for r in s.entry_rules if r.countries == ANY_COUNTRY),
            None,
        )


def load_first_visit(path: Path | None = None, *, treatment_ids: frozenset[str] = frozenset()) -> FirstVisit:
    """The first-visit notes (default: the built-in), validated once per version of the file;
    with `treatment_ids`, every treatment an item names must be one of them."""
    path = path or DEFAULT_FIRST_VISIT
    table = load_validated(path, FirstVisit)
    named = {t for s in table.sections for item in s.items for t in item.only_for}
    if treatment_ids and (unknown := sorted(named - treatment_ids)):
        raise InputError(
            [Problem(str(path), "sections", f"names treatments the catalogue does not have: {unknown}")]
        )
    return table
