"""The served emulator under load: songs per second one at a time and 16 in flight, and RSS.

``run()`` starts one ``riff serve`` (30 s wav songs, its default render workers) and, with
``benchmarks/client_worker.py ours-batch`` in a process of its own, asks it for songs one
at a time, then 16 in flight, ``repeats`` times each; then it reads the resident memory of
the server and its workers together, once settled after the last 16-in-flight run. Every
request is a /topic with its own topic, so every song is a new one (no cache helps).
Run by ``scripts/bench --only emulator``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["GOAL_RATIO", "GOAL_RSS_MIB", "run"]

GOAL_RATIO = 1.4
"""16 in flight must make songs at least this many times faster than one at a time."""
GOAL_RSS_MIB = 200.0
"""The server and its workers together, after a burst."""

HERE = Path(__file__).resolve().parent
SINGLE_SONGS = 12
PARALLEL_SONGS = 32
IN_FLIGHT = 16
_KEY = "bench-key"


def _serving(*options: str) -> contextlib.AbstractContextManager[tuple[str, int]]:
    """``riff serve`` on a free port making 30 s songs: (base URL, pid)."""
    from benchmarks.suite import started_process

    return started_process(
        [sys.executable, "-m", "riff_api.cli", "serve", "--port", "0", "--log-level",
         "warning", "--no-access-log", "--duration", "30", *options]
    )  # fmt: skip


def _songs_per_second(url: str, songs: int, concurrency: int) -> float:
    env = {**os.environ, "BENCH_API_KEY": _KEY}
    env.pop("RIFF_API_LOG", None)
    command = [sys.executable, str(HERE / "client_worker.py"), "ours-batch", "--url", url,
               "--calls", str(songs), "--concurrency", str(concurrency)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"the client failed: {done.stderr.strip()[-400:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return songs / float(result["wall_s"])


def _tree(pid: int) -> list[int]:
    found = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def memory_mib(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of ``pid`` and its children together, in MiB.

    RSS counts the pages the processes share (libraries, the interpreter) once per
    process; PSS splits them among the sharers, so it sums to what they really hold.
    """
    rss = pss = 0
    for member in _tree(pid):
        with contextlib.suppress(OSError):
            rollup = Path(f"/proc/{member}/smaps_rollup").read_text()
            rss += int(re.search(r"^Rss:\s+(\d+)", rollup, re.M).group(1))  # type: ignore[union-attr]
            pss += int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1))  # type: ignore[union-attr]
    return rss / 1024, pss / 1024


def _settled(pid: int) -> tuple[float, float]:
    # The server hands memory back within a second or two of going idle.
    last = memory_mib(pid)
    for _ in range(10):
        time.sleep(1.0)
        now = memory_mib(pid)
        if abs(now[0] - last[0]) < 2.0:
            return now
        last = now
    return last


def run(repeats: int = 3, workers: int | None = None) -> dict[str, float]:
    """Medians of songs/s one at a time and 16 in flight, their ratio, and the memory."""
    options = () if workers is None else ("--workers", str(workers))
    with _serving(*options) as (url, pid):
        _songs_per_second(url, 4, 4)  # warm: the workers started, their caches filled
        single, parallel = [], []
        for _ in range(repeats):
            single.append(_songs_per_second(url, SINGLE_SONGS, 1))
            parallel.append(_songs_per_second(url, PARALLEL_SONGS, IN_FLIGHT))
        rss, pss = _settled(pid)
        processes = len(_tree(pid))
    one, many = statistics.median(single), statistics.median(parallel)
    return {
        "single_songs_s": one,
        "parallel_songs_s": many,
        "ratio": many / one,
        "single_spread": max(single) - min(single),
        "parallel_spread": max(parallel) - min(parallel),
        "rss_mib": rss,
        "pss_mib": pss,
        "processes": processes,
    }
