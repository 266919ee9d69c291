"""guidebook validate FILE..."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from . import report_errors
from .options import bookings_format, bookings_options, existing_file


@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=existing_file)
@click.option("--catalogue", type=existing_file, help="A catalogue to check treatment ids against.")
@bookings_options
@report_errors
def command(files: tuple[Path, ...], catalogue: Path | None, **params: Any) -> None:
    """Check profiles, clinics, brand and bookings (CSV or .xlsx) files without rendering.

    Every problem is listed with its file, line or row, and field; clinics files given
    alongside are used to check the clinic ids of profiles and bookings.
    """
    from ..inputs.check import validate_files

    fmt = bookings_format(params)
    for line in validate_files(list(files), catalogue=catalogue, bookings=fmt):
        click.echo(line, err=line.startswith("warning: "))
