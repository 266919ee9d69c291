"""The `guidebook` command: a thin click layer over the library; heavy imports are lazy."""

from __future__ import annotations

import functools
import signal
import sys
from collections.abc import Callable
from typing import Any

import click

from ..errors import GuidebookError, OptionsError


def report_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn guidebook's errors into one clear message and exit status 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..timelimit import Timeout

        previous = signal.signal(signal.SIGTERM, _terminated)
        try:
            return func(*args, **kwargs)
        except OptionsError as exc:
            raise click.UsageError(str(exc)) from None
        except GuidebookError as exc:
            raise click.ClickException(str(exc)) from None
        except Timeout:  # a limit's alarm landing after its block ended
            raise click.ClickException("stopped by the time limit; nothing was written") from None
        except KeyboardInterrupt:
            click.echo("Interrupted; no partial file was left.", err=True)
            sys.exit(130)
        finally:
            signal.signal(signal.SIGTERM, previous)

    return wrapper


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (a service manager, `kill`) stops a command as Ctrl-C does: cleanly."""
    raise KeyboardInterrupt


class LazyGroup(click.Group):
    """Imports a command's module only when that command runs (fast --help)."""

    COMMANDS = {
        "batch": "batch",
        "build": "build",
        "plan": "plan",
        "validate": "validate",
        "schema": "schema",
        "catalogue": "catalogue",
        "doctor": "doctor",
        "init": "init",
        "theme": "theme",
        "serve": "serve",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.COMMANDS:
            return None
        from importlib import import_module

        module = import_module(f".{self.COMMANDS[name]}", __name__)
        command: click.Command = module.command
        return command


@click.group(cls=LazyGroup)
@click.version_option(package_name="guidebook")
def main() -> None:
    """Make a personalized, printable guide for a skin-treatment trip to Seoul."""
