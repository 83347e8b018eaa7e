"""A 2xx that is not a valid song is an APIResponseValidationError naming what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

import riff_api
from tests.conftest import Recorder, song_body, wav_bytes


def answer_with(content: bytes) -> Recorder:
    return Recorder(
        httpx.Response(200, content=content, headers={"Content-Type": "application/json"})
    )


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b"not json at all", "body"),
        (b'{"id": "x"', "body"),
        (b"[]", "body"),
        (b"", "body"),
    ],
)
def test_invalid_json(
    make_client: Callable[..., riff_api.Riffusion], content: bytes, named: str
) -> None:
    with pytest.raises(riff_api.APIResponseValidationError, match=named) as caught:
        make_client(answer_with(content)).riff(["x"])
    assert caught.value.status_code == 200


@pytest.mark.parametrize("missing", ["id", "audio_b64", "lyrics", "timestamped_lyrics", "prompts"])
def test_missing_key_is_named(make_client: Callable[..., riff_api.Riffusion], missing: str) -> None:
    body = song_body()
    del body[missing]
    client = make_client(Recorder(httpx.Response(200, json=body)))
    with pytest.raises(riff_api.APIResponseValidationError, match=missing):
        client.riff(["x"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("prompts", "not a list"),
        ("timestamped_lyrics", [{"text": "a"}]),
        ("id", None),
        ("audio_b64", 12),
    ],
)
def test_wrong_types_are_named(
    make_client: Callable[..., riff_api.Riffusion], field: str, value: Any
) -> None:
    client = make_client(Recorder(httpx.Response(200, json=song_body(**{field: value}))))
    with pytest.raises(riff_api.APIResponseValidationError, match=field):
        client.riff(["x"])


@pytest.mark.parametrize("audio", ["not base64!!", "QUJD$", "QUJDRA="])
def test_invalid_base64_is_rejected(
    make_client: Callable[..., riff_api.Riffusion], audio: str
) -> None:
    client = make_client(Recorder(httpx.Response(200, json=song_body(audio_b64=audio))))
    with pytest.raises(riff_api.APIResponseValidationError, match="base64"):
        client.riff(["x"])


def test_response_validation_errors_are_not_retried(
    make_client: Callable[..., riff_api.Riffusion], sleeps: list[float]
) -> None:
    recorder = answer_with(b"garbage")
    with pytest.raises(riff_api.APIResponseValidationError):
        make_client(recorder).riff(["x"])
    assert recorder.calls == 1


def test_valid_song_round_trip(make_client: Callable[..., riff_api.Riffusion]) -> None:
    song = make_client(Recorder(httpx.Response(200, json=song_body()))).riff(["x"])
    assert isinstance(song, riff_api.RiffResponse)
    assert song.audio_bytes == wav_bytes()
    assert song.audio_format == "wav"
    assert song.timestamped_lyrics is not None
    assert [w.text for w in song.timestamped_lyrics] == ["Hello", "Boris"]
    assert isinstance(song.prompts[0], riff_api.Prompt)


def test_instrumental_nulls_are_accepted(make_client: Callable[..., riff_api.Riffusion]) -> None:
    body = song_body(lyrics=None, timestamped_lyrics=None)
    song = make_client(Recorder(httpx.Response(200, json=body))).riff(["x"])
    assert song.lyrics is None
    assert song.timestamped_lyrics is None


def test_gzip_encoded_answers_are_decoded(make_client: Callable[..., riff_api.Riffusion]) -> None:
    import gzip
    import json

    raw = gzip.compress(json.dumps(song_body()).encode())
    answer = httpx.Response(200, content=raw, headers={"Content-Encoding": "gzip"})
    assert make_client(Recorder(answer)).riff(["x"]).audio_bytes == wav_bytes()


def test_repr_does_not_dump_the_audio() -> None:
    song = riff_api.RiffResponse.model_validate(song_body())
    text = repr(song)
    assert "base64 chars" in text
    assert song.audio_b64 not in text
    assert "Hello Boris" in text


def _encoded(body: dict[str, Any]) -> bytes:
    import json

    return json.dumps(body).encode()


@pytest.mark.parametrize(
    "content",
    [
        # compact, spaced, and the audio key first or last: the fast path
        b'{"id":"x","audio_b64":"%s","lyrics":null,"timestamped_lyrics":null,"prompts":[]}',
        b'{ "audio_b64" :  "%s" , "id": "x", "lyrics": null, "timestamped_lyrics": null,'
        b' "prompts": []}',
        b'{"id":"x","lyrics":null,"timestamped_lyrics":null,"prompts":[],"audio_b64":"%s"}',
        # a JSON escape inside the string (legal: "\/" is "/"): parsed whole
        b'{"id":"x","audio_b64":"\\/\\/\\/\\/%s","lyrics":null,"timestamped_lyrics":null,'
        b'"prompts":[]}',
        # a nested key of the same name comes first: parsed whole
        b'{"id":"x","prompts":[{"text":"a","audio_b64":"QUJD"}],"audio_b64":"%s",'
        b'"lyrics":null,"timestamped_lyrics":null}',
    ],
)
def test_parse_song_paths_agree(content: bytes) -> None:
    import pybase64

    from riff_api._receive import parse_song

    audio = wav_bytes()
    raw = content % pybase64.b64encode(audio)
    song = parse_song(bytearray(raw))
    reference = riff_api.RiffResponse.model_validate_json(raw)
    assert song == reference
    assert song.audio_b64 == reference.audio_b64
    expected = pybase64.b64decode(reference.audio_b64)
    assert song.audio_bytes == expected
    assert song.model_dump() == reference.model_dump()
    assert song.model_dump_json() == reference.model_dump_json()


@pytest.mark.parametrize(
    "content",
    [
        b'{"id":"x","audio_b64":"QUJD\xc3\xa9","lyrics":null,"timestamped_lyrics":null,'
        b'"prompts":[]}',
        b'{"id":"x","audio_b64":"QUJD","lyrics":null,"timestamped_lyrics":null}',
        b'{"id":"x","audio_b64":"QUJD","lyrics":null,"timestamped_lyrics":null,"prompts":[]',
        b'{"id":"x","audio_b64":"QUJD',
    ],
)
def test_parse_song_errors_are_typed(
    make_client: Callable[..., riff_api.Riffusion], content: bytes
) -> None:
    with pytest.raises(riff_api.APIResponseValidationError):
        make_client(answer_with(content)).riff(["x"])


def test_every_song_knows_its_duration_and_shows_in_a_notebook() -> None:
    from riff_api.types import ComposeResponse

    first = riff_api.RiffResponse.model_validate(song_body())
    second = ComposeResponse.model_validate(
        {
            "id": "c-1",
            "audio_b64": song_body()["audio_b64"],
            "audio_format": "m4a",
            "title": "Neon <b>",
            "sound_prompts": [{"text": "synthwave", "strength": 0.7}],
            "timestamped_lyrics": [{"text": "Neon", "start": 1.25}],
            "lyrics": "Neon",
        }
    )
    assert first.duration_s == pytest.approx(0.05, abs=0.001)  # the conftest's 50 ms wav
    html = second._repr_html_()
    assert "<audio" in html
    assert "Neon &lt;b&gt;" in html  # the server's text, escaped
    assert "1.25" in html
    assert "<audio" in first._repr_html_()
