"""The riff_api client against the emulator, through the plugin's fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

import riff_api
from riff_api.emulator import EmulatorSettings
from riff_api.emulator._faults import Faults
from riff_api.testing import InProcessEmulator, RunningEmulator, in_process_emulator


def test_module_api_reaches_the_session_server(riff_local: RunningEmulator, tmp_path: Path) -> None:
    target = tmp_path / "song.mp3"
    song = riff_api.create(
        prompts=[riff_api.Prompt(text="lo-fi piano")],
        lyrics="hello there",
        seed=3,
        audio_format="mp3",
        save_to=str(target),
    )
    assert [w.text for w in song.timestamped_lyrics or []] == ["hello", "there"]
    assert target.read_bytes()[:3] in (b"ID3", b"\xff\xfb")
    topic = riff_api.create_from_topic("Indie pop banger about my dog Boris")
    assert topic.lyrics is not None
    assert "Boris" in topic.lyrics


def test_module_api_uses_the_in_process_emulator(riff_inprocess: InProcessEmulator) -> None:
    song = riff_api.create(prompts=[riff_api.Prompt(text="techno")], seed=1)
    assert song.lyrics is None
    assert song.prompts[0].text == "techno"


def test_client_classes_on_the_in_process_clients() -> None:
    with in_process_emulator(duration_s=2.0) as emulator:
        client = riff_api.Riffusion(
            api_key=emulator.api_key, base_url=emulator.base_url, http_client=emulator.client
        )
        assert client.riff(["jazz"], lyrics="la la", seed=2).timestamped_lyrics
        with pytest.raises(riff_api.BadRequestError):
            client.riff(["jazz"], lyrics="oh shit", moderate_inputs=True)
        with in_process_emulator(api_keys=frozenset({"only"})) as locked:
            stranger = riff_api.Riffusion(
                api_key="wrong", base_url=locked.base_url, http_client=locked.client
            )
            with pytest.raises(riff_api.AuthenticationError):
                stranger.topic("jazz")


async def test_async_client_on_the_in_process_emulator() -> None:
    with in_process_emulator(duration_s=2.0) as emulator:
        async with emulator.async_client() as http:
            client = riff_api.AsyncRiffusion(
                api_key=emulator.api_key, base_url=emulator.base_url, http_client=http
            )
            song = await client.topic("Sing facts about Kansas history", audio_format="m4a")
            assert song.lyrics is not None
            assert "Kansas" in song.lyrics


def test_retries_ride_over_injected_faults() -> None:
    settings = EmulatorSettings(duration_s=1.0, error_rate=0.3, drop_rate=0.3, fault_seed=3)
    planned = Faults(settings)
    outcomes = [planned.decide().outcome for _ in range(12)]
    # This seed makes a 500, a 503 and a drop among the first requests.
    assert {"internal_error", "unavailable", "drop"} <= set(outcomes)
    songs = outcomes.count("proceed")
    # The emulator meets the requests with these outcomes, in order: to make its songs, the
    # client must send one request per outcome up to the last song, retrying each fault.
    needed = max(i for i, outcome in enumerate(outcomes) if outcome == "proceed") + 1
    assert needed > songs
    with in_process_emulator(settings) as emulator:
        sent: list[object] = []
        emulator.client.event_hooks["request"].append(sent.append)
        client = riff_api.Riffusion(
            api_key=emulator.api_key,
            base_url=emulator.base_url,
            http_client=emulator.client,
            max_retries=5,
        )
        for _ in range(songs):
            assert client.riff(["house"]).audio_b64
    assert len(sent) == needed


def test_nested_in_process_emulators_restore_the_module_client() -> None:
    with in_process_emulator(point_module_api=True, duration_s=1.0, seed=1) as outer:
        first = riff_api.create(prompts=[riff_api.Prompt(text="jazz")], seed=5).audio_b64
        with in_process_emulator(point_module_api=True, duration_s=2.0):
            inner = riff_api.create(prompts=[riff_api.Prompt(text="jazz")], seed=5).audio_b64
            assert len(inner) > len(first)
        again = riff_api.create(prompts=[riff_api.Prompt(text="jazz")], seed=5).audio_b64
        assert again == first
        assert outer.api_key
