"""guidebook: a personalized, printable guide for a skin-treatment trip to Seoul."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import GuidebookError, InputError, Problem, RenderError

if TYPE_CHECKING:
    from .batch.run import run_batch
    from .batch.types import BatchSettings
    from .guide import GuideRenderer, build_guide, load_inputs, plan_guide
    from .inputs.bookings import BookingsFormat
    from .options import GuideOptions

__all__ = [
    "BatchSettings",
    "BookingsFormat",
    "GuideOptions",
    "GuideRenderer",
    "GuidebookError",
    "InputError",
    "Problem",
    "RenderError",
    "__version__",
    "build_guide",
    "load_inputs",
    "plan_guide",
    "run_batch",
]
_LAZY = {
    "build_guide": "guide",
    "plan_guide": "guide",
    "load_inputs": "guide",
    "GuideRenderer": "guide",
    "GuideOptions": "options",
    "run_batch": "batch.run",
    "BatchSettings": "batch.types",
    "BookingsFormat": "inputs.bookings",
}


def __getattr__(name: str) -> Any:
    """The library's entry points, imported on first use: `import guidebook` stays light."""
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)
