"""The web pages' own words in the five languages, and the language a page is shown in.

Each message of the pages is its English text; `messages.yaml` beside this file gives it in
Japanese, Simplified and Traditional Chinese and Korean (a test checks that every message the
templates use is there in every language). Names from the guide's own catalogue (treatments,
reasons a session does not fit, holidays) come from the guide's translations (i18n.py), so the
page and the guide say the same.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from ..i18n import LANGUAGES, UnsupportedLanguage, babel_locale, resolve_language, translations

MESSAGES = Path(__file__).parent / "messages.yaml"
NATIVE_NAMES = {
    "en": "English",
    "ja": "日本語",
    "zh-Hans": "简体中文",
    "zh-Hant": "繁體中文",
    "ko": "한국어",
}
DEFAULT = "en"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """English message -> {language: translation}."""
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(MESSAGES.read_text(encoding="utf-8")) or {}
    return {str(k): {str(lang): str(text) for lang, text in (v or {}).items()} for k, v in data.items()}


class Texts:
    """The pages' words in one language: `texts("Your plan")`, with %(name)s values filled in."""

    def __init__(self, language: str = DEFAULT):
        self.language = language if language in LANGUAGES else DEFAULT
        self.locale = babel_locale(self.language)
        self.guide = translations(self.language)

    def __call__(self, message: str, **values: Any) -> str:
        text = message if self.language == "en" else catalogue().get(message, {}).get(self.language, message)
        return text % values if values else text

    def data(self, text: str | None) -> str:
        """A text of the guide's data files (a treatment's name), as the guide prints it."""
        return str(self.guide.gettext(text)) if text else ""


def supported(tag: str | None) -> str | None:
    """The language a tag names, or None."""
    if not tag:
        return None
    try:
        return resolve_language(tag)
    except UnsupportedLanguage:
        primary = tag.split("-")[0]
        try:
            return resolve_language(primary) if primary != tag else None
        except UnsupportedLanguage:
            return None


def from_accept_language(header: str | None) -> str | None:
    """The supported language a browser likes best (Accept-Language, with q-values)."""
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = supported(tag.strip())
        if language and quality > 0:
            choices.append((-quality, index, language))
    return min(choices)[2] if choices else None


def choose(query: str | None, cookie: str | None, accept: str | None) -> str:
    """The page's language: asked for in the address, kept in a cookie, or the browser's."""
    return supported(query) or supported(cookie) or from_accept_language(accept) or DEFAULT
