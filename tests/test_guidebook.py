"""The package itself (guidebook/__init__.py): the library's entry points, imported on first use
so that `import guidebook` stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

import guidebook


def test_the_entry_points_are_the_library_s_own():
    from guidebook import guide, options

    assert guidebook.build_guide is guide.build_guide and guidebook.plan_guide is guide.plan_guide
    assert guidebook.GuideRenderer is guide.GuideRenderer and guidebook.GuideOptions is options.GuideOptions
    assert set(guidebook.__all__) >= {"build_guide", "load_inputs", "GuideOptions", "InputError"}
    from guidebook.batch import run, types
    from guidebook.inputs import bookings

    assert guidebook.run_batch is run.run_batch and guidebook.BatchSettings is types.BatchSettings
    assert guidebook.BookingsFormat is bookings.BookingsFormat
    assert all(hasattr(guidebook, name) for name in guidebook.__all__)
    with pytest.raises(AttributeError):
        guidebook.no_such_thing  # noqa: B018


def test_importing_guidebook_loads_neither_weasyprint_nor_the_planner():
    code = (
        "import sys, guidebook; print(sorted(m for m in ('weasyprint', 'guidebook.guide', "
        "'guidebook.plan.itinerary') if m in sys.modules)); print(guidebook.__version__)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.split("\n")[:2] == ["[]", guidebook.__version__]
