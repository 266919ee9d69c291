"""guidebook build PROFILE -o guide.pdf"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import GuidebookError
from . import report_errors
from .options import existing_file, guide_options, look_options, shared_options

if TYPE_CHECKING:
    from ..guide import GuideRenderer
    from ..options import GuideOptions


@click.command("build")
@click.argument("profile", type=existing_file)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="The PDF to write [default: PROFILE's name with .pdf, in this folder].",
)
@shared_options
@look_options
@click.option("--html", type=click.Path(path_type=Path), help="Also write the HTML here.")
@click.option("--ics", type=click.Path(path_type=Path), help="Also write the appointments (.ics).")
@click.option("--reminder", is_flag=True, help="The calendar reminds of each event the day before.")
@click.option("--strict", is_flag=True, help="Treat rendering warnings as errors.")
@click.option(
    "--timeout",
    type=click.FloatRange(1, 3600),
    default=120,
    show_default=True,
    help="Stop a render that takes longer than this many seconds.",
)
@click.option(
    "--watch", is_flag=True, help="Build again whenever the profile, clinics, brand or theme files change."
)
@report_errors
def command(
    profile: Path, output: Path | None, html: Path | None, ics: Path | None, watch: bool, **params: Any
) -> None:
    """Build the guide for one traveler PROFILE (YAML)."""
    from ..doctor import render_warnings
    from ..options import check_outputs

    options = guide_options(params)
    output = output or Path(profile.stem + ".pdf")
    check_outputs({"-o": output, "--html": html, "--ics": ics}, inputs=[profile, *options.input_files])
    for warning in render_warnings():
        click.echo(f"warning: {warning}", err=True)
    if watch:
        _watch(profile, options, lambda renderer: _build(profile, output, html, ics, options, renderer))
    else:
        _build(profile, output, html, ics, options, None)


def _build(
    profile: Path,
    output: Path,
    html: Path | None,
    ics: Path | None,
    options: GuideOptions,
    renderer: GuideRenderer | None,
) -> None:
    from ..guide import build_guide

    result = build_guide(profile, output=output, options=options, html=html, ics=ics, renderer=renderer)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for path in result.written:
        click.echo(f"wrote {path}", err=True)


def _watch(profile: Path, options: GuideOptions, once: Callable[[GuideRenderer | None], None]) -> None:
    """Rebuild on every change, with one renderer that reuses the layout of unchanged sections;
    an error is shown and the watch goes on."""
    from ..guide import GuideRenderer, load_shared
    from ..render.theme import Theme
    from ..watch import watch

    renderer: GuideRenderer | None = None

    def files() -> list[Path]:
        paths = [profile, *options.input_files]
        templates = None
        if options.brand:
            try:
                brand = load_shared(options).brand
                if brand:
                    paths += [p for p in (brand.logo, *brand.font_files) if p]
                    templates = brand.templates
            except GuidebookError:
                pass  # reported by the build itself
        return paths + Theme.with_override(options.theme or templates).files

    def safe_once() -> None:
        nonlocal renderer
        try:
            brand = load_shared(options).brand
            if renderer is None or not renderer.serves(options, brand):
                renderer = GuideRenderer(options, brand=brand, reuse=True)
            once(renderer)
        except GuidebookError as exc:
            click.echo(f"error: {exc}", err=True)
        click.echo("watching for changes (Ctrl-C to stop)...", err=True)

    try:
        watch(files, safe_once)
    except KeyboardInterrupt:
        click.echo("stopped watching.", err=True)
