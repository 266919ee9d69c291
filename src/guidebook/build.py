"""The library's entry points: load, plan, render and export one guide."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .catalogue import Catalogue
from .errors import GuidebookError, InputError, Problem, RenderError
from .glyphs import missing_glyphs
from .i18n import resolve_language
from .loading import LoadedBrand, load_brand, load_catalogue, load_clinics, load_profile
from .models import Clinic, ClinicsFile, Profile
from .plan import Plan

FORMATS = ("a4", "letter", "a5", "a6")


@dataclass
class Inputs:
    """Everything one guide is made from, validated."""

    profile: Profile
    catalogue: Catalogue
    clinics: ClinicsFile | None = None
    brand: LoadedBrand | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def clinic_list(self) -> list[Clinic]:
        return list(self.clinics.clinics) if self.clinics else []


@dataclass
class BuildResult:
    pdf: Path | None
    plan: Plan
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def load_inputs(
    profile: Path,
    *,
    clinics: Path | None = None,
    brand: Path | None = None,
    catalogue: Path | None = None,
    lang_fallback: bool = False,
) -> Inputs:
    """Validate every input file; problems from all of them are reported together."""
    problems: list[Problem] = []
    shared = _shared(problems, clinics=clinics, brand=brand, catalogue=catalogue)
    shared.profile = _collect(problems, load_profile, Path(profile), shared.catalogue,
                              shared.clinics, lang_fallback=lang_fallback,
                              warnings=shared.warnings)
    if problems:
        raise InputError(problems)
    return shared


def load_inputs_shared(
    *, clinics: Path | None = None, brand: Path | None = None, catalogue: Path | None = None
) -> Inputs:
    """The inputs every guide of a batch shares (no profile yet); all problems at once."""
    problems: list[Problem] = []
    shared = _shared(problems, clinics=clinics, brand=brand, catalogue=catalogue)
    if problems:
        raise InputError(problems)
    return shared


def _shared(problems: list[Problem], *, clinics: Path | None, brand: Path | None,
            catalogue: Path | None) -> Inputs:
    """Catalogue, clinics and brand, each as far as it loads; problems are collected."""
    cat = load_catalogue(catalogue)
    inputs = Inputs(None, cat)  # type: ignore[arg-type]
    if clinics:
        inputs.clinics = _collect(problems, load_clinics, Path(clinics), cat)
    if brand:
        inputs.brand = _collect(problems, load_brand, Path(brand))
    return inputs


def _collect(problems: list[Problem], load: Any, *args: Any, **kwargs: Any) -> Any:
    """`load(...)`, or None with its problems added to `problems`."""
    try:
        return load(*args, **kwargs)
    except InputError as exc:
        problems.extend(exc.problems)
        return None


def plan_guide(
    inputs: Inputs,
    *,
    closed_dates: Iterable[date] = (),
    rate: object | None = None,
) -> Plan:
    from .contacts import load_help_numbers
    from .planner import plan_trip

    closed = list(closed_dates) + (list(inputs.clinics.closed_dates) if inputs.clinics else [])
    return plan_trip(inputs.profile, inputs.catalogue, clinics=inputs.clinic_list,
                     closed_dates=closed, rate=rate, help_numbers=load_help_numbers())


def build_guide(
    profile: Path,
    *,
    output: Path,
    clinics: Path | None = None,
    brand: Path | None = None,
    catalogue: Path | None = None,
    page_format: str = "a5",
    closed_dates: Sequence[date] = (),
    rate: object | None = None,
    html: Path | None = None,
    ics: Path | None = None,
    strict: bool = False,
    theme: Path | None = None,
    white_label: bool = False,
    booklet: str | None = None,
    language: str | None = None,
    lang_fallback: bool = False,
    renderer: GuideRenderer | None = None,
) -> BuildResult:
    """Build one guide PDF (and optionally its HTML and .ics) from a profile file."""
    inputs = load_inputs(profile, clinics=clinics, brand=brand, catalogue=catalogue,
                         lang_fallback=lang_fallback or language is not None)
    if language:
        try:
            inputs.profile.traveler.language = resolve_language(language)
        except ValueError as exc:
            raise GuidebookError(str(exc)) from None
        inputs.warnings.clear()  # the profile's own language does not matter then
    plan = plan_guide(inputs, closed_dates=closed_dates, rate=rate)
    renderer = renderer or GuideRenderer(brand=inputs.brand, page_format=page_format, theme=theme,
                                         white_label=white_label, booklet=booklet)
    return export_guide(inputs, plan, output=output, html=html, ics=ics, strict=strict,
                        renderer=renderer)


class GuideRenderer:
    """Set up once (theme, Jinja2, WeasyPrint, fonts, fetcher); renders many guides."""

    def __init__(self, *, brand: LoadedBrand | None = None, page_format: str = "a5",
                 theme: Path | None = None, white_label: bool = False, booklet: str | None = None):
        from .fonts import font_dir, trimmed_faces
        from .pdf import PdfEngine
        from .render import Theme, make_environment

        if page_format not in FORMATS:
            raise GuidebookError(f"unknown page format {page_format!r}; use one of {', '.join(FORMATS)}")
        if brand and white_label and not brand.brand.white_label:
            brand = replace(brand, brand=brand.brand.model_copy(update={"white_label": True}))
        if booklet and page_format not in {"a5", "a6"}:
            raise GuidebookError("a booklet is made from A5 or A6 pages: use --format a5 or a6")
        self.brand = brand
        self.page_format = page_format
        self.booklet = booklet  # sheet size ("a4", "letter"), or None for plain pages
        # reuse the layout of sections shared between guides (reuse.py); a booklet's facing
        # pages have mirrored margins, so it is laid out in one pass
        self.reuse = not booklet
        self.theme = Theme.with_override(theme or (brand.templates if brand else None))
        self.timings: dict[str, float] = {}
        self._environments: dict[str, Any] = {}
        self._make_environment = make_environment
        self.kr_faces = trimmed_faces("KR")
        self._trimmed_faces = trimmed_faces
        roots = self.theme.asset_dirs + ([brand.folder] if brand else []) + [font_dir()]
        self.engine = PdfEngine(roots)

    def cjk_faces(self, language: str) -> tuple[tuple[str, Any], ...]:
        """The trimmed faces of a Japanese or Chinese guide's own CJK face (made on first use)."""
        from .fonts import region_of
        from .i18n import cjk_font

        region = region_of(cjk_font(language))
        return self._trimmed_faces(region) if region and region != "KR" else ()

    def env(self, language: str = "en") -> Any:
        """The Jinja2 environment of a language, made once."""
        if language not in self._environments:
            self._environments[language] = self._make_environment(self.theme, language,
                                                                  self.timings)
        return self._environments[language]

    def render(self, inputs: Inputs, plan: Plan,
               language: str | None = None) -> tuple[str, bytes, bytes, list[str]]:
        """HTML, PDF bytes, .ics bytes and warnings for one planned guide, in `language` (by
        default the traveler's)."""
        from time import perf_counter

        from .ics import make_ics
        from .pdf import PdfAttachment
        from .render import render_html

        language = language or inputs.profile.traveler.language
        start = perf_counter()
        qr_before = self.timings.get("qr", 0.0)
        source = render_html(profile=inputs.profile, plan=plan, catalogue=inputs.catalogue,
                             clinics=inputs.clinic_list, brand=self.brand,
                             page_format=self.page_format, theme=self.theme,
                             env=self.env(language), mirrored=bool(self.booklet),
                             kr_faces=self.kr_faces, cjk_faces=self.cjk_faces(language))
        calendar = make_ics(inputs.profile, plan, inputs.catalogue, inputs.clinic_list, language)
        qr_spent = self.timings.get("qr", 0.0) - qr_before
        self.timings["html"] = self.timings.get("html", 0.0) + perf_counter() - start - qr_spent
        fixed = datetime.combine(plan.arrival, datetime.min.time())
        attachment = PdfAttachment("trip.ics", calendar, "Appointments (iCalendar)", fixed)
        data, warnings = self.engine.render(source, base_url=self.theme.template_dirs[0],
                                            stylesheets=self.theme.stylesheets,
                                            attachments=[attachment], timings=self.timings,
                                            reuse=self.reuse)
        warnings = (inputs.warnings + missing_glyphs(profile=inputs.profile, clinics=inputs.clinic_list)
                    + warnings)
        if self.booklet:
            from .booklet import impose

            data = impose(data, sheet=self.booklet)
        return source, data, calendar, warnings


def export_guide(
    inputs: Inputs,
    plan: Plan,
    *,
    output: Path,
    page_format: str = "a5",
    html: Path | None = None,
    ics: Path | None = None,
    strict: bool = False,
    renderer: GuideRenderer | None = None,
) -> BuildResult:
    """Render a planned guide and write its files atomically; nothing is written on error."""
    from .atomic import write_atomic

    renderer = renderer or GuideRenderer(brand=inputs.brand, page_format=page_format)
    source, data, calendar, warnings = renderer.render(inputs, plan)
    if strict and warnings:
        raise RenderError("stopped by --strict:\n" + "\n".join(f"  {w}" for w in warnings))
    written = [write_atomic(Path(output), data)]
    if html:
        written.append(write_atomic(Path(html), source))
    if ics:
        written.append(write_atomic(Path(ics), calendar))
    return BuildResult(Path(output), plan, warnings, written)
