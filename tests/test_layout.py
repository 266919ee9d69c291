"""The layout: imports go one way through the pipeline, no cycles, and the README's map lists
every subpackage."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from helpers import ROOT

SRC = ROOT / "src" / "guidebook"
# Each top-level module or subpackage and its layer: a module imports only from its own
# subpackage and from layers at or below its own.
LAYERS = {
    "_version": 0,
    "cache": 0,
    "errors": 0,
    "i18n": 0,
    "atomic": 0,
    "timelimit": 0,
    "timing": 0,
    "inputs": 1,
    "plan": 2,
    "options": 3,
    "render": 4,
    "pdf": 5,
    "guide": 6,
    "doctor": 7,
    "scaffold": 7,
    "watch": 7,
    "batch": 8,
    "serve": 9,
    "cli": 10,
    "__init__": 11,
}


def modules() -> dict[str, Path]:
    """guidebook.x.y -> its file, for every module of the package."""
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The guidebook modules `name` imports, at any depth of its code (lazy imports too), except
    those imported for type checking only."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only |= {id(child) for stmt in node.body for child in ast.walk(stmt)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in known else target)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {m for m in found if m in known and m != name}


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(name, path, set(found)) for name, path in found.items()}


def unit(module: str) -> str:
    """The top-level module or subpackage a module belongs to ("plan" for guidebook.plan.costs)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_unit_has_a_layer():
    assert {unit(m) for m in modules()} == set(LAYERS)


def test_imports_go_one_way_down_the_pipeline():
    upward = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        for target in sorted(targets)
        if unit(target) != unit(name) and LAYERS[unit(target)] > LAYERS[unit(name)]
    ]
    assert upward == []


def test_the_layers_never_import_each_other_sideways():
    same_layer = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        for target in sorted(targets)
        if unit(target) != unit(name)
        and LAYERS[unit(target)] == LAYERS[unit(name)]
        and LAYERS[unit(name)] > 0
    ]
    assert same_layer == []


def test_no_import_cycles():
    edges = graph()
    cycles = []
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(path[path.index(nxt) :] + [nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    assert cycles == []


def test_only_the_cli_imports_click():
    offenders = [
        name
        for name, path in modules().items()
        if unit(name) != "cli"
        and re.search(r"^\s*(import click|from click)", path.read_text(encoding="utf-8"), re.M)
    ]
    assert offenders == []


def test_the_readme_map_lists_every_subpackage_and_top_level_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Layout", 1)[1].split("```", 2)[1]
    named = set(re.findall(r"\b([a-z0-9_]+)/", block)) | set(
        re.findall(r"(?<![/\w])([a-z0-9]+)(?=\s)", block)
    )
    subpackages = {p.name for p in SRC.iterdir() if (p / "__init__.py").is_file()}
    top_modules = {p.stem for p in SRC.glob("*.py") if not p.stem.startswith("_")}
    assert subpackages <= named, subpackages - named
    assert top_modules <= named, top_modules - named
    assert {
        n
        for n in re.findall(r"\b([a-z_]+)/", block)
        if n not in {"src", "guidebook", "templates", "styles", "samples", "tests", "benchmarks"}
    } <= subpackages
