"""Saving audio: the format check before any request, and the all-or-nothing write."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

import riff_api
from riff_api import _audio
from tests.conftest import Recorder, ok, song_body, wav_bytes


def test_save_to_writes_the_decoded_audio(
    make_client: Callable[..., riff_api.Riffusion], tmp_path: Path
) -> None:
    target = tmp_path / "song.wav"
    make_client(Recorder(ok)).riff(["x"], save_to=target)
    assert target.read_bytes() == wav_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["song.wav"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize(
    ("name", "audio_format", "message"),
    [
        ("song.mp3", "wav", "pass audio_format='mp3'"),
        ("song", "wav", "must end in '.wav'"),
        ("song.wav.txt", "wav", "must end in '.wav'"),
        ("song.WAV", "m4a", "pass audio_format='wav'"),
    ],
)
def test_mismatched_extension_is_a_value_error_before_the_request(
    make_client: Callable[..., riff_api.Riffusion],
    tmp_path: Path,
    name: str,
    audio_format: riff_api.AudioFormat,
    message: str,
) -> None:
    recorder = Recorder(ok)
    client = make_client(recorder)
    with pytest.raises(ValueError, match=message):
        client.riff(["x"], audio_format=audio_format, save_to=tmp_path / name)
    with pytest.raises(ValueError, match=message):
        client.topic("x", audio_format=audio_format, save_to=tmp_path / name)
    assert recorder.calls == 0
    assert list(tmp_path.iterdir()) == []


def test_extension_check_is_case_insensitive(
    make_client: Callable[..., riff_api.Riffusion], tmp_path: Path
) -> None:
    make_client(Recorder(ok)).riff(["x"], save_to=tmp_path / "LOUD.WAV")
    assert (tmp_path / "LOUD.WAV").exists()


def test_directory_as_save_to_is_refused(
    make_client: Callable[..., riff_api.Riffusion], tmp_path: Path
) -> None:
    folder = tmp_path / "x.wav"
    folder.mkdir()
    with pytest.raises(ValueError, match="directory"):
        make_client(Recorder(ok)).riff(["x"], save_to=folder)


def test_write_failing_midway_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "song.wav"
    real_fsync = os.fsync

    def broken_fsync(fd: int) -> None:
        real_fsync(fd)  # the bytes are on disk in the temporary file...
        raise OSError(28, "No space left on device")  # ...when the disk fills up

    monkeypatch.setattr(_audio.os, "fsync", broken_fsync)
    with pytest.raises(riff_api.AudioSaveError, match="No space left") as caught:
        _audio.write_atomic(target, b"x" * 1_000_000)
    assert isinstance(caught.value, OSError)
    assert list(tmp_path.iterdir()) == []


def test_interrupted_write_leaves_the_old_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "song.wav"
    target.write_bytes(b"the previous song")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_audio.os, "replace", interrupted)
    song = riff_api.RiffResponse.model_validate(song_body())
    with pytest.raises(KeyboardInterrupt):
        song.save(target)
    assert target.read_bytes() == b"the previous song"
    assert [p.name for p in tmp_path.iterdir()] == ["song.wav"]


def test_unwritable_folder_is_an_audio_save_error(tmp_path: Path) -> None:
    song = riff_api.RiffResponse.model_validate(song_body())
    with pytest.raises(riff_api.AudioSaveError, match="cannot write"):
        song.save(tmp_path / "missing-folder" / "song.wav")


def test_save_audio_accepts_our_and_foreign_responses(tmp_path: Path) -> None:
    ours = riff_api.RiffResponse.model_validate(song_body())
    riff_api.save_audio(ours, tmp_path / "a.wav")

    class Foreign:  # e.g. the official client's response object
        audio_b64 = ours.audio_b64

    riff_api.save_audio(Foreign(), str(tmp_path / "b.wav"))
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes() == wav_bytes()
    with pytest.raises(TypeError):
        riff_api.save_audio(object(), tmp_path / "c.wav")
    with pytest.raises(ValueError, match="base64"):
        riff_api.save_audio(type("Bad", (), {"audio_b64": "@@@"})(), tmp_path / "d.wav")
    assert not (tmp_path / "d.wav").exists()


def test_response_save_returns_path_and_decodes_once(tmp_path: Path) -> None:
    song = riff_api.RiffResponse.model_validate(song_body())
    first = song.audio_bytes
    assert song.audio_bytes is first
    assert song.save(tmp_path / "x.wav") == tmp_path / "x.wav"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (wav_bytes(), "wav"),
        (b"\x00\x00\x00\x20ftypM4A ", "m4a"),
        (b"ID3\x04\x00", "mp3"),
        (b"\xff\xfb\x90\x00", "mp3"),
        (b"OggS", None),
        (b"", None),
    ],
)
def test_sniff_format(data: bytes, expected: str | None) -> None:
    assert _audio.sniff_format(data) == expected


def test_failed_request_writes_no_file(
    make_client: Callable[..., riff_api.Riffusion], tmp_path: Path
) -> None:
    client = make_client(Recorder(httpx.Response(200, json=song_body(audio_b64="@@"))))
    with pytest.raises(riff_api.APIResponseValidationError):
        client.riff(["x"], save_to=tmp_path / "song.wav")
    assert list(tmp_path.iterdir()) == []


def test_save_refuses_a_name_of_another_format(tmp_path: Path) -> None:
    """song.save("x.mp3") of wav audio was written silently; save_to= refused it (issue 13)."""
    song = riff_api.RiffResponse.model_validate(song_body())
    with pytest.raises(ValueError, match=r"the audio is wav: name a '\.wav' file"):
        song.save(tmp_path / "x.mp3")
    with pytest.raises(ValueError, match="the audio is wav"):
        riff_api.save_audio(song, tmp_path / "y.mp3")
    assert list(tmp_path.iterdir()) == []
    assert song.save(tmp_path / "x.WAV").read_bytes() == song.audio_bytes
