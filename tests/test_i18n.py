"""Guides in the traveler's language (i18n.py): language tags, complete catalogues with their
placeholders, the texts of the data files, and the sample guide in every language with the right
fonts and local dates."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from helpers import ROOT, SAMPLES, assert_no_warnings, build

from guidebook.i18n import LANGUAGES, UnsupportedLanguage, cjk_font, po_path, resolve_language, translations

PLACEHOLDER = re.compile(r"%\(\w+\)s")
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
ENGLISH_HEADINGS = [
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
    "Not in this trip",
    "Before the trip",
]


def catalog(language: str):
    with po_path(language).open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def extracted_ids(tmp_path_factory) -> set[str]:
    """The messages the code, templates and data have today (as `make messages` extracts)."""
    pot = tmp_path_factory.mktemp("pot") / "guidebook.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [
            str(pybabel),
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "N_",
            "-k",
            "_",
            "--no-location",
            "-o",
            str(pot),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
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


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("en", "en"),
        ("ja", "ja"),
        ("JA-jp", "ja"),
        ("zh", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("zh-TW", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh_Hant", "zh-Hant"),
        ("ko", "ko"),
    ],
)
def test_language_tags(tag, language):
    assert resolve_language(tag) == language


def build_sample(tmp_path: Path, language: str) -> tuple[Path, str]:
    profile = SAMPLES / ("traveler.yaml" if language == "en" else f"traveler-{language}.yaml")
    out = tmp_path / f"{language}.pdf"
    with assert_no_warnings():
        result = build(
            profile,
            clinics=SAMPLES / "clinics.yaml",
            brand=SAMPLES / "brand.yaml",
            output=out,
            html=tmp_path / f"{language}.html",
        )
    assert result.warnings == []
    return out, (tmp_path / f"{language}.html").read_text()


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("language", "face", "date_text"),
    [
        ("ja", "guidebook-Sans-JP", "2026年10月14日"),  # the (trimmed) face of the language
        ("zh-Hans", "guidebook-Sans-SC", "2026年5月2日"),
        ("zh-Hant", "guidebook-Sans-TC", "2026年9月22日"),
        ("ko", "guidebook-Sans-KR", "2026년 12월 18일"),
    ],
)
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


@pytest.mark.parametrize("tag", ["fr", "zh-Latn", "", "english"])
def test_an_unsupported_tag_names_the_supported_ones(tag):
    with pytest.raises(UnsupportedLanguage, match="supported: en, ja, zh-Hans"):
        resolve_language(tag)


def test_english_is_the_source_and_each_language_has_its_own_cjk_face():
    assert translations("en").gettext("Consultation") == "Consultation"
    assert translations("ja").gettext("Consultation") not in {"", "Consultation"}
    assert po_path("en") is None and po_path("ja").is_file()
    assert [cjk_font(lang) for lang in LANGUAGES] == [
        "Noto Sans CJK KR",
        "Noto Sans CJK JP",
        "Noto Sans CJK SC",
        "Noto Sans CJK TC",
        "Noto Sans CJK KR",
    ]


def test_the_texts_a_guide_prints_from_a_data_file_are_extracted():
    import io

    from guidebook.i18n import extract_data

    data = io.BytesIO(
        """
source: not printed
treatments:
  - {id: pico-laser, name: Pico Laser, name_ko: 피코 레이저, purpose: Pigment, checked: 2026-01-01}
numbers: [{number: '119', description: Ambulance and fire, hours: 24 hours}]
""".encode()
    )
    texts = [message for _, _, message, _ in extract_data(data, [], [], {})]
    assert texts == ["Pico Laser", "Pigment", "Ambulance and fire", "24 hours"]


def test_the_first_visit_notes_are_extracted_and_translated_in_every_language():
    """Titles and lines of data/first_visit.yaml go through gettext (TEXT_KEYS); ids, country codes
    and treatment ids do not; and each language has its own text for every one of them."""
    from guidebook.i18n import extract_data

    path = ROOT / "src" / "guidebook" / "data" / "first_visit.yaml"
    with path.open("rb") as handle:
        texts = {message for _, _, message, _ in extract_data(handle, [], [], {})}
    assert "Entering Korea" in texts and "Take a photo of what you sign." in texts
    assert not texts & {"entry", "US", "CN", "*", "rejuran-healer", "closed_after_treatment"}
    for language in TRANSLATED:
        messages = {m.id: m.string for m in catalog(language) if isinstance(m.id, str)}
        for text in texts:
            assert messages.get(text) and messages[text] != text, (language, text)
