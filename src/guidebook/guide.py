"""One guide: load and validate its inputs, plan it, render it (HTML, PDF, .ics) and write it.

The library's entry points (`build_guide`, `load_inputs`, `plan_guide`, `GuideRenderer`); the
CLI, the batch and `--watch` are thin layers over them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from .errors import InputError, Problem, RenderError
from .inputs.catalogue import Catalogue
from .inputs.cautions import load_cautions
from .inputs.data import load_help_numbers
from .inputs.load import (
    LoadedBrand,
    load_brand,
    load_catalogue,
    load_clinics,
    load_profile,
    load_profile_data,
)
from .inputs.models import Clinic, ClinicsFile, Profile
from .options import GuideOptions, check_outputs
from .plan.trip import plan_trip
from .plan.types import Plan
from .timelimit import time_limit
from .timing import Timer, stage

if TYPE_CHECKING:
    from jinja2 import Environment

    from .pdf.engine import PdfEngine
    from .render.theme import Theme

T = TypeVar("T")
Faces = tuple[tuple[str, Path], ...]
# A profile as the library takes it: a YAML file (a path), or its data (a mapping as the YAML
# would give, or a Profile).
ProfileSource = Path | str | Mapping[str, Any] | Profile


@dataclass(frozen=True)
class SharedInputs:
    """What every guide made with the same options shares: catalogue, clinics and brand."""

    catalogue: Catalogue
    clinics: ClinicsFile | None = None
    brand: LoadedBrand | None = None

    @property
    def clinic_list(self) -> list[Clinic]:
        return list(self.clinics.clinics) if self.clinics else []


@dataclass(frozen=True)
class Inputs:
    """Everything one guide is made from, validated; `warnings` from loading (a language fallback)."""

    profile: Profile
    shared: SharedInputs
    warnings: tuple[str, ...] = ()
    key: str | None = None  # the booking's id, for the calendar's event ids (default: the name)

    @property
    def catalogue(self) -> Catalogue:
        return self.shared.catalogue

    @property
    def clinics(self) -> ClinicsFile | None:
        return self.shared.clinics

    @property
    def brand(self) -> LoadedBrand | None:
        return self.shared.brand

    @property
    def clinic_list(self) -> list[Clinic]:
        return self.shared.clinic_list


@dataclass(frozen=True)
class RenderedGuide:
    """One guide, rendered: its HTML, PDF and calendar, and the warnings of the render."""

    html: str
    pdf: bytes
    ics: bytes
    warnings: list[str]


@dataclass
class BuildResult:
    pdf: Path | None
    plan: Plan
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def load_shared(options: GuideOptions | None = None) -> SharedInputs:
    """Catalogue, clinics and brand of `options`; the problems of all of them together."""
    problems: list[Problem] = []
    shared = _load_shared(problems, options or GuideOptions())
    if problems:
        raise InputError(problems)
    return shared


def load_inputs(profile: ProfileSource, options: GuideOptions | None = None) -> Inputs:
    """Validate every input; problems from all of them are reported together.

    `profile` is a YAML file, or the profile's data: a mapping shaped as the YAML file (problems
    are then located in a file named "profile"), or a Profile."""
    options = options or GuideOptions()
    problems: list[Problem] = []
    shared = _load_shared(problems, options)
    warnings: list[str] = []

    def load() -> Profile:
        if isinstance(profile, (Mapping, Profile)):
            return load_profile_data(
                profile,
                shared.catalogue,
                shared.clinics,
                language=options.language,
                lang_fallback=options.lang_fallback,
                warnings=warnings,
            )
        return load_profile(
            Path(profile),
            shared.catalogue,
            shared.clinics,
            language=options.language,
            lang_fallback=options.lang_fallback,
            warnings=warnings,
        )

    loaded = _collect(problems, load)
    if problems or loaded is None:
        raise InputError(problems)
    return Inputs(loaded, shared, tuple(warnings))


def _load_shared(problems: list[Problem], options: GuideOptions) -> SharedInputs:
    """Catalogue, clinics and brand, each as far as it loads; problems are collected."""
    catalogue = load_catalogue(options.catalogue)
    clinics = brand = None
    if options.clinics:
        path = options.clinics
        clinics = _collect(problems, lambda: load_clinics(path, catalogue))
    if options.brand:
        brand_path = options.brand
        brand = _collect(problems, lambda: load_brand(brand_path))
    return SharedInputs(catalogue, clinics, brand)


def _collect(problems: list[Problem], load: Callable[[], T]) -> T | None:
    """`load()`, or None with its problems added to `problems`."""
    try:
        return load()
    except InputError as exc:
        problems.extend(exc.problems)
        return None


def plan_guide(inputs: Inputs, options: GuideOptions | None = None) -> Plan:
    """The plan of one guide: itinerary, checklists, costs and help numbers (pure)."""
    options = options or GuideOptions()
    closed = list(options.closed_dates) + (list(inputs.clinics.closed_dates) if inputs.clinics else [])
    cautions = load_cautions(treatment_ids=frozenset(t.id for t in inputs.catalogue.treatments))
    return plan_trip(
        inputs.profile,
        inputs.catalogue,
        clinics=inputs.clinic_list,
        closed_dates=closed,
        rate=options.rate,
        help_numbers=load_help_numbers(),
        cautions=cautions,
        public_holidays=public_holidays(
            inputs.profile.trip.arrival.date(), inputs.profile.trip.departure.date()
        ),
    )


def public_holidays(start: date, end: date) -> dict[date, str]:
    """Korean public holidays of the stay, from the `holidays` package, kept in the cache folder
    by year and package version (importing the package takes 0.2 s; a cold build skips it)."""
    from importlib.metadata import version

    from .cache import remembered
    from .plan.itinerary import korean_holidays

    key = f"KR|{start}|{end}|holidays {version('holidays')}"
    return remembered("holidays", key, lambda: korean_holidays(start, end))


@overload
def build_guide(
    profile: ProfileSource,
    *,
    output: Path | str,
    options: GuideOptions | None = None,
    html: Path | None = None,
    ics: Path | None = None,
    renderer: GuideRenderer | None = None,
    key: str | None = None,
) -> BuildResult: ...


@overload
def build_guide(
    profile: ProfileSource,
    *,
    output: None = None,
    options: GuideOptions | None = None,
    html: Path | None = None,
    ics: Path | None = None,
    renderer: GuideRenderer | None = None,
    key: str | None = None,
) -> bytes: ...


def build_guide(
    profile: ProfileSource,
    *,
    output: Path | str | None = None,
    options: GuideOptions | None = None,
    html: Path | None = None,
    ics: Path | None = None,
    renderer: GuideRenderer | None = None,
    key: str | None = None,
) -> BuildResult | bytes:
    """Build one guide PDF (and optionally its HTML and .ics) from a profile: a YAML file, or
    its data (a mapping shaped as the YAML file, or a Profile).

    With `output`, the PDF is written there and a BuildResult returned (the plan, the warnings,
    the files written); without it, the PDF's bytes are returned (HTML and .ics are still
    written where asked). `key` identifies the booking in the calendar's event ids (default:
    the traveler's name). The output paths are checked before any work (OptionsError: a
    folder, or a path that names an input or another output); every file is written
    atomically, and nothing on error.
    """
    options = options or GuideOptions()
    source = profile if isinstance(profile, (Mapping, Profile)) else Path(profile)
    sources = [source] if isinstance(source, Path) else []
    target = Path(output) if output is not None else None
    check_outputs({"-o": target, "--html": html, "--ics": ics}, inputs=[*sources, *options.input_files])
    what = source if isinstance(source, Path) else "the profile given"
    with time_limit(options.timeout, f"the guide for {what}"):
        inputs = load_inputs(source, options)
        if key is not None:
            inputs = replace(inputs, key=key)
        plan = plan_guide(inputs, options)
        if renderer is None or not renderer.serves(options, inputs.brand):
            renderer = GuideRenderer(options, brand=inputs.brand)
        guide = renderer.render(inputs, plan)
    if target is None:
        write_guide(guide, output=None, html=html, ics=ics)
        return guide.pdf
    written = write_guide(guide, output=target, html=html, ics=ics)
    return BuildResult(target, plan, guide.warnings, written)


def write_guide(
    guide: RenderedGuide, *, output: Path | None, html: Path | None = None, ics: Path | None = None
) -> list[Path]:
    """The PDF, and the HTML and calendar when asked, each written atomically. A calendar that
    replaces an earlier one carries its events' sequence numbers on (one more for each event
    that changed), so calendar apps update the events instead of adding them again."""
    from .atomic import write_atomic
    from .render.ics import carry_sequences, previous_calendar

    written = [write_atomic(Path(output), guide.pdf)] if output is not None else []
    if html:
        written.append(write_atomic(Path(html), guide.html))
    if ics:
        calendar = carry_sequences(guide.ics, previous_calendar(Path(ics)))
        written.append(write_atomic(Path(ics), calendar))
    return written


class GuideRenderer:
    """Set up once (theme, Jinja2, WeasyPrint, fonts, fetcher); renders guides with one set of options.

    With `reuse`, the sections that are the same from guide to guide are laid out once and reused
    (pdf/section_cache.py): for a renderer that makes many guides (a batch, `--watch`). A single
    guide is laid out in one pass, as the bare `weasyprint` command would.
    """

    def __init__(
        self,
        options: GuideOptions | None = None,
        *,
        brand: LoadedBrand | None = None,
        reuse: bool = False,
        timer: Timer | None = None,
    ):
        from .pdf.engine import PdfEngine
        from .pdf.fonts import font_dir
        from .render.theme import Theme

        self.options = options = options or GuideOptions()
        self.source_brand = brand
        if brand and options.white_label and not brand.brand.white_label:
            brand = replace(brand, brand=brand.brand.model_copy(update={"white_label": True}))
        self.brand = brand
        self.timer = timer
        # a booklet's facing pages have mirrored margins, so it is laid out in one pass
        self.reuse = reuse and not options.booklet
        self.theme: Theme = Theme.with_override(options.theme or (brand.templates if brand else None))
        self._environments: dict[str, Environment] = {}
        roots = self.theme.asset_dirs + ([brand.folder] if brand else []) + [font_dir()]
        self.font_warnings = brand_font_warnings(brand)
        self.engine: PdfEngine = PdfEngine(roots)

    def serves(self, options: GuideOptions, brand: LoadedBrand | None) -> bool:
        """Whether this renderer makes guides for these options and this brand."""
        return options == self.options and brand == self.source_brand

    def faces(self, region: str) -> Faces:
        """The trimmed faces of a CJK region (made on first use), or () for the system faces."""
        from .pdf.fonts import trimmed_faces

        return trimmed_faces(region) if self.options.trim_fonts else ()

    def cjk_faces(self, language: str) -> Faces:
        """The trimmed faces of a Japanese or Chinese guide's own CJK face."""
        from .i18n import cjk_font
        from .pdf.fonts import region_of

        region = region_of(cjk_font(language))
        return self.faces(region) if region and region != "KR" else ()

    def env(self, language: str = "en") -> Environment:
        """The Jinja2 environment of a language, made once."""
        from .render.html import make_environment

        if language not in self._environments:
            self._environments[language] = make_environment(self.theme, language)
        return self._environments[language]

    def preload(self) -> None:
        """Compile every template of the theme in every language now (a few milliseconds with
        the compiled-template cache), so that no guide loads one while its time limit runs."""
        from .i18n import LANGUAGES

        for language in LANGUAGES:
            env = self.env(language)
            for name in env.list_templates(extensions=["j2"]):
                env.get_template(name)

    def html(self, inputs: Inputs, plan: Plan) -> str:
        """The HTML of one planned guide, in the traveler's language, as `render` lays it out
        (for an HTML preview without the PDF)."""
        from .i18n import cjk_font
        from .pdf.fonts import trimmed_family
        from .render.html import render_html

        language = inputs.profile.traveler.language
        return render_html(
            profile=inputs.profile,
            plan=plan,
            catalogue=inputs.catalogue,
            clinics=inputs.clinic_list,
            brand=self.brand,
            page_format=self.options.page_format,
            theme=self.theme,
            env=self.env(language),
            mirrored=bool(self.options.booklet),
            kr_faces=self.faces("KR"),
            cjk_faces=self.cjk_faces(language),
            cjk_family=trimmed_family(cjk_font(language)),
        )

    def render(self, inputs: Inputs, plan: Plan) -> RenderedGuide:
        """HTML, PDF, calendar and warnings of one planned guide, in the traveler's language.

        Raises RenderError for warnings under `strict`."""
        from .pdf.engine import PdfAttachment
        from .render.glyphs import missing_glyphs
        from .render.ics import make_ics

        language = inputs.profile.traveler.language
        with stage(self.timer, "html"):
            source = self.html(inputs, plan)
            calendar = make_ics(
                inputs.profile,
                plan,
                inputs.catalogue,
                inputs.clinic_list,
                language,
                key=inputs.key,
                reminder=self.options.reminder,
            )
        fixed = datetime.combine(plan.arrival, datetime.min.time())
        attachment = PdfAttachment("trip.ics", calendar, "Appointments (iCalendar)", fixed)
        data, render_warnings = self.engine.render(
            source,
            base_url=self.theme.template_dirs[0],
            stylesheets=self.theme.stylesheets,
            attachments=[attachment],
            timer=self.timer,
            reuse=self.reuse,
            tagged=self.options.tagged,
            archive=self.options.archive,
        )
        warnings = [
            *inputs.warnings,
            *self.font_warnings,
            *missing_glyphs(profile=inputs.profile, clinics=inputs.clinic_list),
            *render_warnings,
        ]
        if self.options.strict and warnings:
            raise RenderError("stopped by --strict: " + "; ".join(warnings))
        if self.options.booklet:
            from .pdf.booklet import impose

            data = impose(data, sheet=self.options.booklet)
        return RenderedGuide(source, data, calendar, warnings)


def brand_font_warnings(brand: LoadedBrand | None) -> list[str]:
    """A brand whose `font` is neither installed nor given in `font_files`: one warning naming
    the family (the guide is set in the default face; an error under --strict)."""
    from .render.glyphs import font_installed

    if brand is None or not brand.brand.font or brand.font_files:
        return []
    family = brand.brand.font
    if font_installed(family) is not False:  # installed, or fontconfig cannot say
        return []
    return [
        f"brand font {family!r} is not installed; the guide uses the default face (install the "
        "family, or give its files in font_files beside the brand file; `fc-list` lists the "
        "installed ones)"
    ]
