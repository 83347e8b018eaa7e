"""Retries: which failures are retried, how many times, and how long the client waits."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable

import httpx
import pytest

import riff_api
from riff_api import _retry
from tests.conftest import Recorder, ok


def status(code: int, **headers: str) -> httpx.Response:
    return httpx.Response(code, json={"code": "x", "message": f"status {code}"}, headers=headers)


@pytest.mark.parametrize("code", [408, 409, 429, 500, 502, 503, 504, 520, 529])
def test_retryable_statuses_are_retried_then_succeed(
    make_client: Callable[..., riff_api.Riffusion], sleeps: list[float], code: int
) -> None:
    recorder = Recorder(status(code), status(code), ok)
    song = make_client(recorder).riff(["lo-fi"])
    assert song.id
    assert recorder.calls == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize("code", [400, 401, 403, 404, 413, 422])
def test_client_errors_are_not_retried(
    make_client: Callable[..., riff_api.Riffusion], sleeps: list[float], code: int
) -> None:
    recorder = Recorder(status(code), ok)
    with pytest.raises(riff_api.APIStatusError) as caught:
        make_client(recorder).riff(["lo-fi"])
    assert recorder.calls == 1
    assert caught.value.attempts == 1
    assert sleeps == []


def test_gives_up_after_max_retries(
    make_client: Callable[..., riff_api.Riffusion], sleeps: list[float]
) -> None:
    recorder = Recorder(status(503))
    with pytest.raises(riff_api.InternalServerError) as caught:
        make_client(recorder, max_retries=3).riff(["lo-fi"])
    assert recorder.calls == 4
    assert caught.value.attempts == 4
    assert len(sleeps) == 3


def test_per_call_max_retries_overrides_client(
    make_client: Callable[..., riff_api.Riffusion],
) -> None:
    recorder = Recorder(status(500))
    client = make_client(recorder, max_retries=5)
    with pytest.raises(riff_api.InternalServerError):
        client.riff(["lo-fi"], max_retries=0)
    assert recorder.calls == 1
    with pytest.raises(riff_api.InternalServerError):
        client.with_options(max_retries=1).topic("song")
    assert recorder.calls == 3


def test_backoff_without_retry_after_grows_exponentially(
    make_client: Callable[..., riff_api.Riffusion], sleeps: list[float]
) -> None:
    recorder = Recorder(status(500))
    with pytest.raises(riff_api.InternalServerError):
        make_client(recorder, max_retries=6).riff(["lo-fi"])
    # 0.5 s x 2^n, capped at 8 s, minus up to 25 % jitter
    for n, waited in enumerate(sleeps):
        base = min(0.5 * 2**n, 8.0)
        assert 0.75 * base <= waited <= base, (n, waited)
    assert max(sleeps) <= 8.0


def test_retry_after_seconds_is_honoured(
    make_client: Callable[..., riff_api.Riffusion], sleeps: list[float]
) -> None:
    recorder = Recorder(status(429, **{"Retry-After": "3"}), ok)
    make_client(recorder).riff(["lo-fi"])
    assert sleeps == [3.0]


def test_retry_after_http_date_is_honoured(
    make_client: Callable[..., riff_api.Riffusion], sleeps: list[float]
) -> None:
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    recorder = Recorder(status(503, **{"Retry-After": when}), ok)
    make_client(recorder).riff(["lo-fi"])
    assert len(sleeps) == 1
    assert 17.0 <= sleeps[0] <= 20.0


@pytest.mark.parametrize("header", ["3600", "soon", "-5", "nan"])
def test_unusable_retry_after_falls_back_to_backoff(
    make_client: Callable[..., riff_api.Riffusion], sleeps: list[float], header: str
) -> None:
    recorder = Recorder(status(429, **{"Retry-After": header}), ok)
    make_client(recorder).riff(["lo-fi"])
    # "-5" means "now" (clamped to 0); the others are unusable or too long: backoff applies
    assert sleeps == [0.0] if header == "-5" else 0.375 <= sleeps[0] <= 0.5


def test_connection_errors_are_retried(
    make_client: Callable[..., riff_api.Riffusion], sleeps: list[float]
) -> None:
    recorder = Recorder(httpx.ConnectError("refused"), httpx.RemoteProtocolError("dropped"), ok)
    make_client(recorder).riff(["lo-fi"])
    assert recorder.calls == 3
    assert len(sleeps) == 2


def test_connection_error_after_retries_is_typed(
    make_client: Callable[..., riff_api.Riffusion],
) -> None:
    recorder = Recorder(httpx.ConnectError("refused"))
    with pytest.raises(riff_api.APIConnectionError) as caught:
        make_client(recorder, max_retries=1).riff(["lo-fi"])
    assert not isinstance(caught.value, riff_api.APITimeoutError)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert recorder.calls == 2


def test_parse_retry_after() -> None:
    assert _retry.parse_retry_after(None) is None
    assert _retry.parse_retry_after(" 2 ") == 2.0
    assert _retry.parse_retry_after("1.5") == 1.5
    assert _retry.parse_retry_after("garbage") is None
    assert _retry.parse_retry_after("inf") is None
    date = "Wed, 21 Oct 2015 07:28:00 GMT"
    then = email.utils.parsedate_to_datetime(date).timestamp()
    assert _retry.parse_retry_after(date, now=then - 10) == 10.0
    assert _retry.parse_retry_after(date, now=then + 10) == 0.0


def test_backoff_delay_bounds() -> None:
    rng = random.Random(1)
    for n in range(12):
        delay = _retry.backoff_delay(n, rng=rng)
        assert 0.0 < delay <= 8.0
        assert delay >= 0.75 * min(0.5 * 2**n, 8.0)
