"""The second generation in the emulator: /api/v1/prompt, /compose and /models, measured on audio.

Every claim of ``riff_api.emulator._compose`` is checked on the decoded m4a: the mix follows
the sound prompts' strengths, ``lyrics_strength`` scales the voice, ``weirdness`` changes the
sound, the same request and seed give the same audio, and every sung word is timed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pybase64
import pytest

from riff_api.emulator import MODERATION_BLOCKLIST, EmulatorSettings, create_app
from riff_api.types import ComposeResponse, PromptResponse

from ._audio import FloatArray, decode
from .conftest import KEY, TestClient

API = "http://127.0.0.1/api/v1"
SECONDS = 6.0


@pytest.fixture(scope="module")
def api() -> Iterator[TestClient]:
    settings = EmulatorSettings(duration_s=SECONDS, seed=5, models=("FUZZ-2.0", "FUZZ-lab"))
    with TestClient(create_app(settings), base_url=API) as client:
        yield client


def compose(api: TestClient, **body: Any) -> ComposeResponse:
    answer = api.post("/compose", json=body, headers=KEY)
    assert answer.status_code == 200, answer.text
    return ComposeResponse.model_validate_json(answer.content)


def mono(song: ComposeResponse | PromptResponse) -> FloatArray:
    decoded = decode(song.audio_b64)
    assert decoded.codec == "aac"
    samples: FloatArray = decoded.samples.mean(axis=0)
    return samples


def correlation(a: FloatArray, b: FloatArray) -> float:
    n = min(len(a), len(b))
    return float(np.corrcoef(a[:n], b[:n])[0, 1])


def test_prompt_writes_a_title_a_sound_prompt_and_lyrics(api: TestClient) -> None:
    answer = api.post(
        "/prompt", json={"prompt": "A chill lo-fi beat about rainy mornings in Tokyo"}, headers=KEY
    )
    assert answer.status_code == 200, answer.text
    song = PromptResponse.model_validate_json(answer.content)
    assert song.audio_format == "m4a"
    assert "lo-fi" in song.sound_prompt
    assert "Tokyo" in song.title
    assert song.lyrics is not None
    assert "Tokyo" in song.lyrics
    sung = [
        w for line in song.lyrics.splitlines() if not line.startswith("[") for w in line.split()
    ]
    assert [w.text for w in song.timestamped_lyrics or []] == sung
    decoded = decode(song.audio_b64)
    assert decoded.duration_s == pytest.approx(SECONDS, abs=0.05)


def test_an_instrumental_prompt_has_no_lyrics(api: TestClient) -> None:
    body = {"prompt": "Epic orchestral battle music", "instrumental": True}
    song = PromptResponse.model_validate_json(api.post("/prompt", json=body, headers=KEY).content)
    assert song.lyrics is None
    assert song.timestamped_lyrics is None
    assert song.title


def test_compose_echoes_its_sound_prompts_with_strengths(api: TestClient) -> None:
    song = compose(api, sound_prompts=[{"text": "tribal drums", "strength": 0.9}, {"text": "jazz"}])
    assert [(p.text, p.strength) for p in song.sound_prompts] == [
        ("tribal drums", 0.9),
        ("jazz", 0.5),
    ]


def test_a_stronger_sound_prompt_is_louder_in_the_mix(api: TestClient) -> None:
    def song(drums: float, jazz: float) -> FloatArray:
        prompts = [
            {"text": "tribal drums", "strength": drums},
            {"text": "smooth jazz", "strength": jazz},
        ]
        return mono(compose(api, sound_prompts=prompts, seed=11))

    drums_alone = mono(compose(api, sound_prompts=[{"text": "tribal drums"}], seed=11))
    jazz_alone = mono(compose(api, sound_prompts=[{"text": "smooth jazz"}], seed=11))
    n = min(len(drums_alone), len(jazz_alone))
    basis = np.stack([drums_alone[:n], jazz_alone[:n]], axis=1)

    def shares(mix: FloatArray) -> tuple[float, float]:
        (a, b), *_ = np.linalg.lstsq(basis, mix[:n], rcond=None)
        return float(a), float(b)

    (a1, b1), (a2, b2) = shares(song(0.8, 0.2)), shares(song(0.2, 0.8))
    assert a1 > a2
    assert b2 > b1
    # Each song is normalised to its own peak, so compare the two mixes with each other: the
    # peaks cancel in (a1 / a2) * (b2 / b1), which is 4 * 4 for shares of 0.8 against 0.2.
    assert np.sqrt((a1 / a2) * (b2 / b1)) == pytest.approx(4.0, rel=0.15)


def test_a_strength_of_zero_or_less_adds_nothing(api: TestClient) -> None:
    alone = compose(api, sound_prompts=[{"text": "tribal drums"}], seed=3)
    muted = compose(
        api,
        sound_prompts=[{"text": "tribal drums"}, {"text": "smooth jazz", "strength": -1.0}],
        seed=3,
    )
    assert correlation(mono(alone), mono(muted)) > 0.999


def test_lyrics_strength_scales_the_voice(api: TestClient) -> None:
    def song(strength: float) -> FloatArray:
        return mono(
            compose(
                api,
                sound_prompts=[{"text": "lo-fi piano"}],
                lyrics="Hello from outer space\nCan you hear me",
                lyrics_strength=strength,
                seed=8,
            )
        )

    silent, usual, loud = song(0.0), song(0.5), song(1.0)
    # The instrumental is the same in all three: the louder the voice, the further from it.
    assert 0.995 > correlation(silent, usual) > correlation(silent, loud)


def test_weirdness_changes_the_sound(api: TestClient) -> None:
    def song(weirdness: float) -> ComposeResponse:
        return compose(api, sound_prompts=[{"text": "acoustic folk"}], weirdness=weirdness, seed=21)

    plain = mono(song(0.0))
    assert correlation(plain, mono(song(0.0))) > 0.9999
    assert correlation(plain, mono(song(1.0))) < correlation(plain, mono(song(0.5))) < 0.99


def test_the_same_request_and_seed_give_the_same_audio(api: TestClient) -> None:
    body = {"sound_prompts": [{"text": "synthwave"}], "lyrics": "Drive all night", "seed": 99}
    first, again = compose(api, **body), compose(api, **body)
    assert first.id != again.id
    assert pybase64.b64decode(first.audio_b64) == pybase64.b64decode(again.audio_b64)
    other = compose(api, **{**body, "seed": 100})
    assert pybase64.b64decode(other.audio_b64) != pybase64.b64decode(first.audio_b64)


def test_every_sung_word_is_timed(api: TestClient) -> None:
    lyrics = "[Verse]\nWalking down the street tonight\n\n[Chorus]\nSing it, sing it loud"
    song = compose(api, sound_prompts=[{"text": "indie pop"}], lyrics=lyrics, seed=4)
    words = song.timestamped_lyrics or []
    assert [w.text for w in words] == [
        "Walking",
        "down",
        "the",
        "street",
        "tonight",
        "Sing",
        "it,",
        "sing",
        "it",
        "loud",
    ]
    starts = [w.start for w in words]
    assert starts == sorted(starts)
    assert starts[0] >= 0.0
    assert starts[-1] < SECONDS
    assert song.title == "Walking Down The Street Tonight"


def test_models_lists_the_emulators_models(api: TestClient) -> None:
    answer = api.get("/models", headers=KEY)
    assert answer.status_code == 200
    assert answer.json() == ["FUZZ-2.0", "FUZZ-lab"]
    assert answer.headers["x-request-id"]


@pytest.mark.parametrize("path", ["/prompt", "/compose"])
def test_a_model_not_listed_is_refused(api: TestClient, path: str) -> None:
    body: dict[str, Any] = (
        {"prompt": "x"} if path == "/prompt" else {"sound_prompts": [{"text": "x"}]}
    )
    refused = api.post(path, json={**body, "model": "FUZZ 9"}, headers=KEY)
    assert refused.status_code == 422
    error = refused.json()
    assert error["code"] == "validation_error"
    assert error["detail"][0]["loc"] == ["body", "model"]
    assert "FUZZ-2.0" in error["detail"][0]["msg"]
    assert api.post(path, json={**body, "model": "FUZZ-lab"}, headers=KEY).status_code == 200


def test_moderation_and_its_switch(api: TestClient) -> None:
    word = sorted(MODERATION_BLOCKLIST)[0]
    for path, body in (
        ("/prompt", {"prompt": f"a song about {word}"}),
        ("/compose", {"sound_prompts": [{"text": word}]}),
        ("/compose", {"sound_prompts": [{"text": "folk"}], "lyrics": f"oh {word}"}),
    ):
        refused = api.post(path, json=body, headers=KEY)
        assert refused.status_code == 400, path
        assert refused.json()["code"] == "moderation"
        allowed = api.post(path, json={**body, "moderate_inputs": False}, headers=KEY)
        assert allowed.status_code == 200, path


def test_the_second_generation_needs_the_key_and_meets_the_faults() -> None:
    settings = EmulatorSettings(duration_s=1.0, api_keys=["k2"], error_rate=1.0, fault_seed=1)
    with TestClient(create_app(settings), base_url=API) as client:
        assert client.get("/models").status_code == 401
        assert client.get("/models", headers={"Api-Key": "nope"}).status_code == 401
        failed = client.get("/models", headers={"Api-Key": "k2"})
        assert failed.status_code in (500, 503)
        assert failed.json()["code"] in ("internal_error", "unavailable")


def test_the_second_spec_is_served() -> None:
    with TestClient(create_app(EmulatorSettings(duration_s=1.0)), base_url=API) as client:
        spec = client.get("/openapi.yaml")
    assert spec.status_code == 200
    assert b"/compose:" in spec.content
