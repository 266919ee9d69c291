"""`guidebook plan` (cli/plan.py): the plan as JSON or text, without rendering."""

from __future__ import annotations

import json

from helpers import SAMPLE_ARGS

from guidebook.cli import main


def test_plan_json(runner):
    result = runner.invoke(main, ["plan", *SAMPLE_ARGS, "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert plan["arrival"] == "2026-09-19" and plan["departure"] == "2026-09-30"
    assert len(plan["days"]) == 12
    assert {u["treatment_id"] for u in plan["unplaced"]} >= {"pico-laser"}
    assert plan["costs"]["home"]["currency"] == "USD"
    chuseok = [d for d in plan["days"] if d["holiday"] and "Chuseok" in d["holiday"]]
    assert len(chuseok) == 3 and all(not d["appointments"] for d in chuseok)


def test_plan_text(runner):
    result = runner.invoke(main, ["plan", *SAMPLE_ARGS])
    assert result.exit_code == 0, result.output
    assert "Thu 2026-09-24" in result.output and "holiday" in result.output
    assert "Not in this trip" in result.output
