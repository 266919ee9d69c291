"""Guides in the traveler's language: complete catalogues, the right fonts, local dates."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner
from helpers import build, html_of, load

from guidebook.cli import main
from guidebook.i18n import LANGUAGES, po_path, resolve_language

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples"
PLACEHOLDER = re.compile(r"%\(\w+\)s")
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
ENGLISH_HEADINGS = ["At a glance", "Itinerary", "Your treatments", "Checklists", "Costs",
                    "Your clinics", "Medical card", "Taxi cards", "Emergency and help numbers",
                    "Please note", "Not in this trip", "Before the trip"]


def catalog(language: str):
    with po_path(language).open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def extracted_ids(tmp_path_factory) -> set[str]:
    """The messages the code, templates and data have today (as `make messages` extracts)."""
    pot = tmp_path_factory.mktemp("pot") / "guidebook.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "extract", "-F", str(ROOT / "babel.cfg"), "-k", "N_", "-k", "_",
                    "--no-location", "-o", str(pot), str(ROOT)], check=True, capture_output=True,
                   cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders(language, extracted_ids):
    messages = [m for m in catalog(language) if m.id]
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in messages}
    assert extracted_ids <= ids, f"run `make messages`: missing {sorted(extracted_ids - ids)[:5]}"
    for m in messages:
        assert not m.fuzzy, m.id
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        source = m.id[-1] if isinstance(m.id, tuple) else m.id
        for text in strings:
            assert text.strip(), f"{language}: untranslated {m.id!r}"
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), m.id
            assert ("___" in text) == ("___" in source), m.id


@pytest.mark.parametrize(("tag", "language"), [
    ("en", "en"), ("ja", "ja"), ("JA-jp", "ja"), ("zh", "zh-Hans"), ("zh-CN", "zh-Hans"),
    ("zh-Hans", "zh-Hans"), ("zh-TW", "zh-Hant"), ("zh-HK", "zh-Hant"), ("zh_Hant", "zh-Hant"),
    ("ko", "ko"),
])
def test_language_tags(tag, language):
    assert resolve_language(tag) == language


def test_unsupported_language_is_an_error_or_english_with_a_warning(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text((SAMPLES / "traveler.yaml").read_text().replace("language: en",
                                                                        "language: fr"))
    result = CliRunner().invoke(main, ["build", str(profile), "-o", str(tmp_path / "g.pdf")])
    assert result.exit_code == 1
    assert "traveler.language: unsupported language 'fr'; supported: en, ja, zh-Hans" in result.output
    assert not (tmp_path / "g.pdf").exists()
    bad = CliRunner().invoke(main, ["build", str(profile), "--lang", "xx", "-o", str(tmp_path / "g.pdf")])
    assert bad.exit_code == 2 and "supported: en, ja" in bad.output
    result = CliRunner().invoke(main, ["build", str(profile), "--lang-fallback", "-o",
                                       str(tmp_path / "g.pdf")])
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "'fr'" in result.output and "English" in result.output


def build_sample(tmp_path: Path, language: str) -> tuple[Path, str]:
    profile = SAMPLES / ("traveler.yaml" if language == "en" else f"traveler-{language}.yaml")
    out = tmp_path / f"{language}.pdf"
    result = build(profile, clinics=SAMPLES / "clinics.yaml", brand=SAMPLES / "brand.yaml",
                   output=out, html=tmp_path / f"{language}.html")
    assert result.warnings == []
    return out, (tmp_path / f"{language}.html").read_text()


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
@pytest.mark.parametrize(("language", "face", "date_text"), [
    ("ja", "guidebook-Sans-JP", "2026年10月14日"),  # the (trimmed) face of the language
    ("zh-Hans", "guidebook-Sans-SC", "2026年5月2日"),
    ("zh-Hant", "guidebook-Sans-TC", "2026年9月22日"),
    ("ko", "guidebook-Sans-KR", "2026년 12월 18일"),
])
def test_sample_guide_in_each_language(tmp_path, language, face, date_text):
    pdf, html = build_sample(tmp_path, language)
    assert face in pdf_fonts(pdf)
    if language != "ko":
        assert "guidebook-Sans-KR" in pdf_fonts(pdf)  # the Korean cards keep the (trimmed) KR face
    text = pdf_text(pdf)
    for heading in ENGLISH_HEADINGS:
        assert heading not in text, heading
    assert date_text in text
    assert f'<html lang="{language}">' in html
    assert "₩" in text or "￦" in text  # Babel's zh_Hant_TW writes the full-width sign


def korean_cards(html: str) -> list[str]:
    """The Korean lines of the taxi cards, and the Korean labels of the medical card."""
    taxi = html.split('<section class="taxi-cards" data-reuse>')[1].split("</section>")[0]
    medical = html.split('<section class="medical-card">')[1].split("</section>")[0]
    lines = (re.findall(r'<p class="ko [^"]*" lang="ko">(.*?)</p>', taxi)
             + re.findall(r'<br><span class="ko" lang="ko">([^<]*)</span>', medical))
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


@pytest.mark.parametrize("language", ["ja", "zh-Hans", "zh-Hant", "ko"])
def test_the_calendar_speaks_the_guide_language(language):
    from icalendar import Calendar

    from guidebook.guide import plan_guide
    from guidebook.i18n import translations
    from guidebook.render.ics import make_ics

    samples = Path(__file__).parents[1] / "samples"
    inputs = load(samples / "traveler.yaml", clinics=samples / "clinics.yaml")
    plan = plan_guide(inputs)
    events = Calendar.from_ical(make_ics(inputs.profile, plan, inputs.catalogue,
                                         inputs.clinic_list, language)).walk("VEVENT")
    _ = translations(language).gettext
    names = {inputs.catalogue.get(a.treatment_id).name for d in plan.days
             for a in d.appointments if a.treatment_id}
    titles = [str(e["summary"]).split(" – ")[0].split(" (")[0] for e in events]
    assert _("Consultation") != "Consultation" and _("Consultation") in titles
    assert {_(n) for n in names} <= set(titles)
    assert not names & set(titles)  # no English treatment name left
    assert all(_("Phone") + ":" in str(e["description"]) for e in events)
