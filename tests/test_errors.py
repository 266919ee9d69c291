"""The errors guidebook reports (errors.py): where, what, and the value given, in one line each."""

from __future__ import annotations

import pytest

from guidebook.errors import GuidebookError, InputError, OptionsError, OutputError, Problem, RenderError


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (
            Problem("p.yaml", "trip.arrival", "not a valid date", 4, "2026-02-30"),
            "p.yaml:4: trip.arrival: not a valid date (given: '2026-02-30')",
        ),
        (
            Problem("p.yaml", "trip.arrival", "is required but missing"),
            "p.yaml: trip.arrival: is required but missing",
        ),
        (Problem("b.csv", "", "not UTF-8 text", 3), "b.csv:3: not UTF-8 text"),
        (
            Problem("p.yaml", "notes", "is too long", None, "x" * 61),
            f"p.yaml: notes: is too long (given: '{'x' * 57}...')",
        ),
    ],
)
def test_a_problem_reads_file_line_field_message_and_value(problem, text):
    assert str(problem) == text


def test_an_input_error_lists_every_problem_and_counts_them():
    one = Problem("p.yaml", "trip.arrival", "not a valid date", 4)
    two = Problem("c.yaml", "clinics[0].id", "is used twice", 2)
    assert str(InputError([one])) == f"{one}\nAborted with 1 input error."
    error = InputError([one, two])
    assert str(error) == f"{one}\n{two}\nAborted with 2 input errors."
    assert error.problems == [one, two]


def test_every_error_a_user_sees_is_a_guidebook_error():
    for kind in (InputError, RenderError, OutputError, OptionsError):
        assert issubclass(kind, GuidebookError)
