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
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from ..errors import InputError, Problem
from .files import read_text

M = TypeVar("M", bound=BaseModel)
# Bounds of a YAML document, checked on its node graph before any data is built: a profile is
# a few hundred nodes deep 5; a clinics file of 500 clinics about 20,000 nodes.
MAX_DEPTH = 32
MAX_NODES = 200_000  # counting every alias expanded where it is used
MAX_ALIASES = 100  # uses of an anchor (*name) in one document


def read_yaml(path: Path) -> Any:
    """The YAML document in `path`, with positions kept (ruamel round-trip nodes).

    The document's node graph is checked first (depth, nodes with aliases expanded, alias uses),
    so an alias bomb or a deeply nested document is refused before it is built.
    """
    text = read_text(path)
    yaml = YAML(typ="rt")
    try:
        node = yaml.compose(text)
        if node is None:
            return None
        check_bounds(node, str(path))
        return yaml.constructor.construct_document(node)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputError([Problem(str(path), "", f"YAML syntax: {exc.problem}", line)]) from None
    except YAMLError as exc:
        raise InputError([Problem(str(path), "", f"YAML syntax: {exc}")]) from None
    except RecursionError:
        raise InputError(
            [Problem(str(path), "", f"YAML nested too deeply (over {MAX_DEPTH} levels)")]
        ) from None


def check_bounds(root: Node, file: str) -> None:
    """Refuse a node graph that is too deep, too large once its aliases are expanded, uses
    aliases too often or refers to itself (InputError with the line of the offending node)."""
    sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (nodes, height), aliases expanded
    uses = 0
    path: set[int] = set()

    def refuse(node: Node, message: str) -> InputError:
        line = node.start_mark.line + 1 if node.start_mark else None
        return InputError([Problem(file, "", f"YAML {message}", line)])

    def measure(node: Node, depth: int) -> tuple[int, int]:
        nonlocal uses
        key = id(node)
        if key in path:
            raise refuse(node, "refers to itself through an alias; write the data out instead")
        if key in sizes:
            uses += 1
            if uses > MAX_ALIASES:
                raise refuse(node, f"uses aliases more than {MAX_ALIASES} times; an alias bomb is refused")
        else:
            if depth > MAX_DEPTH:
                raise refuse(node, f"nested too deeply (over {MAX_DEPTH} levels)")
            path.add(key)
            children: list[Node] = []
            if isinstance(node, SequenceNode):
                children = list(node.value)
            elif isinstance(node, MappingNode):
                children = [part for pair in node.value for part in pair]
            nodes, height = 1, 0
            for child in children:
                n, h = measure(child, depth + 1)
                nodes, height = nodes + n, max(height, h + 1)
            path.discard(key)
            sizes[key] = (nodes, height)
        nodes, height = sizes[key]
        if depth + height > MAX_DEPTH:
            raise refuse(node, f"nested too deeply (over {MAX_DEPTH} levels)")
        return nodes, height

    total, _ = measure(root, 0)
    if total > MAX_NODES:
        raise refuse(root, f"has too many values ({total:,} with aliases expanded; at most {MAX_NODES:,})")


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
