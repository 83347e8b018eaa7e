"""A thread-safe least-recently-used cache of numpy arrays, bounded by total bytes.

Renders are cached by what they depend on (timbre, pitch, length...), and songs reuse
most of them: a bar of drums or a chord is rendered once, then only copied. An entry
count bound would let long bars eat memory, hence the byte budget.

The budgets are small (bars 10 MiB, notes 4, drum bars 2) because every render process
has its own caches: a song reuses its own bars and notes over and over, but another seed
means another tempo, so other bar and note lengths, and a bigger cache buys little
(measured on fresh seeds: the same CPU per song with these budgets as with 40/16/16 MiB,
which cost each process ~70 MiB more once full).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np
import numpy.typing as npt

__all__ = ["ArrayCache", "FloatArray"]

FloatArray = npt.NDArray[np.float32]


class ArrayCache:
    """Arrays by key, the least recently used dropped once ``max_bytes`` is exceeded."""

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._bytes = 0
        self._entries: OrderedDict[Hashable, FloatArray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], FloatArray]) -> FloatArray:
        """The cached array for ``key``, made by ``make()`` on a miss. It is read-only."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        # Rendering happens outside the lock so threads do not wait on each other's work;
        # two threads may render the same key once, which is harmless.
        made = make()
        made.flags.writeable = False
        with self._lock:
            if key not in self._entries:
                self._entries[key] = made
                self._bytes += made.nbytes
            while self._bytes > self._max_bytes and len(self._entries) > 1:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.nbytes
        return made
