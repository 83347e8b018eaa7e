"""``POST /v1/topic``: lyrics about the topic, a style from it or at random."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from riff_api.emulator._topic import RANDOM_STYLES, topic_keywords, write_song
from riff_api_generated.gen1.models import RiffResponse

from ._audio import decode
from .conftest import KEY, MakeClient


def topic(client: TestClient, text: str, **extra: str) -> RiffResponse:
    answer = client.post("/topic", json={"topic": text, **extra}, headers=KEY)
    assert answer.status_code == 200, answer.text
    return RiffResponse.model_validate_json(answer.content)


def test_lyrics_are_about_the_topic(client: TestClient) -> None:
    song = topic(client, "Indie pop banger about my dog Boris")
    assert song.lyrics is not None
    assert "Boris" in song.lyrics
    assert "dog" in song.lyrics.casefold()
    assert "[Verse]" in song.lyrics
    assert "[Chorus]" in song.lyrics
    sung = [w.text for w in song.timestamped_lyrics or []]
    assert any(word.startswith("Boris") for word in sung)
    assert not any(word.startswith("[") for word in sung)


def test_the_style_named_in_the_topic_is_the_prompt(make_client: MakeClient) -> None:
    client = make_client(duration_s=5.0)
    song = topic(client, "Indie pop banger about my dog Boris")
    assert len(song.prompts) == 1
    prompt = song.prompts[0]
    assert prompt.text.startswith("indie pop")
    assert (prompt.strength, prompt.start_s, prompt.end_s) == (4.0, 0.0, 5.0)


def test_topic_without_a_style_gets_a_random_one(client: TestClient) -> None:
    styles = {topic(client, "Sing facts about Kansas history").prompts[0].text for _ in range(12)}
    # Twelve draws from twenty styles all equal: a chance of 20**-11.
    assert len(styles) > 1
    assert styles <= set(RANDOM_STYLES)


def test_topic_songs_are_reproducible_under_the_emulator_seed(make_client: MakeClient) -> None:
    first = [topic(make_client(seed=3), "Kansas history") for _ in range(2)]
    assert first[0].prompts == first[1].prompts
    assert first[0].lyrics == first[1].lyrics
    assert first[0].audio_b64 == first[1].audio_b64


def test_topic_audio_format(client: TestClient) -> None:
    audio = decode(
        topic(
            client, "Explain the concept of time in French, piano chill", audio_format="mp3"
        ).audio_b64
    )
    assert audio.codec == "mp3float"
    assert audio.duration_s == pytest.approx(4.0, abs=0.1)


@pytest.mark.parametrize("text", ["", " ", "🎵", "jazz", "x" * 100_000, "the of and"])
def test_any_topic_makes_a_song(client: TestClient, text: str) -> None:
    song = topic(client, text)
    assert song.lyrics
    assert song.timestamped_lyrics
    assert song.prompts[0].text


def test_keywords_prefer_names_and_skip_style_and_stop_words() -> None:
    assert topic_keywords("Indie pop banger about my dog Boris") == ["Boris", "my dog"]
    assert topic_keywords("Sing facts about Kansas history") == ["Kansas", "facts", "history"]
    assert topic_keywords("Explain the concept of time in French, piano chill") == [
        "French",
        "time",
    ]


def test_every_keyword_is_sung_whatever_the_seed() -> None:
    for seed in range(50):
        lyrics, _ = write_song("A ballad about Paris, rain and coffee", seed)
        for word in ("Paris", "rain", "coffee"):
            assert word in lyrics
