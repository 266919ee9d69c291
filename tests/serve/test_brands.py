"""The brand as the server keeps it (serve/brands.py): the form's draft, checked by the library's
own brand loader, written as the brand file the CLI uses, under names of the server's own."""

from __future__ import annotations

import shutil

import pytest
from helpers import SAMPLES, problems
from starlette.datastructures import FormData

from guidebook.inputs.load import load_brand
from guidebook.serve.brands import BrandDraft, logo_kind, preview_folder

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
FIELDS = {"agency": "Seoul Glow Tours", "primary": "#123456", "accent": "#abcdef", "footer": "Call us 24/7"}


@pytest.mark.parametrize(
    ("data", "kind"),
    [(PNG, "png"), (b"<?xml version='1.0'?>\n<svg xmlns='http://www.w3.org/2000/svg'/>", "svg"),
     (b"\xef\xbb\xbf <svg/>", "svg"), (b"GIF89a", None), (b"<html>not svg</html>", None), (b"", None)],
)  # fmt: skip
def test_a_logos_kind_comes_from_its_bytes(data, kind):
    assert logo_kind(data) == kind


def test_a_logo_that_is_no_picture_is_refused():
    [problem] = problems(lambda: BrandDraft.parse(FormData(FIELDS), b"MZ\x90\x00", None))
    assert (problem.file, problem.location) == ("brand", "logo")


def test_the_kept_logo_stays_unless_removed():
    kept = BrandDraft(dict(FIELDS), PNG, "png")
    assert BrandDraft.parse(FormData(FIELDS), None, kept).logo == PNG
    assert BrandDraft.parse(FormData({**FIELDS, "remove_logo": "1"}), None, kept).logo is None


def test_a_draft_is_written_as_a_brand_file_the_cli_loads(tmp_path):
    draft = BrandDraft.parse(FormData({**FIELDS, "phone": "+82 2 555 0100", "email": ""}), PNG, None)
    path = draft.write(tmp_path / "brand")
    assert sorted(p.name for p in path.parent.iterdir()) == ["brand.yaml", "logo.png"]
    loaded = load_brand(path)
    assert loaded.brand.agency == "Seoul Glow Tours" and loaded.brand.colors.primary == "#123456"
    assert loaded.brand.contact.phone == "+82 2 555 0100" and loaded.brand.contact.email is None
    assert loaded.logo == (tmp_path / "brand" / "logo.png").resolve()
    # a new draft without the logo removes it
    BrandDraft(dict(FIELDS)).write(tmp_path / "brand")
    assert sorted(p.name for p in (tmp_path / "brand").iterdir()) == ["brand.yaml"]


def test_typed_text_never_becomes_yaml_or_a_path(tmp_path):
    hostile = {**FIELDS, "agency": "x\nlogo: ../../etc/passwd", "footer": "templates: /"}
    [problem] = problems(lambda: preview_folder(tmp_path, BrandDraft(hostile)))
    assert (problem.file, problem.location) == ("brand", "agency") and "line break" in problem.message
    folder, loaded = preview_folder(tmp_path, BrandDraft({**FIELDS, "footer": "templates: /"}))
    assert loaded.templates is None and loaded.brand.footer == "templates: /"
    shutil.rmtree(folder)


def test_a_bad_colour_is_the_loaders_own_problem_located_in_the_brand(tmp_path):
    found = problems(lambda: preview_folder(tmp_path, BrandDraft({**FIELDS, "primary": "red; } body {"})))
    assert [(p.file, p.location) for p in found] == [("brand", "colors.primary")]
    assert "hex code" in found[0].message and list(tmp_path.iterdir()) == []


def test_a_brand_file_read_for_the_server_keeps_its_fields_and_logo():
    draft = BrandDraft.from_brand(load_brand(SAMPLES / "brand.yaml"))
    assert draft.fields["agency"] == "Bloom Route Travel" and draft.fields["primary"] == "#1F5F74"
    assert draft.logo_kind == "svg" and draft.logo == (SAMPLES / "logo.svg").read_bytes()


@pytest.mark.parametrize(
    "footer",
    [
        "One line in every guide",
        {"en": "Licensed agency", "ja": "登録旅行会社", "ko": "등록 여행사"},
        {"ja": "登録旅行会社", "zh-Hant": "註冊旅行社"},
    ],
)
def test_a_per_language_footer_survives_the_form(tmp_path, footer):
    """The form edits one text; a brand file's other languages are written back as they were,
    and an edit of the shown text changes that language only."""
    import json

    source = tmp_path / "source"
    source.mkdir()
    (source / "brand.yaml").write_text(
        json.dumps({"agency": "Bloom", "footer": footer}, ensure_ascii=False), encoding="utf-8"
    )
    draft = BrandDraft.from_brand(load_brand(source / "brand.yaml"))
    shown = footer if isinstance(footer, str) else footer.get("en", next(iter(footer.values())))
    assert draft.fields["footer"] == shown
    assert draft.save(tmp_path / "saved").brand.footer == footer

    edited = BrandDraft.parse({**draft.fields, "footer": "Edited"}, None, draft)
    main = "en" if isinstance(footer, str) or "en" in footer else next(iter(footer))
    expected = "Edited" if isinstance(footer, str) else {**footer, main: "Edited"}
    assert edited.save(tmp_path / "edited").brand.footer == expected
