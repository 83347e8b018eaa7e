"""The emulator in a child process, on a free loopback port, stopped by its pid.

At load time this module imports the standard library and riff_api's config (loaded
already: riff_api is the parent package); the emulator itself is imported lazily.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from riff_api._defaults import API_KEY_ENV, API_URL_ENV, BASE_URL_ENV

if TYPE_CHECKING:
    from riff_api.emulator import EmulatorSettings

__all__ = [
    "DEFAULT_API_KEY",
    "ENV_API_KEY",
    "ENV_API_URL",
    "ENV_BACKEND_URL",
    "EmulatorServer",
    "RunningEmulator",
    "pointed_at",
    "run_emulator",
]

DEFAULT_API_KEY = "riff-test-key"
"""The key handed to clients when the emulator accepts any key."""

ENV_API_KEY = API_KEY_ENV
ENV_BACKEND_URL = BASE_URL_ENV
ENV_API_URL = API_URL_ENV

_LIVE: weakref.WeakSet[EmulatorServer] = weakref.WeakSet()


@dataclass(frozen=True, slots=True)
class RunningEmulator:
    """Where a running emulator listens and how to talk to it."""

    base_url: str  # e.g. http://127.0.0.1:51234/v1
    api_key: str
    pid: int

    @property
    def root_url(self) -> str:
        """The server's URL without the ``/v1`` prefix (the spec is at ``/openapi.yaml``)."""
        return self.base_url.removesuffix("/v1")

    @property
    def api_url(self) -> str:
        """The second generation's base URL (``/prompt``, ``/compose``, ``/models``)."""
        return self.root_url + "/api/v1"

    @property
    def env(self) -> dict[str, str]:
        """The environment variables that point both generations' clients at this emulator."""
        return {
            ENV_API_KEY: self.api_key,
            ENV_BACKEND_URL: self.base_url,
            ENV_API_URL: self.api_url,
        }


@contextlib.contextmanager
def environ_set(values: dict[str, str]) -> Iterator[None]:
    """Set these environment variables for the ``with`` block; restore them after."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def pointed_at(running: RunningEmulator) -> contextlib.AbstractContextManager[None]:
    """Set ``RIFFUSION_API_KEY`` and ``RIFFUSION_BACKEND_URL`` to ``running``; restore after."""
    return environ_set(running.env)


def settings_and_key(
    settings: EmulatorSettings | None, api_key: str | None, overrides: dict[str, Any]
) -> tuple[EmulatorSettings, str]:
    """The emulator's settings (``overrides`` applied) and the key a client should send."""
    from riff_api.emulator import EmulatorSettings

    chosen = settings or EmulatorSettings()
    if overrides:
        chosen = chosen.replace(**overrides)
    return chosen, api_key or (min(chosen.api_keys) if chosen.api_keys else DEFAULT_API_KEY)


class _StdoutPump:
    """Reads the child's stdout on a thread: the URL line first, then drains the rest
    so the child never blocks on a full pipe; closes the pipe at end of file."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._lines: queue.Queue[str] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="riff-emulator-stdout", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for line in self._stream:
                self._lines.put(line)
        finally:
            self._stream.close()

    def first_line(self, timeout: float) -> str | None:
        """The first line the child printed, or None if none came in time."""
        try:
            return self._lines.get(timeout=timeout)
        except queue.Empty:
            return None

    def join(self, timeout: float) -> None:
        """Wait for the pipe's end (the child has exited)."""
        self._thread.join(timeout)


class EmulatorServer:
    """Starts ``python -m riff_api.emulator`` on a free 127.0.0.1 port; stops it by pid.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`. The child also
    exits by itself if this process dies, so it cannot outlive a crashed test run.
    """

    def __init__(
        self,
        settings: EmulatorSettings | None = None,
        *,
        api_key: str | None = None,
        startup_timeout: float = 60.0,
        stop_timeout: float = 5.0,
        **settings_kwargs: Any,
    ) -> None:
        self._settings = settings
        self._settings_kwargs = settings_kwargs
        self._api_key = api_key
        self._startup_timeout = startup_timeout
        self._stop_timeout = stop_timeout
        self._process: subprocess.Popen[str] | None = None
        self._log: IO[str] | None = None
        self._pump: _StdoutPump | None = None
        self._running: RunningEmulator | None = None

    def _argv(self) -> tuple[list[str], str]:
        from riff_api.emulator import settings_to_args

        settings, key = settings_and_key(self._settings, self._api_key, self._settings_kwargs)
        argv = [
            sys.executable, "-m", "riff_api.emulator",
            "--host", "127.0.0.1", "--port", "0",
            "--log-level", "warning", "--no-access-log", "--exit-with-parent",
            *settings_to_args(settings),
        ]  # fmt: skip
        return argv, key

    @property
    def running(self) -> RunningEmulator:
        """The running emulator; raises RuntimeError when not started."""
        if self._running is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return self._running

    def start(self) -> RunningEmulator:
        """Start the child, wait until it answers, and describe it."""
        if self._running is not None:
            return self._running
        argv, key = self._argv()
        # The log outlives this method (the child writes to it until stopped): no `with`.
        self._log = tempfile.TemporaryFile(mode="w+", prefix="riff-emulator-", suffix=".log")  # noqa: SIM115
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self._process = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=self._log,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        _LIVE.add(self)
        try:
            assert self._process.stdout is not None
            self._pump = _StdoutPump(self._process.stdout)
            line = self._pump.first_line(self._startup_timeout)
            if not line or not line.startswith("http://"):
                raise RuntimeError(f"the emulator did not start: {self._stderr_tail()}")
            base_url = line.strip()
            self._wait_until_answering(base_url)
        except BaseException:
            self.stop()
            raise
        self._running = RunningEmulator(base_url=base_url, api_key=key, pid=self._process.pid)
        return self._running

    def _wait_until_answering(self, base_url: str) -> None:
        deadline = time.monotonic() + self._startup_timeout
        probe = base_url.removesuffix("/v1") + "/openapi.yaml"
        while True:
            try:
                with urllib.request.urlopen(probe, timeout=2.0) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if self._process is None or self._process.poll() is not None:
                raise RuntimeError(f"the emulator exited: {self._stderr_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the emulator did not answer at {probe}")
            time.sleep(0.05)

    def _stderr_tail(self) -> str:
        if self._process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=1.0)
        if self._log is None:
            return "(no log)"
        self._log.seek(0)
        return self._log.read()[-4000:] or "(empty log)"

    def stop(self) -> None:
        """Stop the child: SIGTERM, then SIGKILL after the stop timeout. Idempotent."""
        process, self._process = self._process, None
        self._running = None
        _LIVE.discard(self)
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=self._stop_timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._pump is not None:
            self._pump.join(timeout=5.0)
            self._pump = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> RunningEmulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@atexit.register
def _stop_all() -> None:
    # A last line of defence: servers whose owner never reached stop().
    for server in list(_LIVE):
        server.stop()


@contextlib.contextmanager
def run_emulator(
    settings: EmulatorSettings | None = None,
    *,
    set_env: bool = True,
    api_key: str | None = None,
    **settings_kwargs: Any,
) -> Iterator[RunningEmulator]:
    """Run the emulator in a child process for the ``with`` block.

    ``settings`` (or keyword arguments of :class:`~riff_api.emulator.EmulatorSettings`,
    applied on top) configure it. With ``set_env`` (the default), ``RIFFUSION_API_KEY``
    and ``RIFFUSION_BACKEND_URL`` point at it inside the block and are restored after.
    The child is stopped by its pid on exit, whatever happened in the block.
    """
    with EmulatorServer(settings, api_key=api_key, **settings_kwargs) as running:
        if set_env:
            with pointed_at(running):
                yield running
        else:
            yield running
