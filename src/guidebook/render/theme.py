"""A theme: the template and style folders a guide is made from, a user's folder first."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RenderError


def default_theme() -> Path:
    """The built-in theme: inside the wheel, or the repository root in a checkout."""
    packaged = Path(__file__).resolve().parents[1] / "_theme"
    if (packaged / "templates").is_dir():
        return packaged
    return Path(__file__).resolve().parents[3]


def _default_dirs(kind: str) -> tuple[Path, ...]:
    return (default_theme() / kind,)


@dataclass(frozen=True)
class Theme:
    """Template and style folders, searched in order: a user's theme, then the built-in one."""

    template_dirs: tuple[Path, ...] = field(default_factory=lambda: _default_dirs("templates"))
    style_dirs: tuple[Path, ...] = field(default_factory=lambda: _default_dirs("styles"))

    @classmethod
    def with_override(cls, folder: Path | None) -> Theme:
        """The built-in theme with `folder` in front of it. `folder` holds `templates/` and/or
        `styles/`; a folder with neither is taken as a templates folder itself."""
        base = cls()
        if folder is None:
            return base
        folder = Path(folder).resolve()
        if not folder.is_dir():
            raise RenderError(f"theme folder {folder} does not exist")
        templates, styles = folder / "templates", folder / "styles"
        if not (templates.is_dir() or styles.is_dir()):
            return cls((folder, *base.template_dirs), base.style_dirs)
        return cls(
            tuple(d for d in (templates,) if d.is_dir()) + base.template_dirs,
            tuple(d for d in (styles,) if d.is_dir()) + base.style_dirs,
        )

    @property
    def asset_dirs(self) -> list[Path]:
        """The only theme folders WeasyPrint may read from."""
        return [*self.template_dirs, *self.style_dirs]

    def style(self, name: str) -> Path:
        for folder in self.style_dirs:
            if (folder / name).is_file():
                return folder / name
        raise RenderError(f"style sheet {name!r} is in no theme folder")

    @property
    def stylesheets(self) -> list[Path]:
        """guide.css (the user's if it has one), then a user's custom.css to adjust it."""
        extra = [d / "custom.css" for d in self.style_dirs[:-1] if (d / "custom.css").is_file()]
        return [self.style("guide.css"), *extra]

    @property
    def files(self) -> list[Path]:
        """Every file of the theme, for change detection (resume, --watch)."""
        return sorted(p for d in self.asset_dirs for p in d.rglob("*") if p.is_file())
