"""guidebook catalogue [--json]"""

from __future__ import annotations

from pathlib import Path

import click

from . import report_errors
from .options import existing_file


@click.command("catalogue")
@click.option("--catalogue", type=existing_file, help="Show this catalogue instead of the built-in.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole catalogue as JSON.")
@report_errors
def command(catalogue: Path | None, as_json: bool) -> None:
    """List the treatments with prices, downtime, sessions and timing rules."""
    from ..inputs.load import load_catalogue
    from .text import catalogue_table

    cat = load_catalogue(catalogue)
    click.echo(cat.model_dump_json(indent=2) if as_json else catalogue_table(cat))
