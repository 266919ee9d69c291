"""Problem details (serve/problems.py): RFC 9457 JSON carrying the CLI's located messages."""

from __future__ import annotations

import json

from guidebook.errors import Problem
from guidebook.serve.problems import MEDIA_TYPE, column_of, located, problem_response, renamed


def test_a_located_problem_carries_the_line_the_cli_prints():
    problem = Problem("p.yaml", "traveler.nmae", "unknown key 'nmae'; did you mean 'name'?", 3, "x")
    found = located(problem)
    assert (
        found["text"]
        == str(problem)
        == "p.yaml:3: traveler.nmae: unknown key 'nmae'; did you mean 'name'? (given: 'x')"
    )
    assert (found["file"], found["line"], found["location"], found["value"], found["column"]) == (
        "p.yaml", 3, "traveler.nmae", "x", None,
    )  # fmt: skip


def test_the_column_of_a_bookings_problem():
    assert column_of(Problem("b.csv", "row 4, column arrival", "bad", 4)) == "arrival"
    assert (
        column_of(Problem("b.xlsx", "sheet 'Bookings', row 4, column hotel_name", "bad", 4)) == "hotel_name"
    )
    assert column_of(Problem("b.csv", "row 4, column -", "broken", 4)) == "-"
    assert column_of(Problem("p", "trip.arrival", "bad")) is None


def test_a_stored_files_problems_are_shown_with_the_name_the_person_gave_it():
    problems = renamed(
        [Problem("/srv/data/jobs/x/upload/bookings.csv", "row 2, column name", "m", 2)], "week 40.csv"
    )
    assert str(problems[0]) == "week 40.csv:2: row 2, column name: m"


def test_a_problem_response_is_rfc_9457_json():
    response = problem_response(422, "the input has problems", problems=[Problem("profile", "trip", "m")])
    body = json.loads(response.body)
    assert response.status_code == 422 and response.media_type == MEDIA_TYPE
    assert {"type", "title", "status", "detail", "problems"} <= set(body) and body["status"] == 422
    assert body["problems"][0]["text"] == "profile: trip: m"
    busy = problem_response(429, "busy", headers={"retry-after": "3"}, retry_after=3)
    assert busy.headers["retry-after"] == "3" and json.loads(busy.body)["retry_after"] == 3
    assert "problems" not in json.loads(busy.body)
