"""Make N calls with one client in this process and print what they cost, as one JSON line.

Run by ``benchmarks.suite`` in a subprocess per client, so that each client's peak RSS is its
own: ``ours`` (riff_api.Riffusion), ``official`` (riff-api 0.1.5, run under its own venv,
where ``import riff_api`` is the official package), ``raw`` (httpx, buffered ``.content``,
json.loads, stdlib base64), ``floor`` (a raw socket into one buffer: the least a call can
cost), and ``ours-batch`` (riff_api.batch, for throughput). Stdlib
only at import time: the kind's library is imported once the baseline memory is read.

    python benchmarks/client_worker.py ours --url http://127.0.0.1:8000/v1 --calls 30
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_PAGE = os.sysconf("SC_PAGE_SIZE")
_MIB = 1024 * 1024


def current_rss_mib() -> float:
    """This process's resident memory now (not its peak), from /proc."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * _PAGE / _MIB


def peak_rss_mib() -> float:
    """This process's peak resident memory so far: VmHWM, in KiB.

    Not ru_maxrss: Linux carries that through fork and exec, so a worker started by a big
    parent (the suite, once the emulator section has loaded numpy) reported the parent's size.
    """
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ours(url: str, key: str) -> Callable[[Path], None]:
    import riff_api

    client = riff_api.Riffusion(api_key=key, base_url=url, max_retries=0)

    def call(path: Path) -> None:
        client.topic("benchmark song", save_to=path)

    return call


def _official(url: str, key: str) -> Callable[[Path], None]:
    # riff-api 0.1.5 reads its base URL once, at import.
    os.environ["RIFFUSION_BACKEND_URL"] = url
    import riff_api

    if hasattr(riff_api, "Riffusion"):
        raise SystemExit("this interpreter imports our riff_api, not the official 0.1.5")

    def call(path: Path) -> None:
        riff_api.create_from_topic("benchmark song", api_key=key, save_to=str(path))

    return call


def _compose(url: str, key: str) -> Callable[[Path], None]:
    # The same code for riff-api 0.4.2 and riff_api: RiffAPIClient is the drop-in.
    from riff_api import RiffAPIClient, SoundPrompt

    client = RiffAPIClient(api_url=url, api_key=key)

    def call(path: Path) -> None:
        client.compose([SoundPrompt(text="indie pop")], save_to=str(path.with_suffix(".m4a")))

    return call


def _ours_async(url: str, key: str, calls: int, warmup: int, out: Path) -> dict[str, Any]:
    """AsyncRiffusion's CPU per call against Riffusion's, in turns in one process: a pair of
    calls a moment apart meets the same load, where two processes a minute apart did not
    (the ratio ranged 0.96-1.27 over two runs measured that way)."""
    import asyncio

    import riff_api

    loop = asyncio.new_event_loop()
    sync_client = riff_api.Riffusion(api_key=key, base_url=url, max_retries=0)
    async_client = riff_api.AsyncRiffusion(api_key=key, base_url=url, max_retries=0)
    found: dict[str, list[float]] = {"cpu_ms": [], "sync_cpu_ms": []}
    try:
        for n in range(warmup + calls):
            for name in ("sync_cpu_ms", "cpu_ms") if n % 2 else ("cpu_ms", "sync_cpu_ms"):
                cpu0 = time.process_time()
                if name == "cpu_ms":
                    loop.run_until_complete(
                        async_client.topic("benchmark song", save_to=out / "a.wav")
                    )
                else:
                    sync_client.topic("benchmark song", save_to=out / "s.wav")
                if n >= warmup:
                    found[name].append((time.process_time() - cpu0) * 1000)
    finally:
        loop.run_until_complete(async_client.aclose())
        loop.close()
        sync_client.close()
    return dict(found)


def _ours_inflight(url: str, key: str, songs: int) -> dict[str, Any]:
    """``songs`` calls at once with AsyncRiffusion: peak RSS above the import baseline."""
    import asyncio

    import riff_api

    async def go() -> dict[str, Any]:
        async with riff_api.AsyncRiffusion(api_key=key, base_url=url, max_retries=0) as client:
            await client.topic("warm up")  # every module a call needs is in: the baseline
            base = current_rss_mib()
            found = await asyncio.gather(*(client.topic(f"song {n}") for n in range(songs)))
            audio = len(found[0].audio_bytes)
        return {"baseline_mib": base, "peak_rss_mib": peak_rss_mib(), "audio_bytes": audio}

    return asyncio.run(go())


def _floor(url: str, key: str) -> Callable[[Path], None]:
    """The least a call can cost in Python: a raw (TLS) socket read into one buffer, one
    pybase64 decode, one write. It imports what ours imports (httpx, pydantic with a model
    built, attrs) before the baseline is read again, so its peak RSS above that baseline is
    the body and the audio alone; the suite adds the audio to our dependencies' baseline."""
    import socket
    import ssl
    from urllib.parse import urlsplit

    import attrs  # noqa: F401
    import httpx  # noqa: F401
    import pybase64
    import pydantic

    class _Model(pydantic.BaseModel):  # pydantic loads its model machinery on the first one
        x: int

    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 443
    sock: socket.socket = socket.create_connection((host, port))
    if parts.scheme == "https":
        sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
    payload = json.dumps({"topic": "benchmark song", "audio_format": "wav"}).encode()
    request = (
        f"POST {parts.path}/topic HTTP/1.1\r\nhost: {host}:{port}\r\napi-key: {key}\r\n"
        f"content-type: application/json\r\ncontent-length: {len(payload)}\r\n\r\n"
    ).encode() + payload

    def call(path: Path) -> None:
        sock.sendall(request)
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(65536)
        head, _, start = head.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        body = bytearray(length)
        body[: len(start)] = start
        view, got = memoryview(body), len(start)
        while got < length:
            got += sock.recv_into(view[got:])
        begin = body.index(b'"audio_b64"')
        begin = body.index(b'"', begin + len(b'"audio_b64"') + 1) + 1
        end = body.index(b'"', begin)
        path.write_bytes(pybase64.b64decode(view[begin:end]))
        del view

    return call


def _raw(url: str, key: str) -> Callable[[Path], None]:
    import base64

    import httpx

    client = httpx.Client(timeout=300)

    def call(path: Path) -> None:
        response = client.post(
            f"{url}/topic",
            json={"topic": "benchmark song", "audio_format": "wav"},
            headers={"Api-Key": key},
        )
        response.raise_for_status()
        data = json.loads(response.content)
        path.write_bytes(base64.b64decode(data["audio_b64"]))

    return call


def _ours_batch(url: str, key: str, songs: int, concurrency: int, out: Path) -> dict[str, Any]:
    import asyncio

    import riff_api
    from riff_api._batch import Job, batch

    jobs = [
        Job(id=f"song-{n:03d}", request=riff_api.TopicRequest(topic=f"benchmark song {n}"))
        for n in range(songs)
    ]

    async def go() -> float:
        async with riff_api.AsyncRiffusion(api_key=key, base_url=url) as client:
            started = time.perf_counter()
            report = await batch(jobs, client=client, out_dir=out, concurrency=concurrency)
            elapsed = time.perf_counter() - started
        if report.count("ok") != songs:
            raise SystemExit(f"batch made {report.count('ok')} of {songs} songs")
        return elapsed

    return {"wall_s": asyncio.run(go()), "songs": songs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "kind",
        choices=(
            *("ours", "official", "raw", "floor", "compose"),
            *("ours-batch", "ours-async", "ours-inflight"),
        ),
    )
    parser.add_argument("--url", required=True)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    options = parser.parse_args()
    key = os.environ.get("BENCH_API_KEY", "bench-key")
    baseline = current_rss_mib()
    with tempfile.TemporaryDirectory(prefix="riff-bench-") as tmp:
        if options.kind in ("ours-batch", "ours-async", "ours-inflight"):
            if options.kind == "ours-batch":
                result = _ours_batch(
                    options.url, key, options.calls, options.concurrency, Path(tmp)
                )
            elif options.kind == "ours-async":
                result = _ours_async(options.url, key, options.calls, options.warmup, Path(tmp))
            else:
                result = _ours_inflight(options.url, key, options.concurrency)
            result.setdefault("peak_rss_mib", peak_rss_mib())
            print(json.dumps(result), flush=True)
            return
        make = {
            "ours": _ours,
            "official": _official,
            "raw": _raw,
            "floor": _floor,
            "compose": _compose,
        }[options.kind]
        call = make(options.url, key)
        if options.kind == "floor":
            baseline = current_rss_mib()  # its imports are in: what follows is the call's
        path = Path(tmp) / "song.wav"
        for _ in range(options.warmup):
            call(path)
        cpu_ms: list[float] = []
        wall_ms: list[float] = []
        rss_mib: list[float] = []
        for _ in range(options.calls):
            cpu0, wall0 = time.process_time(), time.perf_counter()
            call(path)
            wall_ms.append((time.perf_counter() - wall0) * 1000)
            cpu_ms.append((time.process_time() - cpu0) * 1000)
            rss_mib.append(current_rss_mib())
        audio_bytes = path.stat().st_size if path.exists() else 0
    print(
        json.dumps(
            {
                "cpu_ms": cpu_ms,
                "wall_ms": wall_ms,
                "rss_mib": rss_mib,
                "baseline_rss_mib": baseline,
                "audio_bytes": audio_bytes,
                "peak_rss_mib": peak_rss_mib(),
                "python": sys.version.split()[0],
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
