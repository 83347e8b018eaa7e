"""The async client behaves as the sync one: same errors, retries, deadline and saving."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

import riff_api
from tests.conftest import API_KEY, Recorder, ok, song_body, wav_bytes


async def test_riff_and_topic(
    make_async_client: Callable[..., riff_api.AsyncRiffusion], tmp_path: Path
) -> None:
    recorder = Recorder(ok)
    async with make_async_client(recorder) as client:
        song = await client.riff(["lo-fi", {"text": "cello", "strength": 2}], seed=7, lyrics="la")
        await client.topic("Boris the dog", audio_format="mp3", save_to=tmp_path / "b.mp3")
    assert song.audio_bytes == wav_bytes()
    assert (tmp_path / "b.mp3").read_bytes() == wav_bytes()
    riff, topic = recorder.requests
    assert riff.url.path == "/v1/riff"
    assert topic.url.path == "/v1/topic"
    assert riff.headers["Api-Key"] == API_KEY


async def test_retries_and_status_errors(
    make_async_client: Callable[..., riff_api.AsyncRiffusion], sleeps: list[float]
) -> None:
    recorder = Recorder(
        httpx.Response(429, headers={"Retry-After": "2"}),
        httpx.ConnectError("refused"),
        ok,
    )
    client = make_async_client(recorder)
    assert (await client.riff(["x"])).id
    assert sleeps[0] == 2.0
    assert len(sleeps) == 2

    failing = make_async_client(Recorder(httpx.Response(401, json={"code": "u", "message": "no"})))
    with pytest.raises(riff_api.AuthenticationError):
        await failing.riff(["x"])


async def test_timeout_and_validation_errors(
    make_async_client: Callable[..., riff_api.AsyncRiffusion],
) -> None:
    client = make_async_client(Recorder(httpx.ReadTimeout("slow")), max_retries=0)
    with pytest.raises(riff_api.APITimeoutError):
        await client.riff(["x"])
    client = make_async_client(Recorder(httpx.Response(200, json=song_body(prompts=None))))
    with pytest.raises(riff_api.APIResponseValidationError, match="prompts"):
        await client.riff(["x"])


class _SlowAsyncBody(httpx.AsyncByteStream):
    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(50):
            await asyncio.sleep(0.01)
            yield b" "


async def test_whole_request_deadline(
    make_async_client: Callable[..., riff_api.AsyncRiffusion],
) -> None:
    client = make_async_client(lambda r: httpx.Response(200, stream=_SlowAsyncBody()))
    with pytest.raises(riff_api.APITimeoutError, match="longer than"):
        await client.riff(["x"], timeout=0.1, max_retries=0)


async def test_save_to_mismatch_before_request(
    make_async_client: Callable[..., riff_api.AsyncRiffusion], tmp_path: Path
) -> None:
    recorder = Recorder(ok)
    client = make_async_client(recorder)
    with pytest.raises(ValueError, match="m4a"):
        await client.riff(["x"], audio_format="m4a", save_to=tmp_path / "a.wav")
    assert recorder.calls == 0


async def test_concurrent_calls_share_one_client(
    make_async_client: Callable[..., riff_api.AsyncRiffusion],
) -> None:
    recorder = Recorder(ok)
    client = make_async_client(recorder)
    songs = await asyncio.gather(*(client.riff([f"p{i}"]) for i in range(20)))
    assert len(songs) == 20
    assert recorder.calls == 20


async def test_owned_pool_is_closed_but_a_given_one_is_not() -> None:
    own = riff_api.AsyncRiffusion(api_key=API_KEY)
    await own.aclose()
    assert own._http.is_closed
    given = httpx.AsyncClient()
    async with riff_api.AsyncRiffusion(api_key=API_KEY, http_client=given) as client:
        assert client._http is given
    assert not given.is_closed
    await given.aclose()


def test_sync_client_closes_its_pool_and_with_options_shares_it() -> None:
    with riff_api.Riffusion(api_key=API_KEY) as client:
        other = client.with_options(timeout=3, max_retries=0)
        assert other._http is client._http
        assert (other.timeout, other.max_retries) == (3, 0)
        assert (client.timeout, client.max_retries) == (300.0, 2)
        other.close()
        assert not client._http.is_closed
    assert client._http.is_closed
