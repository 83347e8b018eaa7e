"""From a validated request to the JSON bytes of its ``RiffResponse``.

This is the blocking part of a request (synthesis, encoding, base64, serialisation); the
routes run it in a worker thread. At most one render per CPU runs at a time, so a burst
of requests queues instead of thrashing memory.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Sequence

import pybase64

from riff_api_generated.gen1.models import Prompt, RiffRequest, RiffResponse

from ._encoding import AudioFormat, encode
from ._synthesis import Song, render_song
from ._topic import write_song

__all__ = ["RENDER_SLOTS", "riff_payload", "topic_payload"]

#: Renders running at once, across both generations' songs.
RENDER_SLOTS = threading.BoundedSemaphore(max(2, os.cpu_count() or 1))


def _payload(
    song: Song, lyrics: str | None, prompts: Sequence[Prompt], audio_format: AudioFormat
) -> bytes:
    audio = encode(song.samples, audio_format)
    sung = not song.lyrics.instrumental
    words = (
        [
            {"text": text, "start_s": round(float(start), 3)}
            for text, start in zip(song.lyrics.words, song.timing.starts, strict=True)
        ]
        if sung
        else None
    )
    response = RiffResponse.model_validate(
        {
            "id": str(uuid.uuid4()),
            "audio_b64": pybase64.b64encode(audio).decode("ascii"),
            "lyrics": lyrics if sung else None,
            "timestamped_lyrics": words,
            "prompts": list(prompts),
        }
    )
    return response.__pydantic_serializer__.to_json(response)


def riff_payload(request: RiffRequest, seed: int, duration_s: float) -> bytes:
    """The response body of a ``/riff`` request, rendered with ``seed``."""
    with RENDER_SLOTS:
        song = render_song(request.prompts, request.lyrics, seed, duration_s)
        return _payload(song, request.lyrics, request.prompts, request.audio_format)


def topic_payload(topic: str, audio_format: AudioFormat, seed: int, duration_s: float) -> bytes:
    """The response body of a ``/topic`` request: lyrics and style written from ``topic``."""
    lyrics, style = write_song(topic, seed)
    prompts = [Prompt(text=style, strength=4.0, start_s=0.0, end_s=duration_s)]
    with RENDER_SLOTS:
        song = render_song(prompts, lyrics, seed, duration_s)
        return _payload(song, lyrics, prompts, audio_format)
