"""The data files guidebook ships (`data/`): one loader, read once per version of a file, read-only.

The catalogue, help numbers, glossary, phrases and holiday names are data with their sources and
check dates (see each file's header); code reads them here and never changes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .._version import __version__
from ..cache import remembered
from ..errors import InputError, Problem

M = TypeVar("M", bound=BaseModel)
_RUAMEL = f"guidebook {__version__}"  # what the parsed data depend on besides the file
DATA = Path(__file__).resolve().parents[1] / "data"
DEFAULT_CATALOGUE = DATA / "catalogue.yaml"
DEFAULT_HELP_NUMBERS = DATA / "help_numbers.yaml"


def freeze(node: Any) -> Any:
    """Mappings as read-only mappings and lists as tuples, all the way down."""
    if isinstance(node, Mapping):
        return MappingProxyType({key: freeze(value) for key, value in node.items()})
    if isinstance(node, list | tuple):
        return tuple(freeze(value) for value in node)
    return node


def thaw(node: Any) -> Any:
    """A frozen node as plain dicts and lists again (for validation into models)."""
    if isinstance(node, Mapping):
        return {key: thaw(value) for key, value in node.items()}
    if isinstance(node, tuple):
        return [thaw(value) for value in node]
    return node


def load_data(name: str | Path) -> Any:
    """A data file (a name in `data/`, or a path), parsed once per version of the file, frozen."""
    return _read(*_version(Path(name) if isinstance(name, Path) else DATA / name))


def _version(path: Path) -> tuple[Path, int, int]:
    """A file's path, modification time and size: a cache key that changes with the file."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot be read ({exc.strerror})")]) from None
    return path, stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=32)
def _read(path: Path, mtime_ns: int, size: int) -> Any:
    """The parsed file, frozen: parsed once per version of the file and kept in the cache folder
    (the built-in files take 30 to 100 ms to parse; a cold build reads them in a few)."""
    key = f"{path}|{mtime_ns}|{size}|{_RUAMEL}"
    return freeze(remembered("data", key, lambda: _parse(path)))


def _parse(path: Path) -> Any:
    try:
        return YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise InputError([Problem(str(path), "", f"cannot be read: {exc}")]) from None


def load_validated(name: str | Path, model: type[M]) -> M:
    """A data file validated as `model` (frozen models suit it best), once per version of it."""
    validated: M = _validated(*_version(Path(name) if isinstance(name, Path) else DATA / name), model)
    return validated


@lru_cache(maxsize=32)
def _validated(path: Path, mtime_ns: int, size: int, model: type[M]) -> M:
    try:
        validated: M = model.model_validate(thaw(_read(path, mtime_ns, size)))
        return validated
    except ValidationError as exc:
        raise InputError(
            [Problem(str(path), ".".join(map(str, e["loc"])), e["msg"]) for e in exc.errors()]
        ) from None


def korean_term(kind: str, text: str) -> str | None:
    """The Korean for a common allergen, medication, condition or blood type, if we know it."""
    table = load_data("glossary.yaml").get(kind) or {}
    entry = table.get(text) or table.get(text.strip().lower())
    if isinstance(entry, Mapping):
        return entry.get("ko")
    return entry


Charge = Literal["free", "caller_pays", "unknown"]


class HelpNumber(BaseModel):
    """An emergency or help number, with who pays for a call, its source and check date.

    `charge` is `free` only where a source says so (112, 119, the 1330 service); national numbers
    (1577-xxxx, 1670-xxxx) are `caller_pays`; `unknown` when not checked. The guide prints "free"
    beside `free` numbers only."""

    model_config = ConfigDict(frozen=True)

    number: str
    name: str
    description: str
    hours: str | None = None
    languages: str | None = None
    charge: Charge = "unknown"
    source: str
    checked: date
    note: str | None = None


def load_help_numbers(path: Path | None = None) -> tuple[HelpNumber, ...]:
    """The help numbers of a YAML file with a top-level `numbers:` list (default: the built-in),
    validated once per version of the file (every guide of a batch needs them: parsing the YAML
    again took 5 ms a guide)."""
    return _help_numbers(*_version(Path(path or DEFAULT_HELP_NUMBERS)))


@lru_cache(maxsize=8)
def _help_numbers(path: Path, mtime_ns: int, size: int) -> tuple[HelpNumber, ...]:
    data = _read(path, mtime_ns, size)
    entries = data.get("numbers") if isinstance(data, Mapping) else None
    if not isinstance(entries, tuple):
        raise InputError([Problem(str(path), "numbers", "expected a list under `numbers:`")])
    numbers: list[HelpNumber] = []
    problems: list[Problem] = []
    for i, entry in enumerate(entries):
        fields = thaw(entry) if isinstance(entry, Mapping) else entry
        if isinstance(fields, dict) and isinstance(fields.get("number"), int):
            fields["number"] = str(fields["number"])  # YAML reads 119 as a number
        try:
            numbers.append(HelpNumber.model_validate(fields))
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(part) for part in (f"numbers[{i}]", *err["loc"]))
                problems.append(Problem(str(path), where, err["msg"]))
    if problems:
        raise InputError(problems)
    return tuple(numbers)
