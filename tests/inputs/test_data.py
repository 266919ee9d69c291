"""The shipped data files (inputs/data.py): read once per version of a file, frozen; help numbers."""

from __future__ import annotations

import re
from types import MappingProxyType
from unittest import mock

import pytest

from guidebook.errors import InputError
from guidebook.inputs import data
from guidebook.inputs.data import freeze, korean_term, load_data, load_help_numbers, thaw
from guidebook.inputs.load import load_catalogue
from guidebook.plan.trip import plan_trip


def test_real_help_numbers_reach_the_plan(catalogue, make_profile):
    numbers = load_help_numbers()
    assert {"119", "112", "1330", "1345"} <= {n.number for n in numbers}
    plan = plan_trip(make_profile("2026-04-06", "2026-04-17", ["aqua-peel"]), catalogue, help_numbers=numbers)
    assert plan.help_numbers == list(numbers)


def test_help_numbers_file_problems_are_all_reported(tmp_path):
    path = tmp_path / "help.yaml"
    path.write_text(
        "numbers:\n"
        "  - {number: 119, name: Ambulance, description: d, source: s, checked: 2026-01-01}\n"
        "  - {number: '112', description: d, source: s, checked: someday}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_help_numbers(path)
    assert [p.location for p in caught.value.problems] == ["numbers[1].name", "numbers[1].checked"]
    path.write_text(path.read_text(encoding="utf-8").splitlines()[1].join(["numbers:\n", "\n"]))
    assert [n.number for n in load_help_numbers(path)] == ["119"]  # YAML's 119 becomes text


def test_help_numbers_are_read_once_per_version_of_the_file(tmp_path):
    path = tmp_path / "help.yaml"
    path.write_text(
        "numbers:\n  - {number: 119, name: Ambulance, description: d, source: s, checked: 2026-01-01}\n",
        encoding="utf-8",
    )
    with mock.patch.object(data, "YAML", autospec=True, side_effect=data.YAML) as reads:
        first = load_help_numbers(path)
        assert load_help_numbers(path) == first and reads.call_count == 1
        path.write_text(
            path.read_text(encoding="utf-8").replace("Ambulance", "Fire and ambulance"), encoding="utf-8"
        )
        assert load_help_numbers(path)[0].name == "Fire and ambulance" and reads.call_count == 2


def test_data_files_are_frozen_and_thaw_back():
    frozen = freeze({"a": [1, {"b": [2, 3]}], "c": "text"})
    assert isinstance(frozen, MappingProxyType) and frozen["a"] == (1, MappingProxyType({"b": (2, 3)}))
    with pytest.raises(TypeError):
        frozen["c"] = "changed"  # type: ignore[index]
    assert thaw(frozen) == {"a": [1, {"b": [2, 3]}], "c": "text"}
    glossary = load_data("glossary.yaml")
    assert isinstance(glossary, MappingProxyType) and load_data("glossary.yaml") is glossary


def test_a_missing_data_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot be read"):
        load_data(tmp_path / "nowhere.yaml")


@pytest.mark.parametrize(
    ("kind", "text", "korean"),
    [
        ("allergens", "latex", "라텍스"),
        ("allergens", "  Lidocaine ", "리도카인"),  # as typed: any case, spaces around
        ("blood_types", "A+", "A형 Rh+"),
        ("allergens", "strawberries and cream", None),  # unknown: printed in English only
        ("no-such-kind", "latex", None),
    ],
)
def test_korean_terms_of_the_glossary(kind, text, korean):
    assert korean_term(kind, text) == korean


# --- wording that is true (issue 13) ------------------------------------------------------------

NATIONAL_PREFIXES = ("1577", "1588", "1566", "1670", "1544", "1600", "1644", "1661", "1666", "1688", "1899")


def test_only_the_numbers_that_are_free_say_so():
    numbers = {n.number: n for n in load_help_numbers()}
    assert numbers["112"].charge == numbers["119"].charge == "free"
    for n in numbers.values():
        if n.number.startswith(NATIONAL_PREFIXES):  # national numbers: the caller pays, always
            assert n.charge == "caller_pays", n.number
        if n.charge != "free":
            texts = " ".join(filter(None, [n.name, n.description, n.hours, n.languages])).lower()
            assert "free" not in texts, n.number
    assert "1670-2545" in numbers  # K-medi, the dispute agency
    assert numbers["1345"].charge == numbers["1339"].charge == "unknown"  # not checked: never "free"


def test_a_help_number_without_a_charge_is_not_free(tmp_path):
    path = tmp_path / "help.yaml"
    path.write_text(
        "numbers:\n  - {number: 1588-0000, name: N, description: d, source: s, checked: 2026-01-01}\n"
        "  - {number: '120', name: N, description: d, charge: gratis, source: s, checked: 2026-01-01}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_help_numbers(path)
    assert [p.location for p in caught.value.problems] == ["numbers[1].charge"]
    path.write_text(path.read_text(encoding="utf-8").splitlines()[1].join(["numbers:\n", "\n"]))
    assert load_help_numbers(path)[0].charge == "unknown"


NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
DAYS = re.compile(r"a day or two|the next day|(\d+)(?:-(\d+))? days?|(" + "|".join(NUMBERS) + r") days?")


def days_said(clause: str) -> list[int]:
    """The numbers of days a clause of a downtime note gives ("1-3 days": 3, "a day or two": 2)."""
    said = []
    for m in DAYS.finditer(clause):
        if m.group(0) == "a day or two":
            said.append(2)
        elif m.group(0) == "the next day":
            said.append(1)
        elif m.group(1):
            said.append(int(m.group(2) or m.group(1)))
        else:
            said.append(NUMBERS[m.group(3)])
    return said


def test_each_downtime_note_says_what_its_figure_says():
    """The guide prints "Plan for up to N days." before the note: the note must not tell of a
    shorter recovery ("a day or two" when the planner keeps 3 days), a longer one, or none."""
    for t in load_catalogue().treatments:
        figure, note = t.downtime_days.value, t.downtime_note
        if figure == 0:
            assert note.startswith("No "), t.id  # "No downtime: ...", "No recovery time: ..."
            continue
        assert not note.lower().startswith(("none", "no downtime", "no recovery")), t.id
        for clause in re.split(r"[;.]", note):
            if re.search(r"fade|flake", clause):  # how long a bruise or a spot takes: not downtime
                continue
            said = days_said(clause)
            assert not said or max(said) == figure, (t.id, clause, figure)


@pytest.mark.parametrize(
    ("clause", "said"),
    [
        ("Small bumps for a day or two; most people go out as usual the next day", [2, 1]),
        ("for 1-3 days", [3]),
        ("allow up to three days", [3]),
        ("at most a day", [1]),
        ("plan quiet days", []),
    ],
)
def test_the_days_a_note_gives_are_read(clause, said):
    assert days_said(clause) == said


def test_the_pico_course_prints_its_range_and_plans_the_lower_figure():
    pico = load_catalogue().get("pico-laser")
    assert (pico.sessions.value, pico.sessions.high) == (5, 10)


@pytest.mark.parametrize(
    ("kind", "term", "korean"),
    [
        ("conditions", "cold sores", "입술포진(구순포진)"),
        ("conditions", "cold sore", "입술포진(구순포진)"),
        ("conditions", "pacemaker", "심박조율기"),
        ("conditions", "rosacea", "주사피부염"),  # not 안면홍조 (flushing, a symptom)
        ("medications", "blood thinners", "항응고제·항혈소판제"),  # aspirin and clopidogrel too
        ("medications", "antiplatelet", "항혈소판제"),
    ],
)
def test_the_glossary_uses_the_words_a_korean_clinic_writes(kind, term, korean):
    assert korean_term(kind, term) == korean


def test_the_phrases_romanize_by_the_revised_romanization():
    """ㄱ before ㅎ is k (예약했어요: yeyakaesseoyo), and a hyphen only where ng meets a vowel."""
    phrases = load_data("phrases.yaml")["phrases"]
    for p in phrases:
        for entry in [p, *p.get("by_language", {}).values()]:
            for hyphened in re.findall(r"\w+-\w+", entry["romanization"]):
                assert re.search(r"ng-[aeiouwy]", hyphened), hyphened
    assert any("yeyakaesseoyo" in p["romanization"] for p in phrases)
    assert not any("귀국" in p["ko"] for p in phrases)
