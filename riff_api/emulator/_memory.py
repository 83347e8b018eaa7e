"""Giving memory back to the system once a burst of songs is over (glibc only).

A song passes through buffers of 5-15 MB (samples, encoded audio, base64, the JSON body).
glibc serves such sizes from its heaps once its mmap threshold has risen past them, and
gives each thread that allocates an arena of its own, up to eight per core: after a burst,
the freed buffers stay mapped, scattered over many arenas, and RSS stays near its peak
(77 MiB at rest rose to 330-475 MiB and stayed there). One arena for the whole process and
a ``malloc_trim`` when the server goes idle bring it back down: one, because ``malloc_trim``
gives back the free pages inside every arena but shrinks only the main arena's top, so a
thread arena keeps its freed top resident (measured: 14 MiB of a 34 MiB arena, after trim).
The threads that share it mostly wait on sockets and pipes; contention is not measurable.

Elsewhere (musl, macOS) both functions do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from functools import lru_cache

__all__ = ["limit_arenas", "trim"]

_log = logging.getLogger("riff_api.emulator")

# From glibc's malloc.h.
_M_ARENA_MAX = -8


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
    except OSError:  # pragma: no cover - no C library to speak of
        return None
    if not hasattr(libc, "malloc_trim") or not hasattr(libc, "mallopt"):
        return None  # not glibc
    return libc


def limit_arenas(count: int) -> None:
    """Let threads created from now on share at most ``count`` malloc arenas."""
    libc = _libc()
    if libc is not None and not libc.mallopt(_M_ARENA_MAX, count):
        _log.debug("mallopt(M_ARENA_MAX, %d) was refused", count)


def trim() -> None:
    """Hand the free pages of every arena back to the system (a few ms for a big heap)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
