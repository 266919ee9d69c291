"""Helpers for the tests: the library's entry points with options as keywords, and log checks."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from guidebook.guide import BuildResult, GuideRenderer, Inputs, build_guide, load_inputs
from guidebook.inputs.load import LoadedBrand
from guidebook.options import GuideOptions

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
DATA = Path(__file__).resolve().parent / "data"


def build(profile: Path, *, output: Path, html: Path | None = None, ics: Path | None = None,
          renderer: GuideRenderer | None = None, **options: Any) -> BuildResult:
    """`build_guide` with GuideOptions given as keywords."""
    return build_guide(profile, output=output, options=GuideOptions(**options), html=html, ics=ics,
                       renderer=renderer)


def load(profile: Path, **options: Any) -> Inputs:
    """`load_inputs` with GuideOptions given as keywords."""
    return load_inputs(profile, GuideOptions(**options))


def renderer(brand: LoadedBrand | None = None, *, reuse: bool = False, **options: Any) -> GuideRenderer:
    """A GuideRenderer with GuideOptions given as keywords."""
    return GuideRenderer(GuideOptions(**options), brand=brand, reuse=reuse)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def assert_no_warnings(logger: str = "") -> Iterator[None]:
    """Fail if anything logs a warning or an error inside the block (WeasyPrint's
    `assert_no_logs`): a blocked URL, an unknown CSS property, a missing glyph."""
    handler = _Records()
    log = logging.getLogger(logger)
    log.addHandler(handler)
    try:
        yield
    finally:
        log.removeHandler(handler)
    messages = [f"{r.name}: {r.getMessage()}" for r in handler.records]
    assert not messages, "unexpected warnings:\n" + "\n".join(messages)


def html_of(inputs: Inputs, guide_renderer: GuideRenderer | None = None,
            language: str | None = None) -> str:
    """The guide's HTML for `inputs` (planned with the default options), as the renderer makes it."""
    from guidebook.guide import plan_guide
    from guidebook.render.html import render_html

    guide_renderer = guide_renderer or renderer(inputs.brand)
    return render_html(profile=inputs.profile, plan=plan_guide(inputs), catalogue=inputs.catalogue,
                       clinics=inputs.clinic_list, brand=guide_renderer.brand,
                       theme=guide_renderer.theme,
                       env=guide_renderer.env(language or inputs.profile.traveler.language))


def layout(inputs: Inputs, guide_renderer: GuideRenderer | None = None) -> Any:
    """WeasyPrint's laid-out document (its boxes) of the guide for `inputs`."""
    from weasyprint import HTML

    guide_renderer = guide_renderer or renderer(inputs.brand)
    engine, theme = guide_renderer.engine, guide_renderer.theme
    return HTML(string=html_of(inputs, guide_renderer), base_url=str(theme.template_dirs[0]),
                url_fetcher=engine.fetcher).render(
        stylesheets=[engine.stylesheet(path) for path in theme.stylesheets],
        font_config=engine.font_config)
