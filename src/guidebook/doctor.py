"""`guidebook doctor`: is this machine ready to make guides? Each problem with its fix."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

APT = "apt-get install -y"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True

    def line(self) -> str:
        mark = "ok  " if self.ok else ("FAIL" if self.required else "warn")
        text = f"[{mark}] {self.name}: {self.detail}"
        return text + (f"\n       fix: {self.fix}" if not self.ok and self.fix else "")


@cache
def installed_families() -> frozenset[str] | None:
    """Font families fontconfig knows, or None when fc-list is missing."""
    if not shutil.which("fc-list"):
        return None
    out = subprocess.run(
        ["fc-list", "--format", "%{family}\n"], capture_output=True, text=True, check=False
    ).stdout
    return frozenset(f.strip() for line in out.splitlines() for f in line.split(","))


def check_fonts() -> list[Check]:
    from .cache import cache_dir
    from .pdf.fonts import REGIONS, trimmed_faces

    families = installed_families()
    if families is None:
        return [Check("fonts", False, "fc-list (fontconfig) is missing", f"{APT} fontconfig")]
    wanted = [
        ("Noto Sans CJK KR", "Hangul: taxi and medical cards, addresses", True),
        ("Noto Sans CJK JP", "Japanese guides", False),
        ("Noto Sans CJK SC", "Simplified Chinese guides", False),
        ("Noto Sans CJK TC", "Traditional Chinese guides", False),
    ]
    checks = [
        Check(
            f"font {name}",
            name in families,
            f"{'found' if name in families else 'missing'} ({why})",
            f"{APT} fonts-noto-cjk",
            required,
        )
        for name, why, required in wanted
    ]
    for region, trimmed in REGIONS.items():
        if trimmed.source not in families:
            continue
        faces = trimmed_faces(region)
        checks.append(
            Check(
                f"trimmed {trimmed.source} faces",
                bool(faces),
                f"in {faces[0][1].parent}"
                if faces
                else f"not made in {cache_dir()}: guides use the system faces (larger, slower PDFs)",
                "pip install uharfbuzz; set GUIDEBOOK_CACHE to a writable folder",
                False,
            )
        )
    return checks


def check_weasyprint() -> list[Check]:
    try:
        from .pdf.library import import_weasyprint

        import_weasyprint()
        import weasyprint
        from weasyprint.text import ffi
    except (ImportError, OSError) as exc:
        return [
            Check(
                "WeasyPrint",
                False,
                f"cannot be loaded ({exc})",
                f"{APT} libpango-1.0-0 libpangoft2-1.0-0; pip install 'weasyprint>=70'",
            )
        ]
    version = tuple(int(p) for p in weasyprint.__version__.split(".")[:2] if p.isdigit())
    pango = ffi.pango.pango_version()
    pango_text = f"{pango // 10000}.{pango // 100 % 100}.{pango % 100}"
    return [
        Check("WeasyPrint", version >= (70,), weasyprint.__version__, "pip install 'weasyprint>=70'"),
        Check("Pango", pango >= 14400, pango_text, f"{APT} libpango-1.0-0 (1.44 or newer)"),
        Check(
            "HarfBuzz subsetting",
            ffi.harfbuzz_subset is not None,
            "libharfbuzz-subset found"
            if ffi.harfbuzz_subset is not None
            else "libharfbuzz-subset missing: every guide takes seconds more (fontTools fallback)",
            f"{APT} libharfbuzz-subset0",
        ),
    ]


def check_theme() -> list[Check]:
    from .render.theme import Theme

    theme = Theme()
    needed = [d / "guide.html.j2" for d in theme.template_dirs[:1]] + [theme.style("guide.css")]
    unreadable = [str(p) for p in needed if not _readable(p)]
    return [
        Check(
            "theme",
            not unreadable,
            "readable" if not unreadable else "cannot read " + ", ".join(unreadable),
            "reinstall guidebook",
        )
    ]


def _readable(path: Path) -> bool:
    try:
        path.read_bytes()
        return True
    except OSError:
        return False


def check_output(folder: Path) -> list[Check]:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
        return [Check("output folder", True, f"{folder} is writable")]
    except OSError as exc:
        return [
            Check(
                "output folder",
                False,
                f"{folder}: {exc.strerror}",
                "choose another folder with -o, or fix its permissions",
            )
        ]


def check_data() -> list[Check]:
    try:
        from babel.numbers import format_currency

        from .render.qr import make_qr_image

        samples = [format_currency(350000, "KRW", locale=loc) for loc in ("en", "ko", "ja", "zh_Hant")]
        make_qr_image("https://example.com/doctor")
        return [Check("QR and Babel data", True, "ok (" + ", ".join(samples[:2]) + ")")]
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return [Check("QR and Babel data", False, str(exc), "pip install --force-reinstall qrcode babel")]


def check_tools() -> list[Check]:
    found = shutil.which("pdftotext") is not None
    return [
        Check(
            "poppler-utils",
            found,
            "found" if found else "missing (only the tests need it)",
            f"{APT} poppler-utils",
            required=False,
        )
    ]


def check_brand(path: Path) -> list[Check]:
    """An agency's brand file: every problem of the file (logo, font files, colours), and whether
    its font family is installed when no font files give it (else guides use the default face)."""
    from .errors import InputError
    from .inputs.load import load_brand
    from .render.glyphs import font_installed

    try:
        loaded = load_brand(path)
    except InputError as exc:
        return [
            Check("brand", False, str(p), "edit the brand file (formats: docs/inputs.md)")
            for p in exc.problems
        ]
    brand = loaded.brand
    checks = [Check("brand", True, f"{path} ({brand.agency}): logo, colours and files are fine")]
    if brand.font and loaded.font_files:
        files = ", ".join(p.name for p in loaded.font_files)
        checks.append(Check(f"brand font {brand.font}", True, f"from font_files ({files})"))
    elif brand.font:
        found = font_installed(brand.font)
        detail = {
            True: "installed",
            False: "not installed: guides use the default face (and --strict refuses to build)",
            None: "cannot be checked: fc-match (fontconfig) is missing",
        }[found]
        checks.append(
            Check(
                f"brand font {brand.font}",
                bool(found),
                detail,
                "install the family (fc-list lists the installed ones), or give its files in "
                "font_files beside the brand file",
            )
        )
    return checks


def run_checks(output: Path | None = None, brand: Path | None = None) -> list[Check]:
    checks = [Check("Python", sys.version_info >= (3, 11), sys.version.split()[0], "Python 3.11+")]
    checks += check_weasyprint() + check_fonts() + check_theme()
    checks += check_output(output or Path.cwd()) + check_data() + check_tools()
    if brand is not None:
        checks += check_brand(brand)
    return checks


@cache
def render_warnings() -> tuple[str, ...]:
    """The problems that spoil a guide (slow or missing Hangul), for `build` to warn about once."""
    from .render.glyphs import system_face

    hangul = system_face("Noto Sans CJK KR") is not None  # one fc-match, which the guide needs anyway
    font = Check(
        "font Noto Sans CJK KR",
        hangul,
        "found" if hangul else "missing (Hangul: taxi and medical cards, addresses)",
        f"{APT} fonts-noto-cjk",
    )
    problems = [c for c in [*check_weasyprint()[2:], font] if not c.ok]
    return tuple(f"{c.name}: {c.detail} (fix: {c.fix}; see `guidebook doctor`)" for c in problems)
