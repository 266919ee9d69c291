"""Load and cross-check the input files: profile, clinics, brand and catalogue."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from ..i18n import UnsupportedLanguage, resolve_language
from .catalogue import Catalogue
from .data import DEFAULT_CATALOGUE, load_data, thaw
from .files import confined, open_regular
from .models import Brand, ClinicsFile, Profile
from .yaml import line_of, read_yaml, validate

LOGO_TYPES = {".svg": b"<", ".png": b"\x89PNG\r\n\x1a\n"}
FONT_TYPES = {".ttf", ".otf", ".woff", ".woff2", ".ttc"}
FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf", b"wOFF", b"wOF2")
MAX_ASSET_BYTES = 5 << 20
MAX_LOGO_PIXELS = 4000 * 4000  # a logo prints a few centimetres wide


@dataclass(frozen=True)
class LoadedBrand:
    """A brand with its asset paths resolved against the brand file's folder."""

    brand: Brand
    folder: Path
    logo: Path | None
    font_files: tuple[Path, ...]
    templates: Path | None = None  # a theme folder, from `templates:`


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The built-in treatment catalogue, or an agency's replacement."""
    path = Path(path) if path else DEFAULT_CATALOGUE
    if path == DEFAULT_CATALOGUE:
        return Catalogue.model_validate(thaw(load_data(path)))
    return validate(Catalogue, read_yaml(path), str(path))


def load_clinics(path: Path, catalogue: Catalogue) -> ClinicsFile:
    root = read_yaml(path)
    clinics = validate(ClinicsFile, root, str(path))
    problems = []
    for i, clinic in enumerate(clinics.clinics):
        for j, name in enumerate(clinic.treatments):
            treatment = catalogue.resolve(name)
            if treatment is None:
                loc: list[str | int] = ["clinics", i, "treatments", j]
                problems.append(_unknown_treatment(catalogue, name, str(path), root, loc))
            else:
                clinic.treatments[j] = treatment.id
    if problems:
        raise InputError(problems)
    return clinics


def load_profile(
    path: Path,
    catalogue: Catalogue,
    clinics: ClinicsFile | None = None,
    *,
    language: str | None = None,
    lang_fallback: bool = False,
    warnings: list[str] | None = None,
) -> Profile:
    """A validated profile whose treatment ids are the catalogue's own."""
    root = read_yaml(path)
    try:
        profile = validate(Profile, root, str(path))
    except InputError as exc:
        # Report unknown treatment ids too, even when the rest of the file has problems.
        raise InputError(exc.problems + _raw_treatment_problems(root, catalogue, str(path))) from None
    return check_profile(
        profile,
        catalogue,
        clinics,
        file=str(path),
        root=root,
        language=language,
        lang_fallback=lang_fallback,
        warnings=warnings,
    )


def load_profile_data(
    data: Mapping[str, Any] | Profile,
    catalogue: Catalogue,
    clinics: ClinicsFile | None = None,
    *,
    name: str = "profile",
    language: str | None = None,
    lang_fallback: bool = False,
    warnings: list[str] | None = None,
) -> Profile:
    """A validated profile from data instead of a file: a mapping shaped as the YAML file, or a
    Profile (copied, never changed). Problems are located by field, in a file called `name`."""
    if isinstance(data, Profile):
        profile = data.model_copy(deep=True)
    else:
        try:
            profile = validate(Profile, data, name)
        except InputError as exc:
            raise InputError(exc.problems + _raw_treatment_problems(data, catalogue, name)) from None
    return check_profile(
        profile,
        catalogue,
        clinics,
        file=name,
        language=language,
        lang_fallback=lang_fallback,
        warnings=warnings,
    )


def _raw_treatment_problems(root: Any, catalogue: Catalogue, file: str) -> list[Problem]:
    items = root.get("treatments") if isinstance(root, dict) else None
    if not isinstance(items, list):
        return []
    problems = []
    for i, item in enumerate(items):
        name = item.get("id") if isinstance(item, dict) else None
        if isinstance(name, str) and catalogue.resolve(name) is None:
            problems.append(_unknown_treatment(catalogue, name, file, root, ["treatments", i, "id"]))
    return problems


def check_profile(
    profile: Profile,
    catalogue: Catalogue,
    clinics: ClinicsFile | None,
    *,
    file: str,
    root: Any = None,
    language: str | None = None,
    lang_fallback: bool = False,
    warnings: list[str] | None = None,
) -> Profile:
    """Resolve the language and treatment names, check clinic references; every problem at once.

    `language` (a supported tag, e.g. from --lang) replaces the traveler's. Otherwise an
    unsupported language is an error, or with `lang_fallback` English and a warning.
    """
    problems: list[Problem] = []
    try:
        profile.traveler.language = resolve_language(language or profile.traveler.language)
    except UnsupportedLanguage as exc:
        if not lang_fallback:
            problems.append(
                Problem(
                    file,
                    "traveler.language",
                    str(exc),
                    line_of(root, ["traveler", "language"]),
                    profile.traveler.language,
                )
            )
        else:
            if warnings is not None:
                warnings.append(f"{file}: {exc}; the guide is in English")
            profile.traveler.language = "en"
    by_id = {c.id: c for c in clinics.clinics} if clinics else {}
    seen: set[str] = set()
    for i, request in enumerate(profile.treatments):
        loc: list[str | int] = ["treatments", i, "id"]
        treatment = catalogue.resolve(request.id)
        if treatment is None:
            problems.append(_unknown_treatment(catalogue, request.id, file, root, loc))
            continue
        if treatment.id in seen:
            problems.append(
                Problem(
                    file,
                    f"treatments[{i}].id",
                    "this treatment is listed twice",
                    line_of(root, loc),
                    request.id,
                )
            )
        seen.add(treatment.id)
        request.id = treatment.id
        if clinics is not None and request.clinic is not None:
            cloc: list[str | int] = ["treatments", i, "clinic"]
            clinic = by_id.get(request.clinic)
            if clinic is None:
                known = ", ".join(sorted(by_id)) or "none"
                problems.append(
                    Problem(
                        file,
                        f"treatments[{i}].clinic",
                        f"no clinic with this id in the clinics file (known: {known})",
                        line_of(root, cloc),
                        request.clinic,
                    )
                )
            elif clinic.treatments and treatment.id not in clinic.treatments:
                problems.append(
                    Problem(
                        file,
                        f"treatments[{i}].clinic",
                        f"{clinic.name} does not offer {treatment.name}",
                        line_of(root, cloc),
                        request.clinic,
                    )
                )
    if problems:
        raise InputError(problems)
    return profile


def _unknown_treatment(
    catalogue: Catalogue, name: str, file: str, root: Any, loc: list[str | int]
) -> Problem:
    guess = catalogue.suggest(name)
    hint = f"; did you mean {guess!r}?" if guess else "; see `guidebook catalogue` for the ids"
    where = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in loc).lstrip(".")
    return Problem(file, where, f"unknown treatment{hint}", line_of(root, loc), name)


def load_brand(path: Path) -> LoadedBrand:
    """A brand whose logo and font files exist, are of the right type and not huge."""
    root = read_yaml(path)
    brand = validate(Brand, root, str(path))
    folder = path.resolve().parent
    problems: list[Problem] = []
    logo = None
    if brand.logo:
        logo = _asset(folder, brand.logo, str(path), "logo", root, set(LOGO_TYPES), problems)
    fonts = []
    for i, name in enumerate(brand.font_files):
        found = _asset(folder, name, str(path), f"font_files[{i}]", root, FONT_TYPES, problems)
        if found:
            fonts.append(found)
    templates = None
    if brand.templates:
        line = line_of(root, ["templates"])
        try:
            templates = confined(folder, brand.templates, what="a theme folder")
        except InputError as exc:
            problems += [
                Problem(str(path), "templates", p.message, line, brand.templates) for p in exc.problems
            ]
        else:
            if not templates.is_dir():
                problems.append(
                    Problem(
                        str(path),
                        "templates",
                        "is not a folder (relative to the brand file)",
                        line,
                        brand.templates,
                    )
                )
    if problems:
        raise InputError(problems)
    return LoadedBrand(brand, folder, logo, tuple(fonts), templates)


def _asset(
    folder: Path, name: str, file: str, where: str, root: Any, kinds: set[str], problems: list[Problem]
) -> Path | None:
    """A logo or font file inside the brand's folder, a regular file of the right type (its first
    bytes), at most 5 MB, and for a PNG at most MAX_LOGO_PIXELS (read from its header, before
    anything decodes it)."""
    loc: list[str | int] = [where] if "[" not in where else ["font_files", int(where[11:-1])]
    line = line_of(root, loc)

    def refuse(message: str) -> None:
        problems.append(Problem(file, where, message, line, name))

    try:
        candidate = confined(folder, name, what="a file")
    except InputError:
        refuse("must be a file inside the brand file's folder")
        return None
    suffix = candidate.suffix.lower()
    if suffix not in kinds:
        refuse(f"must be one of {', '.join(sorted(kinds))}")
        return None
    try:
        with open_regular(candidate) as handle:
            head = handle.read(512)
            size = os.fstat(handle.fileno()).st_size
    except InputError as exc:
        refuse(exc.problems[0].message)
        return None
    if size > MAX_ASSET_BYTES:
        refuse(f"is too large ({size} bytes; at most 5 MB)")
        return None
    magic = LOGO_TYPES.get(suffix)
    bad_font = suffix in FONT_TYPES and not head.startswith(FONT_MAGIC)
    if bad_font or (magic and not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(magic)):
        refuse(f"is not a valid {suffix[1:].upper()} file")
        return None
    if suffix == ".png" and (pixels := _png_pixels(head)) > MAX_LOGO_PIXELS:
        refuse(f"is too large an image ({pixels:,} pixels; at most {MAX_LOGO_PIXELS:,})")
        return None
    return candidate


def _png_pixels(head: bytes) -> int:
    """Width times height from a PNG's IHDR chunk (the first chunk, bytes 16 to 24)."""
    if len(head) < 24 or head[12:16] != b"IHDR":
        return MAX_LOGO_PIXELS + 1  # no header where the format puts it: not a PNG we can trust
    return int.from_bytes(head[16:20], "big") * int.from_bytes(head[20:24], "big")
