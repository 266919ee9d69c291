"""The first-visit notes (inputs/first_visit.py): the shipped table, validated through the one data
loader, and the problems a broken table is refused with."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from guidebook.errors import InputError
from guidebook.inputs.first_visit import ANY_COUNTRY, EntryRule, FirstVisit, load_first_visit
from guidebook.inputs.load import load_catalogue

S = "source: src, checked: 2026-12-01, confidence: high"  # a note's source, date and confidence
SECTION = f"""\
  - id: paying
    title: Paying
    items:
      - {{id: pay, title: Pay in won, text: [Cards work.], {S}}}
"""
RULES = f"""\
  - id: entry
    title: Entering Korea
    items:
      - {{id: sites, title: Sites, text: [Check www.k-eta.go.kr.], {S}}}
    entry_rules:
      - {{id: exempt, countries: [US], valid_from: 2026-01-01, valid_until: 2026-12-31, text: [No.], {S}}}
      - {{id: default, countries: "*", text: [Check www.k-eta.go.kr.], {S}}}
"""


def write_table(folder: Path, sections: str) -> Path:
    path = folder / "first_visit.yaml"
    path.write_text(
        "version: 1\nchecked: 2026-12-01\nsource_keys: {src: a source, assumption: our advice}\nsections:\n"
        + sections,
        encoding="utf-8",
    )
    return path


def test_the_shipped_table_loads_with_one_default_entry_rule_and_every_note_dated():
    table = load_first_visit()
    assert isinstance(table, FirstVisit)
    default = table.default_rule()
    assert default is not None and default.countries == ANY_COUNTRY and not default.skip_section
    ids = [s.id for s in table.sections]
    assert ids[0] == "entry" and {"choosing-clinic", "consent-products", "paying", "after-home"} <= set(ids)
    for section in table.sections:
        for note in (*section.items, *section.entry_rules):
            assert note.checked <= table.checked, note.id
            assert note.text or getattr(note, "skip_section", False), note.id
    # the entry section always names the official sites
    entry = next(s for s in table.sections if s.id == "entry")
    lines = " ".join(line for item in entry.items for line in item.text)
    assert "www.k-eta.go.kr" in lines and "www.e-arrivalcard.go.kr" in lines


def test_the_shipped_table_names_only_treatments_of_the_built_in_catalogue():
    ids = frozenset(t.id for t in load_catalogue().treatments)
    table = load_first_visit(treatment_ids=ids)
    named = {t for s in table.sections for item in s.items for t in item.only_for}
    assert named and named <= ids


def test_the_teams_own_advice_is_told_apart_from_sourced_notes():
    items = {i.id: i for s in load_first_visit().sections for i in s.items}
    assert items["consent-products"].advice and items["home-summary"].advice
    assert not items["pay-receipts"].advice and not items["clinic-specialist"].advice


def test_a_table_is_read_through_the_data_loader_once_per_version(tmp_path):
    path = write_table(tmp_path, RULES + SECTION)
    first = load_first_visit(path)
    assert load_first_visit(path) is first
    path.write_text(path.read_text(encoding="utf-8").replace("Cards work.", "Cards and cash work."))
    assert load_first_visit(path) is not first


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            lambda t: t.replace(
                '      - {id: default, countries: "*"', "      - {id: other, countries: [JP]"
            ),
            "one default",
        ),
        (
            lambda t: t.replace(
                "source: src, checked: 2026-12-01, confidence: high}\n    entry",
                "source: nowhere, checked: 2026-12-01, confidence: high}\n    entry",
            ),
            "nowhere",
        ),
        (
            lambda t: t.replace("valid_from: 2026-01-01", "valid_from: 2027-01-01"),
            "valid_from must not come after",
        ),
        (lambda t: t.replace("id: pay,", "id: sites,"), "used twice"),
        (lambda t: t.replace("countries: [US]", "countries: [usa]"), "countries"),
        (lambda t: t.replace("text: [No.]", "text: []"), "skip_section"),
        (
            lambda t: t.replace("confidence: high}\n  - id: paying", "confidence: certain}\n  - id: paying"),
            "confidence",
        ),
        (lambda t: t.replace("title: Paying", "title: Paying\n    when: sometimes"), "when"),
    ],
)
def test_a_broken_table_is_refused_with_its_problem(tmp_path, edit, problem):
    path = write_table(tmp_path, edit(RULES + SECTION))
    with pytest.raises(InputError) as caught:
        load_first_visit(path)
    assert any(problem in f"{p.location} {p.message}" for p in caught.value.problems), caught.value.problems


def test_an_item_about_a_treatment_the_catalogue_lacks_is_refused_when_ids_are_given(tmp_path):
    path = write_table(
        tmp_path, SECTION.replace("confidence: high}", "confidence: high, only_for: [no-such]}")
    )
    assert load_first_visit(path).sections[0].items[0].only_for == ("no-such",)
    with pytest.raises(InputError, match="no-such"):
        load_first_visit(path, treatment_ids=frozenset({"pico-laser"}))


@pytest.mark.parametrize(
    ("rule", "day", "holds"),
    [
        ({"valid_from": date(2026, 1, 1), "valid_until": date(2026, 12, 31)}, date(2026, 12, 31), True),
        ({"valid_from": date(2026, 1, 1), "valid_until": date(2026, 12, 31)}, date(2027, 1, 1), False),
        ({"valid_from": date(2026, 1, 1)}, date(2025, 12, 31), False),
        ({"review_by": date(2027, 6, 30)}, date(2027, 6, 30), True),
        ({"review_by": date(2027, 6, 30)}, date(2027, 7, 1), False),  # not re-checked since: not said
        ({}, date(2040, 1, 1), True),
    ],
)
def test_a_rule_holds_inside_its_window_and_until_its_review(rule, day, holds):
    entry = EntryRule(
        id="r",
        countries=("US",),
        text=("x y z",),
        source="s s",
        checked=date(2026, 12, 1),
        confidence="high",
        **rule,
    )
    assert entry.applies(day) is holds
