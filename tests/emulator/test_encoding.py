"""mp3 encoded in two halves at once is the song a single encoder makes, seam included."""

from __future__ import annotations

import numpy as np
import pytest

from riff_api.emulator import _encoding
from riff_api.emulator._encoding import encode
from riff_api.emulator._synthesis import render_song
from riff_api_generated.gen1.models import Prompt

from ._audio import FloatArray, band_profile, correlation, decode

RATE = 44100
FRAME = 1152


@pytest.fixture(scope="module")
def song() -> FloatArray:
    """The benchmark's 30 s song."""
    lyrics = "Hello from outer space\nCan you hear me?\nI'm a satellite"
    return render_song([Prompt(text="chillstep pop")], lyrics, 42, 30.0).samples


@pytest.fixture(scope="module")
def one_encoder(song: FloatArray) -> FloatArray:
    """The song through one LAME encoder, decoded."""
    patch = pytest.MonkeyPatch()
    patch.setattr(_encoding, "_MP3_SPLIT_FRAMES", 10**9)
    try:
        return decode(encode(song, "mp3")).samples
    finally:
        patch.undo()


def frame_error(reference: FloatArray, decoded: FloatArray) -> FloatArray:
    """RMS of ``decoded - reference`` in each 1152-sample frame."""
    frames = reference.shape[1] // FRAME
    error = (decoded[:, : frames * FRAME] - reference[:, : frames * FRAME]).reshape(2, -1, FRAME)
    out: FloatArray = np.sqrt(np.mean(error**2, axis=(0, 2)))
    return out


def test_a_split_mp3_decodes_to_exactly_the_song(song: FloatArray) -> None:
    audio = decode(encode(song, "mp3"))
    assert (audio.rate, audio.channels, audio.codec) == (RATE, 2, "mp3float")
    assert audio.samples.shape == song.shape  # not a sample more or less: no gap at the seam
    noise = np.sum((audio.samples - song) ** 2)
    assert 10 * np.log10(np.sum(song**2) / noise) > 12.0
    for start in (0.0, 10.0, 20.0):
        profile = band_profile(audio.samples, RATE, start, start + 10.0)
        assert correlation(profile, band_profile(song, RATE, start, start + 10.0)) > 0.99


def test_the_seam_is_as_good_as_one_encoders_frames(
    song: FloatArray, one_encoder: FloatArray
) -> None:
    split = decode(encode(song, "mp3")).samples
    seam = song.shape[1] // 2 // FRAME  # the frame where the second half's frames begin
    # Decoded frames lag the grid by the encoder's delay: look at a few frames around it.
    around = slice(seam - 3, seam + 4)
    ours, theirs = frame_error(song, split)[around], frame_error(song, one_encoder)[around]
    typical = float(np.median(frame_error(song, one_encoder)))
    assert np.all(ours <= theirs * 1.25 + 0.1 * typical), (ours, theirs, typical)


def test_a_split_mp3_is_deterministic(song: FloatArray) -> None:
    assert encode(song, "mp3") == encode(song, "mp3")


def test_a_short_mp3_is_one_encoders(song: FloatArray) -> None:
    short = np.ascontiguousarray(song[:, : 2 * RATE])
    assert short.shape[1] < _encoding._MP3_SPLIT_FRAMES * FRAME
    assert decode(encode(short, "mp3")).samples.shape == short.shape
