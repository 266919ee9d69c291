"""One cold `guidebook build` against the bare `weasyprint` command on the same HTML and CSS.

    .venv/bin/python benchmarks/bench_build.py [--repeats 5]

Each run is a new process, as a user's would be: Python starts, imports, loads and checks the
inputs, plans, renders and writes the sample guide (A5, with its brand and clinics). The
`weasyprint` command then lays out and writes the very HTML that build wrote, with the same
stylesheet (and both tagged, as guidebook's PDFs are by default; --no-tags for both
untagged). Runs alternate, so a busy moment of a shared machine hits both; the medians and
their ratio are printed (the target: guidebook within 1.2x of bare WeasyPrint). Prints numbers,
asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
BIN = Path(sys.executable).parent


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--format", default="a5")
    parser.add_argument("--no-tags", action="store_true", help="both untagged (default: both tagged PDFs)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        html = folder / "guide.html"
        build = [
            str(BIN / "guidebook"),
            "build",
            str(SAMPLES / "traveler.yaml"),
            "--clinics",
            str(SAMPLES / "clinics.yaml"),
            "--brand",
            str(SAMPLES / "brand.yaml"),
            "--format",
            args.format,
            "-o",
            str(folder / "guide.pdf"),
            "--html",
            str(html),
        ]
        if args.no_tags:
            build.append("--no-tags")
        bare = [
            str(BIN / "weasyprint"),
            *([] if args.no_tags else ["--pdf-tags"]),
            "--base-url",
            str(ROOT / "templates"),
            "--stylesheet",
            str(ROOT / "styles" / "guide.css"),
            str(html),
            str(folder / "bare.pdf"),
        ]
        timed(build)  # the first run makes the trimmed fonts and warms the disk cache
        timed(bare)
        ours, theirs = [], []
        for _ in range(args.repeats):
            ours.append(timed(build))
            theirs.append(timed(bare))
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"cold guidebook build: {a:.2f} s (runs: {', '.join(f'{t:.2f}' for t in ours)})")
        print(f"cold weasyprint:      {b:.2f} s (runs: {', '.join(f'{t:.2f}' for t in theirs)})")
        print(f"ratio: {a / b:.2f}x (target: at most 1.2x)")
        sizes = (folder / "guide.pdf").stat().st_size, (folder / "bare.pdf").stat().st_size
        print(f"PDF size: guidebook {sizes[0] / 1024:.0f} KB, weasyprint {sizes[1] / 1024:.0f} KB")


if __name__ == "__main__":
    main()
