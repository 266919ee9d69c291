"""Soak: a long mixed batch must lose no row. Prints numbers; asserts nothing (exit 1 if a row
was lost, so CI or a person notices).

    .venv/bin/python benchmarks/soak_batch.py --rows 1000 --chunk 250 --jobs 2

Rows mix the five languages and every treatment of the catalogue; every other chunk uses an
agency font given as `font_files` (a .ttf beside the brand file) and the others an installed
family (`font: DejaVu Serif`), the set-up under which forked workers used to crash inside Pango.
Each chunk is one `run_batch` into its own folder (CI-size pieces). For each chunk and in total:
rows lost (a row with no report line, an "ok" row without its PDF, or a row failed because its
worker died: must be 0), workers restarted after dying, guides per second, and the largest
worker memory.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from guidebook.batch.run import run_batch  # noqa: E402
from guidebook.batch.types import BatchSettings, RowResult  # noqa: E402
from guidebook.inputs.load import load_catalogue  # noqa: E402
from guidebook.options import GuideOptions  # noqa: E402

SAMPLES = ROOT / "samples"
LANGUAGES = ["en", "ja", "zh-Hans", "zh-Hant", "ko"]
NAMES = ["Olivia Park-Martin", "田中 結衣", "陈美", "林雨婷", "김민지", "Chloé Dubois", "José Núñez"]
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def make_brand(folder: Path, *, font_files: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLES / "logo.svg", folder / "logo.svg")
    text = (SAMPLES / "brand.yaml").read_text(encoding="utf-8")
    if font_files and FONT.is_file():
        shutil.copy(FONT, folder / "agency.ttf")
        text = text.replace("font_files: []", "font_files: [agency.ttf]")
    else:
        text = text.replace("font: null", "font: DejaVu Serif")
    (folder / "brand.yaml").write_text(text, encoding="utf-8")
    return folder / "brand.yaml"


def make_rows(path: Path, start: int, count: int, treatments: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "booking_id",
                "name",
                "language",
                "home_currency",
                "arrival",
                "departure",
                "hotel_name",
                "hotel_address_ko",
                "treatments",
                "clinic",
                "allergies",
            ]
        )
        for i in range(start, start + count):
            arrival = date(2026, 9, 1) + timedelta(days=i % 300)
            picked = [treatments[(i + k) % len(treatments)] for k in range(3)]
            out.writerow(
                [
                    f"SOAK-{i:05d}",
                    NAMES[i % len(NAMES)],
                    LANGUAGES[i % len(LANGUAGES)],
                    "USD",
                    f"{arrival}T15:20",
                    f"{arrival + timedelta(days=12)}T18:45",
                    "Hotel Soak",
                    "서울특별시 강남구 도산대로15길 18",
                    ";".join(dict.fromkeys(picked)),
                    "haneul-skin-sinsa",
                    ["", "lidocaine", "latex"][i % 3],
                ]
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--chunk", type=int, default=250)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    treatments = [t.id for t in load_catalogue().treatments]
    total_lost = total_restarts = total_ok = 0
    total_seconds, peak = 0.0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n, start in enumerate(range(0, args.rows, args.chunk)):
            count = min(args.chunk, args.rows - start)
            font_files = n % 2 == 0
            brand = make_brand(folder / f"brand{n}", font_files=font_files)
            rows = folder / f"rows{n}.csv"
            make_rows(rows, start, count, treatments)
            out = folder / f"out{n}"
            results: list[RowResult] = []
            options = GuideOptions(clinics=SAMPLES / "clinics.yaml", brand=brand)
            begun = time.perf_counter()
            summary = run_batch(
                rows,
                BatchSettings(out_dir=out, jobs=args.jobs, guide=options),
                on_result=lambda r, _, results=results: results.append(r),
            )
            seconds = time.perf_counter() - begun
            reported = {r.booking_id for r in results}
            lost = count - len(reported)
            lost += sum(
                1 for r in results if r.status in {"ok", "warning"} and not (out / (r.output or "")).is_file()
            )
            lost += sum(1 for r in results if r.status == "failed" and "worker" in r.message)
            memory = max((r.worker.get("peak_mb", 0.0) for r in results if r.worker), default=0.0)
            made = summary.ok + summary.warning
            print(
                f"chunk {n + 1}: {count} rows ({'font_files' if font_files else 'installed family'}), "
                f"lost {lost}, restarts {summary.worker_restarts}, {made} guides, "
                f"{summary.failed} failed, {made / seconds:.2f} guides/s, peak worker {memory:.0f} MB",
                flush=True,
            )
            for r in results:
                if r.status == "failed":
                    print(f"  failed line {r.line}: {r.message[:160]}")
            total_lost += lost
            total_restarts += summary.worker_restarts
            total_ok += made
            total_seconds += seconds
            peak = max(peak, memory)
            shutil.rmtree(out, ignore_errors=True)
    print(
        f"total: {args.rows} rows, lost {total_lost}, worker restarts {total_restarts}, "
        f"{total_ok / total_seconds:.2f} guides/s with {args.jobs} workers, peak worker {peak:.0f} MB"
    )
    return 1 if total_lost else 0


if __name__ == "__main__":
    raise SystemExit(main())
