"""Drums: synthesized hits, sixteen-step patterns, and one-bar loops.

A hit is rendered once per kit (sine sweeps for kicks and toms, shaped noise for snares,
hats and shakers, square-wave clusters for cymbals) from a fixed noise seed, so it is the
same on every call. A pattern's bar is rendered once per kit, tempo and swing and then
tiled over the song; its tail wraps around to the start so the tiles join without a gap.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

import numpy as np

from ._cache import ArrayCache, FloatArray
from ._instruments import SAMPLE_RATE

__all__ = ["PATTERNS", "render_drum_bar", "render_hit"]

_BARS = ArrayCache(max_bytes=2 * 1024 * 1024)

# Sixteen steps per bar; "x" accent, "o" normal, "." ghost, "-" rest.
PATTERNS: Final[dict[str, dict[str, str]]] = {
    "four": {
        "kick": "x---x---x---x---",
        "clap": "----x-------x---",
        "hat": "o.o.o.o.o.o.o.o.",
        "open": "--o---o---o---o-",
    },
    "backbeat": {
        "kick": "x-----o-x-o-----",
        "snare": "----x-------x---",
        "hat": "o-o-o-o-o-o-o-o-",
    },
    "halftime": {
        "kick": "x------o--x-----",
        "snare": "--------x-------",
        "hat": "o-o-o-o-o-o-o.o-",
    },
    "boombap": {
        "kick": "x-------o-x-----",
        "snare": "----x-------x---",
        "hat": "o-o-o-o-o-o-o-o-",
    },
    "trap": {
        "kick": "x------o--x-----",
        "snare": "--------x-------",
        "hat": "oooo.o.oooo.o.oo",
        "open": "--------------o-",
    },
    "punk": {
        "kick": "x---o-x-x---o-x-",
        "snare": "----x-------x---",
        "crash": "x-o-x-o-x-o-x-o-",
    },
    "metal": {
        "kick": "oooooooooooooooo",
        "snare": "----x-------x---",
        "ride": "x-o-x-o-x-o-x-o-",
    },
    "onedrop": {
        "kick": "--------x-------",
        "rim": "--------x-------",
        "hat": "--o---o---o---o-",
    },
    "shuffle": {
        "ride": "x---x--ox---x--o",
        "kick": ".---.---.---.---",
        "hat": "----o-------o---",
        "snare": "------.-------.-",
    },
    "breakbeat": {
        "kick": "x-o-------xo----",
        "snare": "----x--.-.-.x--.",
        "hat": "o-o-o-o-o-o-o-o-",
    },
    "tribal": {
        "tom_lo": "x--o--x-o--x--o-",
        "tom_hi": "--o--o---o--o-oo",
        "kick": "x-------x-------",
        "shaker": "o.o.o.o.o.o.o.o.",
    },
    "none": {},
}
"""Every drum pattern, one string of sixteen steps per drum."""

_VELOCITY: Final = {"x": 1.0, "o": 0.7, ".": 0.3}


def _noise(n: int, seed: int) -> FloatArray:
    out: FloatArray = np.random.default_rng(seed).standard_normal(n).astype(np.float32)
    return out


def _smooth(x: FloatArray, width: int) -> FloatArray:
    # A moving average: a cheap low-pass, good enough for darkening noise.
    kernel = np.full(width, 1.0 / width, dtype=np.float32)
    out: FloatArray = np.convolve(x, kernel, mode="same").astype(np.float32)
    return out


def _decay(n: int, seconds: float) -> FloatArray:
    t = np.arange(n, dtype=np.float32) / np.float32(SAMPLE_RATE)
    out: FloatArray = np.exp(-t / np.float32(seconds))
    return out


def _sweep(n: int, start_hz: float, end_hz: float, bend_s: float) -> FloatArray:
    t = np.arange(n, dtype=np.float64) / SAMPLE_RATE
    hz = end_hz + (start_hz - end_hz) * np.exp(-t / bend_s)
    out: FloatArray = np.sin(2.0 * np.pi * np.cumsum(hz) / SAMPLE_RATE).astype(np.float32)
    return out


# kit: (kick start Hz, kick end Hz, kick decay s, snare tone Hz, noise darkness, level)
_KITS: Final[dict[str, tuple[float, float, float, float, int, float]]] = {
    "acoustic": (130.0, 55.0, 0.28, 190.0, 1, 1.0),
    "electronic": (95.0, 45.0, 0.55, 220.0, 1, 1.0),
    "lofi": (110.0, 50.0, 0.22, 170.0, 6, 0.8),
    "orchestral": (70.0, 38.0, 0.9, 150.0, 4, 0.8),
    "hand": (115.0, 75.0, 0.18, 260.0, 2, 0.9),
}


def _kick(n_s: float, start_hz: float, end_hz: float, seed: int) -> FloatArray:
    n = int(n_s * 4 * SAMPLE_RATE)
    body = _sweep(n, start_hz, end_hz, 0.03) * _decay(n, n_s)
    click = _smooth(_noise(n, seed), 3) * _decay(n, 0.003) * np.float32(0.3)
    out: FloatArray = body + click
    return out


def _skin(drum: str, tone_hz: float, dark: int, seed: int) -> FloatArray:
    """Snare, clap or rim: high-passed noise over a short tone."""
    n = int(0.4 * SAMPLE_RATE)
    noise = _noise(n, seed)
    noise = noise - _smooth(noise, 12)  # high-pass: keep the rattle, lose the thud
    if dark > 1:
        noise = _smooth(noise, dark)
    if drum == "snare":
        tone = _sweep(n, tone_hz * 1.3, tone_hz, 0.01) * _decay(n, 0.07)
        out: FloatArray = tone * np.float32(0.6) + noise * _decay(n, 0.13)
    elif drum == "clap":
        # Three quick slaps, then the room.
        envelope = _decay(n, 0.15) * np.float32(0.5)
        for delay_s in (0.0, 0.011, 0.022):
            at = int(delay_s * SAMPLE_RATE)
            envelope[at:] += _decay(n - at, 0.004) * np.float32(0.8)
        out = noise * envelope
    else:
        out = _sweep(n, 1700.0, 1600.0, 1.0) * _decay(n, 0.012) + noise * _decay(n, 0.01)
    return out


_METAL_LENGTH_S: Final = {"hat": 0.12, "open": 0.5, "shaker": 0.15, "crash": 1.6, "ride": 1.2}
_METAL_DECAY_S: Final = {"hat": 0.035, "open": 0.18, "shaker": 0.04, "crash": 0.7, "ride": 0.45}


def _metal(drum: str, dark: int, seed: int) -> FloatArray:
    """Hats, shaker and cymbals: bright noise, plus square-wave clusters for cymbals."""
    n = int(_METAL_LENGTH_S[drum] * SAMPLE_RATE)
    noise = _noise(n, seed)
    noise = noise - _smooth(noise, 4)
    if dark > 1:
        noise = _smooth(noise, max(2, dark // 2))
    if drum in ("crash", "ride"):
        t = np.arange(n, dtype=np.float64) / SAMPLE_RATE
        # Detuned square waves give the clangy partials of a cymbal (the 808 recipe).
        clang = sum(np.sign(np.sin(2 * np.pi * f * t)) for f in (587.0, 845.0, 1171.0, 1523.0))
        noise = noise * np.float32(0.6) + np.asarray(clang, dtype=np.float32) * np.float32(0.1)
    out: FloatArray = noise * _decay(n, _METAL_DECAY_S[drum])
    if drum == "shaker":
        out *= np.minimum(np.arange(n, dtype=np.float32) / np.float32(0.02 * SAMPLE_RATE), 1.0)
    out *= np.float32(0.35 if drum in ("hat", "shaker") else 0.3)
    return out


@lru_cache(maxsize=128)
def render_hit(kit: str, drum: str) -> FloatArray:
    """One hit of ``drum`` from ``kit``, read-only."""
    kick_start, kick_end, kick_decay, tone_hz, dark, level = _KITS[kit]
    seed = sum(map(ord, kit + drum))
    if drum == "kick":
        hit = _kick(kick_decay, kick_start, kick_end, seed)
    elif drum in ("snare", "clap", "rim"):
        hit = _skin(drum, tone_hz, dark, seed)
    elif drum in _METAL_LENGTH_S:
        hit = _metal(drum, dark, seed)
    elif drum in ("tom_lo", "tom_hi"):
        base = tone_hz * (0.55 if drum == "tom_lo" else 0.85)
        n = int(0.6 * SAMPLE_RATE)
        hit = _sweep(n, base * 1.4, base, 0.04) * _decay(n, 0.18)
    else:
        raise KeyError(drum)
    out = (hit * np.float32(level)).astype(np.float32)
    out.flags.writeable = False
    return out


def _bar(kit: str, pattern: str, bar_samples: int, swing: int, fill: bool) -> FloatArray:
    out = np.zeros(bar_samples, dtype=np.float32)
    step = bar_samples / 16.0
    delay = (0.0, 0.12, 0.28)[swing] * step
    lanes = dict(PATTERNS[pattern])
    if fill and lanes:
        # The last beat of a section rolls on the snare (or toms) into the next one.
        lane = "tom_hi" if "tom_hi" in lanes else "snare"
        lanes[lane] = lanes.get(lane, "-" * 16)[:12] + "oxox"
    for drum, steps in lanes.items():
        hit = render_hit(kit, drum)
        for i, mark in enumerate(steps):
            if mark == "-":
                continue
            start = int(i * step + (delay if i % 2 else 0.0))
            # Tails past the bar's end wrap to its start: the bar is tiled.
            head = min(len(hit), bar_samples - start)
            out[start : start + head] += hit[:head] * np.float32(_VELOCITY[mark])
            rest = hit[head:]
            while len(rest):
                take = min(len(rest), bar_samples)
                out[:take] += rest[:take] * np.float32(_VELOCITY[mark])
                rest = rest[take:]
    return out


def render_drum_bar(kit: str, pattern: str, bar_samples: int, swing: int, fill: bool) -> FloatArray:
    """One bar of ``pattern`` on ``kit``, with wrapped tails so it tiles seamlessly."""
    return _BARS.get(
        ("drums", kit, pattern, bar_samples, swing, fill),
        lambda: _bar(kit, pattern, bar_samples, swing, fill),
    )
