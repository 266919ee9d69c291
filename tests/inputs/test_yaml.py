"""YAML with line numbers, and pydantic's errors in plain words (inputs/yaml.py)."""

from __future__ import annotations

import pytest
from helpers import GOOD_PROFILE, problems, write_file

from guidebook.inputs.load import load_catalogue, load_profile


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def test_unknown_key_names_closest_known_key_and_line(catalogue, tmp_path):
    path = write_file(
        tmp_path, GOOD_PROFILE.replace("  name: Test Person", "  name: Test Person\n  emial: a@b.c")
    )
    [p] = problems(lambda: load_profile(path, catalogue))
    assert p.location == "traveler.emial"
    assert p.line == 3
    assert "did you mean 'email'" in p.message
    assert str(path) in str(p)


def test_yaml_syntax_error_has_a_line(catalogue, tmp_path):
    path = write_file(tmp_path, GOOD_PROFILE + "notes: [unclosed\n")
    [p] = problems(lambda: load_profile(path, catalogue))
    assert "YAML syntax" in p.message and p.line is not None


def test_line_of_gives_the_deepest_line_the_document_has(tmp_path):
    from guidebook.inputs.yaml import line_of, read_yaml

    root = read_yaml(write_file(tmp_path, GOOD_PROFILE))
    assert line_of(root, ["trip", "departure"]) == 5
    assert line_of(root, ["treatments", 0, "id"]) == 7
    assert line_of(root, ["trip", "hotel", "name"]) == 3  # no hotel: the trip's own line
    assert line_of(root, ["nowhere"]) == 1


def test_pydantic_errors_in_plain_words(tmp_path):
    from guidebook.inputs.models import Profile
    from guidebook.inputs.yaml import dotted, read_yaml, validate

    assert dotted(["treatments", 0, "id"]) == "treatments[0].id"
    text = GOOD_PROFILE.replace("  name: Test Person", "  email: a@b.example").replace("T19:10", "T25:10")
    path = write_file(tmp_path, text + "budget: {currency: USD, max: 1, extra: 2}\n")
    found = {p.location: p for p in problems(lambda: validate(Profile, read_yaml(path), str(path)))}
    assert found["traveler.name"].message == "is required but missing"
    assert found["trip.departure"].message.startswith("not a valid date and time; write it as")
    assert found["trip.departure"].value == "2026-04-17T25:10"
    assert found["budget.extra"].message == "unknown key 'extra'; known keys: currency, max"
    assert found["budget.extra"].line == 8


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "file not found"),
        (b"traveler: \xff\xfe\n", "not UTF-8 text"),
        (b"- a list\n- not a mapping\n", "expected a YAML mapping"),
    ],
)
def test_files_that_are_not_yaml_mappings(tmp_path, content, message):
    from guidebook.inputs.models import Profile
    from guidebook.inputs.yaml import read_yaml, validate

    path = tmp_path / "profile.yaml"
    if content is not None:
        path.write_bytes(content)
    [p] = problems(lambda: validate(Profile, read_yaml(path), str(path)))
    assert message in p.message and p.file == str(path)
    [p] = problems(lambda: read_yaml(tmp_path))
    assert p.message.startswith("is a folder")


# -- bounds, checked on the node graph before any data is built --------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from guidebook.errors import InputError  # noqa: E402,F401
from guidebook.inputs.yaml import MAX_DEPTH, read_yaml  # noqa: E402

LAUGHS = "".join(
    f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}" if i else '"lol"'] * 9) + "]\n"
    for i in range(8)
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (LAUGHS, "too many values"),  # a billion laughs: 9^8 values from 80 nodes
        ("a: &a [1]\n" + "".join(f"k{i}: *a\n" for i in range(101)), "uses aliases more than 100 times"),
        ("traveler: &t\n  name: x\n  self: *t\n", "refers to itself"),
        ("a: " + "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2) + "\n", "nested too deeply"),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),  # deeper than Python's stack
    ],
)
def test_yaml_beyond_its_bounds_is_one_clear_error(tmp_path, text, message):
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    [problem] = problems(lambda: read_yaml(path))
    assert message in problem.message and problem.file == str(path)


def test_a_few_aliases_within_bounds_are_fine(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "hours: &h {mon-fri: '10:00-19:00'}\nclinics: [{hours: *h}, {hours: *h}]\n", encoding="utf-8"
    )
    assert read_yaml(path)["clinics"][1]["hours"]["mon-fri"] == "10:00-19:00"


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text("abcxyz", max_size=5),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text("abcxyz", min_size=1, max_size=3), children, max_size=4)
    ),
    max_leaves=40,
)


def height(value: object) -> int:
    """Levels below a value, as the bounds count them (a scalar has none)."""
    if isinstance(value, list):
        return 1 + max(map(height, value)) if value else 0
    if isinstance(value, dict):
        return 1 + max(map(height, value.values())) if value else 0
    return 0


@settings(max_examples=80, deadline=None)
@given(yaml_values, st.integers(min_value=0, max_value=40))
def test_any_nesting_loads_whole_or_is_refused_as_too_deep(tmp_path_factory, value, depth):
    """Hypothesis: a document loads as written when it is within the depth bound, and is refused
    with the bound's message when it is not; never another exception."""
    import json

    from guidebook.inputs.yaml import plain

    wrapped = value
    for _ in range(depth):
        wrapped = [wrapped]
    path = tmp_path_factory.mktemp("y") / "p.yaml"
    path.write_text("a: " + json.dumps(wrapped) + "\n", encoding="utf-8")
    if 1 + height(wrapped) <= MAX_DEPTH:
        assert plain(read_yaml(path)) == {"a": wrapped}
    else:
        [problem] = problems(lambda: read_yaml(path))
        assert "nested too deeply" in problem.message
