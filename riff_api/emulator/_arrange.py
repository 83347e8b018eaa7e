"""One layer of a song: a style played over the seed's structure, in stereo.

A layer has four parts: drums (a tiled one-bar loop at the style's felt tempo, with fills
before each new section), bass, chords and an optional lead (an arpeggio or the seed's
motif). Each bar of each part is rendered once per chord and cached, then added where the
bar falls; the form sets how loud each part is in each section. Only the sample range the
layer is audible in is rendered.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np

from ._cache import ArrayCache, FloatArray
from ._drums import render_drum_bar
from ._instruments import SAMPLE_RATE, TIMBRES, render_note
from ._structure import Structure, degree_to_midi
from ._styles import Style

__all__ = ["render_layer"]

_BARS = ArrayCache(max_bytes=10 * 1024 * 1024)

# Level of (drums, bass, chords, arpeggio, melody) in each section.
_SECTION_LEVELS: Final = {
    "intro": (0.0, 0.0, 0.9, 0.0, 0.7),
    "verse": (0.8, 0.9, 0.8, 0.5, 0.0),
    "chorus": (1.0, 1.0, 1.0, 0.8, 0.6),
    "outro": (0.5, 0.7, 0.9, 0.5, 0.7),
}
_DRUM_LEVELS: Final = (0.55, 0.8, 1.05)
_TARGET_RMS: Final = 0.1


def _bass_tonic(style: Style) -> int:
    return 28 + (style.key - 4) % 12  # E1..D#2


def _lead_tonic(style: Style) -> int:
    return 60 + style.key


def _render_part(
    timbre: str, brightness: int, notes: tuple[tuple[int, int, int], ...], bar_samples: int
) -> FloatArray:
    """A bar of ``(start sample, length in samples, midi)`` notes, with release tails."""
    tail = int(TIMBRES[timbre].release_s * SAMPLE_RATE)
    out = np.zeros(bar_samples + tail, dtype=np.float32)
    for start, length, midi in notes:
        note = render_note(timbre, midi, length + tail, brightness)
        out[start : start + len(note)] += note[: len(out) - start]
    return out


def _part(
    timbre: str, brightness: int, notes: tuple[tuple[int, int, int], ...], bar_samples: int
) -> FloatArray:
    return _BARS.get(
        ("part", timbre, brightness, notes, bar_samples),
        lambda: _render_part(timbre, brightness, notes, bar_samples),
    )


def _bar_notes(
    style: Style, st: Structure, bar: int
) -> dict[str, tuple[tuple[int, int, int], ...]]:
    """The notes of every pitched part in ``bar``, as ``(start, length, midi)``."""
    root = st.chords[bar]
    step = st.step_samples
    bass_degrees = np.array([root + d for _, _, d in st.bass])
    bass_midi = degree_to_midi(bass_degrees, _bass_tonic(style), style.minor)
    bass = tuple(
        (round(s * step), round(n * step), int(m))
        for (s, n, _), m in zip(st.bass, bass_midi, strict=True)
    )
    triad = degree_to_midi(np.array([root, root + 2, root + 4]), 48 + style.key, style.minor)
    # Fold each chord tone into one octave: a close voicing that moves little between bars.
    voiced = tuple(int(53 + (m - 53) % 12) for m in triad)
    chords = tuple((round(s * step), round(n * step), m) for s, n in st.comp for m in voiced)
    if style.arpeggio:
        degrees = [root + (0, 2, 4, 7)[t] for t in st.arpeggio]
        spots = [(2 * i, 2) for i in range(8)]
    else:
        motif = st.motifs[1 if st.sections[bar] == "chorus" else 0]
        degrees = [root + d for _, _, d in motif]
        spots = [(s, n) for s, n, _ in motif]
    lead_midi = degree_to_midi(np.array(degrees), _lead_tonic(style), style.minor)
    lead = tuple(
        (round(s * step), round(n * step), int(m))
        for (s, n), m in zip(spots, lead_midi, strict=True)
    )
    return {"bass": bass, "chords": chords, "lead": lead}


def _add(out: FloatArray, at: int, clip: FloatArray, gain: float) -> None:
    """``out[at:] += clip * gain``, cut to ``out``'s bounds (``at`` may be negative)."""
    lo = max(at, 0)
    hi = min(at + len(clip), len(out))
    if hi <= lo:
        return
    if gain == 1.0:
        out[lo:hi] += clip[lo - at : hi - at]
    else:
        out[lo:hi] += clip[lo - at : hi - at] * np.float32(gain)


def _drums(style: Style, st: Structure, lo: int, hi: int, out: FloatArray) -> None:
    """Add the drums of samples ``[lo, hi)`` to both channels of ``out``."""
    if style.drums == "none":
        return
    # The drums feel the style's tempo: half, equal or double the seed's pulse.
    feel = 2.0 ** min(1, max(-1, round(math.log2(style.tempo / st.bpm))))
    size = round(st.bar_samples / feel)
    first, last = lo // size, (hi - 1) // size
    track = np.tile(
        render_drum_bar(style.kit, style.drums, size, style.swing, False), last - first + 1
    )
    fill = render_drum_bar(style.kit, style.drums, size, style.swing, True)
    for bar in range(1, st.n_bars):
        if st.sections[bar] != st.sections[bar - 1]:
            index = bar * st.bar_samples // size - 1
            if first <= index <= last:
                track[(index - first) * size : (index - first + 1) * size] = fill
    track = track[lo - first * size : hi - first * size]
    level = _DRUM_LEVELS[style.drum_level]
    # Scale in place, bar by bar: each section plays the drums at its own level.
    for bar in range(lo // st.bar_samples, (hi - 1) // st.bar_samples + 1):
        a = max(bar * st.bar_samples - lo, 0)
        b = min((bar + 1) * st.bar_samples - lo, hi - lo)
        track[a:b] *= np.float32(_SECTION_LEVELS[st.sections[bar]][0] * level)
    out[0] += track
    out[1] += track


def layer_loudness(layer: FloatArray) -> float:
    """Gain that brings ``layer`` to the common loudness (RMS measured on a subsample)."""
    rms = float(np.sqrt(np.mean(np.square(layer[0, ::31], dtype=np.float32))))
    return _TARGET_RMS / max(rms, 1e-4)


def render_layer(style: Style, st: Structure, lo: int, hi: int, instrumental: bool) -> FloatArray:
    """Stereo samples ``[lo, hi)`` of ``style`` over ``st`` (see :func:`layer_loudness`)."""
    size = hi - lo
    out = np.zeros((2, size), dtype=np.float32)
    _drums(style, st, lo, hi, out)
    angle = (style.pan + 2) / 8.0 * math.pi
    left_gain, right_gain = math.cos(angle) * 1.2, math.sin(angle) * 1.2
    # The chords reach the right ear 11 ms late: a wide image from one mono render.
    delay = int(0.011 * SAMPLE_RATE)
    first_bar = max(0, lo // st.bar_samples - 1)  # the bar before may ring into the range
    last_bar = min(st.n_bars - 1, (hi - 1) // st.bar_samples)
    for bar in range(first_bar, last_bar + 1):
        _, bass_level, chord_level, arp_level, melody_level = _SECTION_LEVELS[st.sections[bar]]
        if not style.arpeggio and instrumental and st.sections[bar] == "verse":
            melody_level = 0.6  # with nobody singing, the lead takes the verse
        at = bar * st.bar_samples - lo
        notes = _bar_notes(style, st, bar)
        if bass_level:
            bass = _part(style.bass, style.brightness, notes["bass"], st.bar_samples)
            _add(out[0], at, bass, bass_level)
            _add(out[1], at, bass, bass_level)
        chords = _part(style.chords, style.brightness, notes["chords"], st.bar_samples)
        _add(out[0], at, chords, chord_level * 0.5)
        _add(out[1], at + delay, chords, chord_level * 0.5)
        lead_level = (arp_level if style.arpeggio else melody_level) * 0.6
        if style.lead and lead_level:
            lead = _part(style.lead, style.brightness, notes["lead"], st.bar_samples)
            _add(out[0], at, lead, lead_level * left_gain)
            _add(out[1], at, lead, lead_level * right_gain)
    return out
