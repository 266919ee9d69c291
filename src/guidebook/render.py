"""Guide -> HTML with Jinja2: autoescaped, every visible string through gettext."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from . import fmt
from .catalogue import Catalogue
from .errors import RenderError
from .loading import LoadedBrand
from .models import Clinic, Profile
from .plan import Plan
from .qr import make_qr_svg, qr_size_mm
from .reference import korean_term, load_data

PAGE_SIZES = {"a4": "A4", "letter": "letter", "a5": "A5", "a6": "A6"}
MAX_KEPT_WORD = 20
_HANGUL_RUN = re.compile(r"\S*[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]\S*")


def default_theme() -> Path:
    """The built-in theme: inside the wheel, or the repository root in a checkout."""
    packaged = Path(__file__).parent / "_theme"
    if (packaged / "templates").is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Theme:
    """Template and style folders, searched in order: a user's theme, then the built-in one."""

    folders: tuple[Path, ...] = field(default_factory=lambda: (default_theme(),))

    @property
    def template_dirs(self) -> list[Path]:
        return [f / "templates" for f in self.folders if (f / "templates").is_dir()]

    @property
    def asset_dirs(self) -> list[Path]:
        """The only theme folders WeasyPrint may read from."""
        return self.template_dirs + [f / "styles" for f in self.folders if (f / "styles").is_dir()]

    def style(self, name: str) -> Path:
        for folder in self.folders:
            if (folder / "styles" / name).is_file():
                return folder / "styles" / name
        raise RenderError(f"style sheet {name!r} is in no theme folder")


def korean(text: Any) -> Markup:
    """Escape `text` and keep each Hangul word whole (WeasyPrint has no keep-all); a "word"
    longer than any real one (typed without spaces) may still break, to stay on the page."""
    escaped = str(escape(text))

    def keep(match: re.Match[str]) -> str:
        word = match.group(0)
        return word if len(word) > MAX_KEPT_WORD else f'<span class="kw">{word}</span>'

    return Markup(_HANGUL_RUN.sub(keep, escaped))


def text_color_on(color: str) -> str:
    """Black or white, whichever reads better on `color` (WCAG contrast)."""
    rgb = _rgb(color)
    if rgb is None:
        return "#ffffff"

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
    return "#111111" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#ffffff"


def _rgb(color: str) -> tuple[float, float, float] | None:
    if not color.startswith("#"):
        return NAMED_RGB.get(color.lower())
    h = color[1:]
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


NAMED_RGB = {"white": (1.0, 1.0, 1.0), "ivory": (1.0, 1.0, 0.94), "yellow": (1.0, 1.0, 0.0),
             "gold": (1.0, 0.84, 0.0), "khaki": (0.94, 0.9, 0.55), "lavender": (0.9, 0.9, 0.98),
             "pink": (1.0, 0.75, 0.8), "silver": (0.75, 0.75, 0.75), "cyan": (0.0, 1.0, 1.0),
             "aqua": (0.0, 1.0, 1.0), "lime": (0.0, 1.0, 0.0), "orange": (1.0, 0.65, 0.0)}


def map_links(clinic: Clinic) -> dict[str, str]:
    """Naver (works fully in Korea) and Google map searches for the clinic's Korean address
    (the address alone: the clinic's name would make the link, and so the code, much denser)."""
    query = clinic.address_ko
    return {
        "naver": "https://map.naver.com/p/search/" + quote(query, safe=""),
        "google": "https://www.google.com/maps/search/?api=1&query=" + quote(query, safe=""),
    }


def make_environment(
    theme: Theme, locale: str = "en", timings: dict[str, float] | None = None
) -> jinja2.Environment:
    """The Jinja2 environment of a theme; QR drawing time is added to timings["qr"]."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(theme.template_dirs),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        ko=korean,
        krw=partial(fmt.krw, locale=locale),
        money=lambda v, cur: fmt.money(v, cur, locale),
        day=partial(fmt.day, locale=locale),
        long_day=partial(fmt.long_day, locale=locale),
        clock=partial(fmt.clock, locale=locale),
        number=partial(fmt.number, locale=locale),
        weekdays=partial(fmt.weekday_range, locale=locale),
    )
    def qr(url: str, size_mm: float | None = None) -> Markup:
        start = time.perf_counter()
        svg = Markup(make_qr_svg(url, size_mm))
        if timings is not None:
            timings["qr"] = timings.get("qr", 0.0) + time.perf_counter() - start
        return svg

    def qr_size(*links: str) -> float:
        start = time.perf_counter()
        size = qr_size_mm(*links)
        if timings is not None:
            timings["qr"] = timings.get("qr", 0.0) + time.perf_counter() - start
        return size

    env.globals.update(qr=qr, qr_size=qr_size, korean_term=korean_term, map_links=map_links)
    return env


def render_html(
    *,
    profile: Profile,
    plan: Plan,
    catalogue: Catalogue,
    clinics: list[Clinic],
    brand: LoadedBrand | None,
    page_format: str = "a5",
    theme: Theme | None = None,
    env: jinja2.Environment | None = None,
) -> str:
    """The guide as one HTML document; stylesheets are passed to WeasyPrint separately."""
    theme = theme or Theme()
    env = env or make_environment(theme)
    used = {a.clinic_id for d in plan.days for a in d.appointments if a.clinic_id}
    used |= {r.clinic for r in profile.treatments if r.clinic}
    planned: dict[str, list] = {r.id: [] for r in profile.treatments}
    for d in plan.days:
        for a in d.appointments:
            if a.kind == "treatment" and a.treatment_id in planned:
                planned[a.treatment_id].append(d.date)
    primary = brand.brand.colors.primary if brand else "#2F4858"
    context = {
        "profile": profile,
        "traveler": profile.traveler,
        "trip": profile.trip,
        "plan": plan,
        "catalogue": {t.id: t for t in catalogue.treatments},
        "requested": [catalogue.get(r.id) for r in profile.treatments],
        "clinics": {c.id: c for c in clinics},
        "listed_clinics": [c for c in clinics if c.id in used],
        "visit_days": [d for d in plan.days if d.appointments],
        "planned_sessions": planned,
        "on_primary": text_color_on(primary),
        "brand": brand.brand if brand and not brand.brand.white_label else None,
        "logo_url": brand.logo.as_uri() if brand and brand.logo and not brand.brand.white_label
        else None,
        "colors": brand.brand.colors if brand else None,
        "font": brand.brand.font if brand else None,
        "font_urls": [p.as_uri() for p in brand.font_files] if brand else [],
        "page_size": PAGE_SIZES[page_format],
        "page_format": page_format,
        "phrases": load_data("phrases.yaml")["phrases"],
        "vat_note": load_data("help_numbers.yaml").get("notes", []),
    }
    try:
        return env.get_template("guide.html.j2").render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"template error: {exc.message}") from None
