"""The agency's brand as the server keeps it: fields and a logo in the database, written out as
the brand file the command line uses (DATA/brand/brand.yaml and its logo). Every brand, saved or
previewed, is checked by the library's own loader (`load_brand`), so its problems are those
`guidebook validate` gives. File names are the server's own (brand.yaml, logo.svg or logo.png):
nothing typed in the form becomes a path. `templates:` and `font_files:` are never taken from the
web (templates are code; see docs/security.md)."""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from ..errors import InputError, Problem
from ..inputs.load import LOGO_TYPES, LoadedBrand, load_brand

BRAND_FILE = "brand.yaml"
BRAND_NAME = "brand"  # the "file" a brand's problems are located in
FIELDS = ("agency", "primary", "accent", "font", "phone", "email", "website", "messenger", "footer")
DEFAULT_COLORS = {"primary": "#0F6E8C", "accent": "#E8A0B4"}


def logo_kind(data: bytes) -> str | None:
    """ "png" or "svg" from a file's first bytes (never from its name), or None."""
    if data.startswith(LOGO_TYPES[".png"]):
        return "png"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and b"<svg" in data[:4096]:
        return "svg"
    return None


# Texts a brand may give per language ({en: ..., ja: ...}): the form edits the English one (or
# the only one); the others are kept as "footer:ja" and so on, and written back as they were.
LOCAL_FIELDS = ("messenger", "footer")


def _local(name: str, value: str | Mapping[str, str] | None) -> dict[str, str]:
    if value is None:
        return {name: ""}
    if isinstance(value, str):
        return {name: value}
    main = "en" if "en" in value else next(iter(value), "en")
    return (
        {name: value.get(main, "")}
        | {f"{name}:{lang}": text for lang, text in value.items() if lang != main}
        | ({} if main == "en" else {f"{name}:@": main})
    )


def _unlocal(name: str, fields: Mapping[str, str]) -> str | dict[str, str] | None:
    """The brand file's value of a per-language text: a plain text when only one was given."""
    main_language = fields.get(f"{name}:@", "en")
    others = {
        k.partition(":")[2]: v
        for k, v in fields.items()
        if k.startswith(name + ":") and v and k != f"{name}:@"
    }
    main = fields.get(name, "")
    if not others and main_language == "en":
        return main or None
    return ({main_language: main} if main else {}) | others or None


@dataclass
class BrandDraft:
    """A brand as the form (or the database) gives it: its fields, and its logo."""

    fields: dict[str, str]
    logo: bytes | None = None
    logo_kind: str | None = None

    @classmethod
    def parse(cls, form: Mapping[str, Any], logo: bytes | None, kept: BrandDraft | None) -> BrandDraft:
        """From the posted form: a new logo (InputError if it is not PNG or SVG), else the kept
        one unless "remove the logo" is ticked."""
        fields = {name: str(form.get(name) or "").strip() for name in FIELDS}
        if kept is not None:  # the other languages of a per-language text, which the form leaves out
            fields.update(
                {k: v for k, v in kept.fields.items() if k.partition(":")[0] in LOCAL_FIELDS and ":" in k}
            )
        if logo:
            kind = logo_kind(logo)
            if kind is None:
                raise InputError([Problem(BRAND_NAME, "logo", "must be a PNG or SVG picture")])
            return cls(fields, logo, kind)
        if kept is not None and kept.logo and not form.get("remove_logo"):
            return cls(fields, kept.logo, kept.logo_kind)
        return cls(fields)

    @classmethod
    def from_brand(cls, loaded: LoadedBrand) -> BrandDraft:
        """A brand file's fields and logo (its templates and font files are left out)."""
        brand = loaded.brand
        contact = brand.contact
        fields: dict[str, str] = {
            "agency": str(brand.agency),
            "primary": str(brand.colors.primary),
            "accent": str(brand.colors.accent),
            "font": str(brand.font or ""),
            "phone": str((contact.phone if contact else None) or ""),
            "email": str((contact.email if contact else None) or ""),
            "website": str((contact.website if contact else None) or ""),
        }
        fields.update(_local("messenger", contact.messenger if contact else None))
        fields.update(_local("footer", brand.footer))
        logo = kind = None
        if loaded.logo is not None:
            logo = loaded.logo.read_bytes()
            kind = logo_kind(logo)
        return cls(fields, logo if kind else None, kind)

    def document(self) -> dict[str, Any]:
        """The brand file's content (empty fields left out)."""
        f = self.fields
        doc: dict[str, Any] = {"agency": f.get("agency", "")}
        if self.logo and self.logo_kind:
            doc["logo"] = f"logo.{self.logo_kind}"
        doc["colors"] = {k: f.get(k) or DEFAULT_COLORS[k] for k in ("primary", "accent")}
        if f.get("font"):
            doc["font"] = f["font"]
        contact: dict[str, Any] = {k: f[k] for k in ("phone", "email", "website") if f.get(k)}
        if (messenger := _unlocal("messenger", f)) is not None:
            contact["messenger"] = messenger
        if contact:
            doc["contact"] = contact
        if (footer := _unlocal("footer", f)) is not None:
            doc["footer"] = footer
        return doc

    def write(self, folder: Path) -> Path:
        """brand.yaml and its logo in `folder` (written atomically); the brand file's path."""
        from ruamel.yaml import YAML

        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("logo.*"):
            if not (self.logo_kind and old.name == f"logo.{self.logo_kind}"):
                old.unlink(missing_ok=True)
        if self.logo and self.logo_kind:
            write_atomic(folder / f"logo.{self.logo_kind}", self.logo)
        text = io.StringIO()
        yaml = YAML(typ="safe", pure=True)
        yaml.default_flow_style = False
        yaml.allow_unicode = True
        yaml.dump(self.document(), text)
        header = "# The agency's brand, saved by `guidebook serve`: use it with --brand.\n"
        return write_atomic(folder / BRAND_FILE, header + text.getvalue())

    def save(self, folder: Path) -> LoadedBrand:
        """Written as the brand file of `folder` and loaded from there (checked first)."""
        path = self.write(folder)
        try:
            return load_brand(path)
        except InputError as exc:
            raise InputError([_renamed(p) for p in exc.problems]) from None


def _renamed(problem: Problem) -> Problem:
    return Problem(BRAND_NAME, problem.location, problem.message, None, problem.value)


def preview_folder(scratch: Path, draft: BrandDraft) -> tuple[Path, LoadedBrand]:
    """A draft written to a new folder of its own under `scratch` and loaded from there: checked
    before it is saved, or drawn for a preview (the caller removes the folder); InputError with
    its problems."""
    folder = Path(tempfile.mkdtemp(prefix="preview-", dir=scratch))
    try:
        return folder, draft.save(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
