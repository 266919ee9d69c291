"""guidebook build PROFILE -o guide.pdf"""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import GuidebookError
from . import report_errors
from .options import existing_file, look_options, shared_options


@click.command("build")
@click.argument("profile", type=existing_file)
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="The PDF to write [default: PROFILE's name with .pdf, in this folder].")
@shared_options
@look_options
@click.option("--html", type=click.Path(path_type=Path), help="Also write the HTML here.")
@click.option("--ics", type=click.Path(path_type=Path), help="Also write the appointments (.ics).")
@click.option("--strict", is_flag=True, help="Treat rendering warnings as errors.")
@click.option("--timeout", type=click.FloatRange(1, 3600), default=120, show_default=True,
              help="Stop a render that takes longer than this many seconds.")
@click.option("--watch", is_flag=True,
              help="Build again whenever the profile, clinics, brand or theme files change.")
@report_errors
def command(profile: Path, output: Path | None, page_format: str, timeout: float, watch: bool,
            **options) -> None:  # noqa: ANN003
    """Build the guide for one traveler PROFILE (YAML)."""
    from ..build import build_guide
    from ..doctor import render_warnings
    from ..limits import time_limit

    for warning in render_warnings():
        click.echo(f"warning: {warning}", err=True)
    output = output or Path(profile.stem + ".pdf")
    page_format = "a6" if page_format == "pocket" else page_format
    options["closed_dates"] = options.pop("closed")

    def once() -> None:
        with time_limit(timeout, f"building the guide for {profile}"):
            result = build_guide(profile, output=output, page_format=page_format, **options)
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        for path in result.written:
            click.echo(f"wrote {path}", err=True)

    if not watch:
        once()
        return
    _watch(profile, options, once)


def _watch(profile: Path, options: dict, once) -> None:  # noqa: ANN001
    """Rebuild on every change; an error is shown and the watch goes on."""
    from ..loading import load_brand
    from ..render import Theme
    from ..watch import watch

    def files() -> list[Path]:
        names = (profile, options.get("clinics"), options.get("brand"), options.get("catalogue"))
        paths = [Path(p) for p in names if p]
        templates = None
        if options.get("brand"):
            try:
                brand = load_brand(Path(options["brand"]))
                paths += [p for p in (brand.logo, *brand.font_files) if p]
                templates = brand.templates
            except GuidebookError:
                pass  # reported by the build itself
        return paths + Theme.with_override(options.get("theme") or templates).files

    def safe_once() -> None:
        try:
            once()
        except GuidebookError as exc:
            click.echo(f"error: {exc}", err=True)
        click.echo("watching for changes (Ctrl-C to stop)...", err=True)

    try:
        watch(files, safe_once)
    except KeyboardInterrupt:
        click.echo("stopped watching.", err=True)
