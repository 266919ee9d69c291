"""Read YAML with line numbers, and turn pydantic errors into plain-words problems."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..errors import InputError, Problem

M = TypeVar("M", bound=BaseModel)
MAX_FILE_BYTES = 10 << 20


def read_yaml(path: Path) -> Any:
    """The YAML document in `path`, with positions kept (ruamel round-trip nodes)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError([Problem(str(path), "", f"file is too large ({size} bytes)")])
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError([Problem(str(path), "", "file not found")]) from None
    except IsADirectoryError:
        raise InputError([Problem(str(path), "", "is a folder, not a file")]) from None
    except UnicodeDecodeError as exc:
        raise InputError([Problem(str(path), "", f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot be read ({exc.strerror})")]) from None
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputError([Problem(str(path), "", f"YAML syntax: {exc.problem}", line)]) from None
    except YAMLError as exc:
        raise InputError([Problem(str(path), "", f"YAML syntax: {exc}")]) from None


def plain(node: Any) -> Any:
    """Round-trip YAML nodes as plain dicts, lists and scalars."""
    if isinstance(node, Mapping):
        return {str(k) if not isinstance(k, (int, bool)) else k: plain(v) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [plain(v) for v in node]
    if isinstance(node, datetime):
        return datetime(*node.timetuple()[:6])
    if isinstance(node, date):
        return date(node.year, node.month, node.day)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def line_of(root: Any, loc: Sequence[str | int]) -> int | None:
    """1-based line of the deepest node along `loc` that the document has."""
    node, line = root, None
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0] + 1
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            line = node.lc.item(key)[0] + 1
        else:
            break
        node = node[key]
    if line is None and isinstance(root, (CommentedMap, CommentedSeq)):
        line = root.lc.line + 1
    return line


def value_at(root: Any, loc: Sequence[str | int]) -> Any:
    node = root
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def validate(model: type[M], root: Any, file: str) -> M:
    """`model` validated from a YAML document, or an InputError listing every problem."""
    if not isinstance(root, Mapping):
        raise InputError([Problem(file, "", "expected a YAML mapping of keys to values", 1)])
    try:
        return model.model_validate(plain(root))
    except PydanticError as exc:
        raise InputError(problems_from(exc, model, root, file)) from None


def problems_from(exc: PydanticError, model: type[BaseModel], root: Any, file: str) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = [k for k in err["loc"] if not (isinstance(k, str) and "[" in k)]
        given = value_at(root, loc)
        shown = None if given is None or isinstance(given, (Mapping, list)) else str(given)
        problems.append(Problem(file, dotted(loc), explain(err, model, loc), line_of(root, loc), shown))
    return problems


def dotted(loc: Sequence[str | int]) -> str:
    out = ""
    for key in loc:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def explain(err: Mapping[str, Any], model: type[BaseModel], loc: list[str | int]) -> str:
    """pydantic's message in plain words, with "did you mean" for unknown keys."""
    kind = err["type"]
    if kind == "extra_forbidden":
        known = sorted(known_fields(model, loc[:-1]))
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.5)
        hint = f"; did you mean {guess[0]!r}?" if guess else f"; known keys: {', '.join(known)}"
        return f"unknown key {loc[-1]!r}{hint}"
    if kind == "missing":
        return "is required but missing"
    if kind.startswith("datetime"):
        return "not a valid date and time; write it as 2026-04-06T14:30 (Seoul time)"
    if kind.startswith("date"):
        return "not a valid date; write it as 2026-04-06"
    if kind == "string_too_long":
        return f"is too long (at most {err['ctx']['max_length']} characters)"
    if kind == "too_long":
        return f"has too many entries (at most {err['ctx']['max_length']})"
    if kind == "literal_error":
        return f"must be one of {err['ctx']['expected']}"
    if kind == "string_pattern_mismatch":
        return "has characters or a form that is not allowed here"
    msg = str(err["msg"])
    return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def known_fields(model: type[BaseModel], loc: Sequence[str | int]) -> set[str]:
    """Field names of the model found by walking `loc` through nested models."""
    current: Any = model
    for key in loc:
        if isinstance(key, int):
            continue
        target = _model_in(current)
        if target is None or key not in target.model_fields:
            return set()
        current = target.model_fields[key].annotation
    target = _model_in(current)
    return set(target.model_fields) if target else set()


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None
