"""Render worker processes, so that songs use every core.

Most of a song's time is numpy work in many short calls; in threads they queue on the GIL
(a second render thread made throughput worse, not better). So :func:`~._server.serve`
renders in a few worker processes (``--workers``) while its own process parses, checks
and answers. The server's state (fault draws, the seeds of unseeded songs, the rate
limit) stays in its process: a worker only turns a :class:`~._render.RenderJob` into its
:class:`~._render.RenderedSong`, which is deterministic, so the same request gives the
same song whichever process renders it.

A worker is a fresh interpreter that loads only what rendering needs (:data:`BOOTSTRAP`:
numpy and the synthesis modules, ~45 MiB) rather than the whole package (httpx, pydantic,
Starlette, uvicorn: ~78 MiB), and speaks frames over its stdin and stdout
(``_worker``). Workers start on demand, at most ``size`` of them: a request waits for an
idle one. A worker that dies is replaced. When the server's process ends, however it
ends, the workers' stdin closes and they exit.
"""

from __future__ import annotations

import contextlib
import pickle
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

from ._render import RenderedSong, RenderJob
from ._worker import read_exactly, read_frame, write_frame

__all__ = ["BOOTSTRAP", "RenderError", "RenderPool"]

_PACKAGE = Path(__file__).resolve().parent

_BARE = (("riff_api", str(_PACKAGE.parent)), ("riff_api.emulator", str(_PACKAGE)))

BOOTSTRAP = f"""
import sys, types
# Bare packages: their submodules load without running the packages' __init__ files.
for name, path in {_BARE!r}:
    package = types.ModuleType(name)
    package.__path__ = [path]
    sys.modules[name] = package
from riff_api.emulator._worker import main
main()
"""
"""The program a worker runs (``python -c``)."""

_STOP_WAIT_S = 5.0


class RenderError(RuntimeError):
    """A worker failed to render a song, or died while it did."""


class _WorkerDied(RenderError):
    """The worker's pipes broke: it is gone."""


class _Worker:
    """One worker process and its pipes; used by one thread at a time."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", BOOTSTRAP],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self._jobs: IO[bytes] = self.process.stdin
        self._songs: IO[bytes] = self.process.stdout

    def render(self, job: RenderJob) -> RenderedSong:
        try:
            write_frame(self._jobs, pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
            self._jobs.flush()
            frame = read_frame(self._songs)
            if frame is None:
                raise OSError("the worker closed its output")
            ok, value, size = pickle.loads(frame)
            audio = read_exactly(self._songs, size) if size else b""
        except (OSError, ValueError) as exc:  # ValueError: the pool closed the pipes
            raise _WorkerDied(f"render worker {self.process.pid} died: {exc}") from exc
        if audio is None:
            raise _WorkerDied(f"render worker {self.process.pid} died mid-answer")
        if not ok:
            raise RenderError(f"render worker {self.process.pid} failed: {value}")
        return RenderedSong(audio_b64=audio, words=value)

    def stop(self) -> None:
        # The end of its stdin stops an idle worker; a busy one meets a broken pipe when
        # it writes its answer (it would block forever on a full pipe nobody reads).
        for pipe in (self._jobs, self._songs):
            with contextlib.suppress(OSError):
                pipe.close()
        try:
            self.process.wait(_STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class RenderPool:
    """At most ``size`` worker processes rendering songs; thread-safe, blocking.

    Use it as a context manager, or call :meth:`close`: the workers are stopped then.
    """

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a render pool needs at least one worker")
        self._size = size
        self._idle: list[_Worker] = []
        self._workers: set[_Worker] = set()
        self._changed = threading.Condition()
        self._closed = False

    @property
    def size(self) -> int:
        """The most workers this pool runs."""
        return self._size

    def pids(self) -> list[int]:
        """The process ids of the workers running now."""
        with self._changed:
            return sorted(worker.process.pid for worker in self._workers)

    def render(self, job: RenderJob) -> RenderedSong:
        """The song of ``job``, rendered by an idle worker (waits for one if all are busy).

        A worker found dead (killed, say, by the out-of-memory killer) is replaced and the
        job tried once more on a new one: rendering is deterministic, so nothing changes.

        Raises:
            RenderError: the worker failed, two workers died on the job, or the pool is
                closed.
        """
        try:
            return self._render_once(job)
        except _WorkerDied:
            return self._render_once(job)

    def _render_once(self, job: RenderJob) -> RenderedSong:
        worker = self._checkout()
        try:
            song = worker.render(job)
        except _WorkerDied:
            self._retire(worker)
            raise
        except BaseException:
            self._checkin(worker)
            raise
        self._checkin(worker)
        return song

    def _checkout(self) -> _Worker:
        with self._changed:
            while True:
                if self._closed:
                    raise RenderError("the render pool is closed")
                if self._idle:
                    return self._idle.pop()
                if len(self._workers) < self._size:
                    worker = _Worker()
                    self._workers.add(worker)
                    return worker
                self._changed.wait()

    def _checkin(self, worker: _Worker) -> None:
        with self._changed:
            if not self._closed:
                self._idle.append(worker)
                self._changed.notify()
                return
        self._retire(worker)

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        with self._changed:
            self._workers.discard(worker)
            self._changed.notify()  # a waiting render may start a new worker

    def close(self) -> None:
        """Stop every worker (idempotent); a render under way fails with RenderError."""
        with self._changed:
            self._closed = True
            workers = set(self._workers)
            self._workers.clear()
            self._idle.clear()
            self._changed.notify_all()
        for worker in workers:
            worker.stop()

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
