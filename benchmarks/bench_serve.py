"""`guidebook serve` under load, on 127.0.0.1 only: prints numbers, asserts nothing.

    .venv/bin/python benchmarks/bench_serve.py --seconds 30 --clients 1,4,16 --rows 100

Starts the server (its own data folder, the sample clinics and brand, a queue long enough that
16 clients wait rather than get 429) on a free port of 127.0.0.1, and measures, for 1, 4 and 16
clients each sending requests one after another for `--seconds`:

- a plan (POST /api/v1/plans), the trip page's live plan (POST /trip/plan, the HTML fragment
  htmx swaps in), a guide's HTML (POST /api/v1/guides?output=html) and a guide's PDF (POST
  /api/v1/guides): p50 and p95 latency, requests a second, 429s;
- a batch of `--rows` bookings through the API (upload, then wait for the zip) against
  `guidebook batch --zip` on the same rows: guides a second;
- memory over `--memory-requests` API requests (plans, HTMLs and PDFs in turn, 4 clients): the
  proportional memory (PSS) of the server and every process it started, every 100 requests.

Every request goes to 127.0.0.1 and the whole run is bounded in time and count.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_batch import make_bookings  # noqa: E402

HOST = "127.0.0.1"  # never anything else
Request = Callable[[http.client.HTTPConnection, int], int]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def sample_profile() -> dict:
    from guidebook.inputs.yaml import plain, read_yaml

    data = plain(read_yaml(SAMPLES / "traveler.yaml"))
    return json.loads(json.dumps(data, default=lambda v: v.isoformat()))


class Server:
    """`guidebook serve` in a process of its own, stopped at the end."""

    def __init__(self, data: Path, port: int):
        self.port = port
        args = [sys.executable, "-m", "guidebook.cli", "serve", "--port", str(port), "--data", str(data)]
        args += ["--clinics", str(SAMPLES / "clinics.yaml"), "--brand", str(SAMPLES / "brand.yaml")]
        args += ["--queue", "64", "--timeout", "120"]
        env = {k: v for k, v in os.environ.items() if k != "GUIDEBOOK_TOKEN"}
        self.process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                if self.call("GET", "/api/v1/catalogue")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.2)

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.port, timeout=600)

    def call(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        connection = self.connection()
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def memory_mb(self) -> tuple[float, float]:
        """(the server's own PSS, the PSS of the server and every process under it) in MB."""
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(parent, []).append(int(entry.name))
        tree, stack = [], [self.process.pid]
        while stack:
            pid = stack.pop()
            tree.append(pid)
            stack += children.get(pid, [])
        sizes = [pss_mb(pid) for pid in tree]
        return sizes[0], sum(sizes)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return float(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def requests_for(server: Server) -> dict[str, Request]:
    """Each kind of request: sends it on a connection, returns the status."""
    profile = sample_profile()

    def body(n: int) -> bytes:  # a name of its own each time: no answer is ever a cached one
        return json.dumps({**profile, "traveler": {**profile["traveler"], "name": f"Guest {n}"}}).encode()

    def post(path: str, headers: dict | None = None) -> Request:
        def send(connection: http.client.HTTPConnection, n: int) -> int:
            connection.request(
                "POST", path, body=body(n), headers={"content-type": "application/json", **(headers or {})}
            )
            response = connection.getresponse()
            response.read()
            return response.status

        return send

    page = server.connection()
    page.request("GET", "/trip?lang=en")
    answer = page.getresponse()
    cookie = answer.getheader("set-cookie", "").split(";")[0]
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', answer.read().decode()).group(1)
    page.close()
    form = "&".join(
        [f"csrf={token}", "language=en", "arrival_date=2026-09-19", "arrival_time=15:20"]
        + ["departure_date=2026-09-30", "departure_time=18:45"]
        + [f"treatment={t}" for t in ("pico-laser", "rejuran-healer", "exosome", "hydrafacial")]
        + ["allergies=lidocaine, latex"]
    )

    def preview(connection: http.client.HTTPConnection, n: int) -> int:
        headers = {
            "content-type": "application/x-www-form-urlencoded",
            "cookie": cookie,
            "x-csrf-token": token,
        }
        connection.request("POST", "/trip/plan", body=f"name=Guest+{n}&{form}".encode(), headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status

    return {
        "plan": post("/api/v1/plans"),
        "plan preview (page)": preview,
        "guide HTML": post("/api/v1/guides?output=html"),
        "guide PDF": post("/api/v1/guides"),
    }


def load(server: Server, send: Request, clients: int, seconds: float, limit: int | None = None) -> dict:
    """`clients` threads sending one request after another for `seconds` (or `limit` requests)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = itertools.count()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        connection = server.connection()
        try:
            while time.monotonic() < stop:
                n = next(counter)
                if limit is not None and n >= limit:
                    return
                started = time.perf_counter()
                try:
                    status = send(connection, n)
                except (OSError, http.client.HTTPException):
                    connection.close()
                    connection = server.connection()
                    status = 0
                elapsed = time.perf_counter() - started
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    if status == 200:
                        latencies.append(elapsed)
        finally:
            connection.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    ordered = sorted(latencies)

    def quantile(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")

    return {
        "ok": len(latencies),
        "p50": quantile(0.50),
        "p95": quantile(0.95),
        "rate": len(latencies) / wall,
        "busy": statuses.get(429, 0),
        "other": {k: v for k, v in statuses.items() if k not in (200, 429)},
    }


def batch_via_api(server: Server, bookings: Path) -> tuple[float, dict]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + bookings.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    started = time.perf_counter()
    status, answer = server.call(
        "POST", "/api/v1/batches", body, {"content-type": f"multipart/form-data; boundary={boundary}"}
    )
    assert status == 201, answer[:300]
    job = json.loads(answer)
    while True:
        job = json.loads(server.call("GET", job["links"]["self"])[1])
        if job["status"] not in {"queued", "running", "checked"}:
            break
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    assert server.call("GET", job["links"]["self"] + "/zip")[0] == 200
    return seconds, job


def batch_via_cli(bookings: Path, out: Path) -> float:
    args = [
        sys.executable,
        "-m",
        "guidebook.cli",
        "batch",
        str(bookings),
        "-o",
        str(out),
        "--zip",
        str(out / "guides.zip"),
    ]
    args += ["--clinics", str(SAMPLES / "clinics.yaml"), "--brand", str(SAMPLES / "brand.yaml"), "-q"]
    started = time.perf_counter()
    subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=30.0, help="seconds of load for each kind and level")
    parser.add_argument("--clients", default="1,4,16", help="numbers of concurrent clients, e.g. 4,16")
    parser.add_argument("--rows", type=int, default=100, help="bookings in the batch comparison (0: skip it)")
    parser.add_argument(
        "--memory-requests", type=int, default=1000, help="API requests of the memory run (0: skip it)"
    )
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",") if c.strip()]
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as folder:
        server = Server(Path(folder) / "data", free_port())
        try:
            kinds = requests_for(server)
            for send in kinds.values():  # warm: the renderers started, each kind made once
                load(server, send, 1, 600, limit=2)
            print(f"{os.cpu_count()} cores; the server's default workers; {args.seconds:g} s for each line")
            print(f"{'request':22} {'clients':>7} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'429s':>5}")
            for name, send in kinds.items():
                for clients in levels:
                    r = load(server, send, clients, args.seconds)
                    other = f"  other: {r['other']}" if r["other"] else ""
                    figures = f"{r['p50']:8.0f} {r['p95']:8.0f} {r['rate']:7.1f} {r['busy']:5d}"
                    print(f"{name:22} {clients:7d} {figures}{other}")
            if args.rows:
                bookings = make_bookings(Path(folder), args.rows)
                cli = batch_via_cli(bookings, Path(folder) / "cli-out")
                api, job = batch_via_api(server, bookings)
                made = job["counts"]["ok"] + job["counts"]["warning"]
                print(
                    f"batch of {args.rows}: CLI {args.rows / cli:.2f} guides/s ({cli:.1f} s), "
                    f"API {made / api:.2f} guides/s ({api:.1f} s, upload to zip): "
                    f"{100 * cli / api:.0f}% of the CLI"
                )
            if args.memory_requests:
                cycle = itertools.cycle([kinds["plan"], kinds["guide HTML"], kinds["guide PDF"]])
                mix_lock = threading.Lock()

                def mixed(connection: http.client.HTTPConnection, n: int) -> int:
                    with mix_lock:
                        send = next(cycle)
                    return send(connection, n)

                own, tree = server.memory_mb()
                series = [f"0: {own:.0f}/{tree:.0f}"]
                for done in range(100, args.memory_requests + 1, 100):
                    load(server, mixed, 4, 3600, limit=100)
                    own, tree = server.memory_mb()
                    series.append(f"{done}: {own:.0f}/{tree:.0f}")
                print("memory (PSS MB, server/server and its processes) after N API requests:")
                print("  " + ", ".join(series))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
