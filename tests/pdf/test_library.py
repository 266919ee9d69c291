"""WeasyPrint imported without its slow library search (pdf/library.py), in a fresh interpreter
each time, since a process imports WeasyPrint once."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the search is Linux's")

QUICK = """
import ctypes.util
spawned = []
for slow in ("_findLib_gcc", "_findLib_ld"):
    original = getattr(ctypes.util, slow)
    def counted(name, slow=slow, original=original):
        spawned.append(slow)
        return original(name)
    setattr(ctypes.util, slow, counted)
from guidebook.pdf.library import import_weasyprint
import_weasyprint()
from weasyprint.text import ffi
assert ffi.pango.pango_version() > 0 and ffi.harfbuzz_subset is not None
assert spawned == [], spawned
assert ctypes.util.find_library.__name__ == "find_library"  # the full search is back
print("ok")
"""

FALLBACK = """
import ctypes.util
from guidebook.pdf import library
library._ldconfig_listing = lambda: b""  # as where ldconfig lists nothing
ctypes.util.find_library = lambda name: None  # and nothing can be found at all
library.import_weasyprint()
from weasyprint.text import ffi
assert ffi.pango.pango_version() > 0
print("ok")
"""


@pytest.mark.parametrize("script", [QUICK, FALLBACK], ids=["ldconfig only", "sonames when nothing is found"])
def test_weasyprint_loads_without_running_gcc_or_ld(script):
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
