"""The treatment catalogue (inputs/catalogue.py): lookups by id, name or alias, suggestions,
the rule that two treatments share a day only when both say so, and the shipped catalogue."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from ruamel.yaml import YAML

from guidebook.inputs.catalogue import Catalogue, combinable
from guidebook.inputs.data import DEFAULT_CATALOGUE


@pytest.fixture
def real_catalogue() -> Catalogue:
    return Catalogue.model_validate(YAML(typ="safe").load(DEFAULT_CATALOGUE))


SPEC_IDS = {
    "rejuran-healer",
    "shine-bright",
    "water-shine",
    "exosome",
    "pico-laser",
    "lifting-laser",
    "ipl",
    "fractional-laser",
    "aqua-peel",
    "hydrafacial",
    "chemical-peel",
    "microdermabrasion",
}


def test_real_catalogue_has_the_spec_ids(real_catalogue):
    assert {t.id for t in real_catalogue.treatments} >= SPEC_IDS


@pytest.mark.parametrize("name", ["pico-laser", "Pico Laser", "PICO LASER", "picolaser", " pico_laser "])
def test_a_treatment_is_found_by_id_or_name_ignoring_case_and_spacing(catalogue, name):
    assert catalogue.resolve(name).id == "pico-laser"


def test_aliases_resolve_and_near_misses_get_a_suggestion(make_treatment, make_catalogue):
    fraxel = make_treatment("fractional-laser").model_copy(update={"aliases": ["Fraxel"]})
    cat = make_catalogue(fraxel, make_treatment("aqua-peel"))
    assert cat.resolve("fraxel").id == "fractional-laser"
    assert cat.resolve("fractional lazer") is None
    assert cat.suggest("fractional lazer") == "fractional-laser"
    assert cat.suggest("Aqua Pel") == "aqua-peel"
    assert cat.suggest("botox") is None
    with pytest.raises(KeyError):
        cat.get("botox")


def test_two_treatments_share_a_day_only_when_both_say_so(catalogue, make_treatment):
    assert combinable(catalogue.get("pico-laser"), catalogue.get("exosome"))
    assert combinable(catalogue.get("exosome"), catalogue.get("pico-laser"))
    # aqua peel names rejuran; rejuran names aqua peel: yes. Exosome names neither.
    assert combinable(catalogue.get("aqua-peel"), catalogue.get("rejuran-healer"))
    assert not combinable(catalogue.get("aqua-peel"), catalogue.get("exosome"))
    one_sided_a, one_sided_b = make_treatment("a", combines=("b",)), make_treatment("b")
    assert not combinable(one_sided_a, one_sided_b) and not combinable(one_sided_b, one_sided_a)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda ts: ts + [ts[0]], "treatment ids must be unique"),
        (lambda ts: [{**ts[0], "combines_with": ["botox"]}, *ts[1:]], "refers to unknown treatments"),
        (lambda ts: [{**ts[0], "keep_apart": {"botox": 3}}, *ts[1:]], "refers to unknown treatments"),
        (
            lambda ts: [{**ts[0], "price_krw": {**ts[0]["price_krw"], "low": 9, "high": 1}}, *ts[1:]],
            "low must not exceed high",
        ),
        (
            lambda ts: [{**ts[0], "price_krw": {**ts[0]["price_krw"], "high": None}}, *ts[1:]],
            "give both low and high, or neither",
        ),
    ],
)
def test_a_catalogue_that_contradicts_itself_is_refused(catalogue, change, message):
    data = catalogue.model_dump()
    data["treatments"] = change(data["treatments"])
    with pytest.raises(ValidationError, match=message):
        Catalogue.model_validate(data)
