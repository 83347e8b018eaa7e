"""A whole song: prompts, lyrics and seed in, 44.1 kHz stereo samples and word times out.

The seed fixes the structure (:mod:`._structure`) and the word timing (:mod:`._lyrics`);
the prompts fix the sound, one layer per prompt text (:mod:`._gates`, :mod:`._arrange`).
The sung line follows, word by word, the key, mode and register of whichever layer is
loudest when the word starts; ``voice_level`` scales it. ``weirdness`` (0 to 1) blends in
a ring modulation whose depth and carrier rise with it. The mix is normalised to a peak of
0.89 (about -1 dBFS), with a short fade at both ends so the file neither starts nor stops on
a click.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from ._arrange import layer_loudness, render_layer
from ._cache import FloatArray
from ._gates import CONTROL_HOP, LayerPlan, PromptLike, audible_span, plan_layers
from ._instruments import SAMPLE_RATE
from ._lyrics import Lyrics, Timing, parse_lyrics, time_words
from ._structure import Structure, degree_to_midi, make_structure, seed_rng
from ._styles import NEUTRAL_STYLE, Style, style_for_text
from ._voice import REGISTERS, melody, render_voice, voice_tonic, vowel_of

__all__ = ["PEAK", "Song", "render_song"]

PEAK: Final = 0.89
_VOICE_LEVEL: Final = 0.6


@dataclass(frozen=True, slots=True)
class Song:
    """A rendered song."""

    samples: FloatArray  # shape (2, n), float32, peak PEAK
    lyrics: Lyrics
    timing: Timing


def _gain_track(gains: npt.NDArray[np.float64], lo: int, hi: int, scale: float) -> FloatArray:
    """Per-sample gain over ``[lo, hi)`` from control-rate ``gains`` (stepwise, 10 ms)."""
    first, last = lo // CONTROL_HOP, (hi - 1) // CONTROL_HOP + 1
    track = np.repeat((gains[first:last] * scale).astype(np.float32), CONTROL_HOP)
    offset = lo - first * CONTROL_HOP
    out: FloatArray = track[offset : offset + hi - lo]
    return out


def _mix_layers(
    plan: LayerPlan, styles: list[Style], st: Structure, instrumental: bool
) -> FloatArray:
    n = st.n_samples
    rows = [(style, plan.gains[i], plan.span(i)) for i, style in enumerate(styles)]
    neutral_span = audible_span(plan.neutral)
    if neutral_span != (0, 0):
        rows.append((NEUTRAL_STYLE, plan.neutral, neutral_span))
    out: FloatArray | None = None
    for style, gains, (first, last) in rows:
        lo, hi = first * CONTROL_HOP, min(n, last * CONTROL_HOP)
        if hi <= lo:
            continue
        layer = render_layer(style, st, lo, hi, instrumental)
        scale = layer_loudness(layer)
        steady = gains[first:last]
        if float(steady.max() - steady.min()) < 1e-9:
            layer *= np.float32(float(steady[0]) * scale)
            if len(rows) == 1 and (lo, hi) == (0, n):
                return layer  # one steady layer over the whole song is the song: no copy
        else:
            layer *= _gain_track(gains, lo, hi, scale)
        if out is None:
            out = np.zeros((2, n), dtype=np.float32)
        out[:, lo:hi] += layer
    return out if out is not None else np.zeros((2, n), dtype=np.float32)


def _sing(
    song: FloatArray,
    lyrics: Lyrics,
    timing: Timing,
    st: Structure,
    plan: LayerPlan,
    styles: list[Style],
    level: float,
) -> None:
    """Add the sung line to ``song`` in place, ``level`` times its usual loudness."""
    every = [NEUTRAL_STYLE, *styles]
    weights = np.vstack([plan.neutral[None, :], plan.gains])
    points = np.minimum(
        (timing.starts * SAMPLE_RATE).astype(np.int64) // CONTROL_HOP, weights.shape[1] - 1
    )
    leader = np.argmax(weights[:, points], axis=0)
    register = np.array([REGISTERS.index(s.voice) for s in every], dtype=np.int64)[leader]
    tonic = np.array([voice_tonic(s.key, s.voice) for s in every], dtype=np.int64)[leader]
    minor = np.array([s.minor for s in every], dtype=np.bool_)[leader]
    degrees = melody(lyrics, timing, st)
    midi = (
        np.where(minor, degree_to_midi(degrees, 0, True), degree_to_midi(degrees, 0, False)) + tonic
    )
    vowels = np.fromiter(
        (vowel_of(w) for w in lyrics.words), dtype=np.int64, count=len(lyrics.words)
    )
    begin, voice = render_voice(timing, midi, register * 5 + vowels, st.n_samples)
    voice *= np.float32(_VOICE_LEVEL * level)
    song[:, begin : begin + len(voice)] += voice


def _make_weird(samples: FloatArray, weirdness: float, seed: int) -> None:
    """Blend a ring modulation into ``samples`` in place: none at 0, deep and fast at 1."""
    if weirdness <= 0:
        return
    rng = seed_rng(seed, "weird")
    depth = np.float32(0.8 * weirdness**1.5)
    frequency = 20.0 + 380.0 * weirdness
    phase = rng.uniform(0.0, 2 * np.pi)
    t = np.arange(samples.shape[1], dtype=np.float32) * np.float32(
        2 * np.pi * frequency / SAMPLE_RATE
    )
    carrier = np.sin(t + np.float32(phase), dtype=np.float32)
    carrier *= depth
    carrier += np.float32(1.0) - depth
    samples *= carrier


def render_song(
    prompts: Sequence[PromptLike],
    lyrics: str | None,
    seed: int,
    duration_s: float,
    *,
    voice_level: float = 1.0,
    weirdness: float = 0.0,
) -> Song:
    """Render the song of ``prompts``, ``lyrics`` (None = instrumental) and ``seed``."""
    st = make_structure(seed, duration_s)
    plan = plan_layers(prompts, st.n_samples / SAMPLE_RATE)
    styles = [style_for_text(text) for text in plan.texts]
    parsed = parse_lyrics(lyrics)
    timing = time_words(parsed, st)
    samples = _mix_layers(plan, styles, st, parsed.instrumental)
    if not parsed.instrumental and voice_level > 0:
        _sing(samples, parsed, timing, st, plan, styles, voice_level)
    _make_weird(samples, weirdness, seed)
    fade_in = min(st.n_samples, int(0.005 * SAMPLE_RATE))
    fade_out = min(st.n_samples, int(0.05 * SAMPLE_RATE))
    samples[:, :fade_in] *= np.linspace(0.0, 1.0, fade_in, dtype=np.float32)
    samples[:, st.n_samples - fade_out :] *= np.linspace(1.0, 0.0, fade_out, dtype=np.float32)
    peak = max(float(samples.max()), -float(samples.min()))
    samples *= np.float32(PEAK / peak) if peak > 0 else np.float32(1.0)
    return Song(samples=samples, lyrics=parsed, timing=timing)
