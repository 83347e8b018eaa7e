"""Timeouts: defaults, per-call overrides, and the whole-request deadline."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest

import riff_api
from tests.conftest import Recorder, ok, song_body


def test_default_timeout_is_300_s_with_5_s_to_connect(
    make_client: Callable[..., riff_api.Riffusion],
) -> None:
    recorder = Recorder(ok)
    make_client(recorder).riff(["x"])
    timeout = recorder.requests[0].extensions["timeout"]
    assert timeout == {"connect": 5.0, "read": 300.0, "write": 300.0, "pool": 300.0}


def test_per_call_timeout_overrides(make_client: Callable[..., riff_api.Riffusion]) -> None:
    recorder = Recorder(ok)
    client = make_client(recorder, timeout=60)
    client.riff(["x"], timeout=2.5)
    client.topic("x", timeout=httpx.Timeout(1.0, read=9.0))
    client.topic("x")
    first, second, third = (r.extensions["timeout"] for r in recorder.requests)
    assert first == {"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}
    assert second == {"connect": 1.0, "read": 9.0, "write": 1.0, "pool": 1.0}
    assert third["read"] == 60.0


def test_timeout_none_waits_forever(make_client: Callable[..., riff_api.Riffusion]) -> None:
    recorder = Recorder(ok)
    make_client(recorder, timeout=None).riff(["x"])
    assert recorder.requests[0].extensions["timeout"]["read"] is None


@pytest.mark.parametrize("bad", [0, -1, "10", True, float("nan")])
def test_bad_timeout_is_a_value_error_before_any_request(
    make_client: Callable[..., riff_api.Riffusion], bad: object
) -> None:
    recorder = Recorder(ok)
    client = make_client(recorder)
    with pytest.raises(ValueError, match="timeout"):
        client.riff(["x"], timeout=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timeout"):
        make_client(recorder, timeout=bad)
    assert recorder.calls == 0


def test_httpx_timeout_becomes_api_timeout_error_and_is_retried(
    make_client: Callable[..., riff_api.Riffusion], sleeps: list[float]
) -> None:
    recorder = Recorder(httpx.ReadTimeout("slow"))
    with pytest.raises(riff_api.APITimeoutError) as caught:
        make_client(recorder, max_retries=2).riff(["x"])
    assert isinstance(caught.value, riff_api.APIConnectionError)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert recorder.calls == 3
    assert len(sleeps) == 2


class _SlowBody(httpx.SyncByteStream):
    """A body that trickles in, slower in total than the deadline allows."""

    def __init__(self, chunks: int, pause: float) -> None:
        self.chunks, self.pause = chunks, pause

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.chunks):
            time.sleep(self.pause)
            yield b" "


def test_whole_request_deadline_stops_a_trickling_body(
    make_client: Callable[..., riff_api.Riffusion],
) -> None:
    def trickle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=_SlowBody(chunks=50, pause=0.01))

    client = make_client(trickle, max_retries=0)
    with pytest.raises(riff_api.APITimeoutError, match=r"longer than 0\.1 s"):
        client.riff(["x"], timeout=0.1)


def test_deadline_is_not_hit_by_a_fast_answer(
    make_client: Callable[..., riff_api.Riffusion],
) -> None:
    client = make_client(lambda r: httpx.Response(200, json=song_body()))
    assert client.riff(["x"], timeout=5).id
