"""Pitched instruments: band-limited wavetables shaped by envelopes.

Each timbre is two harmonic spectra, the ``bright`` one heard at the attack and the
``dark`` one it fades to, plus an attack/decay/sustain/release envelope and an optional
detuned second voice (chorus). A note is two table look-ups and a few vector products;
no per-sample Python. Tables are rebuilt per octave with only the harmonics below the
Nyquist frequency, so high notes do not alias.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np

from ._cache import ArrayCache, FloatArray

__all__ = ["SAMPLE_RATE", "TIMBRES", "Timbre", "midi_to_hz", "render_note", "wavetable"]

SAMPLE_RATE: Final = 44100
TABLE_SIZE: Final = 4096
_MASK: Final = TABLE_SIZE - 1

_NOTES = ArrayCache(max_bytes=4 * 1024 * 1024)


def _saw(count: int, tilt: float = 1.0) -> tuple[float, ...]:
    return tuple(1.0 / k**tilt for k in range(1, count + 1))


def _odd(count: int, tilt: float = 1.0) -> tuple[float, ...]:
    return tuple((1.0 / k**tilt if k % 2 else 0.0) for k in range(1, count + 1))


def _formant(count: int, peaks: tuple[tuple[float, float], ...], f0: float) -> tuple[float, ...]:
    # Harmonic k of a sawtooth at f0, weighted by resonances at the given (Hz, width) peaks.
    out = []
    for k in range(1, count + 1):
        f = k * f0
        gain = sum(math.exp(-(((f - centre) / width) ** 2)) for centre, width in peaks)
        out.append((0.15 + gain) / k**0.7)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Timbre:
    """A pitched sound: spectra and envelope."""

    bright: tuple[float, ...]
    dark: tuple[float, ...]
    attack_s: float
    decay_s: float  # time constant of the fall from peak to sustain
    sustain: float
    release_s: float
    bright_decay_s: float = math.inf  # how fast bright turns into dark
    detune_cents: float = 0.0
    level: float = 1.0


TIMBRES: Final[dict[str, Timbre]] = {
    "piano": Timbre(_saw(24, 1.3), _saw(6, 2.5), 0.004, 0.9, 0.06, 0.08, 0.35, level=0.9),
    "epiano": Timbre(
        (1.0, 0.35, 0.05, 0.2, 0.0, 0.0, 0.12), (1.0, 0.12), 0.003, 1.4, 0.12, 0.1, 0.4
    ),
    "organ": Timbre(
        (1.0, 0.8, 0.6, 0.5, 0.0, 0.3, 0.0, 0.3),
        (1.0, 0.8, 0.5, 0.3),
        0.01,
        9.0,
        1.0,
        0.05,
        level=0.6,
    ),
    "strings": Timbre(_saw(24), _saw(10, 1.4), 0.22, 9.0, 1.0, 0.3, detune_cents=9.0, level=0.55),
    "cello": Timbre(_saw(18, 1.2), _saw(8, 1.6), 0.1, 9.0, 1.0, 0.2, detune_cents=5.0, level=0.7),
    "violin": Timbre(
        _saw(28, 0.9), _saw(12, 1.3), 0.07, 9.0, 1.0, 0.15, detune_cents=6.0, level=0.5
    ),
    "brass": Timbre(_saw(16, 0.9), _saw(6, 1.8), 0.04, 0.4, 0.75, 0.1, 0.25, level=0.55),
    "pluck": Timbre(_saw(30), _saw(5, 3.0), 0.002, 0.3, 0.0, 0.05, 0.12, level=0.8),
    "guitar": Timbre(
        tuple(abs(math.sin(k * math.pi * 0.22)) / k**1.1 for k in range(1, 25)),
        _saw(6, 2.5),
        0.002,
        0.7,
        0.03,
        0.06,
        0.3,
        level=0.8,
    ),
    "saw": Timbre(_saw(40), _saw(14, 1.3), 0.008, 0.5, 0.8, 0.08, 0.6, 12.0, level=0.4),
    "square": Timbre(_odd(31), _odd(9, 1.4), 0.004, 0.4, 0.7, 0.04, level=0.4),
    "bell": Timbre(
        (1.0, 0.0, 0.0, 0.55, 0.0, 0.0, 0.0, 0.3, 0.0, 0.0, 0.15),
        (1.0, 0.0, 0.0, 0.2),
        0.002,
        1.6,
        0.0,
        0.2,
        0.5,
        level=0.6,
    ),
    "marimba": Timbre(
        (1.0, 0.0, 0.0, 0.4, 0.0, 0.0, 0.0, 0.0, 0.0, 0.12),
        (1.0,),
        0.002,
        0.3,
        0.0,
        0.05,
        0.08,
    ),
    "choir": Timbre(
        _formant(30, ((700.0, 130.0), (1200.0, 200.0), (2600.0, 300.0)), 220.0),
        _formant(20, ((500.0, 150.0), (900.0, 200.0)), 220.0),
        0.3,
        9.0,
        1.0,
        0.35,
        2.0,
        14.0,
        level=0.55,
    ),
    "flute": Timbre((1.0, 0.25, 0.08, 0.03), (1.0, 0.1), 0.06, 9.0, 1.0, 0.08, level=0.8),
    "pad": Timbre(_saw(12, 2.0), _saw(5, 2.5), 0.5, 9.0, 1.0, 0.6, detune_cents=15.0, level=0.6),
    "sub": Timbre((1.0, 0.12), (1.0,), 0.005, 9.0, 0.95, 0.04, level=1.1),
    "bass": Timbre(
        (1.0, 0.55, 0.35, 0.2, 0.12, 0.06), (1.0, 0.25, 0.05), 0.004, 0.5, 0.35, 0.05, 0.3
    ),
    "synth_bass": Timbre(_saw(20), _saw(4, 2.0), 0.004, 0.25, 0.55, 0.04, 0.15, 6.0, level=0.7),
    "upright": Timbre((1.0, 0.4, 0.15, 0.05), (1.0, 0.1), 0.01, 0.45, 0.05, 0.06, 0.3),
    "tuba": Timbre((1.0, 0.7, 0.5, 0.3, 0.2), (1.0, 0.4, 0.1), 0.04, 9.0, 0.8, 0.08, level=0.8),
}
"""Every pitched timbre, by the names :mod:`._styles` uses."""


def midi_to_hz(midi: float) -> float:
    """Frequency of a MIDI note number (69 = A4 = 440 Hz)."""
    return 440.0 * math.pow(2.0, (midi - 69.0) / 12.0)


@lru_cache(maxsize=512)
def wavetable(spectrum: tuple[float, ...], max_harmonic: int) -> FloatArray:
    """One period of the spectrum's first ``max_harmonic`` harmonics, peak 1, read-only."""
    count = max(1, min(len(spectrum), max_harmonic))
    phase = np.arange(TABLE_SIZE, dtype=np.float64) * (2.0 * np.pi / TABLE_SIZE)
    amps = np.asarray(spectrum[:count], dtype=np.float64)
    ks = np.arange(1, count + 1, dtype=np.float64)
    # Sines in phase would stack into a spike; sine-phase + k-dependent offsets keep the
    # peak low, so the tables mix without one timbre dominating by crest factor.
    offsets = (ks * ks * 0.7) % (2.0 * np.pi)
    table = (amps[:, None] * np.sin(ks[:, None] * phase[None, :] + offsets[:, None])).sum(0)
    peak = float(np.max(np.abs(table))) or 1.0
    out: FloatArray = (table / peak).astype(np.float32)
    out.flags.writeable = False
    return out


def _lookup(spectrum: tuple[float, ...], hz: float, n: int, start: float) -> FloatArray:
    # Keep harmonics below ~19 kHz so nothing folds back under the Nyquist frequency.
    table = wavetable(spectrum, max(1, int(19000.0 / hz)))
    step = hz * TABLE_SIZE / SAMPLE_RATE
    idx = (np.arange(n, dtype=np.float64) * step + start * TABLE_SIZE).astype(np.int64) & _MASK
    out: FloatArray = table[idx]
    return out


def _envelope(timbre: Timbre, n: int) -> FloatArray:
    t = np.arange(n, dtype=np.float32) / np.float32(SAMPLE_RATE)
    env: FloatArray = np.minimum(t / np.float32(max(timbre.attack_s, 1e-4)), np.float32(1.0))
    if timbre.sustain < 1.0:
        fall = np.exp(-t / np.float32(timbre.decay_s))
        env *= np.float32(timbre.sustain) + np.float32(1.0 - timbre.sustain) * fall
    release = max(1, int(timbre.release_s * SAMPLE_RATE))
    tail = min(release, n)
    env[n - tail :] *= np.linspace(1.0, 0.0, tail, dtype=np.float32) ** 2
    return env


def _render(name: str, midi: int, n: int, brightness: int) -> FloatArray:
    timbre = TIMBRES[name]
    hz = midi_to_hz(midi)
    bright = _lookup(timbre.bright, hz, n, 0.0)
    dark = _lookup(timbre.dark, hz, n, 0.0)
    if timbre.detune_cents:
        # A second voice slightly sharp, starting elsewhere in its cycle: the chorus of
        # an ensemble or a detuned synth.
        ratio = 2.0 ** (timbre.detune_cents / 1200.0)
        bright = bright + _lookup(timbre.bright, hz * ratio, n, 0.37)
        dark = dark + _lookup(timbre.dark, hz * ratio, n, 0.37)
        bright *= np.float32(0.6)
        dark *= np.float32(0.6)
    share = (0.35, 0.7, 1.0)[brightness]
    if math.isinf(timbre.bright_decay_s):
        mix = np.float32(share)
        wave = dark + (bright - dark) * mix
    else:
        t = np.arange(n, dtype=np.float32) / np.float32(SAMPLE_RATE)
        fade = np.exp(-t / np.float32(timbre.bright_decay_s * (0.5 + share)))
        wave = dark + (bright - dark) * (np.float32(share) * fade)
    out: FloatArray = wave * _envelope(timbre, n) * np.float32(timbre.level)
    return out


def render_note(name: str, midi: int, n: int, brightness: int = 1) -> FloatArray:
    """One note of timbre ``name``, ``n`` samples long (release included), read-only.

    Notes are cached: a song plays the same few pitches and lengths over and over.
    """
    midi = min(max(midi, 12), 120)
    return _NOTES.get(
        ("note", name, midi, n, brightness), lambda: _render(name, midi, n, brightness)
    )
