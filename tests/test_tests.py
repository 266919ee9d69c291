"""The tests' own layout: they mirror src/guidebook, hold no stale file, and read nothing outside
the repository.

Every module of src/guidebook has its test file at the mirrored path (src/guidebook/plan/costs.py:
tests/plan/test_costs.py; a package's __init__.py: tests/<package>/test_<package>.py, and the
top package's: tests/test_guidebook.py), unless EXEMPT gives the reason it needs none. Every
folder and test file under tests/ names a package or module that exists. Paths are worked out from
the tests' own location in helpers.py only (ROOT, SAMPLES, DATA), and no test names a path
outside the repository except as a target that must be refused (ALLOWED_OUTSIDE).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from helpers import DATA, ROOT, SAMPLES

SRC = ROOT / "src" / "guidebook"
TESTS = ROOT / "tests"

# Modules with no logic of their own, which need no test file of their own.
EXEMPT = {
    "_version.py": "the version string and nothing else (tests/test_guidebook.py reads it)",
    "cli/__main__.py": "`python -m guidebook.cli`: calls main() (tests/cli/test_cli.py runs it that way)",
    "plan/types.py": "the planner's output as pydantic models without methods (tests/plan/ check "
    "their values; tests/cli/test_plan.py their JSON)",
    "inputs/__init__.py": "a package docstring, no code",
    "plan/__init__.py": "a package docstring, no code",
    "render/__init__.py": "a package docstring, no code",
    "pdf/__init__.py": "a package docstring, no code",
    "batch/__init__.py": "a package docstring, no code",
    "serve/__init__.py": "a package docstring, no code",
}

# Top-level test files that test no single module: what they cover.
CROSS_CUTTING = {
    "test_security.py": "hostile input across fetcher, engine, loaders, templates and build",
    "test_properties.py": "property-based: any typed text renders or fails cleanly",
    "test_install.py": "the wheel, installed in a fresh virtual environment, renders the sample",
    "test_tests.py": "this file: the tests' own layout",
    "test_layout.py": "the source's layout: imports go one way, no cycles, the README map is true",
}

# Files of tests/ that are not test modules, and folders that hold no tests.
SUPPORT_FILES = {"conftest.py", "helpers.py"}
NOT_TEST_FOLDERS = {"data", "__pycache__", ".pytest_cache", ".hypothesis"}

# Test files that name paths outside the repository as targets that must be refused (never as
# something a test reads), or as patterns.
ALLOWED_OUTSIDE = {
    "test_security.py": "hostile fetch targets (/etc/passwd, ../ escapes) that must be blocked",
    "pdf/test_fetcher.py": "fetch targets outside the allowed folders, which must be refused",
    "pdf/test_engine.py": "file: links that must be dropped from the PDF",
    "pdf/test_section_cache.py": "an image under /etc in a reused section, which must be blocked",
    "inputs/test_load.py": "a logo path that escapes the brand's folder, which must be refused",
    "inputs/test_files.py": "names that lead out of their folder, which must be refused",
    "batch/test_filenames.py": "a traveler named ../../evil, which must give a safe file name",
    "helpers.py": "the booking named ../../evil (BOOKING_ROWS); /proc, the process table, to wait "
    "for a killed batch's workers to stop",
    "test_tests.py": "the patterns of this check",
    "inputs/test_bookings.py": "profile cells that lead out of the CSV's folder (/etc/passwd, ../), which "
    "must be refused",
    "batch/test_run.py": "a file outside the output folder that a link points to, which must not be written",
    "batch/test_pool.py": "the system's DejaVu Serif, copied in as an agency font",
    "serve/test_brands.py": "a brand field that names ../../etc/passwd, which must stay text",
    "serve/test_security.py": "a Host header and paths of another site, which must be refused",
    "serve/test_jobs.py": "uploaded file names and job ids that lead out of a folder (../), which must be "
    "shown as a name only or refused",
    "serve/test_problems.py": "a server path (/srv/...) never shown: the upload's own name is",
}
# Test files that set the home folder's variables (to a test's own folder: nothing is read there).
HOME_VARIABLES = {"HOME", "XDG_CACHE_HOME"}
SETS_HOME = {
    "test_cache.py": "points HOME and XDG_CACHE_HOME at tmp_path folders, to see which one wins",
    "test_tests.py": "the names of this check",
}
OUTSIDE = re.compile(
    r"(?:^|[\s\"'=(<:])(?:file://)?/(?:etc|home|root|usr|var|proc|sys|tmp|opt|srv|"
    r"mnt|dev|run|boot)(?:/|\b)|\.\./|^~/"
)


def source_modules() -> list[Path]:
    return sorted(p.relative_to(SRC) for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def mirror(module: Path) -> Path:
    """The test file of a module (a path relative to src/guidebook), relative to tests/."""
    if module.name == "__init__.py":
        package = module.parent
        return Path("test_guidebook.py") if package == Path(".") else package / f"test_{package.name}.py"
    return module.parent / f"test_{module.stem}.py"


def test_every_module_has_its_mirrored_test_file_or_a_reason_for_none():
    modules = source_modules()
    assert Path("guide.py") in modules and Path("plan/itinerary.py") in modules
    missing = [
        f"src/guidebook/{m} -> tests/{mirror(m)}"
        for m in modules
        if m.as_posix() not in EXEMPT and not (TESTS / mirror(m)).is_file()
    ]
    assert not missing, (
        "modules without their test file (write one, or add the module to EXEMPT "
        "with the reason it needs none):\n  " + "\n  ".join(missing)
    )


def test_every_exemption_names_a_module_without_a_test_and_gives_a_reason():
    modules = {m.as_posix() for m in source_modules()}
    stale = sorted(set(EXEMPT) - modules)
    assert not stale, f"EXEMPT names modules that do not exist: {stale}"
    tested = sorted(m for m in EXEMPT if (TESTS / mirror(Path(m))).is_file())
    assert not tested, f"EXEMPT names modules that have a test file now: {tested}"
    assert all(len(reason) > 20 for reason in EXEMPT.values())


def test_every_test_folder_and_file_names_a_package_or_module_that_exists():
    stale = []
    for folder in sorted(p for p in TESTS.rglob("*") if p.is_dir()):
        rel = folder.relative_to(TESTS)
        if rel.parts[0] in NOT_TEST_FOLDERS or "__pycache__" in rel.parts:
            continue
        if not (SRC / rel / "__init__.py").is_file():
            stale.append(f"tests/{rel}/: no package src/guidebook/{rel}")
    for path in sorted(TESTS.rglob("*.py")):
        rel = path.relative_to(TESTS)
        if rel.parts[0] in NOT_TEST_FOLDERS:
            continue
        if len(rel.parts) == 1 and rel.name in SUPPORT_FILES | set(CROSS_CUTTING):
            continue
        name = rel.stem.removeprefix("test_")
        if not rel.name.startswith("test_"):
            stale.append(f"tests/{rel}: not a test file (only {sorted(SUPPORT_FILES)} may sit beside them)")
        elif len(rel.parts) == 1:
            if name != "guidebook" and not (SRC / f"{name}.py").is_file():
                stale.append(f"tests/{rel}: no module src/guidebook/{name}.py")
        elif name != rel.parent.name and not (SRC / rel.parent / f"{name}.py").is_file():
            stale.append(f"tests/{rel}: no module src/guidebook/{rel.parent}/{name}.py")
    assert not stale, "stale test folders or files (move the tests to the module's file):\n  " + "\n  ".join(
        stale
    )


def test_the_tests_find_their_files_inside_the_repository():
    assert (ROOT / "pyproject.toml").is_file() and (ROOT / "tests" / "helpers.py").is_file()
    assert SRC.is_dir() and SAMPLES.is_dir() and DATA.is_dir()
    assert SAMPLES.is_relative_to(ROOT) and DATA.is_relative_to(ROOT)


def test_no_test_reads_outside_the_repository():
    """Paths come from helpers (ROOT, SAMPLES, DATA) or a test's own tmp_path: no test works out
    a path from its own location, reaches the home folder, or names a path outside the
    repository, except a target that must be refused."""
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        rel = path.relative_to(TESTS).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), rel)
        for node in ast.walk(tree):
            where = f"tests/{rel}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Name) and node.id == "__file__" and rel != "helpers.py":
                found.append(f"{where}: a path from __file__ (use helpers.ROOT, SAMPLES or DATA)")
            elif (isinstance(node, ast.Attribute) and node.attr == "expanduser") or (
                isinstance(node, ast.Attribute)
                and node.attr == "home"
                and isinstance(node.value, ast.Name)
                and node.value.id == "Path"
            ):
                found.append(f"{where}: the home folder ({ast.unparse(node)})")
            elif isinstance(node, ast.Constant) and node.value in HOME_VARIABLES and rel not in SETS_HOME:
                found.append(f"{where}: the home folder (${node.value})")
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and OUTSIDE.search(node.value)
                and rel not in ALLOWED_OUTSIDE
            ):
                found.append(f"{where}: a path outside the repository: {node.value[:60]!r}")
    assert not found, "\n".join(found)
    assert all(len(reason) > 20 for reason in ALLOWED_OUTSIDE.values())


def test_mocks_keep_the_signature_of_what_they_replace():
    """A function replaced in a test is replaced by an autospec'd mock (mock.patch(...,
    autospec=True)), so a test of forwarding fails when the signature changes; values (a constant,
    an attribute set to None) may be replaced as they are."""
    found = []
    for path in sorted(TESTS.rglob("test_*.py")):
        rel = path.relative_to(TESTS).as_posix()
        functions = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), rel)):
            if isinstance(node, ast.FunctionDef | ast.Lambda):
                functions.add(getattr(node, "name", "<lambda>"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), rel)):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            where = f"tests/{rel}:{node.lineno}"
            keywords = {k.arg: k.value for k in node.keywords}
            if name in {"mock.patch", "mock.patch.object"}:
                value_given = len(node.args) > (1 if name == "mock.patch" else 2) or "new" in keywords
                autospec = isinstance(keywords.get("autospec"), ast.Constant) and keywords["autospec"].value
                if not (autospec or value_given):
                    found.append(f"{where}: {name} without autospec=True")
            elif name in {"mock.Mock", "mock.MagicMock", "Mock", "MagicMock"}:
                found.append(f"{where}: a bare {name}; patch with autospec=True")
            elif name == "monkeypatch.setattr" and len(node.args) >= 2:
                value = node.args[-1]
                if isinstance(value, ast.Lambda) or (isinstance(value, ast.Name) and value.id in functions):
                    found.append(f"{where}: a function replaced by hand; use mock.patch(..., autospec=True)")
    assert not found, "\n".join(found)
