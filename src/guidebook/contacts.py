"""Emergency and help numbers: data (data/help_numbers.yaml) with a source and check date each."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .errors import InputError, Problem
from .plan import HelpNumber

DEFAULT_HELP_NUMBERS = Path(__file__).parent / "data" / "help_numbers.yaml"


def load_help_numbers(path: Path | None = None) -> list[HelpNumber]:
    """The help numbers of a YAML file with a top-level `numbers:` list (default: the built-in).

    Read once per version of the file (every guide of a batch needs them: parsing the YAML
    again took 5 ms a guide)."""
    path = Path(path or DEFAULT_HELP_NUMBERS)
    try:
        stat = path.stat()
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot read help numbers: {exc}")]) from exc
    return list(_load(path, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=8)
def _load(path: Path, mtime_ns: int, size: int) -> tuple[HelpNumber, ...]:
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
    return tuple(numbers)
