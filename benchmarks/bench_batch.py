"""Batch throughput and memory: prints numbers, asserts nothing (machines are noisy).

    .venv/bin/python benchmarks/bench_batch.py --rows 100 --memory-rows 1000

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
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from guidebook.batch.run import run_batch  # noqa: E402
from guidebook.batch.types import BatchSettings  # noqa: E402
from guidebook.options import GuideOptions  # noqa: E402

SAMPLES = ROOT / "samples"
STAGES = ("plan", "html", "layout", "write", "save")
SAMPLE_OPTIONS = GuideOptions(clinics=SAMPLES / "clinics.yaml", brand=SAMPLES / "brand.yaml")


def make_bookings(folder: Path, rows: int) -> Path:
    """N bookings shaped like the sample traveler (same size of guide), as an agency's week: every
    booking has one of six names, its own arrival date (so its own dates, itinerary and checklists) and
    medical details; they share the agency's package (treatments), partner clinic and one of
    three partner hotels."""
    path = folder / "bookings.csv"
    header = (
        "booking_id,name,home_currency,arrival,departure,hotel_name,hotel_address,"
        "hotel_address_ko,treatments,clinic,allergies,emergency_contact_name,"
        "emergency_contact_phone\n"
    )
    names = ["Olivia Park-Martin", "김민지", "Tanaka Yui", "Chen Mei", "José Núñez", "Lin Yu-ting"]
    hotels = [
        'Hanok Garden Stay Sinsa,"18 Dosan-daero 15-gil, Gangnam-gu, Seoul",'
        "서울특별시 강남구 도산대로15길 18",
        'Hotel Cappuccino,"155 Bongeunsa-ro, Gangnam-gu, Seoul",서울특별시 강남구 봉은사로 155',
        'L7 Myeongdong,"137 Toegye-ro, Jung-gu, Seoul",서울특별시 중구 퇴계로 137',
    ]
    allergies = ["lidocaine;latex", "", "penicillin", "lidocaine", "aspirin;latex"]
    with path.open("w", encoding="utf-8") as handle:
        handle.write(header)
        for i in range(rows):
            arrival = date(2026, 9, 19) + timedelta(days=i % 365)
            departure = arrival + timedelta(days=11)
            handle.write(
                f"BENCH-{i:05d},{names[i % len(names)]},USD,{arrival}T15:20,{departure}T18:45,"
                f"{hotels[i % len(hotels)]},pico-laser:2;rejuran-healer:1;exosome:1;hydrafacial,"
                f"haneul-skin-sinsa,{allergies[i % len(allergies)]},Daniel Martin,+1 206 555 0188\n"
            )
    return path


def run(
    bookings: Path, out: Path, jobs: int, options: GuideOptions = SAMPLE_OPTIONS
) -> tuple[float, int, list]:
    results = []
    settings = BatchSettings(out_dir=out, jobs=jobs, guide=options)
    start = time.perf_counter()
    summary = run_batch(bookings, settings, on_result=lambda r, s: results.append(r))
    seconds = time.perf_counter() - start
    assert summary.failed == 0, [r.message for r in results if r.status == "failed"][:3]
    return seconds, summary.ok, results


def bare_weasyprint_ms(options: GuideOptions, repeats: int = 8) -> tuple[float, float, float]:
    """Warm medians for the sample's HTML: plain WeasyPrint (HTML().write_pdf, tagged when the
    guides are); guidebook's render laid out in one pass; and guidebook's render reusing the shared
    sections' layout."""
    from weasyprint import CSS, HTML

    from guidebook.guide import GuideRenderer, load_inputs, plan_guide

    inputs = load_inputs(SAMPLES / "traveler.yaml", options)
    one_pass = GuideRenderer(options, brand=inputs.brand)
    reusing = GuideRenderer(options, brand=inputs.brand, reuse=True)
    html = reusing.render(inputs, plan_guide(inputs)).html
    css = CSS(filename=str(ROOT / "styles" / "guide.css"))
    times: list[list[float]] = [[], [], []]
    for _ in range(repeats):
        for spent, run_once in zip(
            times,
            (
                lambda: HTML(string=html, base_url=str(ROOT / "templates")).write_pdf(
                    stylesheets=[css], pdf_tags=options.tagged
                ),
                lambda: one_pass.render(inputs, plan_guide(inputs)),
                lambda: reusing.render(inputs, plan_guide(inputs)),
            ),
            strict=True,
        ):
            start = time.perf_counter()
            run_once()
            spent.append(time.perf_counter() - start)
    bare, ours, reused = (statistics.median(t) * 1000 for t in times)
    return bare, ours, reused


def memory_profile(results: list, checkpoints: tuple[int, ...]) -> dict[int, float]:
    """The resident memory (MB) of the worker that made the Nth guide, for each checkpoint N
    (workers are replaced every WORKER_GUIDES guides, so this follows the batch, not a pid)."""
    rss = [r.worker["rss_mb"] for r in results if r.worker]
    return {n: rss[n - 1] for n in checkpoints if len(rss) >= n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=120, help="guides per speed run")
    parser.add_argument(
        "--memory-rows",
        type=int,
        default=0,
        help="also run one worker over this many guides and report memory",
    )
    parser.add_argument(
        "--no-tags", action="store_true", help="untagged PDFs (default: tagged, as guidebook makes)"
    )
    parser.add_argument(
        "--format",
        default="a5",
        choices=["a5", "a6", "a4", "letter"],
        help="page size of the guides (default: a5, as guidebook makes)",
    )
    args = parser.parse_args()
    options = replace(SAMPLE_OPTIONS, tagged=not args.no_tags, page_format=args.format)
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.rows:  # --rows 0: memory only
            bookings = make_bookings(folder, args.rows)
            one_s, one_n, one = run(bookings, folder / "one", 1, options)
            all_s, all_n, every = run(bookings, folder / "all", cores, options)
            tags = "tagged" if options.tagged else "untagged"
            pages = _pages(folder / "one")
            print(f"guides: {args.rows} (the sample guide, {args.format}, {pages} pages, {tags})")
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
            last = {int(r.worker["pid"]): r.worker for r in one if r.worker}.values()
            hits, misses = sum(w["reuse_hits"] for w in last), sum(w["reuse_misses"] for w in last)
            share = 100 * hits / max(1, hits + misses)
            print(
                f"reused section layouts: {hits} of {hits + misses} ({share:.0f}%), "
                f"{sum(w['one_pass'] for w in last):.0f} guides laid out in one pass"
            )
            bare, ours, reused = bare_weasyprint_ms(options)
            print(
                f"warm, the sample's HTML: bare WeasyPrint {bare:.0f} ms; "
                f"guidebook in one pass {ours:.0f} ms "
                f"(overhead {100 * (ours - bare) / bare:+.1f}%); guidebook reusing layouts {reused:.0f} ms "
                f"({100 * (reused - bare) / bare:+.1f}%)"
            )
            peaks = [r.worker["peak_mb"] for r in every if r.worker]
            pss = [r.worker.get("pss_mb", 0) for r in every if r.worker]
            print(
                f"memory per worker: peak RSS {max(peaks):.0f} MB (counting pages shared with the "
                f"parent), largest PSS {max(pss):.0f} MB (shared pages split between processes)"
            )
        if args.memory_rows:
            bookings = make_bookings(folder, args.memory_rows)
            _, _, long_run = run(bookings, folder / "mem", 1, options)
            checkpoints = sorted({50, min(500, args.memory_rows), args.memory_rows})
            marks = memory_profile(long_run, tuple(checkpoints))
            peak = max(r.worker["rss_mb"] for r in long_run if r.worker)
            text = ", ".join(f"after {n}: {mb:.0f} MB" for n, mb in marks.items())
            text += f"; highest {peak:.0f} MB"
            print(f"one worker's memory over {args.memory_rows} guides: {text}")


def _pages(folder: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(next(folder.glob("*.pdf"))).pages)


if __name__ == "__main__":
    main()
