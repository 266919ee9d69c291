"""Options shared by build, plan and batch, turned into one GuideOptions."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from ..inputs.bookings import BookingsFormat
    from ..options import GuideOptions
    from ..plan.costs import Rate

F = TypeVar("F", bound=Callable[..., Any])
existing_file = click.Path(exists=True, dir_okay=False, path_type=Path)
GUIDE_OPTIONS = (
    "clinics",
    "brand",
    "catalogue",
    "closed",
    "rate",
    "page_format",
    "theme",
    "language",
    "lang_fallback",
    "white_label",
    "booklet",
    "strict",
    "timeout",
    "reminder",
    "tagged",
    "archive",
)
BOOKINGS_OPTIONS = ("delimiter", "encoding", "sheet", "date_format", "strict_columns", "time_tbc")


def guide_options(params: dict[str, Any]) -> GuideOptions:
    """The GuideOptions of a command's parameters (taken out of `params`); a bad combination is a
    usage error (exit status 2), before any work."""
    from ..errors import OptionsError
    from ..options import GuideOptions

    given = {name: params.pop(name) for name in GUIDE_OPTIONS if name in params}
    if "closed" in given:
        given["closed_dates"] = tuple(given.pop("closed"))
    try:
        return GuideOptions(**given)
    except OptionsError as exc:
        raise click.UsageError(str(exc)) from None


def bookings_format(params: dict[str, Any]) -> BookingsFormat:
    """How to read a bookings file, from a command's parameters (taken out of `params`); a bad
    value is a usage error (exit status 2), before any work."""
    from ..errors import OptionsError
    from ..inputs.bookings import BookingsFormat

    given = {name: params.pop(name) for name in BOOKINGS_OPTIONS if name in params}
    if given.get("delimiter") == "tab":
        given["delimiter"] = "\t"
    try:
        return BookingsFormat(**given)
    except OptionsError as exc:
        raise click.UsageError(str(exc)) from None


def bookings_options(func: F) -> F:
    """How a bookings file is read (batch and validate): --date-format, --time-tbc,
    --strict-columns, --encoding, --sheet, --delimiter."""
    for option in reversed(
        [
            click.option(
                "--date-format",
                type=click.Choice(["dmy", "mdy", "ymd"]),
                help="How the sheet writes dates: dmy 13/10/2026, mdy 10/13/2026, ymd 2026.10.13 "
                "[default: ISO 2026-10-13, and any date that reads only one way].",
            ),
            click.option(
                "--time-tbc",
                is_flag=True,
                help='An arrival or departure with a date but no time prints "time to be confirmed" '
                "instead of failing its row.",
            ),
            click.option(
                "--strict-columns",
                is_flag=True,
                help="Refuse columns guidebook does not know [default: list them once and ignore them].",
            ),
            click.option(
                "--encoding",
                metavar="NAME",
                help="The CSV's encoding when it is not UTF-8 or UTF-16, e.g. cp949 (Korean "
                "Windows) or shift_jis (Japanese Windows).",
            ),
            click.option("--sheet", metavar="NAME", help="The sheet of an .xlsx file [default: the first]."),
            click.option(
                "--delimiter", type=click.Choice([",", ";", "tab"]), help="Force the CSV separator."
            ),
        ]
    ):
        func = option(func)
    return func


def shared_options(func: F) -> F:
    """--clinics, --brand, --catalogue, --closed and --rate."""
    for option in reversed(
        [
            click.option("--clinics", type=existing_file, help="The agency's clinics (YAML)."),
            click.option("--brand", type=existing_file, help="The agency's brand (YAML)."),
            click.option(
                "--catalogue",
                type=existing_file,
                help="A treatment catalogue to use instead of the built-in one.",
            ),
            click.option(
                "--closed",
                "closed",
                multiple=True,
                callback=_dates,
                metavar="DATE",
                help="A date clinics are closed (repeatable), e.g. a short-notice holiday.",
            ),
            click.option(
                "--rate",
                callback=_rate,
                metavar="CUR=KRW[@DATE]",
                help="Exchange rate, e.g. USD=1380 or USD=1380@2026-03-20.",
            ),
        ]
    ):
        func = option(func)
    return func


def look_options(func: F) -> F:
    """--format, --theme and --white-label (build and batch)."""
    for option in reversed(
        [
            click.option(
                "--format",
                "page_format",
                type=click.Choice(["a4", "letter", "a5", "a6", "pocket"]),
                default="a5",
                show_default=True,
                help="Page size (pocket = a6).",
            ),
            click.option(
                "--theme",
                type=click.Path(exists=True, file_okay=False, path_type=Path),
                help="A folder whose templates/ and styles/ override the built-in theme.",
            ),
            click.option(
                "--lang",
                "language",
                callback=_language,
                metavar="LANG",
                help="Guide language: en, ja, zh-Hans (zh, zh-CN), zh-Hant (zh-TW, zh-HK), "
                "ko [default: the traveler's].",
            ),
            click.option(
                "--lang-fallback",
                is_flag=True,
                help="Make an unsupported traveler language English, with a warning.",
            ),
            click.option(
                "--white-label", is_flag=True, help="Leave out the agency's name, logo and contact."
            ),
            click.option(
                "--booklet",
                type=click.Choice(["a4", "letter"]),
                is_flag=False,
                flag_value="a4",
                default=None,
                help="Impose for home printing on A4 (or --booklet letter) sheets: A5 pages "
                "2-up, A6 pages 4-up, in folding order.",
            ),
            click.option(
                "--tags/--no-tags",
                "tagged",
                default=True,
                show_default=True,
                help="A tagged PDF (PDF/UA-1: headings, tables, alt texts, reading order) for "
                "screen readers.",
            ),
            click.option(
                "--archive", is_flag=True, help="PDF/A-3b, for records that must be kept (with the calendar)."
            ),
        ]
    ):
        func = option(func)
    return func


def _language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from ..i18n import resolve_language

    try:
        return resolve_language(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _dates(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[date]:
    out = []
    for value in values:
        try:
            out.append(date.fromisoformat(value))
        except ValueError:
            raise click.BadParameter(f"{value!r} is not a date like 2026-10-02") from None
    return out


def _rate(ctx: click.Context, param: click.Parameter, value: str | None) -> Rate | None:
    if value is None:
        return None
    from babel.numbers import is_currency

    from ..plan.costs import Rate

    match = re.fullmatch(r"([A-Za-z]{3})=([0-9]+(?:\.[0-9]+)?)(?:@(\d{4}-\d{2}-\d{2}))?", value)
    if not match or not is_currency(match[1].upper()):
        raise click.BadParameter("write it as CUR=KRW_PER_UNIT, e.g. USD=1380 or JPY=9.2@2026-03-20")
    try:
        amount = Decimal(match[2])
        as_of = date.fromisoformat(match[3]) if match[3] else date.today()
    except (InvalidOperation, ValueError):
        raise click.BadParameter(f"{value!r} has a bad number or date") from None
    if amount <= 0:
        raise click.BadParameter("the rate must be above zero")
    return Rate(match[1].upper(), amount, as_of, "command line")
