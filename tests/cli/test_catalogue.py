"""`guidebook catalogue` (cli/catalogue.py): the treatments as a table or JSON."""

from __future__ import annotations

import json

from guidebook.cli import main


def test_catalogue_table_and_json(runner):
    table = runner.invoke(main, ["catalogue"])
    assert table.exit_code == 0
    assert "rejuran-healer" in table.output and "₩300,000-₩700,000" in table.output
    data = json.loads(runner.invoke(main, ["catalogue", "--json"]).output)
    assert len(data["treatments"]) == 12
