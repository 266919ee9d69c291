"""`guidebook schema` (cli/schema.py): the JSON Schema of each input file."""

from __future__ import annotations

import json
import re

import pytest

from guidebook.cli import main


@pytest.mark.parametrize("kind", ["profile", "clinics", "brand"])
def test_schema(runner, kind):
    result = runner.invoke(main, ["schema", kind])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["additionalProperties"] is False
    assert schema["title"] == f"guidebook {kind}"


def test_schema_bookings_lists_every_column_with_an_example(runner):
    from guidebook.inputs.bookings import SPECS

    result = runner.invoke(main, ["schema", "bookings"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for spec in SPECS.values():
        assert any(line.startswith(f"{spec.name} ") for line in lines), spec.name
        assert f"e.g. {spec.example}" in result.output
    assert "also: booking, booking no" in result.output
    schema = json.loads(runner.invoke(main, ["schema", "bookings", "--json"]).output)
    assert list(schema["properties"]) == list(SPECS)
    assert all(p["description"] for p in schema["properties"].values())


def test_the_profile_schema_gives_seoul_time_as_a_pattern_editors_check(runner):
    schema = json.loads(runner.invoke(main, ["schema", "profile"]).output)
    arrival = schema["$defs"]["Trip"]["properties"]["arrival"]
    assert arrival["type"] == "string" and "format" not in arrival
    assert re.fullmatch(arrival["pattern"][1:-1], "2026-09-19T15:20")
    assert not re.fullmatch(arrival["pattern"][1:-1], "2026-09-19T15:20+09:00")
    assert schema["$defs"]["Traveler"]["properties"]["name"]["description"]
