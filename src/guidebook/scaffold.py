"""Starter files for a new agency (`guidebook init`) and a copy of the theme to edit (`eject`)."""

from __future__ import annotations

import shutil
from pathlib import Path

from .errors import OutputError
from .render.theme import Theme, default_theme

# The starter files: a profile, clinics and a brand that build as they are, and a bookings file in
# both forms a coordinator has it (CSV and Excel, with every column) with the profile a row names.
SAMPLE_FILES = (
    "traveler.yaml",
    "clinics.yaml",
    "brand.yaml",
    "logo.svg",
    "bookings.csv",
    "bookings.xlsx",
    "profiles/tanaka.yaml",
)


def _samples_dir() -> Path:
    """The bundled samples: in the wheel (guidebook/_samples) or the checkout's samples/."""
    packaged = Path(__file__).parent / "_samples"
    return packaged if packaged.is_dir() else default_theme() / "samples"


def _copy_all(pairs: list[tuple[Path, Path]]) -> list[Path]:
    """Copy every (source, target), refusing before anything is written if a target exists."""
    existing = [str(t) for _, t in pairs if t.exists()]
    if existing:
        raise OutputError("refusing to overwrite: " + ", ".join(existing[:5]))
    for source, target in pairs:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return [t for _, t in pairs]


def init_agency(folder: Path) -> list[Path]:
    """A starter profile, clinics and brand file (with comments) that build as they are, and
    sample bookings (CSV and .xlsx) that `guidebook batch` takes as they are."""
    source = _samples_dir()
    return _copy_all([(source / name, Path(folder) / name) for name in SAMPLE_FILES])


def eject_theme(folder: Path) -> list[Path]:
    """Copy the built-in templates/ and styles/ into `folder`, for editing."""
    theme = Theme()
    pairs = []
    for kind, base in (("templates", theme.template_dirs[-1]), ("styles", theme.style_dirs[-1])):
        for path in sorted(base.rglob("*")):
            if path.is_file():
                pairs.append((path, Path(folder) / kind / path.relative_to(base)))
    return _copy_all(pairs)
