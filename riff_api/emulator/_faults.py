"""Faults for testing clients: latency, errors, rate limiting and dropped connections.

All are off by default and set in :class:`~._settings.EmulatorSettings`. Each API request
(after authentication) meets them in this order:

1. rate limit: past ``rate_limit`` requests in the last second, a 429 ``rate_limited``
   with a ``Retry-After`` header in whole seconds (at least 1). Refused requests do not
   count toward the limit.
2. latency: ``latency_s`` plus a uniform draw from ``[0, latency_jitter_s]``.
3. one draw decides the outcome: with probability ``drop_rate`` the connection is closed
   without an answer; with probability ``error_rate`` a 500 ``internal_error`` or a 503
   ``unavailable`` (with ``Retry-After: 1``), half each; otherwise the request proceeds.

Every admitted request takes the same three draws from one generator seeded by
``fault_seed``, so a given sequence of requests meets the same faults on every run.

A drop over a real socket (under :func:`~._server.serve`) aborts the TCP connection, so
the client sees the server hang up; a client that has left already is simply not answered.
In process (Starlette's ``TestClient`` or ``httpx.ASGITransport``) there is no socket: the
app raises :class:`DroppedConnection`, an ``httpx.RemoteProtocolError``, which those
transports pass to the caller.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

import httpx
from starlette.types import Scope

from ._errors import ApiError
from ._settings import EmulatorSettings

__all__ = [
    "CONNECTION_EXTENSION",
    "DroppedConnection",
    "FaultDecision",
    "Faults",
    "abort_connection",
]


class DroppedConnection(httpx.RemoteProtocolError):
    """A fault dropped the connection (raised only when the app runs in process)."""


CONNECTION_EXTENSION = "riff_api.connection"
"""The scope extension by which the server hands a request its connection: a dict whose
``"abort"`` is a coroutine function that cuts the socket and returns once it is gone (see
``_protocol``). Absent in process, where there is no socket."""


async def abort_connection(scope: Scope) -> bool:
    """Cut the socket of the request in ``scope``; False when there is none (in process)."""
    connection = (scope.get("extensions") or {}).get(CONNECTION_EXTENSION)
    if connection is None:
        return False
    abort: Callable[[], Awaitable[None]] = connection["abort"]
    await abort()
    return True


@dataclass(frozen=True, slots=True)
class FaultDecision:
    """What happens to one request."""

    outcome: Literal["proceed", "drop", "internal_error", "unavailable", "rate_limited"]
    delay_s: float = 0.0
    retry_after_s: int = 0

    def raise_error(self) -> None:
        """Raise the error answer this decision stands for, if it is one."""
        if self.outcome == "rate_limited":
            raise ApiError(
                429,
                "rate_limited",
                f"Too many requests; retry after {self.retry_after_s} s.",
                headers={"Retry-After": str(self.retry_after_s)},
            )
        if self.outcome == "internal_error":
            raise ApiError(500, "internal_error", "Generation failed.")
        if self.outcome == "unavailable":
            raise ApiError(
                503, "unavailable", "The service is overloaded.", headers={"Retry-After": "1"}
            )


class Faults:
    """Draws the fault of each request; thread-safe and deterministic under a seed."""

    def __init__(
        self, settings: EmulatorSettings, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._rng = random.Random(settings.fault_seed)
        self._window: deque[float] = deque()
        self._lock = threading.Lock()

    def decide(self) -> FaultDecision:
        """The fault the next request meets."""
        s = self._settings
        with self._lock:
            if s.rate_limit is not None:
                now = self._clock()
                while self._window and self._window[0] <= now - 1.0:
                    self._window.popleft()
                if len(self._window) >= s.rate_limit:
                    wait = max(1, math.ceil(self._window[0] + 1.0 - now))
                    return FaultDecision("rate_limited", retry_after_s=wait)
                self._window.append(now)
            jitter, roll, kind = self._rng.random(), self._rng.random(), self._rng.random()
        delay = s.latency_s + jitter * s.latency_jitter_s
        if roll < s.drop_rate:
            return FaultDecision("drop", delay)
        if roll < s.drop_rate + s.error_rate:
            return FaultDecision("internal_error" if kind < 0.5 else "unavailable", delay)
        return FaultDecision("proceed", delay)
