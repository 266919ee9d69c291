"""Single guides on request (batch/service.py): the batch's warm workers making a PDF, its HTML
or pictures of its pages; a worker that dies is replaced and its request tried once more; a time
limit; a bounded queue; a host in a process of its own, spoken to through a pipe."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess

import pytest
from helpers import SAMPLES, load_sample, wait_for

from guidebook.batch.service import (
    HostSettings,
    QueueFull,
    RenderOutcome,
    RenderRequest,
    RenderService,
    host_main,
)
from guidebook.options import GuideOptions

OPTIONS = GuideOptions(clinics=SAMPLES / "clinics.yaml", brand=SAMPLES / "brand.yaml", timeout=60)


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def test_a_request_says_what_it_makes_and_where(sample):
    with pytest.raises(ValueError, match="unknown output"):
        RenderRequest(sample.profile, OPTIONS, output="png", path="x")
    with pytest.raises(ValueError, match="needs the path"):
        RenderRequest(sample.profile, OPTIONS)
    with pytest.raises(ValueError, match="page numbers"):
        RenderRequest(sample.profile, OPTIONS, output="pages", pages=(0,))
    with pytest.raises(ValueError, match="dpi"):
        RenderRequest(sample.profile, OPTIONS, output="pages", pages=(1,), dpi=5)


def answers(service: RenderService, n: int) -> dict[int, RenderOutcome]:
    got: dict[int, RenderOutcome] = {}
    wait_for(lambda: got.update(service.poll(0.5)[0]) or len(got) >= n, f"{n} answers", timeout=300)
    return got


@pytest.fixture(scope="module")
def service(tmp_path_factory, sample):
    service = RenderService(
        sample.shared, OPTIONS, scratch=tmp_path_factory.mktemp("scratch"), workers=2, queue=2
    )
    service.start(sample.profile)
    yield service
    service.close()


def text_of(path) -> str:
    return " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )


@pytest.mark.slow
def test_warm_workers_make_a_pdf_its_html_and_pictures_of_its_pages(service, sample, tmp_path):
    pocket = GuideOptions(**{**OPTIONS.__dict__, "page_format": "a6"})
    service.submit(1, RenderRequest(sample.profile, OPTIONS, sample.brand, path=str(tmp_path / "g.pdf")))
    service.submit(
        2, RenderRequest(sample.profile, OPTIONS, sample.brand, output="html", path=str(tmp_path / "g.html"))
    )
    service.submit(3, RenderRequest(sample.profile, pocket, sample.brand, output="pages", pages=(1, 3, 999)))
    got = answers(service, 3)
    assert all(o.ok for o in got.values()), {k: o.message for k, o in got.items()}
    assert "Olivia Park-Martin" in text_of(tmp_path / "g.pdf") and got[1].warnings == []
    assert oct((tmp_path / "g.pdf").stat().st_mode & 0o777) == "0o600"  # it holds medical data
    assert "Olivia Park-Martin" in (tmp_path / "g.html").read_text(encoding="utf-8")
    assert len(got[3].images) == 2 and all(i.startswith(b"\x89PNG") for i in got[3].images)
    assert got[1].worker["pid"] != os.getpid()


@pytest.mark.slow
def test_a_worker_that_dies_is_replaced_and_its_request_made_by_the_next(service, sample, tmp_path):
    service.submit(7, RenderRequest(sample.profile, OPTIONS, sample.brand, path=str(tmp_path / "g.pdf")))
    busy = next(s for s in service.slots if s.key == 7)
    os.kill(busy.process.pid, signal.SIGKILL)
    got = answers(service, 1)
    assert got[7].ok and service.restarts >= 1 and (tmp_path / "g.pdf").is_file()
    assert len(service.slots) == 2 and all(s.process.is_alive() for s in service.slots)


@pytest.mark.slow
def test_a_request_past_its_time_limit_is_stopped(service, sample, tmp_path):
    quick = GuideOptions(**{**OPTIONS.__dict__, "timeout": 0.05, "page_format": "a4"})  # a cold renderer
    service.submit(9, RenderRequest(sample.profile, quick, sample.brand, path=str(tmp_path / "g.pdf")))
    got = answers(service, 1)
    assert got[9].status == "failed" and got[9].message == "took longer than 0.05 s and was stopped"
    assert not (tmp_path / "g.pdf").exists()


@pytest.mark.slow
def test_a_full_queue_refuses_with_the_seconds_to_wait(service, sample, tmp_path):
    requests = [
        RenderRequest(sample.profile, OPTIONS, sample.brand, path=str(tmp_path / f"{i}.pdf"))
        for i in range(5)
    ]
    for key, request in enumerate(requests[:4], start=20):  # two being made, two waiting
        service.submit(key, request)
    with pytest.raises(QueueFull) as info:
        service.submit(30, requests[4])
    assert info.value.retry_after >= 1 and service.pending == 4
    assert sorted(answers(service, 4)) == [20, 21, 22, 23]


@pytest.mark.slow
def test_a_host_in_a_process_of_its_own_answers_through_its_pipe(sample, tmp_path):
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    settings = HostSettings(
        options=OPTIONS, scratch=str(tmp_path), workers=1, queue=1, profile=sample.profile
    )
    process = context.Process(target=host_main, args=(child, settings), daemon=True)
    process.start()
    child.close()
    assert parent.poll(300)
    kind, info = parent.recv()
    assert kind == "ready" and info["workers"] == 1
    parent.send(
        ("render", 5, RenderRequest(sample.profile, OPTIONS, sample.brand, path=str(tmp_path / "g.pdf")))
    )
    assert parent.poll(300)
    kind, key, outcome = parent.recv()
    assert (kind, key, outcome.ok) == ("done", 5, True) and (tmp_path / "g.pdf").is_file()
    parent.send(("stop",))
    process.join(60)
    assert process.exitcode == 0 and [p.name for p in tmp_path.iterdir()] == ["g.pdf"]  # its scratch removed


@pytest.mark.slow
def test_a_host_that_cannot_load_its_inputs_says_why(tmp_path):
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    bad = GuideOptions(clinics=tmp_path / "missing.yaml")
    process = context.Process(
        target=host_main, args=(child, HostSettings(options=bad, scratch=str(tmp_path)))
    )
    process.start()
    child.close()
    assert parent.poll(120)
    kind, message = parent.recv()
    process.join(30)
    assert kind == "failed" and "missing.yaml" in message and "file not found" in message


@pytest.mark.slow
def test_a_worker_past_the_memory_limit_is_replaced_after_its_answer(sample, tmp_path, monkeypatch):
    from guidebook.batch import pool

    monkeypatch.setattr(pool, "WORKER_MEMORY_MB", 0.0)  # the server's workers share the batch's rule
    (tmp_path / "scratch").mkdir()
    service = RenderService(sample.shared, OPTIONS, scratch=tmp_path / "scratch", workers=1, queue=4)
    service.start(sample.profile)
    try:
        for key in (1, 2):
            path = str(tmp_path / f"g{key}.pdf")
            service.submit(key, RenderRequest(sample.profile, OPTIONS, sample.brand, path=path))
        got = answers(service, 2)
        assert all(o.ok for o in got.values()) and service.restarts == 0
        assert got[1].worker["pid"] != got[2].worker["pid"]  # a fresh worker for the second guide
    finally:
        service.close()
