"""`guidebook schema` (cli/schema.py): the JSON Schema of each input file."""

from __future__ import annotations

import json

import pytest

from guidebook.cli import main


@pytest.mark.parametrize("kind", ["profile", "clinics", "brand"])
def test_schema(runner, kind):
    result = runner.invoke(main, ["schema", kind])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["additionalProperties"] is False
    assert schema["title"] == f"guidebook {kind}"
