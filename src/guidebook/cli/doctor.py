"""guidebook doctor"""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("doctor")
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also check that guides can be written here [default: this folder].",
)
@click.option(
    "--brand",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also check an agency's brand file: its logo, font files and colours, and its font.",
)
def command(output_dir: Path | None, brand: Path | None) -> None:
    """Check that this machine can make guides: WeasyPrint, Pango, HarfBuzz, fonts, theme (and
    with --brand, an agency's brand).

    Exit status 1 when something needed is missing; each problem comes with its fix.
    """
    from ..doctor import run_checks

    checks = run_checks(output_dir, brand) if brand else run_checks(output_dir)
    for check in checks:
        click.echo(check.line())
    failed = [c for c in checks if c.required and not c.ok]
    click.echo(f"{len(failed)} problem(s) found." if failed else "Ready to make guides.")
    if failed:
        sys.exit(1)
