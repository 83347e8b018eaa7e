"""Render worker processes: the same songs as in process, started on demand, never leaked."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from riff_api.emulator._pool import RenderError, RenderPool
from riff_api.emulator._render import PromptSpec, RenderJob, render

from ._serving import served, wait_for
from .conftest import KEY

LYRICS = "Hello from outer space\nCan you hear me?"


def job(seed: int = 7, audio_format: str = "wav", duration_s: float = 1.5) -> RenderJob:
    prompts = (PromptSpec("lo-fi piano", 4.0, 0.0, 1.0), PromptSpec("jazz", 3.0, 0.5, 1.5))
    return RenderJob(prompts, LYRICS, seed, duration_s, audio_format)  # type: ignore[arg-type]


def gone(pid: int) -> bool:
    """Whether process ``pid`` has exited (a zombie nobody reaped has exited too)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


@pytest.mark.parametrize("audio_format", ["wav", "mp3", "m4a"])
def test_a_worker_renders_what_this_process_renders(audio_format: str) -> None:
    with RenderPool(1) as pool:
        assert pool.render(job(audio_format=audio_format)) == render(job(audio_format=audio_format))


def test_a_worker_renders_the_second_generations_voice_and_weirdness() -> None:
    odd = dataclasses.replace(job(audio_format="m4a"), voice_level=1.6, weirdness=0.7)
    with RenderPool(1) as pool:
        song = pool.render(odd)
    assert song == render(odd)
    assert song.audio_b64 != render(job(audio_format="m4a")).audio_b64


def test_workers_start_on_demand_and_stop_with_the_pool() -> None:
    pool = RenderPool(2)
    assert pool.pids() == []
    pool.render(job())
    assert len(pool.pids()) == 1  # one at a time needs one worker
    with ThreadPoolExecutor(4) as threads:
        songs = list(threads.map(pool.render, [job(seed) for seed in range(4)]))
    assert songs == [render(job(seed)) for seed in range(4)]
    pids = pool.pids()
    assert 1 <= len(pids) <= 2
    pool.close()
    assert pool.pids() == []
    assert all(gone(pid) for pid in pids)
    with pytest.raises(RenderError, match="closed"):
        pool.render(job())


def test_a_dead_worker_is_replaced_and_the_job_still_rendered() -> None:
    with RenderPool(1) as pool:
        pool.render(job())
        (pid,) = pool.pids()
        os.kill(pid, signal.SIGKILL)
        assert wait_for(lambda: gone(pid))
        assert pool.render(job(3)) == render(job(3))
        assert pool.pids() != [pid]


def test_a_failing_job_is_a_render_error_and_the_worker_lives_on() -> None:
    with RenderPool(1) as pool:
        pool.render(job())
        pids = pool.pids()
        with pytest.raises(RenderError, match="KeyError"):
            pool.render(job(audio_format="ogg"))
        assert pool.pids() == pids
        assert pool.render(job(5)) == render(job(5))


def test_a_pool_needs_a_worker() -> None:
    with pytest.raises(ValueError, match="at least one"):
        RenderPool(0)


def test_workers_exit_when_their_server_is_killed() -> None:
    program = textwrap.dedent(
        """
        import sys, time
        from riff_api.emulator._pool import RenderPool
        from riff_api.emulator._render import PromptSpec, RenderJob
        pool = RenderPool(1)
        pool.render(RenderJob((PromptSpec("jazz", 4.0, 0.0, 1.0),), None, 1, 1.0, "wav"))
        print(pool.pids()[0], flush=True)
        time.sleep(600)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        assert not gone(worker)
    finally:
        parent.kill()  # no clean-up runs: only the end of the worker's stdin tells it
        parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()
    assert wait_for(lambda: gone(worker))


def test_the_served_emulator_renders_in_workers_that_end_with_it() -> None:
    riff = {"prompts": [{"text": "jazz"}], "lyrics": LYRICS, "seed": 11}
    with served("--workers", "2", "--duration", "1.5") as server:
        with httpx.Client(base_url=server.url, headers=KEY, timeout=60) as client:
            first = client.post("/riff", json=riff)
            with ThreadPoolExecutor(4) as threads:
                again = list(threads.map(lambda _: client.post("/riff", json=riff), range(4)))
        workers = server.processes()[1:]
    assert 1 <= len(workers) <= 2
    assert all(gone(pid) for pid in workers)
    assert first.status_code == 200
    # The same request and seed give the same song, whichever worker rendered it.
    for answer in again:
        assert answer.json()["audio_b64"] == first.json()["audio_b64"]
        assert answer.json()["timestamped_lyrics"] == first.json()["timestamped_lyrics"]
