"""One guide (guide.py): the sample as a PDF end to end (text, fonts, QR codes, metadata,
attachment, reproducibility, page formats, white label), and loading every input together."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
import zxingcpp
from helpers import GOOD_PROFILE, SAMPLES, build_sample, load, text_of, write_file
from PIL import Image
from pypdf import PdfReader

from guidebook.errors import InputError
from guidebook.render.html import map_link, map_links

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> Path:
    return build_sample(tmp_path_factory.mktemp("pdf") / "guide.pdf")


@pytest.fixture(scope="module")
def text(sample_pdf) -> str:
    raw = subprocess.run(
        ["pdftotext", str(sample_pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(raw.split())  # lines joined: a phrase may wrap anywhere


@pytest.mark.slow
@needs_poppler
def test_page_count_and_sections(sample_pdf, text):
    reader = PdfReader(sample_pdf)
    headings = [
        "At a glance",
        "Itinerary",
        "Your treatments",
        "Checklists",
        "Costs",
        "Your clinics",
        "Medical card",
        "Taxi cards",
        "Emergency and help numbers",
        "Please note",
    ]
    # every section starts a page, so there is at least one page per section and the cover
    assert len(reader.pages) >= len(headings) + 1
    for heading in headings:
        assert heading in text, heading
    assert f"/ {len(reader.pages)}" in text  # footer "page / pages"


@pytest.mark.slow
@needs_poppler
def test_korean_text_is_extractable(text):
    for korean in [
        "서울특별시 강남구 압구정로10길 31",
        "이 주소로 가 주세요",
        "의료 정보 카드",
        "하늘피부과의원 신사점",
        "리도카인",
    ]:
        assert korean in text, korean


@pytest.mark.slow
@needs_poppler
def test_facts_the_guide_must_get_right(text):
    assert "Olivia Park-Martin" in text
    assert "Chuseok" in text and "clinics closed" in text
    assert re.search(r"\b119\b", text) and "1330" in text and "1577-7129" in text
    # 1339 is the disease-control line today: never the seed's "medical consultation" line
    entry_1339 = text[text.index("1339 KDCA") :][:250].lower()
    assert "medical consultation" not in entry_1339
    assert "infectious diseases" in entry_1339 and "does not give medical" in entry_1339
    # the VAT refund ended: the guide says so and never promises one
    assert "ended on 31 December 2025" in text
    assert "eligible for a tax refund" not in text.lower()
    assert "₩" in text and "$" in text  # won and the home currency
    assert "Not in this trip" in text  # the second pico session cannot fit


@pytest.mark.slow
@needs_poppler
def test_cjk_font_embedded_and_subset(sample_pdf):
    out = subprocess.run(["pdffonts", str(sample_pdf)], check=True, capture_output=True, text=True).stdout
    fonts = [line.split() for line in out.splitlines()[2:]]
    names = [f[0] for f in fonts]
    # only the trimmed Korean faces (fonts.py): regular and bold, no system face, no fallback
    assert sorted(n.split("+")[1] for n in names) == ["guidebook-Sans-KR", "guidebook-Sans-KR-Bold"], out
    for row in fonts:
        # columns: name type... emb sub uni object ID; emb and sub must be "yes"
        assert row[-5:-3] == ["yes", "yes"], row


def decode_qr_codes(pdf: Path, tmp_path: Path) -> list[str]:
    subprocess.run(["pdftocairo", "-png", "-r", "150", str(pdf), str(tmp_path / "page")], check=True)
    found = []
    for png in sorted(tmp_path.glob("page-*.png")):
        for code in zxingcpp.read_barcodes(Image.open(png), formats=zxingcpp.BarcodeFormat.QRCode):
            found.append(code.text)
    return found


@pytest.mark.slow
@needs_poppler
def test_every_qr_code_decodes_to_its_link(sample_pdf, tmp_path):
    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml", brand=SAMPLES / "brand.yaml")
    # the agency's site on the cover and the back cover; each clinic's site and maps; a map on
    # each taxi card (the hotel's, and the clinic's, the same Naver search as on its page)
    expected = [inputs.brand.brand.contact.website] * 2
    expected.append(map_link(inputs.profile.trip.hotel.address_ko))
    for clinic in inputs.clinic_list:
        links = map_links(clinic)
        expected += [clinic.website, links["naver"], links["google"], links["naver"]]
    decoded = decode_qr_codes(sample_pdf, tmp_path)
    assert sorted(decoded) == sorted(expected)
    naver = next(u for u in decoded if "naver" in u)
    assert naver.startswith("https://map.naver.com/p/search/")
    assert "서울특별시 강남구 압구정로10길 31" in unquote(naver)


@pytest.mark.slow
def test_metadata_bookmarks_and_ics_attachment(sample_pdf):
    reader = PdfReader(sample_pdf)
    meta = reader.metadata
    assert "Olivia Park-Martin" in meta.title
    assert meta.author == "Bloom Route Travel"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    for heading in ["Itinerary", "Costs", "Medical card 의료 정보 카드"]:
        assert heading in titles
    ics = reader.attachments["trip.ics"][0].decode()
    assert ics.count("BEGIN:VEVENT") >= 4
    assert "TZID=Asia/Seoul" in ics
    assert "Haneul Skin Clinic Sinsa" in ics and "+82 2 555 0131" in ics


@pytest.mark.slow
def test_same_input_gives_the_same_bytes(sample_pdf, tmp_path):
    """Rebuilt in another process with another hash seed: byte-identical."""
    out = tmp_path / "again.pdf"
    code = (
        "from pathlib import Path; from guidebook import GuideOptions, build_guide; "
        f"S = Path({str(SAMPLES)!r}); build_guide(S / 'traveler.yaml', "
        "options=GuideOptions(clinics=S / 'clinics.yaml', brand=S / 'brand.yaml'), "
        f"output=Path({str(out)!r}))"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    assert out.read_bytes() == sample_pdf.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("page_format", "size_mm"),
    [
        ("a4", (210, 297)),
        ("letter", (215.9, 279.4)),
        ("a6", (105, 148)),
    ],
)
def test_page_formats(tmp_path, page_format, size_mm):
    pdf = build_sample(tmp_path / "g.pdf", page_format=page_format)
    box = PdfReader(pdf).pages[0].mediabox
    width, height = (float(box.width) * 25.4 / 72, float(box.height) * 25.4 / 72)
    assert (round(width, 1), round(height, 1)) == size_mm


def test_a_bad_brand_does_not_hide_problems_in_the_profile(tmp_path):
    brand = write_file(tmp_path, "agency: A\ncolors:\n  primary: nope\n", "brand.yaml")
    profile = write_file(
        tmp_path, GOOD_PROFILE.replace("  - id: pico-laser", "  - id: pico-laser\n    clinic: nowhere")
    )
    with pytest.raises(InputError) as info:
        load(profile, clinics=SAMPLES / "clinics.yaml", brand=brand)
    assert [p.location for p in info.value.problems] == ["colors.primary", "treatments[0].clinic"]


@pytest.mark.slow
def test_white_label_has_no_agency_text(tmp_path):
    pdf = build_sample(tmp_path / "g.pdf", white_label=True, html=tmp_path / "g.html")
    text = text_of(pdf)
    for agency_text in [
        "Bloom Route",
        "+82 2 555 0100",
        "care@example.com",
        "bloomroute",
        "24/7 during your stay",
    ]:
        assert agency_text not in text
    assert "logo.svg" not in (tmp_path / "g.html").read_text()
    assert PdfReader(pdf).metadata.author == "guidebook"


def test_closed_dates_of_the_options_and_of_the_clinics_file_both_close_the_clinics(tmp_path):
    from datetime import date

    from guidebook.guide import plan_guide
    from guidebook.options import GuideOptions

    text = (SAMPLES / "clinics.yaml").read_text(encoding="utf-8")
    assert "\nclosed_dates: []" in text
    clinics = write_file(
        tmp_path, text.replace("\nclosed_dates: []", "\nclosed_dates: [2026-09-21]", 1), "clinics.yaml"
    )
    inputs = load(SAMPLES / "traveler.yaml", clinics=clinics)
    plan = plan_guide(inputs, GuideOptions(clinics=clinics, closed_dates=(date(2026, 9, 22),)))
    closed = [d.date for d in plan.days if d.closed]
    assert closed == [date(2026, 9, 21), date(2026, 9, 22)]
    assert plan.help_numbers  # the shipped help numbers reach every plan


def test_a_renderer_serves_only_the_options_and_brand_it_was_made_for():
    from guidebook.guide import GuideRenderer
    from guidebook.options import GuideOptions

    inputs = load(SAMPLES / "traveler.yaml", brand=SAMPLES / "brand.yaml")
    renderer = GuideRenderer(GuideOptions(white_label=True), brand=inputs.brand)
    assert renderer.serves(GuideOptions(white_label=True), inputs.brand)
    assert not renderer.serves(GuideOptions(), inputs.brand)
    assert not renderer.serves(GuideOptions(white_label=True), None)
    assert renderer.brand.brand.white_label and not inputs.brand.brand.white_label


@pytest.mark.slow
def test_a_renderers_html_is_the_html_its_pdf_is_made_from():
    from guidebook.guide import GuideRenderer, plan_guide
    from guidebook.options import GuideOptions

    inputs = load(SAMPLES / "traveler.yaml", brand=SAMPLES / "brand.yaml")
    renderer = GuideRenderer(GuideOptions(brand=SAMPLES / "brand.yaml"), brand=inputs.brand)
    plan = plan_guide(inputs)
    html = renderer.html(inputs, plan)
    assert html == renderer.render(inputs, plan).html
    assert "Olivia Park-Martin" in html and "Bloom Route Travel" in html


# -- the library takes data as well as files; the calendar beside a guide; the brand's font -----


def test_a_profile_given_as_data_is_checked_as_a_file_is():
    from guidebook.guide import load_inputs
    from guidebook.inputs.models import Profile
    from guidebook.inputs.yaml import plain, read_yaml

    data = plain(read_yaml(SAMPLES / "traveler.yaml"))
    from_data = load_inputs(data)
    assert from_data.profile == load(SAMPLES / "traveler.yaml").profile
    model = Profile.model_validate(data)
    assert load_inputs(model).profile == from_data.profile
    assert model.treatments[1].id == "Rejuran Healer"  # the caller's model is not changed
    data["trip"]["arrival"] = "2026-02-30T10:00"
    data["treatments"][0]["id"] = "pico lazer"
    with pytest.raises(InputError) as info:
        load_inputs(data)
    assert [(p.file, p.location) for p in info.value.problems] == [
        ("profile", "trip.arrival"),
        ("profile", "treatments[0].id"),
    ]


def test_a_calendar_that_replaces_one_carries_its_sequence_numbers_on(tmp_path):
    from icalendar import Calendar

    from guidebook.guide import RenderedGuide, plan_guide, write_guide
    from guidebook.render.ics import make_ics

    def calendar(profile: Path) -> bytes:
        inputs = load(profile, clinics=SAMPLES / "clinics.yaml")
        return make_ics(inputs.profile, plan_guide(inputs), inputs.catalogue, inputs.clinic_list)

    first = calendar(SAMPLES / "traveler.yaml")
    text = (SAMPLES / "traveler.yaml").read_text(encoding="utf-8")
    moved = calendar(write_file(tmp_path, text.replace("2026-09-19T15:20", "2026-09-21T09:05")))
    target = tmp_path / "trip.ics"
    for ics in (first, moved, moved):
        write_guide(RenderedGuide("", b"%PDF", ics, []), output=None, ics=target)
    sequences = {
        str(e["uid"]): int(e["sequence"]) for e in Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    }
    assert set(sequences.values()) == {0, 1}  # once for the events that moved, not again
    assert sequences[next(u for u in sequences if u.endswith("-flight-in@guidebook"))] == 1
    assert sequences[next(u for u in sequences if u.endswith("-flight-out@guidebook"))] == 0


def test_a_brand_font_that_is_not_installed_is_a_warning_naming_it(tmp_path):
    from guidebook.guide import brand_font_warnings
    from guidebook.inputs.load import load_brand

    def brand(text: str):  # noqa: ANN202
        return load_brand(write_file(tmp_path, f"agency: A\n{text}", "brand.yaml"))

    [warning] = brand_font_warnings(brand("font: Nonexistent Serif Pro\n"))
    assert "brand font 'Nonexistent Serif Pro' is not installed" in warning and "font_files" in warning
    assert brand_font_warnings(brand("font: dejavu sans\n")) == []  # installed (any case)
    assert brand_font_warnings(brand("")) == [] and brand_font_warnings(None) == []


@pytest.mark.slow
@needs_poppler
def test_build_guide_takes_data_and_returns_the_pdf_when_no_output_is_given(tmp_path):
    from guidebook import GuideOptions, build_guide
    from guidebook.errors import RenderError
    from guidebook.inputs.yaml import plain, read_yaml

    data = plain(read_yaml(SAMPLES / "traveler.yaml"))
    del data["trip"]["departure"]
    data["trip"]["departure"] = "2026-09-30"
    data["trip"]["departure_time_tbc"] = True
    options = GuideOptions(clinics=SAMPLES / "clinics.yaml")
    pdf = build_guide(profile=data, options=options, ics=tmp_path / "trip.ics", key="S-2001")
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trip.ics"]  # and no PDF written
    (tmp_path / "g.pdf").write_bytes(pdf)
    text = text_of(tmp_path / "g.pdf")
    assert "time to be confirmed · Flight home (OZ272)" in text and "00:00" not in text
    assert "30 September 2026, time to be confirmed · flight OZ272" in text
    assert "-flight-out@guidebook" in (tmp_path / "trip.ics").read_text()
    result = build_guide(SAMPLES / "traveler.yaml", output=tmp_path / "o.pdf", options=options)
    assert result.pdf == tmp_path / "o.pdf" and result.written == [tmp_path / "o.pdf"]  # as before
    brand = write_file(tmp_path, "agency: A\nfont: Nonexistent Serif Pro\n", "brand.yaml")
    with pytest.raises(RenderError, match="brand font 'Nonexistent Serif Pro' is not installed"):
        build_guide(data, options=GuideOptions(brand=brand, strict=True))
