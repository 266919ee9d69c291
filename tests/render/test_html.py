"""The HTML stage (render/html.py): a golden file for the sample, the templates in every
language, the brand in the page, template errors, and the template helpers."""

from __future__ import annotations

import difflib
import re
import subprocess
from datetime import datetime

import pytest
from helpers import DATA, SAMPLES, build_sample, html_of, layout, load, load_sample, text_of
from PIL import Image

from guidebook.errors import RenderError
from guidebook.guide import plan_guide
from guidebook.i18n import LANGUAGES
from guidebook.render.html import keep_addresses, korean, map_links, mark_korean, render_html

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
        assert f'<section class="{css_class}"' in html
    assert html == sample_html()


def test_korean_words_are_kept_whole_and_escaped():
    out = str(korean("서울특별시 강남구 <b>x</b> 압구정로10길 31"))
    assert out.count('<span class="kw">') == 3
    assert '<span class="kw">서울특별시</span>' in out
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "<b>" not in out


def test_korean_in_a_sentence_is_marked_as_korean_with_its_words_whole_and_escaped():
    out = str(mark_korean("Say 이 주소로 가 주세요 to the driver <b>now</b>"))
    words = " ".join(f'<span class="kw">{w}</span>' for w in ["이", "주소로", "가", "주세요"])
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
def test_header_and_footer_on_every_page_but_the_cover_in_the_agency_font(tmp_path):
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

    total = len(document.pages)
    assert margins(document.pages[0]) == {}
    for number, page in enumerate(document.pages[1:], 2):
        assert margins(page) == {
            "@top-left": ("Bloom Route Travel · Olivia Park-Martin", "Gowun Batang"),
            "@bottom-left": ("Your coordinator answers 24/7 during your stay.", "Gowun Batang"),
            "@bottom-right": (f"{number} / {total}", "guidebook Sans KR"),
        }, number


@pytest.mark.slow
def test_brand_colour_logo_and_contact_reach_the_pdf(tmp_path):
    pdf = build_sample(tmp_path / "g.pdf", html=tmp_path / "g.html")
    html = (tmp_path / "g.html").read_text()
    assert "--primary: #1F5F74" in html and "logo.svg" in html
    subprocess.run(
        ["pdftocairo", "-png", "-r", "30", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "c")], check=True
    )
    [png] = tmp_path.glob("c-*.png")
    pixel = Image.open(png).convert("RGB").getpixel((3, 3))  # the cover band, top left
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
    taxi = html.split('<section class="taxi-cards" data-reuse>')[1].split("</section>")[0]
    medical = html.split('<section class="medical-card">')[1].split("</section>")[0]
    lines = re.findall(r'<p class="ko [^"]*" lang="ko">(.*?)</p>', taxi) + re.findall(
        r'<br><span class="ko" lang="ko">([^<]*)</span>', medical
    )
    return [re.sub(r"<[^>]+>", "", line) for line in lines]


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
    """The text of some HTML, without its tags (Korean words are wrapped to keep them whole)."""
    import html as markup

    return markup.unescape(re.sub(r"<[^>]+>", "", html))


def test_the_lidocaine_sample_gets_her_cautions_where_they_matter_and_no_numbing_advice():
    from helpers import html_of

    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml")
    html = html_of(inputs)
    card = html.split('<section class="medical-card">', 1)[1].split("</section>", 1)[0]
    alert = words(card.split('class="allergy-alert"', 1)[1].split("</div>", 1)[0])
    assert card.index("allergy-alert") < card.index("card-table")  # the alert comes first
    assert "알레르기가 있어요" in alert and "리도카인" in alert  # Korean first, bold
    assert "리도카인 알레르기가 있어요. 리도카인 없는 마취 방법이 있나요?" in alert
    phrases = words(html.split('<div class="kvs phrases">', 1)[1])
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
    return html.split(f'<section class="{css_class}"', 1)[1].split("</section>", 1)[0]


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
    assert "Figures checked December 1, 2026." in words(pico)


def test_converted_totals_are_rounded_and_prices_ask_about_vat():
    costs = words(section_of(html_of(load_sample()), "costs"))
    assert "About, in USD" in costs and "$678–$1,580" in costs.replace("\n", "")
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
    assert f'<div class="running-footer">{footer}</div>' in html


def test_the_taxi_card_reads_the_hotels_korean_name():
    inputs = load_sample()
    hotel = inputs.profile.trip.hotel.model_copy(update={"name_ko": "한옥가든스테이 신사"})
    trip = inputs.profile.trip.model_copy(update={"hotel": hotel})
    taxi = section_of(html_of(with_profile(inputs, trip=trip)), "taxi-cards").split('<div class="taxi">')[1]
    assert (
        words(re.search(r'<p class="ko place" lang="ko">(.*?)</p>', taxi).group(1)) == "한옥가든스테이 신사"
    )
    assert "Hanok Garden Stay Sinsa" in words(taxi)  # the name the traveler knows, below


def test_the_first_visit_notes_follow_the_checklists_dated_and_for_this_trip():
    html = html_of(load_sample())
    assert html.index('<section class="checklists"') < html.index('<section class="first-visit"')
    assert html.index('<section class="first-visit"') < html.index('<section class="costs"')
    notes = words(section_of(html, "first-visit"))
    assert "You do not need a K-ETA for a short visit to Korea until 31 December 2026." in notes  # US
    assert "www.k-eta.go.kr" in notes and "Check the official sites before you fly" in notes
    assert "(checked 1 Dec 2026)" in notes and "(our advice)" in notes
    assert "Many clinics are closed on Thu 24 Sep–Sat 26 Sep, while you are still recovering" in notes
    assert "After injections: signs that need urgent care" in notes  # Rejuran
    assert "After lasers and peels" in notes  # Pico Laser
    assert "피부과의원" in notes and '<span class="ko" lang="ko">' in section_of(html, "first-visit")


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
