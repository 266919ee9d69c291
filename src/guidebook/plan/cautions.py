"""Personal cautions: which entries of the cautions table a traveler's profile triggers, and what
they do to the plan (pure: the table and the profile in, plain data out)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from ..inputs.cautions import EFFECT_RANK, Caution, CautionTable, Effect, Trigger
from ..inputs.models import Profile
from .types import PersonalCaution

_TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "‛": "'", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-"})


def normalise(text: str) -> str:
    """For matching: NFKC (full-width and half-width forms alike), casefolded, typographic
    apostrophes and dashes made ASCII, runs of spaces made one."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_TYPOGRAPHIC)
    return " ".join(text.split())


def triggers(trigger: Trigger, entry: str) -> bool:
    """Whether one profile entry (an allergy, a medicine, a condition) matches a trigger: any
    language's term, unless the entry holds an exclude phrase of that language."""
    text = normalise(entry)
    for language, terms in trigger.terms.items():
        if any(normalise(phrase) in text for phrase in trigger.exclude.get(language, ())):
            continue
        for term in map(normalise, terms):
            if language == "en":
                if re.search(rf"(?<![\w]){re.escape(term)}(?![\w])", text):
                    return True
            elif term in text:
                return True
    return False


def personal_cautions(profile: Profile, table: CautionTable) -> list[PersonalCaution]:
    """The cautions the profile triggers, in the table's order, each with the entries that
    triggered it and its effect on each treatment the profile asks for."""
    medical = profile.traveler.medical
    if medical is None:
        return []
    entries = {
        "allergies": medical.allergies,
        "medications": medical.medications,
        "conditions": medical.conditions,
    }
    requested = [r.id for r in profile.treatments]
    found = []
    for caution in table.cautions:
        matched = [
            e for field in caution.trigger.fields for e in entries[field] if triggers(caution.trigger, e)
        ]
        if matched:
            found.append(_personal(caution, dict.fromkeys(matched), requested))
    return found


def _personal(caution: Caution, matched: Iterable[str], requested: list[str]) -> PersonalCaution:
    effects: dict[str, Effect] = {}
    for treatment_id in requested:
        effect = caution.effect_on(treatment_id)
        if effect is not None:
            effects[treatment_id] = effect
    return PersonalCaution(
        id=caution.id,
        matched=list(matched),
        text=caution.text,
        effects=effects,
        not_planned_reason=caution.not_planned_reason,
        ask=caution.ask,
        ask_ko=caution.ask_ko,
        ask_romanization=caution.ask_romanization,
        medical_card=caution.medical_card,
        phrase_page=caution.phrase_page,
        suppress=list(caution.suppress),
        source=caution.source,
        checked=caution.checked,
        confidence=caution.confidence,
    )


def not_planned(cautions: Iterable[PersonalCaution]) -> dict[str, str]:
    """Treatment id -> the (English) reason it is not planned, from the first caution that says so."""
    blocked: dict[str, str] = {}
    for caution in cautions:
        for treatment_id, effect in caution.effects.items():
            if effect == "not_planned" and caution.not_planned_reason:
                blocked.setdefault(treatment_id, caution.not_planned_reason)
    return blocked


def strongest(cautions: Iterable[PersonalCaution]) -> Mapping[str, Effect]:
    """Treatment id -> the strongest effect any caution has on it."""
    best: dict[str, Effect] = {}
    for caution in cautions:
        for treatment_id, effect in caution.effects.items():
            if treatment_id not in best or EFFECT_RANK[effect] > EFFECT_RANK[best[treatment_id]]:
                best[treatment_id] = effect
    return best


def suppressed(cautions: Iterable[PersonalCaution]) -> tuple[str, ...]:
    """English phrases whose advice must not be given to this traveler ("numbing cream")."""
    return tuple(dict.fromkeys(normalise(p) for c in cautions for p in c.suppress))


def is_suppressed(text: str, phrases: tuple[str, ...]) -> bool:
    return any(phrase in normalise(text) for phrase in phrases)
