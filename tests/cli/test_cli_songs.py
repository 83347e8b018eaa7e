"""``riff topic`` and ``riff riff``: what is sent, saved and printed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from cli_helpers import API_KEY, WAV, FakeService, Run, song_body

from riff_api.cli import ExitStatus


def test_topic_saves_the_file_and_prints_the_song(
    riff: Callable[..., Run], service: FakeService, tmp_path: Path
) -> None:
    run = riff("topic", "Indie pop banger about my dog Boris", "-o", "boris.wav")
    assert run.status == ExitStatus.OK, run.stderr
    assert (tmp_path / "boris.wav").read_bytes() == WAV
    assert service.requests[0].url.path == "/v1/topic"
    assert service.sent() == {"topic": "Indie pop banger about my dog Boris", "audio_format": "wav"}
    assert service.requests[0].headers["Api-Key"] == API_KEY
    assert "0b5a3f3e-6d7c-4a53" in run.stdout
    assert "boris.wav" in run.stdout
    assert "indie pop" in run.stdout
    # Each sung line with the start of its first word; the section tag without a time.
    assert "[Verse]" in run.stdout
    assert "1.00s  Hello outer space" in run.stdout
    assert "2.50s  bye now" in run.stdout


def test_format_follows_the_extension(riff: Callable[..., Run], service: FakeService) -> None:
    assert riff("topic", "lo-fi", "-o", "song.MP3").status == ExitStatus.OK
    assert service.sent()["audio_format"] == "mp3"


def test_default_file_is_named_after_the_song(
    riff: Callable[..., Run], service: FakeService, tmp_path: Path
) -> None:
    run = riff("topic", "lo-fi", "--format", "m4a")
    assert run.status == ExitStatus.OK, run.stderr
    assert service.sent()["audio_format"] == "m4a"
    assert (tmp_path / "0b5a3f3e-6d7c-4a53.m4a").read_bytes() == WAV


def test_stdout_output_gets_the_audio_and_stderr_the_words(
    riff: Callable[..., Run], tmp_path: Path
) -> None:
    run = riff("topic", "lo-fi", "-o", "-")
    assert run.status == ExitStatus.OK
    assert run.audio == WAV
    assert run.stdout == ""
    assert "0b5a3f3e-6d7c-4a53" in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_json_leaves_the_audio_out(riff: Callable[..., Run], tmp_path: Path) -> None:
    run = riff("riff", "--prompt", "chillstep pop", "--lyrics", "la la", "--json", "-o", "a.wav")
    assert run.status == ExitStatus.OK
    data = json.loads(run.stdout)
    assert "audio_b64" not in data
    assert data["audio_bytes"] == len(WAV)
    assert data["file"] == "a.wav"
    assert data["timestamped_lyrics"] == [
        {"text": "la", "start_s": 1.0},
        {"text": "la", "start_s": 1.5},
    ]


def test_riff_sends_prompts_lyrics_seed_and_moderation(
    riff: Callable[..., Run], service: FakeService, tmp_path: Path
) -> None:
    (tmp_path / "words.txt").write_text("[Chorus]\nHello from outer space\n", encoding="utf-8")
    run = riff(
        "riff",
        "--prompt",
        "chillstep pop",
        "--prompt",
        "orchestral cellos:3:0:10",
        "--lyrics-file",
        "words.txt",
        "--seed",
        "42",
        "--no-moderation",
        "-o",
        "song.mp3",
    )
    assert run.status == ExitStatus.OK, run.stderr
    assert service.requests[0].url.path == "/v1/riff"
    assert service.sent() == {
        "prompts": [
            {"text": "chillstep pop"},
            {"text": "orchestral cellos", "strength": 3.0, "start_s": 0.0, "end_s": 10.0},
        ],
        "lyrics": "[Chorus]\nHello from outer space",
        "seed": 42,
        "audio_format": "mp3",
        "moderate_inputs": False,
    }
    assert "orchestral cellos  (strength 3, 0–10 s)" in run.stdout


def test_lyrics_from_stdin(riff: Callable[..., Run], service: FakeService) -> None:
    run = riff("riff", "-p", "folk", "--lyrics-file", "-", "-o", "x.wav", stdin="sing it\n")
    assert run.status == ExitStatus.OK
    assert service.sent()["lyrics"] == "sing it"
    assert "moderate_inputs" not in service.sent()  # unset: the service's default (on)


def test_instrumental_says_so(riff: Callable[..., Run], service: FakeService) -> None:
    run = riff("riff", "-p", "ambient", "-o", "x.wav")
    assert run.status == ExitStatus.OK
    assert "lyrics" not in service.sent()  # no lyrics: an instrumental
    assert "(instrumental)" in run.stdout


def test_unaligned_words_are_listed_after_the_lyrics(
    riff: Callable[..., Run], service: FakeService
) -> None:
    def odd_words(request: httpx.Request) -> httpx.Response:
        body = song_body(request)
        body["timestamped_lyrics"] = [{"text": "one", "start_s": 0.25}]
        return httpx.Response(200, json=body)

    service.then(odd_words)
    run = riff("riff", "-p", "x", "--lyrics", "two words", "-o", "x.wav")
    assert run.status == ExitStatus.OK
    assert "  two words" in run.stdout
    assert "0.25 one" in run.stdout


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["topic", "x", "-o", "song.wav", "--format", "mp3"], "does not match"),
        (["topic", "x", "-o", "song.ogg"], "cannot tell the audio format"),
        (["topic", "x", "-o", "song.ogg", "--format", "wav"], "must end in .wav"),
        (["topic", "x", "-o", "missing/song.wav"], "does not exist"),
        (["topic", "x", "-o", "."], "folder"),
        (["topic", "   ", "-o", "a.wav"], "topic must be a non-empty sentence"),
        (["riff", "-p", "x", "--lyrics-file", "nope.txt"], "cannot read lyrics file"),
        (["riff", "-p", "x", "--lyrics", "  "], "lyrics are empty"),
        (["topic", "x", "--local", "--api-key", "k"], "--local runs without a service"),
        (["topic", "x", "--base-url", "http://example.com/v1"], "plain http"),
    ],
)
def test_mistakes_are_caught_before_any_request(
    riff: Callable[..., Run], service: FakeService, argv: list[str], complaint: str
) -> None:
    run = riff(*argv)
    assert run.status == ExitStatus.USAGE
    assert complaint in run.stderr
    assert run.stderr.startswith("riff: error: ")
    assert service.requests == []


def test_base_url_from_option_and_environment(
    riff: Callable[..., Run], service: FakeService
) -> None:
    environ = {"RIFFUSION_API_KEY": "k", "RIFFUSION_BACKEND_URL": "http://127.0.0.1:9/api"}
    assert riff("topic", "x", "-o", "a.wav", environ=environ).status == ExitStatus.OK
    assert str(service.requests[-1].url) == "http://127.0.0.1:9/api/topic"
    run = riff("topic", "x", "-o", "a.wav", "--base-url", "https://example.org/v2", environ=environ)
    assert run.status == ExitStatus.OK
    assert str(service.requests[-1].url) == "https://example.org/v2/topic"


def test_base_url_is_never_read_from_the_process_environment(
    riff: Callable[..., Run], service: FakeService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIFFUSION_BACKEND_URL", "http://127.0.0.1:9/elsewhere")
    run = riff("topic", "x", "-o", "a.wav", environ={"RIFFUSION_API_KEY": "k"})
    assert run.status == ExitStatus.OK
    assert str(service.requests[-1].url) == "https://backend.riffusion.com/v1/topic"


def test_spinner_only_on_a_terminal(riff: Callable[..., Run]) -> None:
    quiet = riff("topic", "x", "-o", "a.wav")
    assert quiet.stderr == ""
    drawn = riff("topic", "x", "-o", "b.wav", tty=True)
    assert drawn.status == ExitStatus.OK
    assert "making the song…" in drawn.stderr
    assert drawn.stderr.endswith("\r\x1b[K")  # the line is wiped before the song is printed
