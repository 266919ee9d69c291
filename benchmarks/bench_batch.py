"""Batch throughput and memory: prints numbers, asserts nothing (machines are noisy).

    .venv/bin/python benchmarks/bench_batch.py --rows 120 --memory-rows 500

Generates N bookings like the sample (each with its own booking id, so nothing is reused
between guides but the clinic and agency QR codes), runs the batch with 1 worker and with one
per core, and prints guides per second, the speed-up, where a guide's time goes, the bare
WeasyPrint time for the same HTML, and worker memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from guidebook.batch import BatchSettings, run_batch  # noqa: E402

SAMPLES = ROOT / "samples"
STAGES = ("plan", "html", "qr", "layout", "write", "save")


def make_bookings(folder: Path, rows: int) -> Path:
    """N bookings shaped like the sample traveler (same size of guide)."""
    path = folder / "bookings.csv"
    header = ("booking_id,name,home_currency,arrival,departure,hotel_name,hotel_address,"
              "hotel_address_ko,treatments,clinic,allergies,emergency_contact_name,"
              "emergency_contact_phone\n")
    names = ["Olivia Park-Martin", "김민지", "Tanaka Yui", "Chen Mei", "José Núñez", "Lin Yu-ting"]
    with path.open("w", encoding="utf-8") as handle:
        handle.write(header)
        for i in range(rows):
            handle.write(
                f"BENCH-{i:05d},{names[i % len(names)]},USD,2026-09-19T15:20,2026-09-30T18:45,"
                "Hanok Garden Stay Sinsa,\"18 Dosan-daero 15-gil, Gangnam-gu, Seoul\","
                "서울특별시 강남구 도산대로15길 18,pico-laser:2;rejuran-healer:1;exosome:1;hydrafacial,"
                "haneul-skin-sinsa,lidocaine;latex,Daniel Martin,+1 206 555 0188\n")
    return path


def run(bookings: Path, out: Path, jobs: int) -> tuple[float, int, list]:
    results = []
    settings = BatchSettings(out_dir=out, jobs=jobs, clinics=SAMPLES / "clinics.yaml",
                             brand=SAMPLES / "brand.yaml")
    start = time.perf_counter()
    summary = run_batch(bookings, settings, on_result=lambda r, s: results.append(r))
    seconds = time.perf_counter() - start
    assert summary.failed == 0, [r.message for r in results if r.status == "failed"][:3]
    return seconds, summary.ok, results


def bare_weasyprint_ms(repeats: int = 8) -> tuple[float, float]:
    """The sample's HTML through plain WeasyPrint (HTML().write_pdf), warm; and ours, warm."""
    from weasyprint import CSS, HTML

    from guidebook.build import GuideRenderer, load_inputs, plan_guide

    inputs = load_inputs(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml",
                         brand=SAMPLES / "brand.yaml")
    renderer = GuideRenderer(brand=inputs.brand)
    html, *_ = renderer.render(inputs, plan_guide(inputs))
    css = CSS(filename=str(ROOT / "styles" / "guide.css"))
    bare, ours = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        HTML(string=html, base_url=str(ROOT / "templates")).write_pdf(stylesheets=[css])
        bare.append(time.perf_counter() - start)
        start = time.perf_counter()
        renderer.render(inputs, plan_guide(inputs))
        ours.append(time.perf_counter() - start)
    return statistics.median(bare) * 1000, statistics.median(ours) * 1000


def memory_profile(results: list, checkpoints: tuple[int, ...]) -> dict[int, float]:
    """Per worker, RSS (MB) when it had done each checkpoint's number of guides."""
    per_worker: dict[int, list[float]] = defaultdict(list)
    for r in results:
        if r.memory:
            per_worker[int(r.memory["pid"])].append(r.memory["rss_mb"])
    out = {}
    for n in checkpoints:
        values = [rss[n - 1] for rss in per_worker.values() if len(rss) >= n]
        if values:
            out[n] = max(values)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=120, help="guides per speed run")
    parser.add_argument("--memory-rows", type=int, default=0,
                        help="also run one worker over this many guides and report memory")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bookings = make_bookings(folder, args.rows)
        one_s, one_n, one = run(bookings, folder / "one", 1)
        all_s, all_n, every = run(bookings, folder / "all", cores)
        print(f"guides: {args.rows} (the sample guide, {_pages(folder / 'one')} pages)")
        print(f"1 worker:  {one_n / one_s:5.2f} guides/s ({one_s:.1f} s)")
        print(f"{cores} workers: {all_n / all_s:5.2f} guides/s ({all_s:.1f} s)")
        print(f"speed-up:  {one_s / all_s:.2f}x")
        print("per guide, 1 worker (median ms):")
        total = 0.0
        for stage in STAGES:
            ms = statistics.median(r.timings.get(stage, 0.0) for r in one) * 1000
            total += ms
            print(f"  {stage:7} {ms:7.1f}")
        print(f"  {'total':7} {total:7.1f}")
        bare, ours = bare_weasyprint_ms()
        print(f"bare WeasyPrint, same HTML, warm: {bare:.0f} ms; guidebook render of it: "
              f"{ours:.0f} ms; overhead {100 * (ours - bare) / bare:+.1f}%")
        peaks = [r.memory["peak_mb"] for r in every if r.memory]
        pss = [r.memory.get("pss_mb", 0) for r in every if r.memory]
        print(f"memory per worker: peak RSS {max(peaks):.0f} MB (counting pages shared with the "
              f"parent), largest PSS {max(pss):.0f} MB (shared pages split between processes)")
        if args.memory_rows:
            bookings = make_bookings(folder, args.memory_rows)
            _, _, long_run = run(bookings, folder / "mem", 1)
            marks = memory_profile(long_run, (50, args.memory_rows))
            text = ", ".join(f"after {n}: {mb:.0f} MB" for n, mb in marks.items())
            print(f"one worker's memory over {args.memory_rows} guides: {text}")


def _pages(folder: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(next(folder.glob("*.pdf"))).pages)


if __name__ == "__main__":
    main()
