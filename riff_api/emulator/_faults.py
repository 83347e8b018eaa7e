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
the client sees the server hang up. In process (Starlette's ``TestClient`` or
``httpx.ASGITransport``) there is no socket: the app raises :class:`DroppedConnection`,
an ``httpx.RemoteProtocolError``, which those transports pass to the caller.
"""

from __future__ import annotations

import asyncio
import math
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import anyio
import httpx
from starlette.types import Scope

from ._errors import ApiError
from ._settings import EmulatorSettings

__all__ = [
    "CONNECTIONS",
    "ConnectionRegistry",
    "DroppedConnection",
    "FaultDecision",
    "Faults",
    "abort_connection",
]


class DroppedConnection(httpx.RemoteProtocolError):
    """A fault dropped the connection (raised only when the app runs in process)."""


Peer = tuple[str, int]


class ConnectionRegistry:
    """Open transports by client address, so a fault can abort the request's socket."""

    def __init__(self) -> None:
        self._open: dict[Peer, asyncio.Transport] = {}
        self._lock = threading.Lock()

    def add(self, peer: Peer, transport: asyncio.Transport) -> None:
        """Record an open connection."""
        with self._lock:
            self._open[peer] = transport

    def discard(self, peer: Peer, transport: asyncio.Transport) -> None:
        """Forget a closed connection (only if ``peer`` still maps to ``transport``)."""
        with self._lock:
            if self._open.get(peer) is transport:
                del self._open[peer]

    def get(self, peer: Peer) -> asyncio.Transport | None:
        """The open transport of ``peer``, if any."""
        with self._lock:
            return self._open.get(peer)


CONNECTIONS = ConnectionRegistry()
"""The connections of the uvicorn server this process runs (see ``_server``)."""


async def abort_connection(scope: Scope) -> bool:
    """Abort the socket of the request in ``scope``; False when there is none to abort."""
    client = scope.get("client")
    if not client:
        return False
    peer: Peer = (str(client[0]), int(client[1]))
    transport = CONNECTIONS.get(peer)
    if transport is None:
        return False
    transport.abort()
    # Let the server's protocol see the loss before the app returns, so it does not
    # try to answer "returned without starting a response" on a dead socket.
    for _ in range(200):
        if CONNECTIONS.get(peer) is not transport:
            break
        await anyio.sleep(0.001)
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
