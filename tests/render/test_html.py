"""The HTML stage (render/html.py): a golden file for the sample, the templates in every
language, the brand in the page, template errors, and the template helpers."""

from __future__ import annotations

import difflib
import functools
import re
import subprocess
from datetime import datetime

import pytest
from helpers import (
    DATA,
    ROOT,
    SAMPLES,
    build_sample,
    html_of,
    layout,
    load,
    load_sample,
    pdf_structure,
    text_of,
)
from PIL import Image

from guidebook.errors import RenderError
from guidebook.guide import plan_guide
from guidebook.i18n import LANGUAGES
from guidebook.render.html import (
    WORD_JOINER,
    keep_addresses,
    korean,
    map_links,
    mark_korean,
    render_html,
    typeset,
)

GOLDEN = DATA / "sample.html"


def sample_html() -> str:
    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml", brand=SAMPLES / "brand.yaml")
    plan = plan_guide(inputs)
    html = render_html(
        profile=inputs.profile,
        plan=plan,
        catalogue=inputs.catalogue,
        clinics=inputs.clinic_list,
        brand=inputs.brand,
    )
    # the logo's absolute path depends on where the checkout lives
    return html.replace(SAMPLES.resolve().as_uri(), "file:///SAMPLES")


def test_sample_html_matches_golden_file(update_testdata):
    html = sample_html()
    if update_testdata or not GOLDEN.exists():
        GOLDEN.write_text(html, encoding="utf-8")
        if not update_testdata:
            pytest.fail(f"{GOLDEN} was missing and has been written; run the tests again")
    expected = GOLDEN.read_text(encoding="utf-8")
    if html != expected:
        diff = "".join(
            difflib.unified_diff(expected.splitlines(True), html.splitlines(True), "golden", "now", n=1)
        )
        pytest.fail(
            "HTML differs from tests/data/sample.html (pytest --update-testdata "
            f"rewrites it after a deliberate change):\n{diff[:4000]}"
        )


def test_html_has_every_section_and_is_deterministic():
    html = sample_html()
    for css_class in [
        "cover",
        "glance",
        "itinerary",
        "treatments",
        "checklists",
        "costs",
        "clinics",
        "medical-card",
        "taxi-cards",
        "help",
        "disclaimer",
    ]:
        assert re.search(f'<section class="(?:[^"]* )?{css_class}[ "]', html), css_class
    assert html == sample_html()


J = WORD_JOINER


def test_korean_words_are_kept_whole_and_escaped():
    out = str(korean("서울특별시 강남구 <b>x</b> 압구정로10길 31"))
    assert out.split(" ") == [
        J.join("서울특별시"),
        J.join("강남구"),
        "&lt;b&gt;x&lt;/b&gt;",
        J.join("압구정로10길"),
        "31",
    ]
    assert "<b>" not in out


def test_a_korean_list_may_break_after_its_separators_and_an_overlong_run_may_break():
    assert str(korean("영어·중국어")) == J.join("영어·") + J.join("중국어")
    long = "가" * 30  # typed without spaces: longer than any word, so it may wrap to stay on the page
    assert str(korean(long)) == long


def test_typeset_keeps_a_word_whole_across_an_inline_tag_and_spaces_latin_from_cjk():
    html = "<html><head><style>p{}</style></head><body><p>영어<span>중국어</span></p><p>Pico레이저</p>"
    out = typeset(html, "ko")
    assert f"영{J}어</p>" not in out and f"영{J}어<span>{J}중{J}국{J}어</span>" in out
    assert "<style>p{}</style>" in out  # the head is left as it is
    assert typeset("<body><p>Picoレーザー、9月</p>", "ja") == "<body><p>Pico レーザー、9月</p>"
    assert typeset("<body><p>Picoレーザー</p>", "en") == "<body><p>Picoレーザー</p>"


def test_japanese_and_chinese_have_one_spacing_rule_and_no_space_beside_their_own_marks():
    """A space between a Latin word and CJK text; numbers and amounts against it; none beside a
    full-width mark or bracket (across inline tags too), and a typed line end stays."""
    ja = '<body><p>控えましょう <span class="muted">（1日間）</span> です。 Pico。<br>です。\n次</p>'
    kept = '<body><p>控えましょう<span class="muted">（1日間）</span>です。Pico。<br>です。\n次</p>'
    assert typeset(ja, "ja") == kept
    zh = "<body><p>仍在您NT$30,000的预算内，Pico激光3次</p>"
    assert typeset(zh, "zh-Hans") == "<body><p>仍在您NT$30,000的预算内，Pico 激光3次</p>"


CJK_TEXT = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"


@pytest.mark.parametrize("language", ["ja", "zh-Hans", "zh-Hant"])
def test_the_sample_guides_in_japanese_and_chinese_use_their_own_marks(language):
    html = html_of(load(SAMPLES / f"traveler-{language}.yaml", clinics=SAMPLES / "clinics.yaml"))
    body = html.split("<body", 1)[1]
    paragraphs = [words(p) for p in re.findall(r"<p(?: [^>]*)?>(.*?)</p>", body, re.S)]
    assert len(paragraphs) > 100
    wrong = [
        text
        for text in paragraphs
        for pattern in (r"[ \t][（「]|[）」、。，：；][ \t]", f"[{CJK_TEXT}][(:;,]|[)][{CJK_TEXT}]")
        if re.search(pattern, text)
    ]
    assert not wrong, wrong[:5]
    assert "(" not in fmt_day_of(language)


def fmt_day_of(language: str) -> str:
    from guidebook.i18n import babel_locale
    from guidebook.render.fmt import day

    return day(datetime(2026, 4, 6).date(), babel_locale(language))


def test_korean_in_a_sentence_is_marked_as_korean_with_its_words_whole_and_escaped():
    out = str(mark_korean("Say 이 주소로 가 주세요 to the driver <b>now</b>"))
    words = " ".join(J.join(w) for w in ["이", "주소로", "가", "주세요"])
    assert out == f'Say <span class="ko" lang="ko">{words}</span> to the driver &lt;b&gt;now&lt;/b&gt;'


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "at www.e-arrivalcard.go.kr, from 3 days",
            ["www.e-arrivalcard.go.kr"],
        ),  # not "www.e-" / "arrival..."
        ("www.k-eta.go.kr에서 확인하세요.", ["www.k-eta.go.kr"]),  # up to the Korean particle
        ("(www.visa.go.kr).", ["www.visa.go.kr"]),  # not the full stop
        ("no address <here>", []),
    ],
)
def test_web_addresses_are_kept_on_one_line(text, kept):
    out = str(keep_addresses(text))
    assert re.findall(r'<span class="kw">([^<]*)</span>', out) == kept
    assert "<here>" not in out


def test_map_links_are_https_searches_of_the_korean_address():
    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml")
    links = map_links(inputs.clinic_list[0])
    assert links["naver"].startswith("https://map.naver.com/p/search/%EC%84%9C")  # 서울...
    assert links["google"].startswith("https://www.google.com/maps/search/?api=1&query=")
    assert " " not in links["naver"] + links["google"]


@pytest.mark.slow
def test_the_head_names_the_section_and_the_foot_whom_to_call_in_the_agency_font(tmp_path):
    from weasyprint.formatting_structure.boxes import MarginBox

    brand = tmp_path / "brand.yaml"
    brand.write_text(
        (SAMPLES / "brand.yaml").read_text(encoding="utf-8").replace("font: null", "font: Gowun Batang"),
        encoding="utf-8",
    )
    (tmp_path / "logo.svg").write_bytes((SAMPLES / "logo.svg").read_bytes())
    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml", brand=brand)
    document = layout(inputs)

    def margins(page) -> dict[str, tuple[str, str]]:
        found = {}
        for box in page._page_box.children:
            if isinstance(box, MarginBox) and box.is_generated:
                text = "".join(getattr(b, "text", "") for b in box.descendants())
                found[box.at_keyword] = (text, box.style["font_family"][0])
        return found

    titles = set(re.findall(r'<section class="[^"]*" id="[^"]*" data-title="([^"]*)"', html_of(inputs)))
    footer = "Coordinator +82 2 555 0100 · Your coordinator answers 24/7 during your stay."
    total = len(document.pages)
    heads = []
    for number, page in enumerate(document.pages, 1):
        kind, found = page._page_box.page_type.name, margins(page)
        if kind in ("cover", "back"):
            assert found == {}, number
            continue
        outer = "right" if number % 2 else "left"  # a right-hand page has its outer edge on the right
        inner = "left" if outer == "right" else "right"
        if kind == "taxi":  # cut-out cards: only their edge tab
            assert found == {f"@{outer}-top": ("Taxi cards", "Gowun Batang")}, number
            continue
        head = found[f"@top-{outer}"][0]
        heads.append(head)
        assert head.removesuffix(" (continued)") in titles, (number, head)
        assert found[f"@top-{inner}"] == ("Olivia Park-Martin", "Gowun Batang"), number
        assert found[f"@bottom-{outer}"] == (f"{number} / {total}", "Gowun Batang"), number
        assert found[f"@bottom-{inner}"] == (footer, "Gowun Batang"), number
        assert {font for _, font in found.values()} == {"Gowun Batang"}, number
    assert heads[0] == "At a glance" and "Itinerary (continued)" in heads
    assert "Medical card" in heads and "Your treatments" in heads


@pytest.mark.slow
def test_brand_colour_logo_and_contact_reach_the_pdf(tmp_path):
    pdf = build_sample(tmp_path / "g.pdf", html=tmp_path / "g.html")
    html = (tmp_path / "g.html").read_text()
    assert "--primary: #1F5F74" in html and "logo.svg" in html
    subprocess.run(
        ["pdftocairo", "-png", "-r", "30", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "c")], check=True
    )
    [png] = tmp_path.glob("c-*.png")
    cover = Image.open(png).convert("RGB")
    # the cover band inside the printable area (8 mm in A5, 9.4 px at 30 dpi): paper at the edge
    assert cover.getpixel((3, 3)) == (255, 255, 255)
    pixel = cover.getpixel((14, 14))
    assert max(abs(a - b) for a, b in zip(pixel, (0x1F, 0x5F, 0x74), strict=True)) < 8
    text = text_of(pdf)
    assert "Bloom Route Travel" in text and "+82 2 555 0100" in text and "care@example.com" in text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("template", "where"),
    [
        ("{% if %}", "disclaimer.html.j2:1"),
        ("<p>{{ nothing.here }}</p>", "disclaimer.html.j2:1"),
    ],
)
def test_template_errors_name_the_file_and_line(tmp_path, template, where):
    folder = tmp_path / "theme" / "templates" / "sections"
    folder.mkdir(parents=True)
    (folder / "disclaimer.html.j2").write_text(template)
    with pytest.raises(RenderError, match=where):
        build_sample(tmp_path / "g.pdf", theme=tmp_path / "theme")
    assert not (tmp_path / "g.pdf").exists()


def korean_cards(html: str) -> list[str]:
    """The Korean lines of the taxi cards, and the Korean labels of the medical card."""
    taxi, medical = section_of(html, "taxi-cards"), section_of(html, "medical-card")
    lines = re.findall(r'<p class="ko [^"]*" lang="ko">(.*?)</p>', taxi) + re.findall(
        r'<br><span class="ko" lang="ko">((?:[^<]|<span class="dot">·</span>)*)</span>', medical
    )
    return [words(line) for line in lines]


@pytest.mark.slow
def test_korean_cards_are_the_same_in_every_language(tmp_path):
    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml")
    cards = {lang: korean_cards(html_of(inputs, language=lang)) for lang in LANGUAGES}
    assert cards["en"] and "이 주소로 가 주세요" in "".join(cards["en"])
    assert all(value == cards["en"] for lang, value in cards.items() if lang != "ko")
    # a Korean guide shows the same Korean cards, without repeating Korean labels beside Korean
    taxi = [line for line in cards["en"] if line not in {"이름", "알레르기"}][:6]
    assert cards["ko"][:6] == taxi


def test_every_reason_a_session_is_left_out_has_a_sentence_for_other_languages():
    from typing import get_args

    from guidebook.plan.itinerary import Reason
    from guidebook.render.html import REASONS

    assert set(REASONS) == set(get_args(Reason))


def words(html: str) -> str:
    """The text of some HTML, without its tags and the joiners that keep Korean words whole."""
    import html as markup

    return markup.unescape(re.sub(r"<[^>]+>", "", html)).replace(WORD_JOINER, "")


def test_the_lidocaine_sample_gets_her_cautions_where_they_matter_and_no_numbing_advice():
    from helpers import html_of

    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml")
    html = html_of(inputs)
    card = section_of(html, "medical-card")
    alert = words(card.split('class="allergy-alert"', 1)[1].split("</div>", 1)[0])
    assert card.index("allergy-alert") < card.index("card-table")  # the alert comes first
    assert "알레르기가 있어요" in alert and "리도카인" in alert  # Korean first, bold
    assert "리도카인 알레르기가 있어요. 리도카인 없는 마취 방법이 있나요?" in alert
    phrases = words(html.split('<div class="phrases">', 1)[1])
    assert "리도카인 없는 마취 방법이 있나요?" in phrases
    assert "마취 크림 발라 주세요" not in phrases and "Numbing cream, please" not in html
    assert "numbing cream goes on" not in html.lower()
    assert html.count("Your personal cautions") == 1


def test_a_traveler_without_allergies_keeps_the_numbing_phrase():
    from helpers import html_of

    from guidebook.guide import Inputs

    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml")
    traveler = inputs.profile.traveler.model_copy(update={"medical": None})
    plain = Inputs(inputs.profile.model_copy(update={"traveler": traveler}), inputs.shared)
    html = html_of(plain)
    assert "마취 크림 발라 주세요" in words(html) and "allergy-alert" not in html
    assert "Your personal cautions" not in html


# --- wording that is true, what a first-time visitor must know (issue 13) -----------------------


def section_of(html: str, css_class: str) -> str:
    return html.split(f'<section class="{css_class}', 1)[1].split("</section>", 1)[0]


def with_profile(inputs, **changes):
    """`inputs` with some of the profile's parts changed (traveler, trip, treatments)."""
    from guidebook.guide import Inputs

    return Inputs(inputs.profile.model_copy(update=changes), inputs.shared)


def with_brand(inputs, **changes):
    """`inputs` with the sample brand changed (footer, white_label...), or none for brand=None."""
    import dataclasses

    from guidebook.guide import Inputs, SharedInputs

    brand = None
    if changes.get("brand", True) is not None:
        brand = dataclasses.replace(inputs.brand, brand=inputs.brand.brand.model_copy(update=changes))
    shared = SharedInputs(inputs.shared.catalogue, inputs.shared.clinics, brand)
    return Inputs(inputs.profile, shared)


def test_no_help_number_says_free_unless_it_is():
    from guidebook.inputs.data import load_help_numbers

    html = html_of(load_sample())
    help_page = section_of(html, "help")
    assert "free of charge unless noted" not in help_page
    charge = {n.number: n.charge for n in load_help_numbers()}
    for number, block in re.findall(
        r'<div class="k">([^<]+)</div>\s*<div class="v">(.*?)</div></div>', help_page
    ):
        if number in charge:
            said_free = "free" in words(block).lower()
            assert said_free == (charge[number] == "free"), number
            assert ("the caller pays" in block) == (charge[number] == "caller_pays"), number


def test_the_downtime_text_and_the_figure_agree_for_every_treatment():
    from guidebook.inputs.models import TreatmentRequest

    inputs = load_sample()
    every = [TreatmentRequest(id=t.id) for t in inputs.catalogue.treatments]
    html = html_of(with_profile(inputs, treatments=every))
    articles = section_of(html, "treatments").split('<article class="treatment">')[1:]
    assert len(articles) == len(every)
    for request, article in zip(every, articles, strict=True):
        t = inputs.catalogue.get(request.id)
        row = words(article.split(">Downtime<", 1)[1].split('<div class="kv">', 1)[0])
        said = re.findall(r"Plan for up to (\d+) days?\.", row)
        assert said == ([str(t.downtime_days.value)] if t.downtime_days.value else []), (t.id, row)
        assert "about" not in row.split(".")[0], t.id  # no second figure beside the first


def test_estimates_say_so_and_sourced_figures_carry_their_date():
    html = html_of(load_sample())
    pico = section_of(html, "treatments").split('<article class="treatment">')[1]
    assert "Pico Laser" in pico and "5–10 sessions, at least 10 days apart" in words(pico)
    before_flying = words(pico.split(">Before flying<", 1)[1].split("</div></div>", 1)[0])
    assert "estimate: confirm with the clinic" in before_flying  # a team estimate (`assumption`)
    assert "Figures checked 1 December 2026." in words(pico)


def test_converted_totals_are_rounded_and_prices_ask_about_vat():
    costs = words(section_of(html_of(load_sample()), "costs"))
    assert "About, in USD" in costs and "$670–$1,600" in costs.replace("\n", "")
    assert "1,574.01" not in costs and "Within your budget of $1,800," in costs
    assert "ask whether it is added" in costs and "usually include VAT" not in costs


def test_holidays_say_many_clinics_closed_and_nothing_booked():
    itinerary = words(section_of(html_of(load_sample()), "itinerary"))
    assert "Chuseok – many clinics closed; nothing booked" in itinerary
    assert "– clinics closed" not in itinerary


@pytest.mark.parametrize(
    ("brand", "coordinator"),
    [({}, True), ({"white_label": True}, False), ({"brand": None}, False)],
)
def test_only_a_guide_with_a_coordinator_says_the_coordinator_confirms(brand, coordinator):
    lead = words(section_of(html_of(with_brand(load_sample(), **brand)), "itinerary").split("</p>", 1)[0])
    assert ("your coordinator confirms each visit" in lead) is coordinator
    assert ("confirm each visit with the clinic" in lead) is not coordinator


@pytest.mark.parametrize(
    ("language", "footer"),
    [
        ("en", "We answer 24/7."),
        ("ja", "24時間対応します。"),
        ("zh-Hans", "全天候服務。"),
        ("ko", "We answer 24/7."),
    ],
)
def test_the_footer_is_in_the_guides_language_when_the_agency_gives_it(language, footer):
    given = {"en": "We answer 24/7.", "ja": "24時間対応します。", "zh-Hant": "全天候服務。"}
    html = html_of(with_brand(load_sample(), footer=given), language=language)
    shown = words(html.split('<div class="running-footer">', 1)[1].split("</div>", 1)[0])
    # after the coordinator's number; a Chinese foot parts them with a space, not a wide dot
    assert re.fullmatch(f".+ \\+82 2 555 0100( · |\u3000){re.escape(footer)}", shown)


def test_the_taxi_card_reads_the_hotels_korean_name():
    inputs = load_sample()
    hotel = inputs.profile.trip.hotel.model_copy(update={"name_ko": "한옥가든스테이 신사"})
    trip = inputs.profile.trip.model_copy(update={"hotel": hotel})
    taxi = section_of(html_of(with_profile(inputs, trip=trip)), "taxi-cards").split('<div class="taxi">')[1]
    place = re.search(r'<p class="ko place" lang="ko">(.*?)</p>', taxi).group(1)
    assert words(place) == "한옥가든스테이 신사"
    assert "Hanok Garden Stay Sinsa" in words(taxi)  # the name the traveler knows, below


def test_the_first_visit_notes_follow_the_checklists_dated_and_for_this_trip():
    html = html_of(load_sample())
    assert html.index('<section class="checklists"') < html.index('<section class="first-visit"')
    assert html.index('<section class="first-visit"') < html.index('<section class="costs"')
    notes = words(section_of(html, "first-visit"))
    assert "You do not need a K-ETA for a short visit to Korea until 31 December 2026." in notes  # US
    assert "www.k-eta.go.kr" in notes and "Check the official sites before you fly" in notes
    assert "(checked 1 Dec 2026)" in notes and "(our advice)" in notes
    assert "When the clinic is closed" in notes  # Chuseok in a recovery: what to do...
    # ...and its dates, in the itinerary: the notes are the same for every traveler of a package
    # and a nationality, so that a batch lays them out once
    itinerary = words(section_of(html, "itinerary"))
    assert "Many clinics are closed on Thu 24 Sep–Sat 26 Sep, while you are still recovering" in itinerary
    assert "24 Sep" not in notes
    assert "After injections: signs that need urgent care" in notes  # Rejuran
    assert "After lasers and peels" in notes  # Pico Laser
    assert "피부과의원" in notes and '<span class="ko" lang="ko">' in section_of(html, "first-visit")


def test_the_first_visit_notes_are_the_same_for_travelers_of_a_package_on_other_dates():
    """What a batch relies on to lay the section out once (data-reuse)."""
    inputs = load_sample()

    def first_visit_on(day: int) -> str:
        trip = inputs.profile.trip.model_copy(
            update={"arrival": datetime(2026, 10, day, 15), "departure": datetime(2026, 10, day + 11, 18)}
        )
        return section_of(html_of(with_profile(inputs, trip=trip)), "first-visit")

    assert first_visit_on(12) == first_visit_on(19)
    assert "data-reuse" in first_visit_on(12).split(">", 1)[0]


def test_a_trip_without_a_closure_in_a_recovery_has_no_closed_clinic_notes():
    inputs = load_sample()
    trip = inputs.profile.trip.model_copy(
        update={"arrival": datetime(2026, 10, 12, 15), "departure": datetime(2026, 10, 23, 18)}
    )
    notes = words(section_of(html_of(with_profile(inputs, trip=trip)), "first-visit"))
    assert "When the clinic is closed" not in notes and "Entering Korea" in notes


@pytest.mark.parametrize("language", ["ja", "zh-Hans", "zh-Hant", "ko"])
def test_the_first_visit_notes_are_translated_and_punctuated_for_the_language(language):
    from guidebook.inputs.first_visit import load_first_visit

    html = html_of(load_sample(), language=language)
    notes = words(section_of(html, "first-visit"))
    english = [s.title for s in load_first_visit().sections] + ["checked", "our advice", "First visit"]
    assert not [text for text in english if text in notes], language
    itinerary = words(section_of(html, "itinerary"))
    if language != "ko":  # Japanese and Chinese join with their own marks, Korean with Latin ones
        assert ", " not in itinerary and "、" in itinerary and "：" in itinerary
    else:
        assert ": " in itinerary


# --- print design (issue 14), measured on the laid-out sample guides ---------------------------

PRINTED = [("traveler.yaml", page_format) for page_format in ("a4", "letter", "a5", "a6")] + [
    ("traveler-ja.yaml", "a5"),
    ("traveler-ja.yaml", "letter"),
    ("traveler-zh-Hans.yaml", "a5"),
    ("traveler-zh-Hant.yaml", "a5"),
    ("traveler-ko.yaml", "a5"),
    ("traveler-ko.yaml", "a6"),
    ("traveler-ja.yaml", "a6"),
    ("traveler-zh-Hans.yaml", "a6"),
    ("traveler-zh-Hant.yaml", "a6"),
    ("traveler-zh-Hans.yaml", "letter"),
]
CARD_PAGES = {"cover", "back", "medical", "taxi"}  # covers and cut-out cards: no fill rule
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "h1", "h2", "h3", "td", "th", "tr", "figcaption", "nav"}
_HANGUL_SYLLABLE = re.compile("[\uac00-\ud7af]")


@functools.cache
def printed(profile: str, page_format: str):  # noqa: ANN201
    """The sample guide of `profile` in `page_format`, laid out (WeasyPrint's document)."""
    from helpers import renderer
    from weasyprint import HTML

    inputs = load(SAMPLES / profile, clinics=SAMPLES / "clinics.yaml", brand=SAMPLES / "brand.yaml")
    guides = renderer(inputs.brand, page_format=page_format)
    engine, theme = guides.engine, guides.theme
    return HTML(
        string=guides.html(inputs, plan_guide(inputs)),
        base_url=str(theme.template_dirs[0]),
        url_fetcher=engine.fetcher,
    ).render(
        stylesheets=[engine.stylesheet(path) for path in theme.stylesheets], font_config=engine.font_config
    )


def descendants(box):  # noqa: ANN001, ANN201
    yield box
    for child in getattr(box, "children", None) or []:
        yield from descendants(child)


def page_fill(page) -> float:  # noqa: ANN001
    """How far down its content area a page is used: the lowest line, picture or rule."""
    from weasyprint.formatting_structure import boxes

    page_box = page._page_box
    top, bottom = page_box.content_box_y(), page_box.content_box_y()
    for box in descendants(page_box.children[0]):
        ruled = isinstance(box, boxes.BlockBox) and box.border_bottom_width > 0
        if isinstance(box, boxes.LineBox | boxes.ReplacedBox) or ruled:
            bottom = max(bottom, box.border_box_y() + box.border_height())
    return (bottom - top) / page_box.height


def source_text(element) -> str:  # noqa: ANN001
    """An element's text as written, a space where a block or a line break parts it."""
    parts = [element.text or ""]
    for child in element:
        apart = " " if child.tag in _BLOCK_TAGS else ""
        parts.append(apart + source_text(child) + apart + (child.tail or ""))
    return "".join(parts)


def korean_breaks(document) -> list[str]:  # noqa: ANN001
    """Every line that ends inside a Korean word: a line ending in a Hangul syllable whose next
    line starts with one, where the text has no space between them ("서울특|별시")."""
    from weasyprint.formatting_structure import boxes

    def text(line) -> str:  # noqa: ANN001
        found = (b.text for b in descendants(line) if isinstance(b, boxes.TextBox))
        return "".join(found).replace(WORD_JOINER, "").strip()

    found = []
    for number, page in enumerate(document.pages, 1):
        for block in descendants(page._page_box):
            lines = [text(c) for c in getattr(block, "children", []) if isinstance(c, boxes.LineBox)]
            if len(lines) < 2 or block.element is None:
                continue
            written = " ".join(source_text(block.element).replace(WORD_JOINER, "").split())
            for first, then in zip(lines, lines[1:], strict=False):
                if first and then and _HANGUL_SYLLABLE.match(first[-1]) and _HANGUL_SYLLABLE.match(then[0]):
                    tail, head = first.split()[-1], then.split()[0]
                    if tail + head in written:
                        found.append(f"page {number}: {tail}|{head}")
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("profile", "page_format"), [("traveler-ja.yaml", "a4"), ("traveler-zh-Hant.yaml", "a4")]
)
def test_a_date_label_stays_on_one_line_in_a_narrow_column(profile, page_format):
    """A4's columns are about 85 mm: a label column of 28% wrapped 10月15日（水） after the day."""
    from weasyprint.formatting_structure import boxes

    def classes(box) -> list[str]:  # noqa: ANN001
        return (box.element.get("class", "") if box.element is not None else "").split()

    labels = [
        label
        for page in printed(profile, page_format).pages
        for rows in descendants(page._page_box)
        if isinstance(rows, boxes.BlockBox)
        and classes(rows)[:1] == ["kvs"]
        and {"visits", "days"} & set(classes(rows))
        for row in rows.children
        for label in row.children
        if classes(label) == ["k"]
    ]
    lines = [sum(isinstance(c, boxes.LineBox) for c in box.children) for box in labels]
    assert len(labels) >= 5 and max(lines) == 1, lines


@pytest.mark.slow
@pytest.mark.parametrize(("profile", "page_format"), PRINTED)
def test_no_text_is_set_under_7_points(profile, page_format):
    from weasyprint.formatting_structure import boxes

    sizes = {
        (number, round(box.style["font_size"] * 0.75, 2), box.text[:20])  # CSS px to pt
        for number, page in enumerate(printed(profile, page_format).pages, 1)
        for box in descendants(page._page_box)  # the margin boxes (head, foot, tabs) too
        if isinstance(box, boxes.TextBox) and box.text.strip(WORD_JOINER + " ")
    }
    assert sizes and min(size for _, size, _ in sizes) >= 7, sorted(s for s in sizes if s[1] < 7)


@pytest.mark.slow
@pytest.mark.parametrize(("profile", "page_format"), PRINTED)
def test_every_page_but_the_covers_and_cards_is_at_least_a_third_full(profile, page_format):
    pages = printed(profile, page_format).pages
    low = [
        (number, page._page_box.page_type.name, round(page_fill(page), 2))
        for number, page in enumerate(pages, 1)
        if page._page_box.page_type.name not in CARD_PAGES and page_fill(page) < 1 / 3
    ]
    assert not low, low


@pytest.mark.slow
@pytest.mark.parametrize(("profile", "page_format"), PRINTED)
def test_korean_never_breaks_inside_a_word(profile, page_format):
    """In the Korean guide and in the Korean of the others (taxi cards, phrases, addresses)."""
    assert korean_breaks(printed(profile, page_format)) == []


def test_the_break_finder_finds_a_break_inside_a_korean_word():
    from weasyprint import HTML

    text = "서울특별시 강남구 압구정로 일이삼사오육칠팔구십"
    page = "<body style=\"width: 32mm; font-family: 'Noto Sans CJK KR'\"><p>{}</p></body>"
    assert korean_breaks(HTML(string=page.format(text)).render())  # WeasyPrint breaks anywhere
    assert korean_breaks(HTML(string=page.format(korean(text))).render()) == []


@pytest.mark.slow
@pytest.mark.parametrize(("profile", "page_format"), [("traveler.yaml", "a5"), ("traveler-ja.yaml", "a4")])
def test_the_contents_link_to_the_pages_they_name(profile, page_format):
    from weasyprint.formatting_structure import boxes

    document = printed(profile, page_format)
    anchors: dict[str, int] = {}  # where each section starts (a section on many pages: the first)
    for number, page in enumerate(document.pages, 1):
        for name in page.anchors:
            anchors.setdefault(name, number)
    contents = next(
        box
        for box in descendants(document.pages[1]._page_box)
        if box.element_tag == "nav" and "contents" in box.element.get("class", "")
    )
    entries = [
        (
            box.element.get("href")[1:],
            "".join(b.text for b in descendants(box) if isinstance(b, boxes.TextBox)),
        )
        for box in descendants(contents)
        if isinstance(box, boxes.InlineBox)
        and box.element_tag == "a"
        and box.element.get("href", "").startswith("#")
    ]
    assert len(entries) >= 9
    links = {target for kind, target, *_ in document.pages[1].links if kind == "internal"}
    for target, line in entries:
        shown = re.search(r"(\d+)\s*$", line)
        assert shown and int(shown.group(1)) == anchors[target], (target, line, anchors[target])
        assert target in links, target  # a link a reader can follow, not just a number


def test_holidays_and_closures_are_marked_by_a_word_and_free_days_read_in_print():
    from guidebook.render.colors import contrast

    itinerary = section_of(html_of(load_sample()), "itinerary")
    rows = re.findall(r'<div class="kv day ([a-z]+)">(.*?)</div>\s*</div>', itinerary, re.S)
    holidays = [row for kind, row in rows if kind == "holiday"]
    assert holidays and all('<p class="tag">' in row for row in holidays)  # a word, not a tint
    assert any(kind == "free" and "Free day" in row for kind, row in rows)
    css = (ROOT / "styles" / "guide.css").read_text(encoding="utf-8")
    free = re.search(r"--ink-3:\s*(#[0-9a-f]{6})", css).group(1)
    assert contrast(free, "#ffffff") >= 4.5  # WCAG AA for the small "Free day"
    assert re.search(r"\.free \{ color: var\(--ink-3\)", css)


@pytest.mark.slow
@pytest.mark.parametrize(("profile", "page_format"), [("traveler.yaml", "a6"), ("traveler-ja.yaml", "a5")])
def test_every_amount_of_the_costs_table_is_on_one_line(profile, page_format):
    from weasyprint.formatting_structure import boxes

    cells = [
        box
        for page in printed(profile, page_format).pages
        for box in descendants(page._page_box)
        if isinstance(box, boxes.TableCellBox) and "num" in (box.element.get("class") or "").split()
    ]
    assert len(cells) >= 6
    for cell in cells:
        lines = [b for b in descendants(cell) if isinstance(b, boxes.LineBox)]
        assert len(lines) == 1, [b.text for b in descendants(cell) if isinstance(b, boxes.TextBox)]


def bookmark_titles(pdf: bytes) -> list[str]:
    """The titles of a PDF's bookmarks, in order, nested ones after their parent."""
    import io

    import pikepdf

    titles: list[str] = []

    def outline(items) -> None:  # noqa: ANN001
        for item in items:
            titles.append(str(item.title))
            outline(item.children)

    with pikepdf.open(io.BytesIO(pdf)).open_outline() as tree:
        outline(tree.root)
    return titles


@pytest.mark.slow
def test_a_japanese_guide_is_tagged_and_bookmarked_in_japanese():

    from helpers import renderer

    inputs = load(
        SAMPLES / "traveler-ja.yaml", clinics=SAMPLES / "clinics.yaml", brand=SAMPLES / "brand.yaml"
    )
    guide = renderer(inputs.brand).render(inputs, plan_guide(inputs))
    found = pdf_structure(guide.pdf)
    kinds = [kind for kind, _ in found]
    assert kinds.count("/H1") >= 10 and "/L" in kinds and "/Link" in kinds  # the contents: a list
    figures = [alt for kind, alt in found if kind == "/Figure"]
    # the agency's site (cover, back cover), 3 codes a clinic, a map on each of the 3 taxi cards
    assert len([alt for alt in figures if alt.startswith("QRコード：")]) == 2 + 3 * 2 + 3, figures
    titles = bookmark_titles(guide.pdf)
    assert titles[0] == "表紙" and "日程表" in titles and len(titles) >= 10
    english = {"Cover", "At a glance", "Itinerary", "Costs", "Notes", "Medical card", "Taxi cards"}
    names = {clinic.name for clinic in inputs.clinic_list}  # proper names stay as they are
    assert not [title for title in titles if title in english or title.isascii() and title not in names]


@pytest.mark.slow
@pytest.mark.parametrize(("profile", "page_format"), PRINTED)
def test_no_heading_is_left_at_the_foot_of_a_page(profile, page_format):
    """A heading keeps its first rows with it: the last text of a page is never a heading."""
    from weasyprint.formatting_structure import boxes

    alone = []
    for number, page in enumerate(printed(profile, page_format).pages, 1):
        lines = [
            (box.border_box_y() + box.border_height(), box.element_tag)
            for box in descendants(page._page_box.children[0])
            if box.element is not None
            and (
                isinstance(box, boxes.LineBox) or isinstance(box, boxes.BlockBox) and box.border_bottom_width
            )
        ]  # lines of text, and rules (the rows of a note block's lines)
        if lines and max(lines)[1] in ("h1", "h2", "h3"):
            alone.append((number, max(lines)))
    assert not alone, alone


def column_heights(page) -> dict[str, list[float]]:  # noqa: ANN001
    """The height of the text in each column of the page's two-column sections, by section. A
    page where one column holds nothing but the ruled lines for notes (a block kept whole, which
    lands where it fits) is not counted: the text beside them may be shorter or longer."""
    from weasyprint.formatting_structure import boxes

    def notes_only(column) -> bool:  # noqa: ANN001
        inside = {
            id(inner)
            for box in descendants(column)
            if box.element is not None and box.element.get("class") == "notes-block"
            for inner in descendants(box)
        }
        lines = [box for box in descendants(column) if isinstance(box, boxes.LineBox)]
        return bool(inside) and all(id(line) in inside for line in lines)

    found: dict[str, list[float]] = {}
    for box in descendants(page._page_box):
        columns = [child for child in getattr(box, "children", None) or [] if child.is_column]
        if any(notes_only(column) for column in columns):
            continue
        for column in columns:
            low = column.content_box_y()
            for inner in descendants(column):
                ruled = isinstance(inner, boxes.BlockBox) and inner.border_bottom_width > 0
                if isinstance(inner, boxes.LineBox | boxes.ReplacedBox) or ruled:
                    low = max(low, inner.border_box_y() + inner.border_height())
            found.setdefault(box.element.get("class"), []).append(low - column.content_box_y())
    return found


TWO_COLUMNS = [(profile, page_format) for profile, page_format in PRINTED if page_format in ("a4", "letter")]


@pytest.mark.slow
@pytest.mark.parametrize(("profile", "page_format"), TWO_COLUMNS)
def test_the_columns_of_the_page_a_section_ends_on_are_balanced(profile, page_format):
    """Not one column full and the other short: on a section's last page its two columns are about
    as long as each other; a rest too short to part (a row kept whole) may stay in one column."""
    pages = printed(profile, page_format).pages
    last: dict[str, tuple[int, list[float]]] = {}
    for number, page in enumerate(pages, 1):
        for section, heights in column_heights(page).items():
            last[section] = (number, heights)
    assert {"personal", "treatments", "help"} <= set(last)  # the traveler's pages: one flow
    height = pages[0]._page_box.height
    uneven = {
        section: (number, [round(h) for h in heights])
        for section, (number, heights) in last.items()
        if (min(heights) < 0.6 * max(heights) if len(heights) == 2 else heights[0] > height / 3)
    }
    assert not uneven, uneven


NO_UNPLACED = {"ja.yaml", "zh-Hans.yaml"}  # every session of these samples fits their stay
UNPLACED = [  # the sample guides with sessions that do not fit, and the Korean one on A4 too
    *((profile, page_format) for profile, page_format in PRINTED if profile[9:] not in NO_UNPLACED),
    ("traveler-ko.yaml", "a4"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("profile", "page_format"), UNPLACED)
def test_not_in_this_trip_keeps_its_heading_and_lead_with_the_tables_first_rows(profile, page_format):
    """The heading and its lead line are never left at the foot of a page or column: the table's
    head and first two rows are beside them."""
    pages = printed(profile, page_format).pages
    root = pages[0]._page_box.children[0].element
    itinerary = next(s for s in root.iter("section") if s.get("id") == "itinerary")
    table = next(t for t in itinerary.iter("table") if t.get("class") == "unplaced")
    children = list(itinerary)
    heading = itinerary.find("h2")
    parts = {"heading": heading, "lead": children[children.index(heading) + 1]}
    parts |= {f"row {n}": row for n, row in enumerate(table.find("tbody")[:2], 1)}
    found: dict[str, tuple[int, int]] = {}  # where each part starts: page, and column (its x)
    for number, page in enumerate(pages, 1):
        for box in descendants(page._page_box):
            for name, element in parts.items():
                if box.element is element:
                    found.setdefault(name, (number, round(box.content_box_x())))
    assert set(found) == set(parts) and len(set(found.values())) == 1, found


@pytest.mark.parametrize("primary", ["#1F5F74", "#2F4858", "#F4C2C2", "#FFEB3B"])
def test_in_greyscale_a_busy_day_is_not_lighter_than_a_free_day(primary):
    """Whatever the agency's colour: a busy day's tint and bar are at most as light as a free
    day's paper, and the free day's word reads at WCAG AA on it."""
    from guidebook.render.colors import contrast, luminance, mix_with_white

    css = (ROOT / "styles" / "guide.css").read_text(encoding="utf-8")
    assert re.search(
        r"\.day\.busy \{ border-left-color: var\(--primary\); background: var\(--tint\); \}", css
    )
    assert not re.search(r"\.day\.free \{[^}]*background", css)  # a free day is plain paper
    busy_tint, busy_bar = mix_with_white(primary, 0.1), primary
    assert luminance(busy_tint) <= luminance("#ffffff") and luminance(busy_bar) < luminance("#ffffff")
    free_text = re.search(r"--ink-3:\s*(#[0-9a-f]{6})", css).group(1)
    assert contrast(free_text, "#ffffff") >= 4.5


@pytest.mark.parametrize("brand", [{"white_label": True}, {"brand": None}])
def test_a_cover_without_a_brand_is_designed_with_the_title_and_the_trip(brand):
    cover = section_of(html_of(with_brand(load_sample(), **brand)), "cover")
    band = words(cover.split('<div class="cover-band', 1)[1].split('<div class="cover-who">', 1)[0])
    assert "Your personal guide" in band and "Skin-care trip to Seoul" in band  # a title block
    assert "Bloom Route" not in cover and "logo" not in cover  # nothing of the agency
    summary = words(cover.split('<div class="cover-summary">', 1)[1])
    for label in ("Your trip", "Arrival", "Departure", "Hotel", "Clinic days"):
        assert label in summary, label
    assert "Hanok Garden Stay Sinsa" in summary and "Mon 21 Sep" in summary
    assert "In an emergency" in words(cover) and "119" in words(cover)  # whom to call, at its foot
    if brand == {"brand": None}:
        assert '<p class="maker wordmark" lang="ko">' in cover  # a wordmark where the logo would be


@pytest.mark.slow
@pytest.mark.parametrize("language", ["zh-Hans", "zh-Hant", "ko"])
def test_bookmarks_are_in_the_guides_language(language):
    """As the Japanese guide's (above): the cover's, the sections' and the cards' bookmarks."""

    from helpers import renderer

    from guidebook.i18n import translations

    inputs = load(SAMPLES / f"traveler-{language}.yaml", clinics=SAMPLES / "clinics.yaml")
    guide = renderer(inputs.brand).render(inputs, plan_guide(inputs))
    titles = bookmark_titles(guide.pdf)
    said = translations(language).gettext
    assert titles[0] == said("Cover") != "Cover" and len(titles) >= 10
    assert {said("At a glance"), said("Itinerary"), said("Checklists")} <= set(titles)
    names = {clinic.name for clinic in inputs.clinic_list}  # proper names stay as they are
    assert not [title for title in titles if title.isascii() and title not in names], titles


@pytest.mark.slow
@pytest.mark.parametrize(("profile", "page_format"), PRINTED)
def test_no_text_or_picture_runs_past_the_pages_text_area(profile, page_format):
    """Within half a millimetre (a list's bullet may hang that far into the margin)."""
    from weasyprint.formatting_structure import boxes

    over = []
    for number, page in enumerate(printed(profile, page_format).pages, 1):
        page_box = page._page_box
        left, right = page_box.content_box_x() - 2, page_box.content_box_x() + page_box.width + 2
        for box in descendants(page_box.children[0]):
            drawn = isinstance(box, boxes.ReplacedBox) or isinstance(box, boxes.TextBox) and box.text.strip()
            if drawn and (box.position_x < left or box.position_x + box.width > right):
                over.append((number, getattr(box, "text", "picture")[:20]))
    assert not over, over
