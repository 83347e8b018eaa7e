"""The style vocabulary: what a prompt's words do to the sound.

A prompt's text becomes a :class:`Style`, the *sound* of one layer of the song: key and
mode, the tempo the drums feel, the drum pattern and kit, and the timbres of bass, chords
and lead. The song's *structure* (pulse, chords as scale degrees, melody, word timing)
comes from the seed alone, so changing the prompt of a seeded song changes how it sounds,
never its shape.

How a text is read:

1. The whole text, lower-cased and with its whitespace collapsed, is hashed with SHA-256
   (never Python's salted ``hash()``), and the digest picks every field: each prompt,
   known words or not, has its own stable sound.
2. Known words then override fields, in three passes: genres (``pop``, ``techno``,
   ``lo-fi``...), then instruments (``piano``, ``cello``...), then moods and voices
   (``sad``, ``dreamy``, ``female``...). So ``"sad pop"`` is pop in a minor key, and
   ``"jazz piano"`` is jazz whose chords are played on the piano.

Plural words match their singular (``cellos``), and ``hip hop`` matches as one word.
The words are listed in :data:`STYLE_WORDS`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from ._vocabulary import ALIASES, GENRES, INSTRUMENTS, MOODS

__all__ = [
    "BASS_TIMBRES",
    "DRUM_PATTERNS",
    "KITS",
    "LEAD_TIMBRES",
    "NEUTRAL_STYLE",
    "STYLE_WORDS",
    "Style",
    "find_style_words",
    "normalise_text",
    "style_for_text",
]

LEAD_TIMBRES: Final = (
    "piano",
    "epiano",
    "organ",
    "strings",
    "cello",
    "violin",
    "brass",
    "pluck",
    "guitar",
    "saw",
    "square",
    "bell",
    "marimba",
    "choir",
    "flute",
    "pad",
)
"""Timbres that can play chords or the lead line."""

BASS_TIMBRES: Final = ("sub", "bass", "synth_bass", "upright", "tuba")
"""Timbres that can play the bass line."""

DRUM_PATTERNS: Final = (
    "four",
    "backbeat",
    "halftime",
    "boombap",
    "trap",
    "punk",
    "metal",
    "onedrop",
    "shuffle",
    "breakbeat",
    "tribal",
    "none",
)
"""Drum patterns; ``none`` leaves the drums out."""

KITS: Final = ("acoustic", "electronic", "lofi", "orchestral", "hand")
"""Drum kits: the sound of the hits a pattern plays."""


@dataclass(frozen=True, slots=True)
class Style:
    """The sound of one layer. Every field takes few values, so renders cache well."""

    name: str
    key: int  # tonic pitch class, 0 = C
    minor: bool
    tempo: int  # tempo the drums feel, in bpm; the pulse itself comes from the seed
    drums: str
    kit: str
    bass: str
    chords: str
    lead: str  # "" = no lead line
    arpeggio: bool  # lead plays the chord tones (True) or the melody (False)
    brightness: int  # 0 dark, 1 neutral, 2 bright
    swing: int  # 0 straight, 1 light, 2 heavy
    voice: str  # "female" or "male": register and formants of the sung line
    pan: int  # lead's place in the stereo field, -2 (left) to 2 (right)
    drum_level: int  # 0 soft, 1 normal, 2 loud


NEUTRAL_STYLE: Final = Style(
    name="neutral",
    key=0,
    minor=False,
    tempo=100,
    drums="none",
    kit="acoustic",
    bass="bass",
    chords="piano",
    lead="",
    arpeggio=True,
    brightness=1,
    swing=0,
    voice="female",
    pan=0,
    drum_level=0,
)
"""The sound wherever no prompt is audible: piano and bass, no drums, so it fills in
under weak prompts without taking them over."""

_PASSES: Final = (GENRES, INSTRUMENTS, MOODS)

STYLE_WORDS: Final = tuple(sorted({*GENRES, *INSTRUMENTS, *MOODS, *ALIASES}))
"""Every word (or two-word phrase) the vocabulary knows."""

_TOKEN = re.compile(r"[0-9a-z&]+(?:-[0-9a-z&]+)*")


def normalise_text(text: str) -> str:
    """Lower-case ``text`` and collapse its whitespace: the form a style is keyed by."""
    return " ".join(text.casefold().split())


def _canonical(token: str) -> str | None:
    """The vocabulary word ``token`` stands for, or None."""
    word = ALIASES.get(token, token)
    if any(word in table for table in _PASSES):
        return word
    if token.endswith("s") and len(token) > 3:
        return _canonical(token[:-1])
    return None


def find_style_words(text: str) -> list[tuple[str, str]]:
    """The known words of ``text`` in order, as ``(as written, vocabulary word)`` pairs.

    Two-word phrases (``hip hop``, ``drum and bass`` is three) are tried before single
    words, so ``"lo fi beats"`` gives ``[("lo fi", "lo-fi")]``.
    """
    tokens = _TOKEN.findall(text.casefold())
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        for width in (3, 2, 1):
            phrase = " ".join(tokens[i : i + width])
            if width > 1 and (i + width > len(tokens) or phrase not in ALIASES):
                continue
            word = _canonical(phrase)
            if word is not None:
                found.append((phrase, word))
                i += width
                break
        else:
            i += 1
    return found


def _hashed_style(key: str) -> Style:
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return Style(
        name=key,
        key=digest[0] % 12,
        minor=bool(digest[1] & 1),
        tempo=70 + digest[2] % 90,
        drums=DRUM_PATTERNS[digest[3] % len(DRUM_PATTERNS)],
        kit=KITS[digest[4] % len(KITS)],
        bass=BASS_TIMBRES[digest[5] % len(BASS_TIMBRES)],
        chords=LEAD_TIMBRES[digest[6] % len(LEAD_TIMBRES)],
        lead=("", *LEAD_TIMBRES)[digest[7] % (len(LEAD_TIMBRES) + 1)],
        arpeggio=bool(digest[8] & 1),
        brightness=digest[9] % 3,
        swing=digest[10] % 3,
        voice=("female", "male")[digest[11] & 1],
        pan=digest[12] % 5 - 2,
        drum_level=digest[13] % 3,
    )


@lru_cache(maxsize=1024)
def style_for_text(text: str) -> Style:
    """The stable :class:`Style` of a prompt text (see the module docstring)."""
    key = normalise_text(text)
    style = _hashed_style(key)
    words = [word for _, word in find_style_words(key)]
    for table in _PASSES:
        for word in words:
            if word in table:
                style = dataclasses.replace(style, **table[word])  # type: ignore[arg-type]
    return style
