"""The guide's languages: tags, gettext catalogues (.po, compiled in memory), fonts, locales."""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "guidebook"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    """Mark a message for extraction; it is translated where it is shown."""
    return message


# Guide language -> (Babel locale for dates and money, gettext folder, CJK font named first)
LANGUAGES: dict[str, tuple[str, str | None, str]] = {
    "en": ("en", None, "Noto Sans CJK KR"),
    "ja": ("ja_JP", "ja", "Noto Sans CJK JP"),
    "zh-Hans": ("zh_Hans_CN", "zh_Hans", "Noto Sans CJK SC"),
    "zh-Hant": ("zh_Hant_TW", "zh_Hant", "Noto Sans CJK TC"),
    "ko": ("ko_KR", "ko", "Noto Sans CJK KR"),
}
ALIASES = {
    "zh": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh-sg": "zh-Hans",
    "zh-hans-cn": "zh-Hans",
    "zh-tw": "zh-Hant",
    "zh-hk": "zh-Hant",
    "zh-mo": "zh-Hant",
    "zh-hant-tw": "zh-Hant",
    "zh-hant-hk": "zh-Hant",
    "en-us": "en",
    "en-gb": "en",
    "en-au": "en",
    "ja-jp": "ja",
    "ko-kr": "ko",
}


class UnsupportedLanguage(ValueError):
    pass


def supported_text() -> str:
    return "en, ja, zh-Hans (also zh, zh-CN), zh-Hant (also zh-TW, zh-HK), ko"


def resolve_language(tag: str) -> str:
    """The guide language for a BCP 47 tag, or UnsupportedLanguage naming the supported ones."""
    key = tag.strip().replace("_", "-")
    for name in LANGUAGES:
        if key.lower() == name.lower():
            return name
    if key.lower() in ALIASES:
        return ALIASES[key.lower()]
    raise UnsupportedLanguage(f"unsupported language {tag!r}; supported: {supported_text()}")


def babel_locale(language: str) -> str:
    return LANGUAGES[language][0]


def cjk_font(language: str) -> str:
    """The Noto CJK face named first for the language, so Japanese never shows Chinese glyphs."""
    return LANGUAGES[language][2]


def po_path(language: str) -> Path | None:
    folder = LANGUAGES[language][1]
    return LOCALE_DIR / folder / "LC_MESSAGES" / f"{DOMAIN}.po" if folder else None


@cache
def translations(language: str) -> Any:
    """gettext translations for the language, compiled from its .po file in memory (the
    repository keeps only the .po text; English is the source language)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import NullTranslations, Translations

    path = po_path(language)
    if path is None or not path.is_file():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=LANGUAGES[language][1])
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def extract_data(
    fileobj: BinaryIO, keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor for the data files: every text a guide prints from them."""
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(fileobj.read().decode("utf-8"))
    for text in _data_texts(data):
        yield 0, "gettext", text, []


# The keys whose texts a guide prints (translated), and those never printed or printed as they
# are (sources, Korean, romanizations, ids, the cautions' trigger terms).
TEXT_KEYS = frozenset(
    {
        "name",
        "purpose",
        "downtime_note",
        "text",
        "safety_note",
        "description",
        "hours",
        "languages",
        "en",
        "notes",
        "on_the_day",
        "ask",
        "not_planned_reason",
        "title",
    }
)
SKIPPED_KEYS = frozenset(
    {
        "source",
        "note",
        "checked",
        "sources",
        "source_keys",
        "ko",
        "romanization",
        "id",
        "name_ko",
        "aliases",
        "number",
        "trigger",
        "ask_ko",
        "ask_romanization",
    }
)


def _data_texts(node: Any, key: str | None = None) -> Iterator[str]:
    if isinstance(node, dict):
        for k, value in node.items():
            if k not in SKIPPED_KEYS:
                yield from _data_texts(value, k)
    elif isinstance(node, list):
        for item in node:
            yield from _data_texts(item, key)
    elif isinstance(node, str) and key in TEXT_KEYS:
        yield node
