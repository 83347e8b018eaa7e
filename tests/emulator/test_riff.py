"""``POST /v1/riff``: real, decodable, deterministic music that follows the request."""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any

import numpy as np
import pytest
from starlette.testclient import TestClient

from riff_api_generated.gen1.models import Prompt, RiffResponse

from ._audio import band_profile, correlation, decode, rms
from .conftest import KEY, MakeClient

LYRICS = "[Verse]\nHello from outer space\nCan you hear me?\n\n[Chorus]\nI'm a satellite\n"
WORDS = ["Hello", "from", "outer", "space", "Can", "you", "hear", "me?", "I'm", "a", "satellite"]


def riff(client: TestClient, **body: Any) -> RiffResponse:
    body.setdefault("prompts", [{"text": "chillstep pop"}])
    answer = client.post("/riff", json=body, headers=KEY)
    assert answer.status_code == 200, answer.text
    return RiffResponse.model_validate_json(answer.content)


@pytest.mark.parametrize("audio_format", ["wav", "mp3", "m4a"])
def test_every_format_decodes_to_the_song(client: TestClient, audio_format: str) -> None:
    song = riff(client, lyrics=LYRICS, seed=1, audio_format=audio_format)
    audio = decode(song.audio_b64)
    assert audio.codec == {"wav": "pcm_s16le", "mp3": "mp3float", "m4a": "aac"}[audio_format]
    assert audio.rate == 44100
    assert audio.channels == 2
    assert audio.duration_s == pytest.approx(4.0, abs=0.1)
    assert rms(audio.samples) > 0.05  # not silent
    assert np.abs(audio.samples).max() < 0.99  # not clipped


def test_default_song_is_thirty_seconds(make_client: MakeClient) -> None:
    client = make_client(duration_s=30.0)
    song = riff(client, lyrics=LYRICS)
    audio = decode(song.audio_b64)
    assert audio.duration_s == pytest.approx(30.0, abs=0.01)
    assert 0.85 <= np.abs(audio.samples).max() <= 0.9
    # Every stretch of the song has sound: no silent gaps anywhere.
    seconds = audio.samples[:, : 30 * 44100].reshape(2, 30, 44100)
    assert (np.sqrt((seconds**2).mean(axis=(0, 2))) > 0.01).all()
    words = song.timestamped_lyrics or []
    assert [w.text for w in words] == WORDS
    assert all(0 <= w.start_s < 30 for w in words)


def test_ids_are_fresh_uuid4s(client: TestClient) -> None:
    ids = [riff(client, seed=3).id for _ in range(3)]
    assert len(set(ids)) == 3
    assert all(uuid.UUID(i).version == 4 for i in ids)


def test_prompts_are_echoed_with_defaults(client: TestClient) -> None:
    song = riff(
        client, prompts=[{"text": "lo-fi piano"}, {"text": "cello", "strength": 2, "end_s": 3}]
    )
    assert song.prompts == [
        Prompt(text="lo-fi piano", strength=4.0, start_s=0.0, end_s=30.0),
        Prompt(text="cello", strength=2.0, start_s=0.0, end_s=3.0),
    ]


def test_same_seed_same_wav_bytes(client: TestClient) -> None:
    first = riff(client, lyrics=LYRICS, seed=42)
    second = riff(client, lyrics=LYRICS, seed=42)
    assert first.audio_b64 == second.audio_b64
    assert first.timestamped_lyrics == second.timestamped_lyrics


@pytest.mark.parametrize("audio_format", ["mp3", "m4a"])
def test_same_seed_same_decoded_samples(client: TestClient, audio_format: str) -> None:
    first = decode(riff(client, seed=42, lyrics=LYRICS, audio_format=audio_format).audio_b64)
    second = decode(riff(client, seed=42, lyrics=LYRICS, audio_format=audio_format).audio_b64)
    np.testing.assert_array_equal(first.samples, second.samples)


def test_different_seeds_differ(client: TestClient) -> None:
    songs = [riff(client, lyrics=LYRICS, seed=seed) for seed in (1, 2)]
    assert songs[0].audio_b64 != songs[1].audio_b64
    assert songs[0].timestamped_lyrics != songs[1].timestamped_lyrics


def test_no_seed_is_a_new_song_each_call(client: TestClient) -> None:
    assert riff(client, lyrics=LYRICS).audio_b64 != riff(client, lyrics=LYRICS).audio_b64


def test_emulator_seed_makes_unseeded_runs_reproducible(make_client: MakeClient) -> None:
    runs = []
    for _ in range(2):
        client = make_client(seed=7)
        runs.append([riff(client).audio_b64 for _ in range(2)])
    assert runs[0] == runs[1]
    assert runs[0][0] != runs[0][1]


def test_variation_keeps_structure_and_changes_sound(client: TestClient) -> None:
    female = riff(client, prompts=[{"text": "female singer, pop"}], lyrics=LYRICS, seed=9)
    male = riff(client, prompts=[{"text": "male singer, metal"}], lyrics=LYRICS, seed=9)
    assert female.timestamped_lyrics == male.timestamped_lyrics
    a, b = decode(female.audio_b64), decode(male.audio_b64)
    assert a.samples.shape == b.samples.shape
    assert (
        correlation(band_profile(a.samples, 44100, 0, 4), band_profile(b.samples, 44100, 0, 4))
        < 0.99
    )


def test_transition_moves_from_prompt_a_to_prompt_b(make_client: MakeClient) -> None:
    client = make_client(duration_s=30.0)
    a = {"text": "lo-fi piano", "strength": 4.0, "start_s": 0.0, "end_s": 20.0}
    b = {"text": "orchestral cellos", "strength": 3.0, "start_s": 15.0, "end_s": 30.0}
    mix = decode(riff(client, prompts=[a, b], seed=42).audio_b64).samples
    alone_a = decode(riff(client, prompts=[{**a, "end_s": 30.0}], seed=42).audio_b64).samples
    alone_b = decode(riff(client, prompts=[{**b, "start_s": 0.0}], seed=42).audio_b64).samples

    def closeness(span: tuple[float, float]) -> tuple[float, float]:
        mixed = band_profile(mix, 44100, *span)
        return (
            correlation(mixed, band_profile(alone_a, 44100, *span)),
            correlation(mixed, band_profile(alone_b, 44100, *span)),
        )

    to_a, to_b = closeness((1.0, 13.0))
    assert to_a > to_b + 0.05, (to_a, to_b)
    to_a, to_b = closeness((22.0, 29.0))
    assert to_b > to_a + 0.05, (to_a, to_b)


def test_strength_weights_the_mix(client: TestClient) -> None:
    def profile(strength: float) -> Any:
        prompts = [
            {"text": "techno", "strength": 4.0},
            {"text": "orchestral", "strength": strength},
        ]
        return band_profile(
            decode(riff(client, prompts=prompts, seed=5).audio_b64).samples, 44100, 0, 4
        )

    alone = band_profile(
        decode(riff(client, prompts=[{"text": "orchestral"}], seed=5).audio_b64).samples,
        44100,
        0,
        4,
    )
    assert correlation(profile(12.0), alone) > correlation(profile(1.0), alone)


@pytest.mark.parametrize(
    "prompts",
    [
        [],
        [{"text": "jazz", "start_s": 10.0, "end_s": 20.0}],
        [{"text": "jazz", "start_s": 3.0, "end_s": 1.0}],
        [{"text": "jazz", "strength": 0.0}],
        [{"text": "jazz", "strength": -3.0}],
    ],
    ids=["empty", "after-the-song", "reversed", "zero", "negative"],
)
def test_inaudible_prompts_give_the_neutral_sound(
    client: TestClient, prompts: list[dict[str, Any]]
) -> None:
    neutral = riff(client, prompts=[], seed=11)
    song = riff(client, prompts=prompts, seed=11)
    assert song.audio_b64 == neutral.audio_b64
    assert rms(decode(song.audio_b64).samples) > 0.05


def test_lyrics_are_timed_in_order_inside_the_song(client: TestClient) -> None:
    words = riff(client, lyrics=LYRICS, seed=4).timestamped_lyrics
    assert words is not None
    assert [w.text for w in words] == WORDS
    starts = [w.start_s for w in words]
    assert all(b > a for a, b in itertools.pairwise(starts))
    assert starts[0] >= 0.0
    assert starts[-1] < 4.0


@pytest.mark.parametrize(
    "lyrics", [None, "", "   \n\n", "[Verse]\n[Chorus]\n", "[Intro]\n - \n..."]
)
def test_no_sung_words_is_instrumental(client: TestClient, lyrics: str | None) -> None:
    song = riff(client, lyrics=lyrics, seed=8)
    assert song.lyrics is None
    assert song.timestamped_lyrics is None
    assert song.audio_b64 == riff(client, seed=8).audio_b64


def test_lyrics_echo_keeps_the_callers_text(client: TestClient) -> None:
    assert riff(client, lyrics=LYRICS, seed=1).lyrics == LYRICS


def test_singing_is_audible(client: TestClient) -> None:
    sung = decode(riff(client, lyrics="la " * 40, seed=12).audio_b64).samples
    instrumental = decode(riff(client, seed=12).audio_b64).samples
    assert rms(sung - instrumental) > 0.02


def test_thousands_of_words_stay_ordered_inside_the_song(client: TestClient) -> None:
    lyrics = "\n".join(f"la{i} di da dum ba do be bop" for i in range(15_000))
    body = json.dumps({"prompts": [], "lyrics": lyrics, "seed": 1})
    assert len(body) < 1 << 20
    answer = client.post("/riff", content=body, headers=KEY)
    assert answer.status_code == 200
    words = RiffResponse.model_validate_json(answer.content).timestamped_lyrics
    assert words is not None
    assert len(words) == 120_000
    starts = np.array([w.start_s for w in words])
    assert (np.diff(starts) >= 0).all()
    assert starts[0] >= 0
    assert starts[-1] < 4.0


@pytest.mark.parametrize(
    "body",
    [
        {"prompts": [{"text": ""}], "lyrics": ""},
        {
            "prompts": [
                {"text": "🎸🔥 ünïcödé 音楽", "strength": 12, "start_s": -1e300, "end_s": 1e300}
            ]
        },
        {"prompts": [{"text": "x", "start_s": 1e-300, "end_s": 2e-300}]},
        {"prompts": [{"text": "x"}], "seed": -(10**40)},
        {"prompts": [{"text": "x"}], "seed": 10**300},
        {"prompts": [{"text": "x"}] * 5000},
        {
            "prompts": [
                {"text": f"style {i}", "start_s": i % 4, "end_s": i % 5} for i in range(2000)
            ]
        },
        {"prompts": [], "lyrics": "[" * 500 + "\n]]]\n\u0000\u200b\ud7ff 🎤 — ?"},
        {"prompts": [], "lyrics": "x" * 200_000},
        {"prompts": [], "lyrics": "\n" * 200_000},
        {"prompts": [], "unknown_field": {"nested": [1, 2]}},
    ],
    ids=[
        "empty-strings",
        "huge-numbers-unicode",
        "tiny-range",
        "negative-seed",
        "huge-seed",
        "many-prompts",
        "many-styles",
        "odd-lyrics",
        "one-long-word",
        "only-newlines",
        "extra-field",
    ],
)
def test_odd_but_valid_input_never_fails(client: TestClient, body: dict[str, Any]) -> None:
    answer = client.post("/riff", content=json.dumps(body), headers=KEY)
    assert answer.status_code == 200, answer.text
    audio = decode(RiffResponse.model_validate_json(answer.content).audio_b64)
    assert rms(audio.samples) > 0.01
    assert np.abs(audio.samples).max() < 0.99
