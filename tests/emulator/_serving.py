"""The emulator served over a real 127.0.0.1 socket by ``python -m riff_api.emulator``.

Raw-socket helpers too: the hardening tests speak broken or slow HTTP that no client
library would send.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass
class Served:
    """A running emulator: where it listens, its pid, and what it wrote to stderr."""

    url: str
    port: int
    pid: int
    _log: IO[str]

    def log(self) -> str:
        """Everything the server wrote to stderr so far."""
        self._log.flush()
        self._log.seek(0)
        return self._log.read()

    def connect(self) -> socket.socket:
        """A new TCP connection to the server (blocking, 30 s timeout)."""
        return socket.create_connection(("127.0.0.1", self.port), timeout=30)

    def processes(self) -> list[int]:
        """The server's pid and those of its children (the render workers)."""
        found = [self.pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError):
                    # The parent pid is the 4th field after the ")" that ends the name.
                    stat = (entry / "stat").read_text()
                    if int(stat.rsplit(")", 1)[1].split()[1]) == self.pid:
                        found.append(int(entry.name))
        return found

    def rss_mib(self) -> float:
        """The resident memory of the server and its children together, in MiB."""
        total_kib = 0
        for pid in self.processes():
            with contextlib.suppress(OSError):
                total_kib += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE_KIB
        return total_kib / 1024


@contextlib.contextmanager
def served(*options: str) -> Iterator[Served]:
    """Start the emulator with ``options`` (log level warning unless given); stop it by pid."""
    if "--log-level" not in options:
        options = ("--log-level", "warning", *options)
    with tempfile.TemporaryFile("w+") as log:
        child = subprocess.Popen(
            [sys.executable, "-m", "riff_api.emulator", "--port", "0", *options],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            assert child.stdout is not None
            url = child.stdout.readline().strip()
            match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/v1", url)
            assert match, f"no URL printed: {url!r}"
            yield Served(url=url, port=int(match.group(1)), pid=child.pid, _log=log)
        finally:
            os.kill(child.pid, signal.SIGTERM)
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            if child.stdout is not None:
                child.stdout.close()


@dataclass(frozen=True)
class RawAnswer:
    """An HTTP answer read off a socket until the server closed it."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body, parsed."""
        return json.loads(self.body)


def read_until_closed(sock: socket.socket, timeout_s: float = 30.0) -> bytes:
    """Everything the server sends until it closes the connection.

    Raises:
        TimeoutError: the server still held the connection after ``timeout_s``.
    """
    sock.settimeout(timeout_s)
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def parse_answer(raw: bytes) -> RawAnswer:
    """The status, headers (lower-cased names) and body of one HTTP/1.1 answer."""
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return RawAnswer(status=int(status_line.split()[1]), headers=headers, body=body)


def drain(sock: socket.socket) -> tuple[bytes, bool]:
    """What the server sent on ``sock`` so far, without waiting, and whether it closed it."""
    sock.setblocking(False)
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        closed = True
    except BlockingIOError:
        closed = False
    except OSError:  # reset: closed as well
        closed = True
    finally:
        sock.setblocking(True)
    return b"".join(chunks), closed


def wait_for(condition: Any, timeout_s: float = 30.0, every_s: float = 0.2) -> bool:
    """Poll ``condition()`` until it is true or ``timeout_s`` passed; its last value."""
    deadline = time.monotonic() + timeout_s
    while not (result := condition()) and time.monotonic() < deadline:
        time.sleep(every_s)
    return bool(result)


def raw_request(
    path: str, body: bytes = b"", *, method: str = "POST", **headers: str | int
) -> bytes:
    """The bytes of an HTTP/1.1 request; ``headers`` by name, ``_`` for ``-``."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def read_answer(sock: socket.socket) -> RawAnswer:
    """One whole answer (its head, then ``Content-Length`` bytes), the connection left open."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed mid-answer after {data!r}")
        data += chunk
    answer = parse_answer(data)
    missing = int(answer.headers.get("content-length", "0")) - len(answer.body)
    body = answer.body
    while missing > 0:
        chunk = sock.recv(missing)
        if not chunk:
            raise ConnectionError("closed mid-body")
        body += chunk
        missing -= len(chunk)
    return RawAnswer(answer.status, answer.headers, body)


def dribble_until_closed(
    sock: socket.socket, byte: bytes = b"x", every_s: float = 0.2, timeout_s: float = 30.0
) -> tuple[bytes, bool]:
    """Send ``byte`` every ``every_s`` (a timer that each byte resets never fires) until the
    server closes ``sock``; what it sent, and whether it closed within ``timeout_s``."""
    received = b""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        data, closed = drain(sock)
        received += data
        if closed:
            return received, True
        with contextlib.suppress(OSError):
            sock.sendall(byte)
        time.sleep(every_s)
    return received, False
