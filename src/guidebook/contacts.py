"""Emergency and help numbers: data (data/help_numbers.yaml) with a source and check date each."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .errors import InputError, Problem
from .plan import HelpNumber

DEFAULT_HELP_NUMBERS = Path(__file__).parent / "data" / "help_numbers.yaml"


def load_help_numbers(path: Path | None = None) -> list[HelpNumber]:
    """The help numbers of a YAML file with a top-level `numbers:` list (default: the built-in)."""
    path = path or DEFAULT_HELP_NUMBERS
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise InputError([Problem(str(path), "", f"cannot read help numbers: {exc}")]) from exc
    entries = data.get("numbers") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise InputError([Problem(str(path), "numbers", "expected a list under `numbers:`")])
    numbers: list[HelpNumber] = []
    problems: list[Problem] = []
    for i, entry in enumerate(entries):
        if isinstance(entry, dict) and isinstance(entry.get("number"), int):
            entry = {**entry, "number": str(entry["number"])}  # YAML reads 119 as a number
        try:
            numbers.append(HelpNumber.model_validate(entry))
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(part) for part in (f"numbers[{i}]", *err["loc"]))
                problems.append(Problem(str(path), where, err["msg"]))
    if problems:
        raise InputError(problems)
    return numbers
