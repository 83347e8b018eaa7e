"""A render worker process: reads jobs on stdin, writes songs on stdout, until stdin ends.

Started by ``_pool`` with only the modules rendering needs (see :data:`~._pool.BOOTSTRAP`).
Each message is a frame: a 4-byte little-endian length, then a pickle. A job is a pickled
:class:`~._render.RenderJob`; its answer is a pickled ``(ok, words or error message,
audio length)``, then that many bytes of base64 audio, raw, so the big part is never
pickled. The end of stdin (the server stopped, or died) ends the worker.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import sys
from typing import IO

from ._memory import trim
from ._render import RenderJob, render

__all__ = ["HEADER", "main", "read_frame", "write_frame"]

HEADER = struct.Struct("<I")
"""The length before each frame."""

IDLE_S = 1.0
"""Idle this long after a song, a worker hands its freed memory back."""


def read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    """``size`` bytes from the buffered ``stream``, or None if it ends first."""
    data = stream.read(size)  # a buffered read returns short only at the end
    return data if len(data) == size else None


def read_frame(stream: IO[bytes]) -> bytes | None:
    """The next frame's payload, or None at the end of ``stream``."""
    header = read_exactly(stream, HEADER.size)
    if header is None:
        return None
    return read_exactly(stream, HEADER.unpack(header)[0])


def write_frame(stream: IO[bytes], payload: bytes) -> None:
    """Write ``payload`` as one frame (not flushed)."""
    stream.write(HEADER.pack(len(payload)))
    stream.write(payload)


def _answer(job: RenderJob) -> tuple[bytes, bytes]:
    try:
        song = render(job)
    except Exception as exc:  # the server answers it as a 500; the worker lives on
        return pickle.dumps((False, f"{type(exc).__name__}: {exc}", 0)), b""
    head = (True, song.words, len(song.audio_b64))
    return pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL), song.audio_b64


def _write_all(fd: int, data: bytes) -> None:
    # Unbuffered, so nothing is left to flush (and fail) at exit once the server has gone.
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _idle(fd: int, wait_s: float) -> bool:
    """Whether no job arrives on ``fd`` within ``wait_s``."""
    try:
        readable, _, _ = select.select([fd], [], [], wait_s)
    except (OSError, ValueError):  # a pipe select() cannot watch (Windows): call it idle
        return True
    return not readable


def main() -> None:
    """Serve jobs until stdin ends."""
    # Ctrl-C in a terminal reaches the whole process group; the server stops us itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    jobs = os.fdopen(0, "rb")
    answers = os.dup(1)
    # Anything a library prints would corrupt the frames: send fd 1 to stderr.
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    with contextlib.suppress(BrokenPipeError):  # the server stopped reading: it is done
        while (frame := read_frame(jobs)) is not None:
            head, audio = _answer(pickle.loads(frame))
            _write_all(answers, HEADER.pack(len(head)) + head)
            _write_all(answers, audio)
            del frame, audio
            if _idle(0, IDLE_S):
                # No job for a while (one read ahead into the buffer costs a needless
                # trim): give the song's buffers back. Not after every song: the next
                # one would fault all its pages in again (~10-20 ms of a 100 ms song).
                trim()
