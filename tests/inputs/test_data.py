"""The shipped data files (inputs/data.py): read once per version of a file, frozen; help numbers."""

from __future__ import annotations

from types import MappingProxyType
from unittest import mock

import pytest

from guidebook.errors import InputError
from guidebook.inputs import data
from guidebook.inputs.data import freeze, korean_term, load_data, load_help_numbers, thaw
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
