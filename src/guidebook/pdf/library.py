"""Import WeasyPrint without its slow search for the C libraries it opens.

WeasyPrint 70 opens each library it needs (GObject, Pango, HarfBuzz, fontconfig and more) by
trying several spellings of its name in turn ("libgobject-2.0-0", "gobject-2.0-0",
"gobject-2.0", ...). cffi hands every spelling it cannot open as it is to
`ctypes.util.find_library`, which on Linux runs `ldconfig -p`, then gcc, then ld: for the
spellings that do not exist on Debian, about 60 processes and 0.4 s of every cold `guidebook
build` (seen with strace). While WeasyPrint is imported here, the search asks ldconfig's list
only, read once (22 runs of ldconfig before); should WeasyPrint then fail to load (a system
without ldconfig), it is imported again with the full search, so nothing that worked before
stops working."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from functools import cache


def import_weasyprint() -> None:
    """Import WeasyPrint (and so open its libraries) once per process, quickly where possible."""
    if "weasyprint.text.ffi" in sys.modules:
        return
    import ctypes.util

    if not sys.platform.startswith("linux"):
        import weasyprint  # noqa: F401

        return
    full_search = ctypes.util.find_library
    ctypes.util.find_library = _in_ldconfig_cache
    try:
        import weasyprint  # noqa: F401
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]  # half-imported: imported again below
    finally:
        ctypes.util.find_library = full_search
    import weasyprint  # noqa: F401, F811


# ldconfig's name for this machine's ABI, as the standard library's own search has it
_ABIS = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}


@cache
def _ldconfig_listing() -> bytes:
    """`ldconfig -p`, run once (the standard library runs it for every name it looks up)."""
    try:
        done = subprocess.run(
            ["/sbin/ldconfig", "-p"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env={"LC_ALL": "C", "LANG": "C"},
            check=False,
        )
    except OSError:
        return b""
    return done.stdout


@cache
def _in_ldconfig_cache(name: str) -> str | None:
    """What `ctypes.util.find_library` finds through ldconfig for `name` (its first step),
    without its gcc and ld steps."""
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = _ABIS.get(machine, "libc6")
    found = re.search(os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}"), _ldconfig_listing())
    return os.fsdecode(found.group(1)) if found else None
