"""guidebook serve [--host 127.0.0.1] [--port 8000] [--data DIR] [--token TOKEN]"""

from __future__ import annotations

from pathlib import Path

import click

from . import report_errors
from .options import existing_file


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; any other than this machine's needs --token.",
)
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on."
)
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the database, batches and brand "
    "[default: $XDG_DATA_HOME/guidebook, else ~/.local/share/guidebook].",
)
@click.option(
    "--token", envvar="GUIDEBOOK_TOKEN", help="Access token every request must give (or GUIDEBOOK_TOKEN)."
)
@click.option("--clinics", type=existing_file, help="The agency's clinics (YAML).")
@click.option(
    "--catalogue", type=existing_file, help="A treatment catalogue to use instead of the built-in one."
)
@click.option("--brand", type=existing_file, help="A brand file to start from, when none is saved yet.")
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Processes making single guides [default: one per core]."
)
@click.option(
    "-j", "--jobs", type=click.IntRange(1, 256), help="Processes of a batch [default: one per core]."
)
@click.option(
    "--queue",
    type=click.IntRange(1, 1000),
    default=8,
    show_default=True,
    help="Guides that may wait; past that, 429 with Retry-After.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(1, 3600),
    default=60,
    show_default=True,
    help="Seconds a guide may take.",
)
@click.option(
    "--keep-days",
    type=click.FloatRange(min=0.01),
    default=30,
    show_default=True,
    help="Days a finished batch is kept.",
)
@click.option(
    "--max-upload",
    type=click.IntRange(1, 1024),
    default=10,
    show_default=True,
    help="Megabytes of an uploaded bookings file.",
)
@report_errors
def command(
    host: str,
    port: int,
    data: Path | None,
    token: str | None,
    clinics: Path | None,
    catalogue: Path | None,
    brand: Path | None,
    workers: int | None,
    jobs: int | None,
    queue: int,
    timeout: float,
    keep_days: float,
    max_upload: int,
) -> None:
    """Serve the web app and the HTTP API (http://127.0.0.1:8000 by default) until Ctrl-C."""
    from ..serve.app import check_inputs, run
    from ..serve.settings import ServeSettings, default_data_dir

    settings = ServeSettings(
        data=data or default_data_dir(),
        host=host,
        port=port,
        token=token or None,
        clinics=clinics,
        catalogue=catalogue,
        brand=brand,
        workers=workers or 0,
        jobs=jobs or 0,
        queue=queue,
        timeout=timeout,
        keep_days=keep_days,
        max_upload=max_upload << 20,
    )
    check_inputs(settings)
    click.echo(f"guidebook serves {settings.url} (data in {settings.data}); Ctrl-C stops it.", err=True)
    run(settings)
