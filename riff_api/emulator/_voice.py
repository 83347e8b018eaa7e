"""The sung line: one note per word from a formant-shaped sawtooth with vibrato.

Each word is sung on its first vowel: a sawtooth spectrum weighted by that vowel's three
formants (for a female or a male register) baked into a wavetable. The whole line is one
vectorised pass: a per-sample note index, a pitch track with delayed vibrato, a phase
accumulated in float64, one look-up into the stacked vowel tables, and an envelope with a
short breath of noise at each word's onset as its consonant.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt

from ._cache import FloatArray
from ._instruments import SAMPLE_RATE, TABLE_SIZE, wavetable
from ._lyrics import Lyrics, Timing
from ._structure import Structure, seed_rng

__all__ = ["REGISTERS", "melody", "render_voice", "voice_tonic", "vowel_of"]

REGISTERS: Final = ("female", "male")
_VOWELS: Final = "aeiou"
# Formant centres (Hz) of a male voice; a female one sits ~17% higher.
_FORMANTS: Final = {
    "a": (730.0, 1090.0, 2440.0),
    "e": (530.0, 1840.0, 2480.0),
    "i": (270.0, 2290.0, 3010.0),
    "o": (570.0, 840.0, 2410.0),
    "u": (300.0, 870.0, 2240.0),
}
_REFERENCE_HZ: Final = {"female": 330.0, "male": 165.0}
_FORMANT_SCALE: Final = {"female": 1.17, "male": 1.0}


def _spectrum(register: str, vowel: str) -> tuple[float, ...]:
    f0 = _REFERENCE_HZ[register]
    centres = [c * _FORMANT_SCALE[register] for c in _FORMANTS[vowel]]
    widths = (90.0, 120.0, 180.0)
    gains = (1.0, 0.6, 0.35)
    out = []
    for k in range(1, int(5000.0 / f0) + 1):
        f = k * f0
        shape = sum(
            g * np.exp(-(((f - c) / w) ** 2))
            for c, w, g in zip(centres, widths, gains, strict=True)
        )
        out.append(float((0.04 + shape) / k**0.5))
    return tuple(out)


@lru_cache(maxsize=1)
def _tables() -> FloatArray:
    # Rows: register * 5 + vowel.
    rows = [
        wavetable(_spectrum(register, vowel), 64) for register in REGISTERS for vowel in _VOWELS
    ]
    out = np.stack(rows)
    out.flags.writeable = False
    return out


_FIRST_VOWEL = re.compile(r"[aeiouy]")
_VOWEL_ROW: Final = {"a": 0, "e": 1, "i": 2, "o": 3, "u": 4, "y": 2}


def vowel_of(word: str) -> int:
    """Index in ``aeiou`` of the vowel a word is sung on (its first one, or a stable pick)."""
    found = _FIRST_VOWEL.search(word.casefold())
    if found is not None:
        return _VOWEL_ROW[found.group()]
    return sum(map(ord, word)) % len(_VOWELS)


def voice_tonic(key: int, register: str) -> int:
    """MIDI note of the tonic for a singer in ``register`` singing in pitch class ``key``."""
    return (57 if register == "female" else 45) + (key - 9) % 12


def melody(lyrics: Lyrics, timing: Timing, structure: Structure) -> npt.NDArray[np.int64]:
    """Scale degree (above the tonic) of each word: chord tones of its bar, from the seed."""
    n = len(lyrics.words)
    rng = seed_rng(structure.seed, "melody")
    tones = rng.choice(np.array([0, 2, 4, 2, 0, 4, 1, 3, 5], dtype=np.int64), size=n)
    bar = np.minimum(
        (timing.starts * SAMPLE_RATE // structure.bar_samples).astype(np.int64),
        structure.n_bars - 1,
    )
    roots = np.asarray(structure.chords, dtype=np.int64)[bar]
    lifted = lyrics.chorus[lyrics.line_of_word].astype(np.int64) * 2
    degrees: npt.NDArray[np.int64] = (roots + tones) % 7 + lifted
    return degrees


def render_voice(
    timing: Timing,
    midi: npt.NDArray[np.int64],
    rows: npt.NDArray[np.int64],
    n_samples: int,
) -> tuple[int, FloatArray]:
    """The sung line as ``(first sample, mono samples)``; ``rows`` picks each word's table.

    The result covers the span from the first word to the end of the last one. The voice
    holds nothing above 5 kHz, so it is computed at half the sample rate, only where a
    word sounds, then interpolated up.
    """
    limit = n_samples // 2
    starts = np.minimum((timing.starts * _RATE).astype(np.int64), limit - 1)
    held = np.clip((timing.lengths * _RATE).astype(np.int64), 1, _MAX_NOTE)
    # A word stops where the next one starts (and at the song's end).
    lengths = np.minimum(held, np.diff(np.append(starts, limit)))
    begin = int(starts[0])
    total = int(lengths.sum())
    if total <= 0 or limit <= 0:
        return 2 * begin, np.zeros(0, dtype=np.float32)
    span = int((starts + lengths).max()) - begin
    note = np.repeat(np.arange(len(starts), dtype=np.int32), lengths)
    local = np.arange(total, dtype=np.int32) - np.repeat(
        (np.cumsum(lengths) - lengths).astype(np.int32), lengths
    )
    hz = 440.0 * 2.0 ** ((midi.astype(np.float64) - 69.0) / 12.0) * (TABLE_SIZE / _RATE)
    step = hz.astype(np.float32)[note] * _wobble()[local]
    index = np.cumsum(step, dtype=np.float64).astype(np.int32) & (TABLE_SIZE - 1)
    index += (rows.astype(np.int32) * TABLE_SIZE)[note]
    wave = _tables().ravel()[index]
    left = np.minimum(lengths.astype(np.int32)[note] - local, _RELEASE)
    wave *= _ramp(_ATTACK)[local] * _ramp(_RELEASE)[left]
    # A breath of noise over each word's first 25 ms stands in for its consonant.
    onset = np.flatnonzero(local < _BREATH)
    wave[onset] += _breath()[local[onset]]
    half = np.zeros(span + 1, dtype=np.float32)
    half[starts.astype(np.int32)[note] + local - begin] = wave
    out = np.empty(2 * span, dtype=np.float32)
    out[0::2] = half[:-1]
    np.add(half[:-1], half[1:], out=out[1::2])
    out[1::2] *= np.float32(0.5)
    return 2 * begin, out


_RATE: Final = SAMPLE_RATE // 2
_MAX_NOTE: Final = 3 * _RATE
_ATTACK: Final = int(0.03 * _RATE)
_RELEASE: Final = int(0.06 * _RATE)
_BREATH: Final = int(0.025 * _RATE)


@lru_cache(maxsize=1)
def _wobble() -> FloatArray:
    # Vibrato depends only on the time since the note began: 5.3 Hz, fading in over 250 ms.
    t = np.arange(_MAX_NOTE, dtype=np.float32) / np.float32(_RATE)
    depth = np.minimum(t / np.float32(0.25), np.float32(1.0)) * np.float32(0.012)
    out: FloatArray = np.float32(1.0) + depth * np.sin(np.float32(2.0 * np.pi * 5.3) * t)
    out.flags.writeable = False
    return out


@lru_cache(maxsize=4)
def _ramp(size: int) -> FloatArray:
    """``min(i / size, 1)`` for i up to the longest note: attack and release shapes."""
    out: FloatArray = np.minimum(
        np.arange(_MAX_NOTE + 1, dtype=np.float32) / np.float32(size), np.float32(1.0)
    )
    out.flags.writeable = False
    return out


@lru_cache(maxsize=1)
def _breath() -> FloatArray:
    noise = np.random.default_rng(7).standard_normal(_BREATH).astype(np.float32)
    # Differenced noise is brighter: an "s" or "t" rather than a rumble.
    noise = np.diff(noise, prepend=np.float32(0.0))
    fade = np.linspace(0.25, 0.0, _BREATH, dtype=np.float32)
    out: FloatArray = noise * fade
    out.flags.writeable = False
    return out
