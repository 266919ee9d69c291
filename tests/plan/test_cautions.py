"""Personal cautions (plan/cautions.py): which profile entries trigger a caution, in any language
and any typing, and not when the entry says otherwise."""

from __future__ import annotations

import re

import pytest

from guidebook.inputs.cautions import Trigger
from guidebook.plan.cautions import normalise, triggers

LATEX = Trigger(
    fields=("allergies",), terms={"en": ("latex",), "ja": ("ラテックス",)}, exclude={"en": ("not latex",)}
)


def test_entries_are_compared_in_one_form():
    assert normalise("  ＬＡＴＥＸ’s   glove  ") == "latex's glove"
    assert normalise("St John‐s wort — tea") == "st john-s wort - tea"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("Latex", True),
        ("latex gloves", True),
        ("ＬＡＴＥＸ", True),
        ("天然ゴムラテックス", True),
        ("latexfree", False),  # an English term is a whole word
        ("not latex, only nickel", False),  # the entry says otherwise
        ("nickel", False),
    ],
)
def test_a_term_triggers_in_any_of_its_languages(entry, expected):
    assert triggers(LATEX, entry) is expected


# -- the shipped table against real profiles: a table of cases ------------------------------

from guidebook.inputs.cautions import load_cautions  # noqa: E402
from guidebook.inputs.load import load_catalogue  # noqa: E402
from guidebook.plan.cautions import not_planned, personal_cautions  # noqa: E402
from guidebook.plan.trip import plan_trip  # noqa: E402

CATALOGUE = load_catalogue()
TABLE = load_cautions(treatment_ids=frozenset(t.id for t in CATALOGUE.treatments))
REQUESTED = ("pico-laser", "rejuran-healer", "exosome", "lifting-laser", "hydrafacial")


def medical_profile(make_profile, requested=REQUESTED, **medical: list[str]):  # noqa: ANN001, ANN201
    return make_profile(
        "2026-04-06", "2026-04-20", list(requested), traveler={"name": "Test Traveler", "medical": medical}
    )


@pytest.mark.parametrize(
    ("medical", "cautions", "left_out"),
    [
        ({"allergies": ["lidocaine", "latex"]}, ["local-anaesthetic-allergy"], []),
        ({"allergies": ["リドカイン"]}, ["local-anaesthetic-allergy"], []),
        ({"allergies": ["利多卡因"]}, ["local-anaesthetic-allergy"], []),
        ({"allergies": ["리도카인"]}, ["local-anaesthetic-allergy"], []),
        ({"allergies": ["Local Anaesthetic"]}, ["local-anaesthetic-allergy"], []),
        ({"allergies": ["shellfish"]}, [], []),  # "fish" is a whole word
        (
            {"medications": ["Roaccutane (stopped in May)"]},
            ["isotretinoin-recent"],
            ["pico-laser", "exosome", "lifting-laser"],
        ),
        ({"medications": ["Xarelto"]}, ["blood-thinners"], []),
        ({"medications": ["アスピリン"]}, ["blood-thinners"], []),
        ({"medications": ["doxycycline"]}, ["photosensitising-drugs"], []),
        (
            {"conditions": ["pregnant"]},
            ["pregnancy-breastfeeding"],
            ["pico-laser", "rejuran-healer", "exosome", "lifting-laser"],
        ),
        ({"conditions": ["not pregnant"]}, [], []),
        ({"conditions": ["melasma"]}, ["melasma"], []),
        ({"conditions": ["cold sores"]}, ["cold-sores"], []),
        ({"conditions": ["herpes zoster (shingles) in 2019"]}, [], []),
        ({"conditions": ["keloid scars"]}, ["keloid"], []),
        ({"conditions": ["pacemaker"]}, ["pacemaker-implanted-device"], ["lifting-laser"]),
        ({"conditions": ["active acne infection"]}, ["active-skin-infection"], []),
        ({"conditions": ["간질환"]}, ["liver-kidney-glutathione"], []),  # liver disease, not epilepsy
    ],
)
def test_profiles_trigger_the_cautions_and_plan_changes_the_table_says(
    make_profile, medical, cautions, left_out
):
    profile = medical_profile(make_profile, **medical)
    found = personal_cautions(profile, TABLE)
    assert [c.id for c in found if c.id in cautions or not cautions] == cautions
    assert set(not_planned(found)) == set(left_out)
    plan = plan_trip(profile, CATALOGUE, cautions=TABLE)
    placed = {a.treatment_id for d in plan.days for a in d.appointments if a.kind == "treatment"}
    assert not placed & set(left_out)
    medical_out = {u.treatment_id for u in plan.unplaced if u.reason_code == "medical"}
    assert medical_out == set(left_out)
    for u in plan.unplaced:
        if u.reason_code == "medical":
            assert u.earliest is None and u.reason  # what to ask, never a made-up date


def test_the_lidocaine_sample_is_never_told_to_use_numbing_cream(make_profile):
    allergic = plan_trip(medical_profile(make_profile, allergies=["lidocaine"]), CATALOGUE, cautions=TABLE)
    other = plan_trip(medical_profile(make_profile, allergies=["penicillin"]), CATALOGUE, cautions=TABLE)

    def texts(plan) -> list[str]:  # noqa: ANN001
        lists = plan.checklists
        return [i.text for i in [*lists.before, *lists.treatment_days, *lists.after_each, *lists.after_home]]

    assert any("numbing cream" in t.lower() for t in texts(other))  # the advice exists...
    assert not any("numbing cream goes on" in t.lower() for t in texts(allergic))  # ...not for her
    questions = [i for i in allergic.checklists.treatment_days if i.kind == "question"]
    assert questions and questions[0].ko == "리도카인 알레르기가 있어요. 리도카인 없는 마취 방법이 있나요?"
    assert [i.kind for i in allergic.checklists.treatment_days[:2]] == ["caution", "question"]


def test_no_caution_without_a_medical_section(make_profile):
    assert personal_cautions(make_profile("2026-04-06", "2026-04-20", ["aqua-peel"]), TABLE) == []


def test_every_caution_is_sourced_dated_and_complete():
    for c in TABLE.cautions:
        cited = re.sub(r"\([^)]*\)", "", c.source)  # details in brackets may hold ";"
        keys = {part.split(":")[0].strip() for part in cited.split(";")}
        assert keys, c.id
        assert keys <= set(TABLE.source_keys), (c.id, keys - set(TABLE.source_keys))
        assert c.checked.year >= 2026 and c.text.endswith(".")
        assert all(t for t in c.trigger.terms.values())
