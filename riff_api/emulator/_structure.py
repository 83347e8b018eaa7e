"""A song's structure, drawn from its seed alone.

The structure is everything a variation keeps: the pulse (bpm), the bar grid, the form
(intro, verses, choruses, outro), the chords as scale degrees, the bass and comping
rhythms, the arpeggio and the lead motifs. Pitches are scale degrees, not notes, so a
prompt that moves the key or the mode changes the sound and keeps the song.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from ._instruments import SAMPLE_RATE

__all__ = [
    "MAJOR",
    "MINOR",
    "Structure",
    "degree_to_midi",
    "make_structure",
    "seed_rng",
]

IntArray = npt.NDArray[np.int64]

MAJOR: Final = np.array([0, 2, 4, 5, 7, 9, 11], dtype=np.int64)
MINOR: Final = np.array([0, 2, 3, 5, 7, 8, 10], dtype=np.int64)

# Four-bar progressions as scale degrees (0 = the tonic chord).
_PROGRESSIONS: Final = (
    (0, 4, 5, 3),
    (5, 3, 0, 4),
    (0, 5, 3, 4),
    (0, 3, 4, 3),
    (1, 4, 0, 5),
    (0, 3, 5, 4),
    (3, 4, 2, 5),
    (0, 2, 3, 4),
    (5, 4, 3, 4),
    (0, 0, 3, 4),
    (3, 0, 4, 5),
    (0, 4, 3, 3),
)

# Bass rhythms: (step, length in steps, degree above the chord root); 7 = an octave up.
_BASS: Final = (
    ((0, 8, 0), (8, 8, 0)),
    ((0, 6, 0), (6, 2, 0), (8, 8, 4)),
    ((0, 3, 0), (3, 3, 0), (6, 2, 0), (8, 4, 0), (12, 4, 4)),
    ((0, 4, 0), (4, 4, 7), (8, 4, 0), (12, 4, 4)),
    ((0, 14, 0), (14, 2, 4)),
    ((0, 2, 0), (2, 2, 0), (4, 2, 7), (6, 2, 0), (8, 2, 0), (10, 2, 0), (12, 2, 7), (14, 2, 4)),
)

# Chord rhythms: (step, length in steps).
_COMP: Final = (
    ((0, 16),),
    ((0, 8), (8, 8)),
    ((0, 3), (3, 3), (6, 4), (10, 6)),
    ((0, 4), (4, 4), (8, 4), (12, 4)),
    ((0, 6), (6, 10)),
)


@dataclass(frozen=True, slots=True)
class Structure:
    """The seed-fixed shape of a song; see the module docstring."""

    seed: int
    bpm: int
    bar_samples: int
    n_samples: int
    sections: tuple[str, ...]  # one of intro, verse, chorus, outro per bar
    chords: tuple[int, ...]  # scale degree of each bar's chord root
    bass: tuple[tuple[int, int, int], ...]
    comp: tuple[tuple[int, int], ...]
    arpeggio: tuple[int, ...]  # chord tone (0-3) per eighth note
    motifs: tuple[tuple[tuple[int, int, int], ...], ...]  # (step, length, degree) per bar kind

    @property
    def n_bars(self) -> int:
        """Bars the song spans, the last one possibly cut short."""
        return len(self.sections)

    @property
    def step_samples(self) -> float:
        """Samples per sixteenth note."""
        return self.bar_samples / 16.0


def seed_rng(seed: int, stream: str) -> np.random.Generator:
    """A generator for one ``stream`` of randomness of a seed (any int, however large)."""
    raw = seed.to_bytes((seed.bit_length() + 8) // 8, "little", signed=True)
    digest = hashlib.sha256(stream.encode("ascii") + b":" + raw).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "little"))


def degree_to_midi(degrees: npt.ArrayLike, tonic: int, minor: bool) -> IntArray:
    """MIDI notes of scale ``degrees`` (any ints) above MIDI note ``tonic``."""
    scale = MINOR if minor else MAJOR
    steps = np.asarray(degrees, dtype=np.int64)
    out: IntArray = tonic + 12 * np.floor_divide(steps, 7) + scale[np.mod(steps, 7)]
    return out


def _form(n_bars: int, rng: np.random.Generator) -> tuple[str, ...]:
    if n_bars <= 2:
        return ("verse",) * n_bars
    intro = 1 if n_bars < 8 else int(rng.integers(1, 3))
    outro = 1 if n_bars >= 8 else 0
    body: list[str] = []
    verse_len = int(rng.choice((4, 8))) if n_bars >= 16 else 4
    while len(body) < n_bars - intro - outro:
        body += ["verse"] * verse_len + ["chorus"] * 4
    return ("intro",) * intro + tuple(body[: n_bars - intro - outro]) + ("outro",) * outro


def _motif(rng: np.random.Generator) -> tuple[tuple[int, int, int], ...]:
    # A one-bar phrase on chord tones with passing steps, starting on the beat.
    steps = sorted({0, *(int(s) for s in rng.choice(np.arange(2, 16, 2), size=4, replace=False))})
    degrees = rng.choice(
        (0, 2, 4, 7, 1, 3, 5), size=len(steps), p=(0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1)
    )
    notes = []
    for i, step in enumerate(steps):
        end = steps[i + 1] if i + 1 < len(steps) else 16
        notes.append((step, end - step, int(degrees[i])))
    return tuple(notes)


def make_structure(seed: int, duration_s: float) -> Structure:
    """The structure of the song of ``seed`` lasting ``duration_s`` seconds."""
    rng = seed_rng(seed, "structure")
    bpm = int(rng.integers(84, 129))
    bar_samples = round(240.0 / bpm * SAMPLE_RATE)
    n_samples = max(1, round(duration_s * SAMPLE_RATE))
    n_bars = -(-n_samples // bar_samples)
    sections = _form(n_bars, rng)
    verse = _PROGRESSIONS[int(rng.integers(len(_PROGRESSIONS)))]
    chorus = _PROGRESSIONS[int(rng.integers(len(_PROGRESSIONS)))]
    chords = []
    for bar, section in enumerate(sections):
        loop = chorus if section == "chorus" else verse
        chords.append(loop[bar % 4])
    arpeggio = tuple(int(x) for x in rng.choice(4, size=8))
    return Structure(
        seed=seed,
        bpm=bpm,
        bar_samples=bar_samples,
        n_samples=n_samples,
        sections=sections,
        chords=tuple(chords),
        bass=_BASS[int(rng.integers(len(_BASS)))],
        comp=_COMP[int(rng.integers(len(_COMP)))],
        arpeggio=arpeggio,
        motifs=(_motif(rng), _motif(rng)),
    )
