"""guidebook plan PROFILE [--json]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from . import report_errors
from .options import existing_file, guide_options, shared_options


@click.command("plan")
@click.argument("profile", type=existing_file)
@shared_options
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@report_errors
def command(profile: Path, as_json: bool, **params: Any) -> None:
    """Print the plan (itinerary, unplaced sessions, checklist dates, costs) without rendering."""
    from ..guide import load_inputs, plan_guide
    from .text import plan_text

    options = guide_options(params)
    inputs = load_inputs(profile, options)
    plan = plan_guide(inputs, options)
    click.echo(plan.model_dump_json(indent=2) if as_json else plan_text(plan, inputs))
