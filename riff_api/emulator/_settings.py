"""The emulator's settings, checked when they are built.

:class:`EmulatorSettings` is how the service behaves, in process or over HTTP;
:class:`ServerSettings` is how ``serve()`` guards the socket and how many
processes render songs, which only means something over HTTP.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_MODELS",
    "MAX_DEFAULT_WORKERS",
    "MAX_DURATION_S",
    "EmulatorSettings",
    "ServerSettings",
]

DEFAULT_MAX_BODY_BYTES = 1_048_576
"""Largest request body accepted by default (1 MiB), as the spec's 413 example states."""

DEFAULT_MODELS = ("FUZZ-2.0",)
"""The models the emulator lists by default: the official 0.4.2 client's default only."""

MAX_DURATION_S = 600.0
"""Longest song the emulator agrees to make; ten minutes of stereo float audio is ~200 MB."""


@dataclass(frozen=True, slots=True)
class EmulatorSettings:
    """How the emulator behaves. Every fault is off by default.

    Attributes:
        api_keys: the accepted ``Api-Key`` values; ``None`` accepts any non-empty key.
        duration_s: length of every song, in seconds (the live service makes ~30 s).
        max_body_bytes: larger request bodies get 413 ``request_too_large``.
        seed: seeds the emulator's own randomness (songs without a seed, the style and
            lyrics ``/topic`` picks), so a run of requests is reproducible; ``None`` draws
            from the operating system.
        latency_s: fixed delay added before every API answer.
        latency_jitter_s: extra delay drawn uniformly from ``[0, latency_jitter_s]``.
        error_rate: share of API requests answered 500 or 503 (half each).
        rate_limit: API requests accepted per rolling second; the rest get 429.
        drop_rate: share of API requests whose connection is closed without an answer.
        fault_seed: seeds the fault draws, so a sequence of requests meets the same faults.
        models: the second generation's models (``GET /api/v1/models``); ``/prompt`` and
            ``/compose`` refuse any other ``model`` with a 422.
    """

    api_keys: frozenset[str] | None = None
    duration_s: float = 30.0
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    seed: int | None = None
    latency_s: float = 0.0
    latency_jitter_s: float = 0.0
    error_rate: float = 0.0
    rate_limit: int | None = None
    drop_rate: float = 0.0
    fault_seed: int | None = None
    models: tuple[str, ...] = DEFAULT_MODELS

    def __post_init__(self) -> None:
        if self.api_keys is not None:
            # Accept any iterable of keys (a list from a test, a tuple from argparse).
            keys = frozenset(_as_iterable(self.api_keys))
            if not keys or any(not isinstance(k, str) or not k for k in keys):
                raise ValueError("api_keys must hold at least one non-empty string, or be None")
            object.__setattr__(self, "api_keys", keys)
        _check_range("duration_s", self.duration_s, 0.0, MAX_DURATION_S, low_open=True)
        if isinstance(self.max_body_bytes, bool) or self.max_body_bytes < 1:
            raise ValueError("max_body_bytes must be a positive integer")
        _check_range("latency_s", self.latency_s, 0.0, 3600.0)
        _check_range("latency_jitter_s", self.latency_jitter_s, 0.0, 3600.0)
        _check_range("error_rate", self.error_rate, 0.0, 1.0)
        _check_range("drop_rate", self.drop_rate, 0.0, 1.0)
        if self.error_rate + self.drop_rate > 1.0:
            raise ValueError("error_rate + drop_rate must not exceed 1")
        if self.rate_limit is not None and self.rate_limit < 1:
            raise ValueError("rate_limit must be at least 1 request per second, or None")
        models = tuple(_as_iterable(self.models))
        if not models or any(not isinstance(m, str) or not m.strip() for m in models):
            raise ValueError("models must hold at least one non-empty model name")
        object.__setattr__(self, "models", models)

    @property
    def faults_enabled(self) -> bool:
        """Whether any fault (latency, errors, rate limit, drops) is switched on."""
        return bool(
            self.latency_s
            or self.latency_jitter_s
            or self.error_rate
            or self.drop_rate
            or self.rate_limit is not None
        )

    def accepts(self, api_key: str) -> bool:
        """Whether ``api_key`` opens the API."""
        if not api_key:
            return False
        return self.api_keys is None or api_key in self.api_keys

    def replace(self, **changes: object) -> EmulatorSettings:
        """A copy with some fields changed (and checked again)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


MAX_DEFAULT_WORKERS = 4
"""Most render processes started by default, whatever the number of cores."""


def _default_workers() -> int:
    # The cores this process may run on, not the machine's: a container or taskset may
    # grant fewer. More render processes than that only add memory.
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_WORKERS))


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """How ``serve()`` (``riff serve``) guards its socket and renders songs.

    Attributes:
        header_timeout_s: time a connection has to send a whole request head, counted
            from when the server starts waiting for one (the connection opened, or the
            previous answer was sent). Past it, the connection is closed, with a 408 when
            part of a request had arrived.
        body_timeout_s: time a request has to send its whole body once its head is in.
            Past it, a 408 is answered (if nothing was yet) and the connection closed.
            The time the emulator then takes to answer is not counted.
        max_connections: open connections served at once. A connection over the limit
            gets a 503 ``unavailable`` with ``Retry-After`` for its request, and is closed.
        workers: processes that render songs beside the server's own, so that songs
            use every core; 0 renders in the server process's threads.
    """

    header_timeout_s: float = 10.0
    body_timeout_s: float = 30.0
    max_connections: int = 256
    workers: int = dataclasses.field(default_factory=_default_workers)

    def __post_init__(self) -> None:
        _check_range("header_timeout_s", self.header_timeout_s, 0.0, 3600.0, low_open=True)
        _check_range("body_timeout_s", self.body_timeout_s, 0.0, 3600.0, low_open=True)
        _check_count("max_connections", self.max_connections, 1, 100_000)
        _check_count("workers", self.workers, 0, 64)


def _check_count(name: str, value: int, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}], not {value!r}")


def _as_iterable(keys: Iterable[str] | str) -> Iterable[str]:
    # A lone string would otherwise become a set of its characters.
    return (keys,) if isinstance(keys, str) else keys


def _check_range(
    name: str, value: float, low: float, high: float, *, low_open: bool = False
) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number")
    if value < low or value > high or (low_open and value == low):
        bracket = "(" if low_open else "["
        raise ValueError(f"{name} must be in {bracket}{low}, {high}], not {value}")
