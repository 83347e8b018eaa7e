"""One song, from plain data to its base64 audio: the part of a request that needs a core.

A :class:`RenderJob` holds only builtins (no pydantic model), so it pickles small and this
module, with what it imports (numpy and the synthesis modules; PyAV for mp3 and m4a), is
all a render worker process loads (see ``_pool``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import pybase64

from ._encoding import encode
from ._synthesis import render_song

if TYPE_CHECKING:
    from riff_api._types import AudioFormat

__all__ = ["PromptSpec", "RenderJob", "RenderedSong", "render"]


class PromptSpec(NamedTuple):
    """A sound prompt's fields, as the mixer reads them."""

    text: str
    strength: float
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class RenderJob:
    """Everything a song depends on (the last two: see :func:`~._synthesis.render_song`)."""

    prompts: tuple[PromptSpec, ...]
    lyrics: str | None
    seed: int
    duration_s: float
    audio_format: AudioFormat
    voice_level: float = 1.0
    weirdness: float = 0.0


@dataclass(frozen=True, slots=True)
class RenderedSong:
    """A song ready for its answer: the audio file in base64, and its sung words."""

    audio_b64: bytes
    #: ``(word, start in seconds rounded to the millisecond)``; None for an instrumental.
    words: tuple[tuple[str, float], ...] | None


def render(job: RenderJob) -> RenderedSong:
    """Synthesise, encode and base64 the song of ``job`` (blocking; deterministic)."""
    song = render_song(
        job.prompts,
        job.lyrics,
        job.seed,
        job.duration_s,
        voice_level=job.voice_level,
        weirdness=job.weirdness,
    )
    audio = encode(song.samples, job.audio_format)
    words = None
    if not song.lyrics.instrumental:
        starts = (round(float(start), 3) for start in song.timing.starts)
        words = tuple(zip(song.lyrics.words, starts, strict=True))
    return RenderedSong(audio_b64=pybase64.b64encode(audio), words=words)
