"""Output file names (batch/filenames.py): safe on every file system, from a template, never
colliding."""

from __future__ import annotations

import pytest

from guidebook.batch.filenames import NameAllocator, check_template, safe_filename
from guidebook.errors import OptionsError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("B3-../../evil", "B3-._._evil"),
        ('a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"),
        ("  김민지 \u200b\x07", "김민지"),
        ("CON", "_CON"),
        ("..", "guide"),
    ],
)
def test_safe_filename(text, expected):
    assert safe_filename(text) == expected


def test_safe_filename_caps_length_without_breaking_characters():
    name = safe_filename("가" * 200)
    assert len(name.encode()) <= 120 and name == "가" * 40


def test_names_never_collide_even_in_another_case():
    names = NameAllocator("{booking_id}-{name}")
    assert names.allocate({"booking_id": "B1", "name": "Ann Lee"}, "guide-2") == "B1-Ann_Lee.pdf"
    assert names.allocate({"booking_id": "B1", "name": "Ann Lee"}, "guide-3") == "B1-Ann_Lee-2.pdf"
    assert names.allocate({"booking_id": "b1", "name": "ANN LEE"}, "guide-4") == "b1-ANN_LEE-3.pdf"
    assert names.allocate({"booking_id": "", "name": ""}, "guide-5") == "guide-5.pdf"


@pytest.mark.parametrize("template", ["{booking_id}-{name}", "{line}", "{arrival}_{name}"])
def test_templates_of_known_fields_are_accepted(template):
    check_template(template)


@pytest.mark.parametrize("template", ["guide", "{email}", "{name", "{name!r}{nope}"])
def test_a_template_without_known_fields_is_a_usage_error(template):
    with pytest.raises(OptionsError, match="--name"):
        check_template(template)
