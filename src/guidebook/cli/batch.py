"""guidebook batch BOOKINGS.csv -o OUT_DIR"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import report_errors
from .options import (
    bookings_format,
    bookings_options,
    existing_file,
    guide_options,
    look_options,
    shared_options,
)

if TYPE_CHECKING:
    from ..batch.types import RowResult, Summary

EXIT_FAILED_ROWS = 1
EXIT_INTERRUPTED = 130


class Progress:
    """A one-line bar on a terminal; plain log lines otherwise; nothing with --quiet."""

    def __init__(self, total: int, *, quiet: bool, unit: str = "line"):
        self.total, self.quiet, self.unit = total, quiet, unit  # "row" for a workbook's rows
        self.tty = sys.stderr.isatty()
        self.start = self.last = time.monotonic()

    def __call__(self, result: RowResult, summary: Summary) -> None:
        if self.quiet:
            return
        if result.status in {"failed", "warning"}:
            self._line(f"{self.unit} {result.line} ({result.booking_id}): {result.message}")
        now = time.monotonic()
        done = summary.total
        if self.tty:
            self._bar(summary, now)
        elif now - self.last >= 10 or done == self.total:
            self.last = now
            click.echo(
                f"progress: {done}/{self.total} rows, {summary.failed} failed, "
                f"{self._rate(summary, now):.1f} guides/s",
                err=True,
            )

    def _rate(self, summary: Summary, now: float) -> float:
        return (summary.ok + summary.warning) / max(now - self.start, 1e-6)

    def _bar(self, summary: Summary, now: float) -> None:
        done = summary.total
        width = 24
        filled = int(width * done / max(self.total, 1))
        rate = done / max(now - self.start, 1e-6)
        left = (self.total - done) / rate if rate else 0
        text = (
            f"\r[{'#' * filled}{'-' * (width - filled)}] {done}/{self.total} "
            f"ok {summary.ok} failed {summary.failed} | {self._rate(summary, now):.1f}/s "
            f"| {int(left // 60)}m{int(left % 60):02d}s left "
        )
        click.echo(text, err=True, nl=False)

    def _line(self, text: str) -> None:
        if self.tty:
            click.echo("\r\x1b[2K", err=True, nl=False)
        click.echo(text, err=True)

    def close(self) -> None:
        if self.tty and not self.quiet:
            click.echo("", err=True)


@click.command("batch")
@click.argument("bookings", type=existing_file)
@click.option(
    "-o",
    "--output-dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the guides (created if missing).",
)
@shared_options
@look_options
@click.option("-j", "--jobs", type=click.IntRange(1, 256), help="Worker processes [default: one per core].")
@click.option(
    "--name",
    default="{booking_id}-{name}",
    show_default=True,
    help="File name template: {booking_id}, {name}, {arrival}, {departure}, {line}.",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report of every row [default: OUTPUT_DIR/report.csv].",
)
@click.option("--report-format", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option(
    "--resume", is_flag=True, help="Skip rows whose guide exists and whose inputs have not changed."
)
@click.option("--fail-fast", is_flag=True, help="Stop at the first bad row.")
@click.option(
    "--zip",
    "zip_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also bundle the guides and the report into this zip file.",
)
@bookings_options
@click.option("--ics", is_flag=True, help="Also write each guide's calendar beside it (NAME.ics).")
@click.option("--reminder", is_flag=True, help="The calendars remind of each event the day before.")
@click.option(
    "--timeout",
    type=click.FloatRange(1, 3600),
    default=120,
    show_default=True,
    help="Seconds a row may take before it is stopped and reported.",
)
@click.option("--strict", is_flag=True, help="Treat rendering warnings as errors.")
@click.option("-q", "--quiet", is_flag=True, help="No progress; only the summary.")
@report_errors
def command(
    bookings: Path,
    output_dir: Path,
    quiet: bool,
    jobs: int | None,
    name: str,
    report: Path | None,
    report_format: str,
    resume: bool,
    fail_fast: bool,
    zip_path: Path | None,
    ics: bool,
    **params: Any,
) -> None:
    """Build a guide for every row of a BOOKINGS file: a CSV, or an Excel workbook (.xlsx).

    Exit status: 0 when every row succeeded (or was unchanged with --resume), 1 when a row
    failed or the batch could not start, 2 for a bad option, 130 when interrupted.
    """
    from ..batch.run import check_batch, run_batch
    from ..batch.types import BatchInterrupted, BatchSettings
    from ..doctor import render_warnings
    from ..inputs.bookings import count_rows
    from ..inputs.workbook import is_workbook

    settings = BatchSettings(
        out_dir=output_dir,
        guide=guide_options(params),
        jobs=jobs or 0,
        name=name,
        report=report,
        report_format=report_format,
        resume=resume,
        fail_fast=fail_fast,
        zip_path=zip_path,
        bookings=bookings_format(params),
        ics=ics,
    )
    check_batch(bookings, settings)
    for warning in render_warnings():
        click.echo(f"warning: {warning}", err=True)
    said: list[str] = []
    unit = "row" if is_workbook(bookings) else "line"
    progress = Progress(count_rows(bookings, settings.bookings, warnings=said), quiet=quiet, unit=unit)
    for warning in said:
        click.echo(f"warning: {warning}", err=True)
    try:
        summary = run_batch(bookings, settings, on_result=progress)
    except BatchInterrupted as exc:
        progress.close()
        _summary(exc.summary, "Interrupted")
        sys.exit(EXIT_INTERRUPTED)
    progress.close()
    _summary(summary, "Done")
    if summary.failed:
        sys.exit(EXIT_FAILED_ROWS)


def _summary(summary: Summary, word: str) -> None:
    rate = (summary.ok + summary.warning) / summary.seconds if summary.seconds else 0.0
    click.echo(
        f"{word}: {summary.total} rows: {summary.ok} ok, {summary.warning} with a warning, "
        f"{summary.failed} failed, "
        f"{summary.skipped} skipped in {summary.seconds:.1f} s ({rate:.1f} guides/s). "
        f"Report: {summary.report}" + (f"; zip: {summary.zip_path}" if summary.zip_path else ""),
        err=True,
    )
