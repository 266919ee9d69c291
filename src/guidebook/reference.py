"""Small data tables the guide prints: the Korean glossary for the medical card, and phrases."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

DATA = Path(__file__).parent / "data"


@cache
def load_data(name: str) -> Any:
    return YAML(typ="safe").load((DATA / name).read_text("utf-8"))


def korean_term(kind: str, text: str) -> str | None:
    """The Korean for a common allergen, medication, condition or blood type, if we know it."""
    table = load_data("glossary.yaml").get(kind) or {}
    entry = table.get(text) or table.get(text.strip().lower())
    if isinstance(entry, dict):
        return entry.get("ko")
    return entry
