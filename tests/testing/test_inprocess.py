"""``in_process_emulator``: the app in this process, with sync and async httpx clients."""

from __future__ import annotations

import os

import httpx
import pytest

from riff_api.testing import IN_PROCESS_BASE_URL, InProcessEmulator, in_process_emulator


def test_sync_client_is_an_httpx_client_on_the_app() -> None:
    with in_process_emulator(duration_s=2.0) as emulator:
        assert isinstance(emulator, InProcessEmulator)
        assert isinstance(emulator.client, httpx.Client)
        assert emulator.base_url == IN_PROCESS_BASE_URL
        answer = emulator.client.post("/riff", json={"prompts": []}, headers=emulator.headers)
        assert answer.status_code == 200
        assert str(answer.request.url) == "http://127.0.0.1/v1/riff"


async def test_async_clients_share_the_app() -> None:
    with in_process_emulator(duration_s=2.0, api_keys=frozenset({"secret"})) as emulator:
        assert emulator.api_key == "secret"
        client, make_async = emulator  # unpacks as (sync client, async client factory)
        async with make_async() as async_client:
            assert isinstance(async_client, httpx.AsyncClient)
            answer = await async_client.post(
                "/topic", json={"topic": "jazz"}, headers=emulator.headers
            )
            assert answer.status_code == 200
            denied = await async_client.post(
                "/topic", json={"topic": "jazz"}, headers={"Api-Key": "no"}
            )
            assert denied.status_code == 401
        assert client.post("/riff", json={}, headers=emulator.headers).status_code == 422


def test_point_module_api_sets_the_key_for_the_block(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIFFUSION_API_KEY", "mine")
    with in_process_emulator(point_module_api=True) as emulator:
        assert os.environ["RIFFUSION_API_KEY"] == emulator.api_key
    assert os.environ["RIFFUSION_API_KEY"] == "mine"


def test_faults_work_in_process() -> None:
    with in_process_emulator(error_rate=1.0, fault_seed=1) as emulator:
        answer = emulator.client.post("/riff", json={"prompts": []}, headers=emulator.headers)
        assert answer.status_code in (500, 503)


def _children() -> set[int]:
    mine = os.getpid()
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == mine:
                        found.add(int(entry))
            except (OSError, IndexError):
                continue
    return found


def test_songs_in_process_start_no_process() -> None:
    # Render workers belong to a served emulator; in process, songs render in threads.
    before = _children()
    with in_process_emulator(duration_s=2.0) as emulator:
        for audio_format in ("wav", "mp3"):
            answer = emulator.client.post(
                "/topic",
                json={"topic": "jazz", "audio_format": audio_format},
                headers=emulator.headers,
            )
            assert answer.status_code == 200
        assert _children() == before
