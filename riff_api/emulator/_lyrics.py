"""Lyrics: which tokens are sung, and when.

A line holding only a bracketed tag such as ``[Verse]`` or ``[Chorus]`` is structure: it
is not sung, and it leaves a bar of rest before the next line. Every other line is a
phrase; its whitespace-separated tokens that hold a letter or a digit are the sung words
(a lone ``-`` or ``...`` is not). Lyrics without a sung word make an instrumental.

Timing depends on the seed and the lyrics only, never on the prompts. Words fall on
eighth notes of the seed's pulse with seed-drawn gaps; each line starts on a bar of its
own, after the intro. When the words need more time than the song has, every time is
scaled down together, so the order and the rhythm's proportions are kept and all starts
stay strictly increasing and inside the song.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._instruments import SAMPLE_RATE
from ._structure import Structure, seed_rng

__all__ = ["Lyrics", "Timing", "parse_lyrics", "time_words"]

_TAG = re.compile(r"\[[^\[\]]*\]")
_CHORUS = re.compile(r"chorus|hook|refrain", re.IGNORECASE)

IntArray = npt.NDArray[np.int64]
F64Array = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Lyrics:
    """The sung words of a text and how they group into lines."""

    words: list[str]
    line_of_word: IntArray  # index of each word's line among the sung lines
    rest_before: IntArray  # bars of rest before each sung line (1 after a tag)
    chorus: npt.NDArray[np.bool_]  # whether each sung line is under a chorus tag

    @property
    def instrumental(self) -> bool:
        """True when nothing is sung."""
        return not self.words


@dataclass(frozen=True, slots=True)
class Timing:
    """When each word starts and how long it is held, in seconds."""

    starts: F64Array
    lengths: F64Array


_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def parse_lyrics(text: str | None) -> Lyrics:
    """Split ``text`` into sung words, lines and sections (see the module docstring)."""
    words: list[str] = []
    line_of_word: list[int] = []
    rests: list[int] = []
    chorus: list[bool] = []
    pending_rest = 0
    in_chorus = False
    for raw in (text or "").splitlines():
        line = raw.strip()
        if _TAG.fullmatch(line):
            pending_rest = 1
            in_chorus = bool(_CHORUS.search(line))
            continue
        sung = [token for token in line.split() if _LETTER_OR_DIGIT.search(token)]
        if not sung:
            continue
        index = len(rests)
        words.extend(sung)
        line_of_word.extend([index] * len(sung))
        rests.append(pending_rest)
        chorus.append(in_chorus)
        pending_rest = 0
    return Lyrics(
        words=words,
        line_of_word=np.asarray(line_of_word, dtype=np.int64),
        rest_before=np.asarray(rests, dtype=np.int64),
        chorus=np.asarray(chorus, dtype=np.bool_),
    )


def time_words(lyrics: Lyrics, structure: Structure) -> Timing:
    """Start and hold times of every sung word of ``lyrics`` in the song of ``structure``."""
    n = len(lyrics.words)
    if n == 0:
        empty = np.zeros(0, dtype=np.float64)
        return Timing(empty, empty)
    rng = seed_rng(structure.seed, "words")
    line = lyrics.line_of_word
    n_lines = len(lyrics.rest_before)
    # Gaps in eighth notes before the next word; the seed draws the phrase rhythm.
    gaps = rng.choice(np.array([1, 1, 1, 2, 2, 3], dtype=np.int64), size=n)
    pickups = rng.choice(np.array([0, 0, 1, 2], dtype=np.int64), size=n_lines)
    first = np.ones(n, dtype=np.bool_)
    first[1:] = line[1:] != line[:-1]
    last = np.ones(n, dtype=np.bool_)
    last[:-1] = first[1:]
    # Position of each word inside its line: running sum of gaps, restarted per line.
    ends = np.cumsum(gaps)
    line_base = (ends - gaps)[first]
    offset = ends - gaps - line_base[line]
    line_len = pickups + offset[last] + gaps[last] + 2  # +2: the last word is held
    line_bars = np.maximum(1, -(-line_len // 8))
    bars_before = np.cumsum(line_bars + lyrics.rest_before) - line_bars
    intro_bars = next((i for i, s in enumerate(structure.sections) if s != "intro"), 0)
    eighth_s = structure.bar_samples / 8.0 / SAMPLE_RATE
    duration_s = structure.n_samples / SAMPLE_RATE
    vocal_start = min(intro_bars * 8 * eighth_s, 0.25 * duration_s)
    position = (bars_before[line] * 8 + pickups[line] + offset).astype(np.float64)
    starts = vocal_start + position * eighth_s
    held = np.where(last, 3.0, np.minimum(gaps, 2) * 0.9) * eighth_s
    # Leave room at the end so the last word is heard, then squeeze if needed.
    limit = duration_s - min(1.0, 0.1 * duration_s)
    need = float(starts[-1] + held[-1]) - vocal_start
    room = limit - vocal_start
    if need > room:
        scale = room / need
        starts = vocal_start + (starts - vocal_start) * scale
        held = held * scale
    return Timing(starts=starts, lengths=held)
