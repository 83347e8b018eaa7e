"""Processes the suite starts on 127.0.0.1 and stops by process id: Prism, drifted emulators.

Every process is started by the test run itself, with its output in a log file (never a pipe
nobody reads, which would stall the server once full), and stopped with SIGTERM to its own
pid, then SIGKILL if it does not exit in time. Nothing is ever stopped by name.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "LOOPBACK",
    "ServerProcess",
    "free_port",
    "start_process",
    "stop_process",
]

LOOPBACK = "127.0.0.1"
_START_TIMEOUT_S = 60.0
_STOP_TIMEOUT_S = 10.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class ServerProcess:
    """A server process started by the suite."""

    process: subprocess.Popen[bytes]
    log_path: Path
    base_url: str = ""

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self, start: int = 0) -> str:
        """The process' output so far (from byte offset ``start``)."""
        with self.log_path.open("rb") as file:
            file.seek(start)
            return file.read().decode("utf-8", errors="replace")

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log().splitlines()[-lines:])


def start_process(
    command: Sequence[str],
    *,
    name: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> ServerProcess:
    """Start ``command`` with its stdout and stderr going to a fresh log file."""
    fd, log_name = tempfile.mkstemp(prefix=f"riff-contract-{name}-", suffix=".log")
    log_path = Path(log_name)
    with os.fdopen(fd, "wb") as log:
        process = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=cwd,
        )
    return ServerProcess(process=process, log_path=log_path)


def stop_process(server: ServerProcess) -> None:
    """Stop the server by its pid (SIGTERM, then SIGKILL after a grace period); drop its log."""
    process = server.process
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=_STOP_TIMEOUT_S)
    server.log_path.unlink(missing_ok=True)


def wait_until(server: ServerProcess, ready: str, *, timeout: float = _START_TIMEOUT_S) -> str:
    """Wait until the log contains ``ready``; return the log. Fails if the process exits."""
    deadline = time.monotonic() + timeout
    while True:
        text = server.log()
        if ready in text:
            return text
        if server.process.poll() is not None:
            raise RuntimeError(
                f"the server exited with status {server.process.returncode} before it was "
                f"ready:\n{server.log_tail()}"
            )
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"the server was not ready after {timeout:g} s:\n{server.log_tail()}"
            )
        time.sleep(0.05)


def wait_for_port(server: ServerProcess, port: int, *, timeout: float = _START_TIMEOUT_S) -> None:
    """Wait until something accepts connections on 127.0.0.1:``port``."""
    deadline = time.monotonic() + timeout
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.5)
            if sock.connect_ex((LOOPBACK, port)) == 0:
                return
        if server.process.poll() is not None:
            raise RuntimeError(
                f"the server exited with status {server.process.returncode}:\n{server.log_tail()}"
            )
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"nothing listens on port {port} after {timeout:g} s:\n{server.log_tail()}"
            )
        time.sleep(0.05)
