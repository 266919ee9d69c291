"""guidebook init DIR"""

from __future__ import annotations

from pathlib import Path

import click

from . import report_errors


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@report_errors
def command(folder: Path) -> None:
    """Write a starter profile, clinics and brand file, and sample bookings (bookings.csv and
    bookings.xlsx, every column), into FOLDER (never overwriting).

    They build as they are: guidebook build FOLDER/traveler.yaml --clinics FOLDER/clinics.yaml
    --brand FOLDER/brand.yaml; guidebook batch FOLDER/bookings.xlsx -o guides/ --clinics
    FOLDER/clinics.yaml
    """
    from ..scaffold import init_agency

    for path in init_agency(folder):
        click.echo(f"wrote {path}")
    click.echo(
        f"Next: guidebook build {folder}/traveler.yaml --clinics {folder}/clinics.yaml "
        f"--brand {folder}/brand.yaml -o guide.pdf"
    )
    click.echo(
        f"  or: guidebook batch {folder}/bookings.xlsx -o guides/ --clinics {folder}/clinics.yaml "
        f"--brand {folder}/brand.yaml   (`guidebook schema bookings` lists the columns)"
    )
