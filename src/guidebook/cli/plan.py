"""guidebook plan PROFILE [--json]"""

from __future__ import annotations

from pathlib import Path

import click

from . import report_errors
from .options import existing_file, shared_options


@click.command("plan")
@click.argument("profile", type=existing_file)
@shared_options
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@report_errors
def command(profile: Path, clinics: Path | None, brand: Path | None, catalogue: Path | None,
            closed: list, rate: object, as_json: bool) -> None:
    """Print the plan (itinerary, unplaced sessions, checklist dates, costs) without rendering."""
    from ..build import load_inputs, plan_guide
    from ..summary import plan_text

    inputs = load_inputs(profile, clinics=clinics, brand=brand, catalogue=catalogue)
    plan = plan_guide(inputs, closed_dates=closed, rate=rate)
    click.echo(plan.model_dump_json(indent=2) if as_json else plan_text(plan, inputs))
