"""The server's side of rendering (serve/renders.py): a render host started with `spawn`, awaited
without blocking the event loop, bounded (RenderBusy), restarted with a new brand, and a host
that cannot start or dies said as a RenderError."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest
from helpers import SAMPLES, load_sample

from guidebook.batch.service import HostSettings, RenderRequest
from guidebook.errors import RenderError
from guidebook.options import GuideOptions
from guidebook.serve.renders import RenderBusy, RenderClient, with_choices

OPTIONS = GuideOptions(clinics=SAMPLES / "clinics.yaml", brand=SAMPLES / "brand.yaml", timeout=60)


def test_the_queue_is_bounded_before_any_host_starts(tmp_path):
    client = RenderClient(HostSettings(options=OPTIONS, scratch=str(tmp_path), workers=1, queue=1))
    assert client.capacity == 2 and client.pending == 0 and client.retry_after() == 1
    client.capacity = 0
    sample = load_sample()
    request = RenderRequest(sample.profile, OPTIONS, sample.brand, path=str(tmp_path / "g.pdf"))
    with pytest.raises(RenderBusy) as info:
        asyncio.run(client.render(request))
    assert info.value.retry_after == 1 and client.host is None


def test_new_settings_for_a_new_brand(tmp_path):
    settings = HostSettings(options=OPTIONS, scratch=str(tmp_path))
    changed = with_choices(settings, brand=tmp_path / "brand.yaml")
    assert changed.options.brand == tmp_path / "brand.yaml" and changed.options.clinics == OPTIONS.clinics


@pytest.mark.slow
def test_guides_are_awaited_from_a_host_that_is_restarted_with_a_new_brand(tmp_path):
    sample = load_sample()
    settings = HostSettings(
        options=OPTIONS, scratch=str(tmp_path), workers=1, queue=2, profile=sample.profile
    )

    async def scenario() -> None:
        client = RenderClient(settings)
        try:
            info = await client.start()
            assert info["workers"] == 1
            requests = [
                RenderRequest(sample.profile, OPTIONS, sample.brand, path=str(tmp_path / f"{i}.pdf"))
                for i in range(2)
            ]
            outcomes = await asyncio.gather(*(client.render(r) for r in requests))
            assert all(o.ok for o in outcomes) and client.pending == 0
            first = client.host
            await client.restart(with_choices(settings, brand=None))
            assert client.host is not first and client.old == []  # the idle old host was let go
            outcome = await client.render(
                RenderRequest(sample.profile, OPTIONS, None, path=str(tmp_path / "n.pdf"))
            )
            assert outcome.ok
            os.kill(
                client.host.process.pid, signal.SIGKILL
            )  # a host that dies: the next request starts another
            await asyncio.to_thread(client.host.process.join, 30)
            outcome = await client.render(
                RenderRequest(sample.profile, OPTIONS, None, path=str(tmp_path / "m.pdf"))
            )
            assert outcome.ok
        finally:
            await client.close()

    asyncio.run(scenario())


@pytest.mark.slow
def test_a_host_that_cannot_start_is_a_render_error(tmp_path):
    bad = HostSettings(options=GuideOptions(clinics=tmp_path / "missing.yaml"), scratch=str(tmp_path))

    async def scenario() -> None:
        client = RenderClient(bad)
        try:
            with pytest.raises(RenderError, match="could not start"):
                await client.start()
        finally:
            await client.close()

    asyncio.run(scenario())
