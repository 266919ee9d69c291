"""Guide -> HTML with Jinja2: autoescaped, every visible string through gettext."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from ..cache import cache_dir
from ..errors import RenderError
from ..i18n import N_, babel_locale, cjk_font, translations
from ..inputs.catalogue import Catalogue
from ..inputs.data import korean_term, load_data
from ..inputs.first_visit import load_first_visit
from ..inputs.load import LoadedBrand
from ..inputs.models import Clinic, Profile, localized
from ..plan.cautions import is_suppressed, suppressed
from ..plan.first_visit import first_visit
from ..plan.types import ChecklistItem, Plan, Unplaced
from . import fmt
from .colors import mix_with_white, readable_on_white, text_color_on
from .qr import make_qr_image, qr_size_mm
from .theme import Theme

PAGE_SIZES = {"a4": "A4", "letter": "letter", "a5": "A5", "a6": "A6"}
# Per format: page margins (top, sides, bottom) and the base type size, so each size looks
# designed for itself: A6 is a pocket guide with small margins, A4/Letter have more air.
PAGE_LAYOUT = {
    "a4": ("18mm", "17mm", "18mm", "10pt"),
    "letter": ("0.7in", "0.7in", "0.75in", "10pt"),
    "a5": ("15mm", "12mm", "15mm", "9pt"),
    "a6": ("10mm", "7.5mm", "11mm", "8pt"),
}
# Page sizes in mm, and the cover's margin: its band and the back cover's blocks stay inside
# what a home printer prints (no bleed).
PAGE_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4), "a5": (148.0, 210.0), "a6": (105.0, 148.0)}
COVER_MARGIN_MM = {"a4": 12.0, "letter": 12.0, "a5": 8.0, "a6": 6.0}
# Edge tabs: (length, outer margin of a tabbed page, font size); each tab starts 3 mm from the
# page's edge and is as thick as its margin leaves, less 1.5 mm of air before the text.
TAB_MM = {
    "a4": (40.0, 17.0, "8pt"),
    "letter": (40.0, 17.8, "8pt"),
    "a5": (30.0, 12.0, "7pt"),
    "a6": (24.0, 10.0, "7pt"),
}
TAB_EDGE_MM = 3.0
TAB_PLACES = {"help": 0.2, "medical": 0.42, "taxi": 0.64}  # the tab's top, a share of the page height


def page_geometry(page_format: str) -> dict[str, Any]:
    """What the template's head needs to place the cover and the edge tabs of a format."""
    width, height = PAGE_MM[page_format]
    length, margin, font_size = TAB_MM[page_format]
    thick = min(9.0, margin - TAB_EDGE_MM - 1.5)
    top = _mm(PAGE_LAYOUT[page_format][0])
    shift = margin - TAB_EDGE_MM - thick / 2 - length / 2  # the box's margin toward the page
    cover = COVER_MARGIN_MM[page_format]
    return {
        "cover_margin": f"{cover:g}mm",
        "cover_height": f"{height - 2 * cover:.1f}mm",
        "tab": {
            "length": f"{length:g}mm",
            "thick": f"{thick:.1f}mm",
            "margin": f"{margin:g}mm",
            "shift": f"{shift:.2f}mm",
            "font_size": font_size,
        },
        "tab_tops": {
            name: f"{place * height + length / 2 - thick / 2 - top:.2f}mm"
            for name, place in TAB_PLACES.items()
        },
    }


def _mm(length: str) -> float:
    """A CSS length of the layout table (mm or in) in millimetres."""
    return float(length[:-2]) * (25.4 if length.endswith("in") else 1.0)


MAX_KEPT_WORD = 20
_HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"  # jamo, compatibility jamo, syllables
WORD_JOINER = "\u2060"
# A word of the HTML's text (no space, no tag) with Hangul in it; an entity (&amp;) is one unit.
_HANGUL_WORD = re.compile(
    f"(?:&#?\\w+;|[^\\s<>{WORD_JOINER}])*[{_HANGUL}](?:&#?\\w+;|[^\\s<>{WORD_JOINER}])*"
)
_UNIT = re.compile(r"&#?\w+;|.", re.DOTALL)


_WORD_SEPARATORS = ("·", "/")  # a line may break after them, as after a comma ("영어·중국어")


def _join_word(match: re.Match[str]) -> str:
    pieces: list[list[str]] = [[]]
    for unit in _UNIT.findall(match.group(0)):
        pieces[-1].append(unit)
        if unit in _WORD_SEPARATORS:
            pieces.append([])
    return "".join(
        "".join(units) if len(units) > MAX_KEPT_WORD else WORD_JOINER.join(units) for units in pieces
    )


def keep_korean_words(html_text: str) -> str:
    """Escaped text (or text between tags) with each Korean word kept whole: a WORD JOINER
    (U+2060, invisible, and dropped from the PDF's text) between its characters, since
    WeasyPrint has no `word-break: keep-all` and breaks Hangul anywhere. A "word" longer than
    any real one (typed without spaces) may still break, to stay on the page."""
    return _HANGUL_WORD.sub(_join_word, html_text)


def korean(text: Any) -> Markup:
    """Escape `text` and keep each Hangul word whole."""
    return Markup(keep_korean_words(str(escape(text))))


_HANGUL_PHRASE = re.compile(f"[{_HANGUL}]+(?:\\s+[{_HANGUL}]+)*")


def mark_korean(text: Any) -> Markup:
    """Escape `text` (a sentence in the guide's language) and mark the Korean in it as Korean,
    so that it is set in the Korean face, as every other Korean text is, each word kept whole."""

    def mark(match: re.Match[str]) -> str:
        return f'<span class="ko" lang="ko">{korean(match.group(0))}</span>'

    return Markup(_HANGUL_PHRASE.sub(mark, str(escape(text))))


_ADDRESS = re.compile(r"(?<![\w.])www(?:\.[a-z0-9\-]+)+")  # up to the first other character


def keep_addresses(text: Any) -> Markup:
    """Escape `text` (unless it is markup already) and keep each web address (www.k-eta.go.kr)
    on one line: broken at its hyphen, "www.e-" and "arrivalcard.go.kr" read as two things."""
    return Markup(_ADDRESS.sub(r'<span class="kw">\g<0></span>', str(escape(text))))


def map_link(address_ko: str) -> str:
    """A Naver map search (Naver works fully in Korea) for a Korean address."""
    return "https://map.naver.com/p/search/" + quote(address_ko, safe="")


def map_links(clinic: Clinic) -> dict[str, str]:
    """Naver (works fully in Korea) and Google map searches for the clinic's Korean address
    (the address alone: the clinic's name would make the link, and so the code, much denser)."""
    query = clinic.address_ko
    return {
        "naver": map_link(query),
        "google": "https://www.google.com/maps/search/?api=1&query=" + quote(query, safe=""),
    }


def css_string(text: Any) -> Markup:
    """`text` as a quoted CSS string for the guide's <style> block: quotes and backslashes
    escaped, and `<`, `>` and line ends as CSS escapes, so that no text can end the block."""
    out = []
    for char in str(text):
        if char in '\\"<>&' or ord(char) < 0x20 or char == "\x7f":
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return Markup('"' + "".join(out) + '"')


# Typesetting the text of the finished HTML (between its tags, in the body): Korean words kept
# whole in every guide. In a Japanese or Chinese guide one spacing rule: one space between a Latin
# word and the Japanese or Chinese text beside it (Pico レーザー); numbers and amounts are written
# against it (9月19日, 3日間, 您NT$30,000的); no space beside full-width punctuation, which has
# its own (控えましょう（1日間）, not 控えましょう （1日間）).
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)|([^<]+)")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATIN = "A-Za-z\u00c0-\u024f"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_WORD = f"[{_LATIN}](?![A-Z]{{0,2}}\\$)"  # a Latin letter that does not start an amount (NT$)
_LATIN_CHAR = re.compile(_WORD)
_HANGUL_CHAR = re.compile(f"[{_HANGUL}]")
_CJK_THEN_LATIN = re.compile(f"(?<=[{_CJK}])(?={_WORD})|(?<=[{_LATIN}])(?=[{_CJK}])")
_OPENING, _CLOSING = "（「『【〈《", "）」』】〉》、。，：；！？"
_INLINE_TAGS = r"(?:</?(?:span|strong|em|b|i|a)\b[^>]*>)*"
# the spaces before an opening bracket, or after a closing one or a mark, across inline tags
# (not a line end: a typed text keeps its lines)
_BESIDE_FULL_WIDTH = re.compile(
    f"[ \\t]+({_INLINE_TAGS})(?=[{_OPENING}])|(?<=[{_CLOSING}])({_INLINE_TAGS})[ \\t]+"
)


def _no_space_beside_full_width(body: str) -> str:
    return _BESIDE_FULL_WIDTH.sub(lambda m: m.group(1) or m.group(2) or "", body)


# Tags that do not end a run of text: the space rule looks across them ("<strong>Pico</strong>の").
_INLINE = re.compile(r"</?(?:span|strong|em|b|i|a)\b", re.IGNORECASE)
_SKIPPED = ("<style", "<script", "<title")
_HEADING = re.compile(r"<(/?)h[1-6]\b", re.IGNORECASE)


def _narrow_dots(text: str, language: str) -> str:
    """In a Chinese guide, each middle dot set in the Korean face (guide.css .dot): the Chinese
    faces draw it a full em wide, a gap in "10:30 · 面诊 · Haneul"."""
    if not language.startswith("zh"):
        return text
    return text.replace("·", '<span class="dot">·</span>')


def _nowrap_korean_words(text: str) -> str:
    """A heading keeps its Korean words whole with nowrap spans, not joiners: its text is also
    its bookmark's label, where a viewer may draw an invisible joiner as a box."""
    return _HANGUL_WORD.sub(
        lambda match: f'<span class="kw">{match.group(0)}</span>', text.replace(WORD_JOINER, "")
    )


def typeset(html_text: str, language: str) -> str:
    """The guide's HTML with its text typeset for print (see above); tags and attributes stay.
    A word that an inline tag cuts in two ("영어·<span>중국어</span>") is kept whole too."""
    body = html_text.find("<body")
    if body < 0:
        return html_text
    spaced = language.startswith(("ja", "zh"))
    out = [html_text[:body]]
    last = ""  # the text's last character before this point, across inline tags
    korean_word = False  # whether the word that ends there has Hangul in it
    skip = heading = False
    rest = _no_space_beside_full_width(html_text[body:]) if spaced else html_text[body:]
    for tag, text in _TAG_OR_TEXT.findall(rest):
        if tag:
            out.append(tag)
            if found := _HEADING.match(tag):
                heading = not found.group(1)
            lowered = tag.lower()
            if lowered.startswith(_SKIPPED):
                skip = True
            elif skip and lowered.startswith(("</style", "</script", "</title")):
                skip = False
            if not _INLINE.match(tag):
                last, korean_word = "", False
            continue
        if skip:
            out.append(text)
            continue
        if spaced:
            if (
                _CJK_CHAR.match(last)
                and _LATIN_CHAR.match(text)
                or _LATIN_CHAR.match(last)
                and _CJK_CHAR.match(text)
            ):
                text = " " + text
            text = _CJK_THEN_LATIN.sub(" ", text)
        if heading:
            out.append(_narrow_dots(_nowrap_korean_words(text), language))
            last, korean_word = "", False
            continue
        head = re.match(r"[^\s]*", text).group(0)  # type: ignore[union-attr]
        joined = keep_korean_words(text)
        if (
            last
            and not last.isspace()
            and last not in _WORD_SEPARATORS
            and head
            and (korean_word or _HANGUL_CHAR.search(head))
        ):
            joined = WORD_JOINER + joined
        if text[-1].isspace():
            last, korean_word = " ", False
        else:
            tail = re.search(r"[^\s]*$", text).group(0)  # type: ignore[union-attr]
            korean_word = bool(_HANGUL_CHAR.search(tail)) or (tail == text and korean_word)
            last = text[-1]
        out.append(_narrow_dots(joined, language))
    return "".join(out)


# The reasons a session is not in the stay, for guides in other languages than English (the
# English guide prints the planner's own, more detailed sentence).
REASONS = {
    "interval": N_(
        "%(name)s needs %(days)s days between sessions, so session %(num)s would come after your flight home."
    ),
    "flight_buffer": N_(
        "%(name)s needs %(days)s days between a session and your flight home, "
        "so session %(num)s no longer fits in this stay."
    ),
    "no_open_day": N_(
        "On every day when %(name)s session %(num)s could be done, the clinic is "
        "closed or it is a public holiday."
    ),
    "downtime": N_(
        "%(name)s session %(num)s fits no free day: recovery from other treatments, "
        "treatments that cannot share a day, or spacing rules fill them all."
    ),
    "clinic_hours": N_(
        "%(name)s session %(num)s does not fit within the clinic's opening hours on any free day."
    ),
    "stay_too_short": N_(
        "The stay has no full day between arrival and departure for %(name)s session %(num)s."
    ),
}


SENTENCE_ENDS = (".", "。", "?", "？", "!", "！")


def estimated(source: str) -> bool:
    """Whether a catalogue figure is the team's estimate (source `assumption`), not a sourced one."""
    return source.split(":", 1)[0].strip() == "assumption"


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the cache folder: a cold build compiles the theme in 5 ms
    instead of 250. Jinja2 compiles a template again when its source changes (a checksum)."""
    folder = cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def make_environment(theme: Theme, language: str = "en") -> jinja2.Environment:
    """The Jinja2 environment of a theme in a language."""
    locale = babel_locale(language)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(theme.template_dirs),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(),
    )
    translation = translations(language)
    env.install_gettext_translations(translation, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        ko=korean,
        css_string=css_string,
        korean_phone=fmt.korean_phone,
        hours=fmt.hours,
        rounded_down=partial(fmt.rounded, up=False),
        rounded_up=partial(fmt.rounded, up=True),
        day_span=lambda first, last: fmt.day_span(first, last, locale),
        mark_ko=mark_korean,
        keep_addresses=keep_addresses,
        krw=partial(fmt.krw, locale=locale),
        money=lambda v, cur: fmt.money(v, cur, locale),
        estimate=lambda v, cur: fmt.estimate(v, cur, locale),
        budget=lambda v, cur: fmt.budget(v, cur, locale),
        local=partial(localized, language=language),  # an agency text given per language
        day=partial(fmt.day, locale=locale),
        closure_days=lambda run: fmt.day_range(run[0], run[1], locale),  # (first, last)
        long_day=partial(fmt.long_day, locale=locale),
        short_day=partial(fmt.short_day, locale=locale),
        clock=partial(fmt.clock, locale=locale),
        number=partial(fmt.number, locale=locale),
        weekdays=partial(fmt.weekday_range, locale=locale),
        language_name=partial(fmt.language_name, locale=locale),
    )

    env.tests["estimated"] = estimated
    env.tests["sentence"] = lambda text: str(text).rstrip().endswith(SENTENCE_ENDS)

    def qr(url: str, size_mm: float | None = None, alt: str | None = None) -> Markup:
        """A QR code; `alt` says what it opens, in the guide's language (a tagged PDF's alt text)."""
        return Markup(make_qr_image(url, size_mm, str(alt) if alt else None))

    def tr(text: str | None) -> str:
        """A text from the data files in the guide's language (as is when not translated)."""
        return translation.gettext(text) if text else ""

    env.globals.update(
        qr=qr,
        qr_size=qr_size_mm,
        tr=tr,
        language=language,
        cjk_font=cjk_font(language),
        korean_term=korean_term,
        map_links=map_links,
        map_link=map_link,
        p=fmt.punctuation(locale),  # the separators of the language: p.list, p.colon, ...
    )
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
    mirrored: bool = False,
    language: str = "en",
    kr_faces: tuple[tuple[str, Path], ...] = (),
    cjk_faces: tuple[tuple[str, Path], ...] = (),
    cjk_family: str | None = None,
) -> str:
    """The guide as one HTML document; stylesheets are passed to WeasyPrint separately.
    `kr_faces` are the trimmed Korean faces (pdf/fonts.py) as (CSS weight, file), `cjk_faces` those
    of the guide language's Japanese or Chinese face, named `cjk_family` in the CSS."""
    theme = theme or Theme()
    env = env or make_environment(theme, language)
    language = str(env.globals["language"])
    tr: Callable[[str | None], str] = env.globals["tr"]  # type: ignore[assignment]
    punctuation: fmt.Punctuation = env.globals["p"]  # type: ignore[assignment]
    names = {t.id: t.name for t in catalogue.treatments}

    def tname(treatment_id: str) -> str:
        return tr(names.get(treatment_id, treatment_id))

    def reason(unplaced: Unplaced) -> str:
        if language == "en" or unplaced.reason_code == "medical":
            return tr(unplaced.reason)
        t = catalogue.get(unplaced.treatment_id)
        days = (
            t.interval_days.value
            if unplaced.reason_code == "interval"
            else max(1, t.flight_buffer_days.value)
        )
        return tr(REASONS[unplaced.reason_code]) % {
            "name": tname(t.id),
            "days": days,
            "num": unplaced.session,
        }

    def clinic_name(clinic: Clinic) -> str:
        return clinic.name_in(language)

    def holiday_name(name: str) -> str:
        """A holiday's name; the `holidays` package joins two on one day with "; "."""
        return punctuation.semicolon.join(tr(part) for part in name.split("; "))

    def item_text(item: ChecklistItem) -> str:
        if language == "en":
            return item.text
        text = tr(item.template or item.text)
        if "%(treatment)s" in text:
            text = text % {"treatment": tname(item.treatment_id or "")}
        return text

    used = {a.clinic_id for d in plan.days for a in d.appointments if a.clinic_id}
    used |= {r.clinic for r in profile.treatments if r.clinic}
    planned: dict[str, list[date]] = {r.id: [] for r in profile.treatments}
    for d in plan.days:
        for a in d.appointments:
            if a.kind == "treatment" and a.treatment_id in planned:
                planned[a.treatment_id].append(d.date)
    primary = brand.brand.colors.primary if brand else "#2F4858"
    shown_brand = brand.brand if brand and not brand.brand.white_label else None
    notes = load_first_visit()  # an item about treatments an agency's catalogue lacks is not shown
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
        "tname": tname,
        "reason": reason,
        "item_text": item_text,
        "clinic_name": clinic_name,
        "holiday_name": holiday_name,
        "show_ko": language != "ko",  # a Korean guide needs no Korean beside its own text
        "on_primary": text_color_on(primary),
        "primary_text": readable_on_white(primary),
        "tint": mix_with_white(primary, 0.1),
        # the Chinese faces draw the middle dot a full em wide: the foot parts with a space instead
        "narrow_dot": language.startswith("zh"),
        "brand": shown_brand,
        # an agency that confirms the visits: none in a guide without a brand, or white label
        "coordinator": shown_brand is not None,
        "first_visit": first_visit(notes, profile, plan.days),
        "logo_url": brand.logo.as_uri() if brand and brand.logo and not brand.brand.white_label else None,
        "colors": brand.brand.colors if brand else None,
        "font": brand.brand.font if brand else None,
        "font_urls": [p.as_uri() for p in brand.font_files] if brand else [],
        "kr_faces": [(weight, path.as_uri()) for weight, path in kr_faces],
        "cjk_faces": [(weight, path.as_uri()) for weight, path in cjk_faces],
        "cjk_family": cjk_family,
        "page_size": PAGE_SIZES[page_format],
        "page_margin": PAGE_LAYOUT[page_format][:3],
        "mirrored": mirrored,
        "base_size": PAGE_LAYOUT[page_format][3],
        "page_format": page_format,
        "geometry": page_geometry(page_format),
        "phrases": [
            p
            for p in load_data("phrases.yaml")["phrases"]
            if not is_suppressed(p["en"], suppressed(plan.cautions))
        ],
    }
    try:
        return typeset(env.get_template("guide.html.j2").render(context), language)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template {exc.name!r} is in no theme folder") from None
    except Exception as exc:  # noqa: BLE001 - any error in a template: say where
        raise RenderError(f"{_template_location(exc)}: {type(exc).__name__}: {exc}") from None


def _template_location(exc: BaseException) -> str:
    """file:line of the innermost template frame of an error (Jinja2 rewrites tracebacks)."""
    where = "template"
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".j2", ".html")):
            where = f"{name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
