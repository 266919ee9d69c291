"""The `guidebook` command group (cli/__init__.py): commands imported only when they run, and
guidebook's errors as one clear message with the right exit status, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from guidebook.cli import LazyGroup, main, report_errors
from guidebook.errors import InputError, OptionsError, OutputError, Problem


def test_help_does_not_import_weasyprint():
    code = (
        "import sys; from click.testing import CliRunner; from guidebook.cli import main; "
        "r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0; "
        "print('weasyprint' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def test_every_command_is_listed_and_loads():
    ctx = click.Context(main)
    assert main.list_commands(ctx) == sorted(LazyGroup.COMMANDS)
    for name in LazyGroup.COMMANDS:
        assert main.get_command(ctx, name).name == name
    assert main.get_command(ctx, "nonsense") is None


@pytest.mark.parametrize(
    ("error", "status", "words"),
    [
        (
            InputError([Problem("p.yaml", "trip.arrival", "not a date", 3)]),
            1,
            "Error: p.yaml:3: trip.arrival: not a date\nAborted with 1 input error.",
        ),
        (OutputError("g.pdf: cannot write here"), 1, "Error: g.pdf: cannot write here"),
        (OptionsError("use a5 or a6"), 2, "Error: use a5 or a6"),
        (KeyboardInterrupt(), 130, "Interrupted; no partial file was left."),
    ],
)
def test_errors_become_one_message_and_an_exit_status(error, status, words):
    @click.command()
    @report_errors
    def failing() -> None:
        raise error

    result = CliRunner().invoke(failing, [])
    assert result.exit_code == status
    assert words in result.output and "Traceback" not in result.output


def test_sigterm_stops_a_command_as_ctrl_c_does():
    import os
    import signal

    import click
    from click.testing import CliRunner

    from guidebook.cli import report_errors

    @click.command()
    @report_errors
    def terminated() -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # a service manager stopping guidebook
        raise AssertionError("not reached")

    before = signal.getsignal(signal.SIGTERM)
    result = CliRunner().invoke(terminated, [])
    assert result.exit_code == 130 and "Interrupted" in result.output
    assert signal.getsignal(signal.SIGTERM) == before  # the handler is the command's only


def test_a_late_alarm_of_a_time_limit_is_a_message_not_a_traceback():
    import click
    from click.testing import CliRunner

    from guidebook.cli import report_errors
    from guidebook.timelimit import Timeout

    @click.command()
    @report_errors
    def late() -> None:
        raise Timeout

    result = CliRunner().invoke(late, [])
    assert result.exit_code == 1 and "time limit" in result.output and "Traceback" not in result.output
