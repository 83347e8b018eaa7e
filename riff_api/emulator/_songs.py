"""From a validated request to the JSON bytes of its ``RiffResponse``.

This is the blocking part of a request; the routes run it in a worker thread. The song
itself (synthesis, encoding, base64: :func:`~._render.render`) is rendered by the render
pool when the server installed one (:func:`use_pool`), else in this thread, at most one
per CPU at a time, so a burst of requests queues instead of thrashing memory.

The answer's JSON is made without the audio, and the base64 (plain ASCII that JSON never
escapes) spliced in: serialising a 7 MB string would only copy and scan it once more.
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from riff_api_generated.gen1.models import Prompt, RiffRequest, RiffResponse

from ._pool import RenderPool
from ._render import PromptSpec, RenderedSong, RenderJob, render
from ._topic import write_song

if TYPE_CHECKING:
    from riff_api._types import AudioFormat

__all__ = ["RENDER_SLOTS", "render_audio", "riff_payload", "topic_payload", "use_pool"]

#: Renders running at once in this process's threads, across both generations' songs.
RENDER_SLOTS = threading.BoundedSemaphore(max(2, os.cpu_count() or 1))
_POOL: RenderPool | None = None

# The audio's place in the answer: the field, empty; base64 never needs escaping in JSON.
_AUDIO_FIELD = b'"audio_b64":""'


@contextlib.contextmanager
def use_pool(pool: RenderPool | None) -> Iterator[None]:
    """Render songs in ``pool`` for the ``with`` block (None: in the calling thread)."""
    global _POOL
    previous, _POOL = _POOL, pool
    try:
        yield
    finally:
        _POOL = previous


def render_audio(job: RenderJob) -> RenderedSong:
    """The song of ``job``: in the render pool if the server installed one, else here."""
    pool = _POOL
    if pool is not None:
        return pool.render(job)
    with RENDER_SLOTS:
        return render(job)


def _job(
    prompts: Sequence[Prompt],
    lyrics: str | None,
    seed: int,
    duration_s: float,
    audio_format: AudioFormat,
) -> RenderJob:
    specs = tuple(PromptSpec(p.text, p.strength, p.start_s, p.end_s) for p in prompts)
    return RenderJob(specs, lyrics, seed, duration_s, audio_format)


def _payload(song: RenderedSong, lyrics: str | None, prompts: Sequence[Prompt]) -> bytes:
    sung = song.words is not None
    response = RiffResponse.model_validate(
        {
            "id": str(uuid.uuid4()),
            "audio_b64": "",
            "lyrics": lyrics if sung else None,
            "timestamped_lyrics": (
                [{"text": text, "start_s": start} for text, start in song.words]
                if song.words is not None
                else None
            ),
            "prompts": list(prompts),
        }
    )
    envelope = response.__pydantic_serializer__.to_json(response)
    # Only the id (a UUID) comes before the audio: the first match is the field itself.
    at = envelope.index(_AUDIO_FIELD) + len(_AUDIO_FIELD) - 1
    return b"".join((envelope[:at], song.audio_b64, envelope[at:]))


def riff_payload(request: RiffRequest, seed: int, duration_s: float) -> bytes:
    """The response body of a ``/riff`` request, rendered with ``seed``."""
    job = _job(request.prompts, request.lyrics, seed, duration_s, request.audio_format)
    return _payload(render_audio(job), request.lyrics, request.prompts)


def topic_payload(topic: str, audio_format: AudioFormat, seed: int, duration_s: float) -> bytes:
    """The response body of a ``/topic`` request: lyrics and style written from ``topic``."""
    lyrics, style = write_song(topic, seed)
    prompts = [Prompt(text=style, strength=4.0, start_s=0.0, end_s=duration_s)]
    job = _job(prompts, lyrics, seed, duration_s, audio_format)
    return _payload(render_audio(job), lyrics, prompts)
