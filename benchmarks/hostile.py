"""Hostile servers on 127.0.0.1, and what the client does against each (issue 12's figures).

    .venv/bin/python -m benchmarks.hostile                  # every scenario, this checkout
    .venv/bin/python -m benchmarks.hostile --only drip,tls  # some of them
    .venv/bin/python -m benchmarks.hostile --code /tmp/old  # another checkout's riff_api

The servers run in this process (threads); each client runs in a child process of its own,
whose peak RSS (``wait4``) and wall time are printed with the outcome, so the figures of one
checkout can be set beside another's. ``--code`` puts a checkout's ``riff_api`` (and its
``generated/``) first on the children's path. Nothing here is asserted: the tests in
``tests/client/test_hostile.py`` and ``tests/batch/test_batch_storage.py`` hold the
behaviour; this prints the numbers. Every server stops by itself (a byte cap and a time cap).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

KEY = "sk-hostile-0123456789-SECRET"
#: What an endless server sends at most, and for how long, whatever the client does.
CAP_BYTES = 1536 * 1024 * 1024
CAP_S = 30.0
B64_RUN = b"QUJD" * 65536  # 256 KiB of base64 audio


class Server:
    """A thread that accepts connections on 127.0.0.1 and runs ``answer`` on each."""

    def __init__(self, answer: Callable[[socket.socket], None], wrap: ssl.SSLContext | None):
        self.answer, self.wrap = answer, wrap
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.handshakes_failed = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        self.listener.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self.wrap is not None:
                try:
                    conn = self.wrap.wrap_socket(conn, server_side=True)
                except (ssl.SSLError, OSError):
                    self.handshakes_failed += 1
                    return
            self.answer(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.listener.close()


@contextlib.contextmanager
def serving(
    answer: Callable[[socket.socket], None], wrap: ssl.SSLContext | None = None
) -> Iterator[Server]:
    server = Server(answer, wrap)
    try:
        yield server
    finally:
        server.close()


def read_request(conn: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        more = conn.recv(65536)
        if not more:
            raise ConnectionResetError
        data += more
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(rest) < length:
        rest += conn.recv(65536)


def endless(conn: socket.socket, head: bytes, chunked: bool) -> None:
    read_request(conn)
    conn.sendall(head + (b"" if chunked else b'{"id":"x","audio_b64":"'))
    sent, started = 0, time.monotonic()
    piece = b"%x\r\n%s\r\n" % (len(B64_RUN), B64_RUN) if chunked else B64_RUN
    if chunked:
        first = b'{"id":"x","audio_b64":"'
        conn.sendall(b"%x\r\n%s\r\n" % (len(first), first))
    while sent < CAP_BYTES and time.monotonic() - started < CAP_S:
        conn.sendall(piece)
        sent += len(B64_RUN)


def length_claim(conn: socket.socket) -> None:
    head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2000000000\r\n"
    head += b"\r\n"
    endless(conn, head, chunked=False)


def chunks_without_end(conn: socket.socket) -> None:
    head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n"
    head += b"\r\n"
    endless(conn, head, chunked=True)


def gzip_bomb(audio_chars: int) -> bytes:
    """A gzip-encoded song whose audio is ``audio_chars`` characters of base64 ('A': zeros)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(b'{"id":"x","audio_b64":"')]
    block = b"A" * (64 * 1024 * 1024)
    left = audio_chars
    while left:
        step = min(left, len(block))
        parts.append(packer.compress(block[:step]))
        left -= step
    parts.append(packer.compress(b'","lyrics":null,"timestamped_lyrics":null,"prompts":[]}'))
    parts.append(packer.flush())
    return b"".join(parts)


def small_song() -> bytes:
    audio = b"RIFF" + b"\0" * 4 + b"WAVE" + b"\0" * 2000
    import base64

    return json.dumps(
        {
            "id": "x",
            "audio_b64": base64.b64encode(audio).decode(),
            "lyrics": None,
            "timestamped_lyrics": None,
            "prompts": [],
        }
    ).encode()


def answer_once(body: bytes, extra: bytes = b"") -> Callable[[socket.socket], None]:
    def answer(conn: socket.socket) -> None:
        while True:
            read_request(conn)
            conn.sendall(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n%scontent-length: %d"
                b"\r\n\r\n%s" % (extra, len(body), body)
            )

    return answer


def drip(seconds: int) -> Callable[[socket.socket], None]:
    """Headers one byte a second for ``seconds``, then a whole small song."""
    body = small_song()

    def answer(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nx-drip: ")
        for _ in range(seconds):
            time.sleep(1)
            conn.sendall(b"a")
        conn.sendall(
            b"\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s"
            % (len(body), body)
        )

    return answer


# -- the children ---------------------------------------------------------------------------

CHILD_PRELUDE = """
import json, os, pickle, resource, sys, time
import riff_api
def hwm():  # this process's peak RSS, MiB (unlike ru_maxrss, not inherited through exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
out = dict(code=os.path.dirname(os.path.dirname(riff_api.__file__)), import_rss_mib=hwm())
started = time.monotonic()
"""

CHILD_CALL = (
    CHILD_PRELUDE
    + """
client = riff_api.{cls}(api_key={key!r}, base_url={url!r}, timeout={timeout}, max_retries=0)
try:
    call = client.riff(["x"], save_to={save_to!r} or None)
    if {cls!r} == "AsyncRiffusion":
        import asyncio
        song = asyncio.run(call)
    else:
        song = call
    out["outcome"] = "song of %d audio bytes" % len(song.audio_bytes)
except BaseException as error:
    out["outcome"] = type(error).__name__ + ": " + str(error)[:120]
out["seconds"] = round(time.monotonic() - started, 2)
if {save_to!r}:
    out["file_bytes"] = os.path.getsize({save_to!r}) if os.path.exists({save_to!r}) else None
"""
)


def child_env(code: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("RIFFUSION_API_KEY", "RIFFUSION_BACKEND_URL", "HTTP_PROXY", "HTTPS_PROXY"):
        env.pop(name, None)
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(code), str(code / "generated")])
    return env


def run_child(source: str, code: Path | None, args: list[str] | None = None) -> dict[str, object]:
    """Run a child; its JSON line, its peak RSS (MiB) and wall seconds."""
    started = time.monotonic()
    source += '\nout["peak_rss_mib"] = hwm()\nprint(json.dumps(out))\n'
    argv = args if args is not None else [sys.executable, "-c", source]
    # Run from elsewhere: from this checkout, `python -c` would import its riff_api first.
    child = subprocess.Popen(
        argv,
        env=child_env(code),
        cwd=tempfile.gettempdir(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    assert child.stderr is not None
    out, err = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    found: dict[str, object] = {}
    for line in out.decode(errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            found = json.loads(line)
    if args is not None:
        found["stdout"] = out.decode(errors="replace")[-200:]
        found["stderr"] = err.decode(errors="replace")[-300:]
        found["exit"] = child.returncode
    elif not found:
        found["error"] = err.decode(errors="replace")[-500:]
    if args is not None:  # not our code: its peak as the kernel counts it for a child
        found["peak_rss_mib"] = round(usage.ru_maxrss / 1024, 1)
    found["wall_s"] = round(time.monotonic() - started, 2)
    return found


def call(url: str, code: Path | None, **options: object) -> dict[str, object]:
    settings = {"cls": "Riffusion", "key": KEY, "url": url, "timeout": 60, "save_to": ""}
    settings.update(options)
    return run_child(CHILD_CALL.format(**settings), code)


# -- scenarios -------------------------------------------------------------------------------


def scenario_size(code: Path | None) -> None:
    answers = (("2 GB Content-Length", length_claim), ("endless chunks", chunks_without_end))
    for name, answer in answers:
        with serving(answer) as server:
            report(f"size: {name}", call(f"http://127.0.0.1:{server.port}/v1", code))
    bomb = gzip_bomb(1_000_000_000)
    with (
        tempfile.TemporaryDirectory() as tmp,
        serving(answer_once(bomb, b"content-encoding: gzip\r\n")) as server,
    ):
        target = str(Path(tmp) / "bomb.wav")
        result = call(f"http://127.0.0.1:{server.port}/v1", code, save_to=target)
        result["gzip_body_bytes"] = len(bomb)
        report("size: gzip bomb (1e9 base64 chars)", result)


def scenario_drip(code: Path | None) -> None:
    for cls in ("Riffusion", "AsyncRiffusion"):
        with serving(drip(30)) as server:
            url = f"http://127.0.0.1:{server.port}/v1"
            report(f"drip: {cls} timeout=5", call(url, code, cls=cls, timeout=5))
    with serving(drip(30)) as server:
        url = f"http://127.0.0.1:{server.port}/v1"
        riff = [sys.executable, "-m", "riff_api.cli", "riff", "--prompt", "x", "-o", "-"]
        argv = [*riff, "--base-url", url, "--api-key", KEY, "--timeout", "5", "--max-retries", "0"]
        result = run_child("", code, argv)
        report("drip: CLI --timeout 5 --max-retries 0", result)


CHILD_LEAK = (
    CHILD_PRELUDE
    + """
client = riff_api.Riffusion(api_key={key!r}, base_url={url!r}, max_retries=0)
try:
    client.riff(["x"])
except riff_api.APIError as error:
    out["key_in_repr_headers"] = {key!r} in repr(error.request.headers)
    out["key_in_pickle"] = {key!r}.encode() in pickle.dumps(error)
    try:
        pickle.loads(pickle.dumps(error))
        out["unpickles"] = True
    except Exception as exc:
        out["unpickles"] = type(exc).__name__
for name, bad in (("ctrl-0b", "sk-\\x0b" + {key!r}), ("ctrl-00", "sk-\\x00" + {key!r}),
                  ("non-ASCII", "sk-\\u00e9" + {key!r})):
    try:
        client = riff_api.Riffusion(api_key=bad, base_url={url!r}, max_retries=2)
        client.riff(["x"])
        out[name] = "accepted"
    except BaseException as error:
        out[name] = dict(
            type=type(error).__name__,
            key_in_message={key!r} in str(error),
            attempts=getattr(error, "attempts", None),
        )
"""
)


def scenario_key(code: Path | None) -> None:
    def fail(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 4\r\n\r\nboom")

    with serving(fail) as server:
        url = f"http://127.0.0.1:{server.port}/v1"
        report("key", run_child(CHILD_LEAK.format(key=KEY, url=url), code))


CHILD_LOOKUP = (
    CHILD_PRELUDE
    + """
import socket
looked_up = []
def lookup(host, *args, **kwargs):
    looked_up.append(host)
    raise socket.gaierror(socket.EAI_NONAME, "not looked up in this measurement")
socket.getaddrinfo = lookup
try:
    url = "http://evil.localhost:9/v1"
    client = riff_api.Riffusion(api_key={key!r}, base_url=url, max_retries=0)
    client.riff(["x"])
except BaseException as error:
    out["outcome"] = type(error).__name__ + ": " + str(error)[:100]
out["lookups"] = looked_up
"""
)


def scenario_localhost(code: Path | None) -> None:
    report("plain http to evil.localhost", run_child(CHILD_LOOKUP.format(key=KEY), code))


def scenario_tls(code: Path | None) -> None:
    if shutil.which("openssl") is None:
        print("tls: skipped (no openssl command)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = Path(tmp) / "cert.pem", Path(tmp) / "key.pem"
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
                *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
                *("-keyout", str(key), "-out", str(cert)),
            ],
            check=True,
            capture_output=True,
        )
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        with serving(answer_once(small_song()), wrap=context) as server:
            source = CHILD_CALL.replace("max_retries=0", "max_retries=2")
            url = f"https://127.0.0.1:{server.port}/v1"
            result = run_child(
                source.format(cls="Riffusion", key=KEY, url=url, timeout=30, save_to=""), code
            )
            time.sleep(0.3)
            result["handshakes"] = server.connections
            report("tls: self-signed certificate, max_retries=2", result)


CHILD_BATCH = (
    CHILD_PRELUDE
    + """
import asyncio
line = '{{"id": "song-%02d", "prompts": [{{"text": "x"}}]}}'
jobs = riff_api.parse_jobs([line % i for i in range(12)])
async def main():
    async with riff_api.AsyncRiffusion(api_key={key!r}, base_url={url!r}, max_retries=0) as c:
        return await riff_api.batch(jobs, client=c, out_dir={out!r}, concurrency=2)
try:
    report = asyncio.run(main())
    out["outcome"] = "report: ok %d, failed %d" % (report.count("ok"), report.count("failed"))
except BaseException as error:
    out["outcome"] = type(error).__name__ + ": " + str(error)[:160]
"""
)


def fill(folder: Path, leave: int) -> None:
    """Fill ``folder``'s file system until only ``leave`` bytes (whole pages) are free."""
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    with open(folder / "filler", "wb") as fh:
        fh.write(b"\0" * max(0, free - leave))


def scenario_batch(code: Path | None) -> None:
    """12 jobs, 2 in flight, on a small tmpfs. First the disk fills up with songs of 200 KiB
    by itself (an audio file is the first thing that cannot be written); then, when the 4th
    request arrives, the disk is filled but for room for one song's audio of 64 KiB (its
    manifest line is the first thing that cannot be written)."""
    batch_on_tmpfs(code, "1m", 200 * 1024, fill_at=None)
    batch_on_tmpfs(code, "4m", 64 * 1024, fill_at=4)


def batch_on_tmpfs(code: Path | None, size: str, audio_size: int, fill_at: int | None) -> None:
    mount = Path(tempfile.mkdtemp(prefix="riff-full-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True
    )
    if mounted.returncode != 0:
        print(f"batch: skipped (cannot mount a tmpfs: {mounted.stderr.decode().strip()})")
        mount.rmdir()
        return
    try:
        audio = b"RIFF" + b"\0" * 4 + b"WAVE" + os.urandom(audio_size - 12)
        import base64

        words = [{"text": "la", "start_s": i * 0.1} for i in range(400)]
        body = json.dumps(
            {
                "id": "x",
                "audio_b64": base64.b64encode(audio).decode(),
                "lyrics": "la " * 400,
                "timestamped_lyrics": words,
                "prompts": [],
            }
        ).encode()
        requests: list[float] = []
        full_at: list[int] = []

        def answer(conn: socket.socket) -> None:
            while True:
                read_request(conn)
                requests.append(time.monotonic())
                if len(requests) == fill_at:
                    full_at.append(len(requests))
                    with contextlib.suppress(OSError):  # a song being saved took room first
                        fill(mount, leave=len(audio))
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d"
                    b"\r\n\r\n%s" % (len(body), body)
                )

        with serving(answer) as server:
            url = f"http://127.0.0.1:{server.port}/v1"
            out = str(mount / "songs")
            result = run_child(CHILD_BATCH.format(key=KEY, url=url, out=out), code)
        manifest = mount / "songs" / "manifest.jsonl"
        lines = manifest.read_bytes().split(b"\n") if manifest.exists() else []
        torn = 0
        for line in lines:
            if line:
                try:
                    json.loads(line)
                except ValueError:
                    torn += 1
        saved = len(list((mount / "songs").glob("*.wav")))
        result.update(
            requests_sent=len(requests),
            requests_after_full=len(requests) - full_at[0] if full_at else None,
            songs_saved=saved,
            manifest_lines=sum(1 for line in lines if line),
            torn_lines=torn,
        )
        how = f"filled at request {fill_at}" if fill_at else "filling up by itself"
        report(f"batch: a {size} tmpfs {how}, songs of {audio_size // 1024} KiB", result)
    finally:
        subprocess.run(["umount", str(mount)], check=False)
        mount.rmdir()


def scenario_escaped(code: Path | None) -> None:
    source = (
        CHILD_PRELUDE
        + """
from riff_api._receive import parse_song
from riff_api._models import RiffResponse, parse_whole_song
body = (b'{"id":"x","prompts":[{"text":"a","audio_b64":"QUJD"}],"audio\\\\u005fb64":"",'
        b'"lyrics":null,"timestamped_lyrics":null}')
out["streamed"] = repr(parse_song(body).audio_bytes)
out["whole"] = repr(parse_whole_song(body, RiffResponse).audio_bytes)
"""
    )
    report("escaped key", run_child(source, code))


SCENARIOS: dict[str, Callable[[Path | None], None]] = {
    "size": scenario_size,
    "drip": scenario_drip,
    "escaped": scenario_escaped,
    "key": scenario_key,
    "localhost": scenario_localhost,
    "tls": scenario_tls,
    "batch": scenario_batch,
}


def report(name: str, result: dict[str, object]) -> None:
    print(f"{name}: {json.dumps(result)}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SCENARIOS), help="scenarios, comma-separated")
    parser.add_argument("--code", type=Path, help="the checkout whose riff_api the children run")
    args = parser.parse_args(argv)
    for name in args.only.split(","):
        SCENARIOS[name](args.code.resolve() if args.code else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
