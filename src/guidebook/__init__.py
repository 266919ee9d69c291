"""guidebook: a personalized, printable guide for a skin-treatment trip to Seoul."""

from __future__ import annotations

from .errors import GuidebookError, InputError, Problem, RenderError

__version__ = "0.1.0"
__all__ = ["GuidebookError", "InputError", "Problem", "RenderError", "build_guide", "plan_guide",
           "load_inputs", "__version__"]


def __getattr__(name: str):  # noqa: ANN202 - lazy: keep `import guidebook` light
    if name in {"build_guide", "plan_guide", "load_inputs", "export_guide"}:
        from . import build

        return getattr(build, name)
    raise AttributeError(name)
