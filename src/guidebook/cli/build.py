"""guidebook build PROFILE -o guide.pdf"""

from __future__ import annotations

from pathlib import Path

import click

from . import report_errors
from .options import existing_file, shared_options


@click.command("build")
@click.argument("profile", type=existing_file)
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="The PDF to write [default: PROFILE's name with .pdf, in this folder].")
@shared_options
@click.option("--format", "page_format", type=click.Choice(["a4", "letter", "a5", "a6", "pocket"]),
              default="a5", show_default=True, help="Page size (pocket = a6).")
@click.option("--html", type=click.Path(path_type=Path), help="Also write the HTML here.")
@click.option("--ics", type=click.Path(path_type=Path), help="Also write the appointments (.ics).")
@click.option("--strict", is_flag=True, help="Treat rendering warnings as errors.")
@click.option("--timeout", type=click.FloatRange(1, 3600), default=120, show_default=True,
              help="Stop a render that takes longer than this many seconds.")
@report_errors
def command(profile: Path, output: Path | None, page_format: str, timeout: float,
            **options) -> None:  # noqa: ANN003
    """Build the guide for one traveler PROFILE (YAML)."""
    from ..build import build_guide
    from ..doctor import render_warnings
    from ..limits import time_limit

    for warning in render_warnings():
        click.echo(f"warning: {warning}", err=True)
    output = output or Path(profile.stem + ".pdf")
    page_format = "a6" if page_format == "pocket" else page_format
    with time_limit(timeout, f"building the guide for {profile}"):
        result = build_guide(profile, output=output, page_format=page_format,
                             closed_dates=options.pop("closed"), **options)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for path in result.written:
        click.echo(f"wrote {path}", err=True)
