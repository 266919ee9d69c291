"""Themes (render/theme.py): a user's folder in front of the built-in theme, file by file."""

from __future__ import annotations

import pytest
from helpers import ROOT, build_sample, text_of

from guidebook.errors import RenderError
from guidebook.render.theme import Theme, default_theme


def test_the_built_in_theme_is_the_checkouts_templates_and_styles():
    theme = Theme()
    assert default_theme() == ROOT  # an editable install: the checkout
    assert theme.template_dirs == (ROOT / "templates",) and theme.style_dirs == (ROOT / "styles",)
    assert theme.stylesheets == [ROOT / "styles" / "guide.css"]
    assert ROOT / "templates" / "guide.html.j2" in theme.files


def test_a_users_folder_comes_first_and_custom_css_follows_guide_css(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "custom.css").write_text("h1 { color: red }")
    (tmp_path / "templates").mkdir()
    theme = Theme.with_override(tmp_path)
    assert theme.template_dirs == (tmp_path / "templates", ROOT / "templates")
    assert theme.style_dirs == (tmp_path / "styles", ROOT / "styles")
    assert theme.stylesheets == [ROOT / "styles" / "guide.css", tmp_path / "styles" / "custom.css"]
    (tmp_path / "styles" / "guide.css").write_text("body {}")
    assert theme.style("guide.css") == tmp_path / "styles" / "guide.css"  # the user's wins
    assert Theme.with_override(None) == Theme()


def test_a_folder_without_templates_or_styles_is_a_templates_folder(tmp_path):
    theme = Theme.with_override(tmp_path)
    assert theme.template_dirs == (tmp_path, ROOT / "templates")
    assert theme.style_dirs == (ROOT / "styles",)


def test_a_missing_theme_folder_or_style_sheet_is_a_render_error(tmp_path):
    with pytest.raises(RenderError, match="does not exist"):
        Theme.with_override(tmp_path / "nowhere")
    with pytest.raises(RenderError, match="is in no theme folder"):
        Theme().style("nowhere.css")


@pytest.mark.slow
def test_override_one_template_changes_only_that_part(tmp_path):
    theme = tmp_path / "theme" / "templates" / "sections"
    theme.mkdir(parents=True)
    (theme / "disclaimer.html.j2").write_text(
        '<section class="disclaimer"><h1>{{ _("Our promise") }}</h1><p>Custom words.</p></section>'
    )
    build_sample(tmp_path / "a.pdf", html=tmp_path / "a.html")
    build_sample(tmp_path / "b.pdf", html=tmp_path / "b.html", theme=tmp_path / "theme")
    a, b = (tmp_path / "a.html").read_text(), (tmp_path / "b.html").read_text()
    assert "Custom words." in b and "Custom words." not in a
    cut = '<section class="disclaimer'
    assert a.split(cut)[0] == b.split(cut)[0]  # everything before it is the built-in theme


@pytest.mark.slow
def test_custom_css_adjusts_the_built_in_style(tmp_path):
    styles = tmp_path / "theme" / "styles"
    styles.mkdir(parents=True)
    (styles / "custom.css").write_text("h1 { color: rgb(200, 0, 0); }")
    pdf = build_sample(tmp_path / "g.pdf", theme=tmp_path / "theme")
    assert "At a glance" in text_of(pdf)
