"""The cautions table (inputs/cautions.py): the shipped table loads and names only catalogue
treatments; a caution's strongest effect on a treatment wins."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from guidebook.errors import InputError
from guidebook.inputs.cautions import Caution, Trigger, load_cautions
from guidebook.inputs.load import load_catalogue


def test_the_shipped_table_names_only_treatments_of_the_catalogue():
    ids = frozenset(t.id for t in load_catalogue().treatments)
    table = load_cautions(treatment_ids=ids)
    assert table.cautions and len({c.id for c in table.cautions}) == len(table.cautions)
    with pytest.raises(InputError, match="names treatments the catalogue does not have"):
        load_cautions(treatment_ids=frozenset({"aqua-peel"}))


def caution(**fields: object) -> Caution:
    return Caution.model_validate(
        {
            "id": "test",
            "trigger": {"fields": ["allergies"], "terms": {"en": ["latex"]}},
            "actions": [
                {"effect": "caution", "treatments": ["a", "b"]},
                {"effect": "not_planned", "treatments": ["b"]},
            ],
            "text": "t",
            "not_planned_reason": "r",
            "source": "test",
            "checked": date(2026, 1, 1),
            "confidence": "high",
            **fields,
        }
    )


def test_the_strongest_effect_on_a_treatment_wins():
    rule = caution()
    assert (rule.effect_on("a"), rule.effect_on("b"), rule.effect_on("c")) == ("caution", "not_planned", None)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"not_planned_reason": None}, "needs not_planned_reason"),
        ({"ask": "Is it safe?"}, "needs its Korean"),
    ],
)
def test_an_incomplete_caution_is_refused(fields, message):
    with pytest.raises(ValidationError, match=message):
        caution(**fields)


def test_a_trigger_in_an_unknown_language_is_refused():
    with pytest.raises(ValidationError, match="unknown languages"):
        Trigger(fields=("allergies",), terms={"fr": ("latex",)})
