"""The pages' words (serve/texts.py, serve/messages.yaml): every message the templates and
pages use is translated into every language with the same values; the page's language."""

from __future__ import annotations

import re

import pytest
from helpers import ROOT

from guidebook.i18n import LANGUAGES
from guidebook.serve.pages import CATEGORIES, DAYS
from guidebook.serve.texts import NATIVE_NAMES, Texts, catalogue, choose, from_accept_language, supported

SERVE = ROOT / "src" / "guidebook" / "serve"
VALUES = re.compile(r"%\((\w+)\)s")


def used_messages() -> set[str]:
    found = set()
    for template in (SERVE / "templates").glob("*.j2"):
        found |= {m[1] for m in re.findall(r'_\(\s*(["\'])(.*?)\1', template.read_text(encoding="utf-8"))}
    source = (SERVE / "pages.py").read_text(encoding="utf-8")
    found |= set(re.findall(r'texts\(\s*"(.*?)"', source))
    return found | set(CATEGORIES.values()) | set(DAYS)


def test_every_message_the_pages_use_is_in_every_language_with_the_same_values():
    messages = catalogue()
    used = used_messages()
    assert len(used) > 100
    missing = sorted(used - set(messages))
    assert not missing, f"not in messages.yaml: {missing}"
    assert not sorted(set(messages) - used), "messages.yaml holds messages no page uses"
    for english, translations in messages.items():
        assert set(translations) == set(LANGUAGES) - {"en"}, english
        for language, text in translations.items():
            assert sorted(VALUES.findall(text)) == sorted(VALUES.findall(english)), (english, language)


def test_a_message_is_shown_in_the_pages_language_with_its_values():
    assert Texts("ja")("session %(n)s", n=2) == "2 回目"
    assert Texts("en")("session %(n)s", n=2) == "session 2"
    assert Texts("ko")("a message nobody translated") == "a message nobody translated"
    assert Texts("xx").language == "en"
    assert Texts("ja").data("Pico Laser") != "" and set(NATIVE_NAMES) == set(LANGUAGES)


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("ja-JP,ja;q=0.9,en;q=0.8", "ja"),
        ("fr-FR,fr;q=0.9,zh-TW;q=0.8,en;q=0.5", "zh-Hant"),
        ("zh-CN", "zh-Hans"),
        ("ko-KR", "ko"),
        ("de;q=1,en;q=0", None),
        ("en;q=0.2,ko;q=0.9", "ko"),
        ("", None),
        (None, None),
        ("*", None),
    ],
)
def test_the_browsers_language(header, language):
    assert from_accept_language(header) == language


def test_the_address_wins_over_the_cookie_which_wins_over_the_browser():
    assert choose("ko", "ja", "zh-CN") == "ko"
    assert choose(None, "ja", "zh-CN") == "ja"
    assert choose("xx", None, "zh-CN") == "zh-Hans"
    assert choose(None, None, None) == "en"
    assert supported("pt-BR") is None and supported("ja-JP") == "ja"
