"""guidebook theme eject DIR"""

from __future__ import annotations

from pathlib import Path

import click

from . import report_errors


@click.group("theme")
def command() -> None:
    """Work with themes: the templates and styles a guide is made from."""


@command.command("eject")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@report_errors
def eject(folder: Path) -> None:
    """Copy the built-in theme into FOLDER for editing (refuses to overwrite).

    Then build with --theme FOLDER; delete the files you do not change, so that they keep
    following the built-in theme.
    """
    from ..scaffold import eject_theme

    written = eject_theme(folder)
    click.echo(f"wrote {len(written)} files into {folder}; build with --theme {folder}")
