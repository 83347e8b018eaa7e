"""After a burst of songs and huge bodies, the served emulator's memory comes back down.

The server is a child process; its resident memory, with its render workers', is read
from /proc before and after each burst, once it has settled.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from ._serving import Served, served
from .conftest import KEY

WORKERS = 2
SONGS = 16
IN_FLIGHT = 16
# What may stay resident after load: each render worker's imports (~45 MiB) and caches
# (at most 16 MiB of bars and notes, 8 of wavetables), and some growth of the server's own
# heap. Before the fix, one process rose by 250-400 MiB and stayed there.
WORKER_BUDGET_MIB = 80
SERVER_GROWTH_MIB = 24
# From one burst to the next, once warm: no creep.
CREEP_MIB = 16


def settled_rss(server: Served, timeout_s: float = 20.0) -> float:
    """The server's RSS once two readings 1 s apart agree within 2 MiB."""
    deadline = time.monotonic() + timeout_s
    last = server.rss_mib()
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = server.rss_mib()
        if abs(now - last) < 2.0:
            return now
        last = now
    return last


async def burst(url: str) -> list[int]:
    """SONGS 30 s songs and as many huge bodies (refused: 413, 422), IN_FLIGHT at a time."""
    limit = asyncio.Semaphore(IN_FLIGHT)
    too_large = b'{"prompts": [], "lyrics": "' + b"la " * 1_500_000 + b'"}'
    wrong = b'{"prompts": "' + b"x" * 900_000 + b'"}'

    async def send(client: httpx.AsyncClient, n: int) -> int:
        async with limit:
            if n % 2:
                body = too_large if n % 4 == 1 else wrong
                return (await client.post("/riff", content=body)).status_code
            answer = await client.post("/topic", json={"topic": f"a song about burst {n}"})
            answer.json()  # the whole 7 MB answer is read, as a client would
            return answer.status_code

    pool = httpx.Limits(max_connections=IN_FLIGHT)
    async with httpx.AsyncClient(base_url=url, headers=KEY, limits=pool, timeout=300) as client:
        return await asyncio.gather(*(send(client, n) for n in range(2 * SONGS)))


@pytest.mark.slow
def test_memory_returns_to_a_steady_level_after_load() -> None:
    with served("--workers", str(WORKERS), "--duration", "30") as server:
        at_rest = settled_rss(server)
        after = []
        for _ in range(3):
            statuses = asyncio.run(burst(server.url))
            assert sorted(set(statuses)) == [200, 413, 422]
            after.append(settled_rss(server))
        workers = len(server.processes()) - 1
    print(f"RSS at rest {at_rest:.0f} MiB, settled after each burst {after}")
    assert workers == WORKERS
    budget = at_rest + WORKERS * WORKER_BUDGET_MIB + SERVER_GROWTH_MIB
    assert after[0] <= budget, f"at rest {at_rest:.0f} MiB, after load {after}"
    assert after[-1] <= after[0] + CREEP_MIB, f"at rest {at_rest:.0f} MiB, after load {after}"
