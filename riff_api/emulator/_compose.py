"""The second generation's songs: ``/api/v1/prompt``, ``/api/v1/compose`` and ``/api/v1/models``.

``/prompt`` writes a title, a sound prompt and lyrics from the sentence, as ``/topic`` does
(none of the lyrics with ``instrumental``). ``/compose`` mixes its sound prompts by
strength: a sound prompt's strength ``s`` (from -1 to 1) weighs ``s / 0.5`` in the mix, so
one prompt at the default 0.5 carries the sound alone, two at 0.7 and 0.3 share it 70/30,
and a strength of 0 or less adds nothing. ``lyrics_strength`` scales the voice (0.5 is the
usual level, 0 silent, 1 twice as loud) and ``weirdness`` blends in a ring modulation (none
at 0). The same request and seed give the same audio. Both answer about ``duration_s`` of
m4a, each sung word with its start time. ``model`` must be one of the emulator's
``models`` (what ``/models`` answers), or the answer is a 422 naming the field.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from riff_api_generated.gen1.models import ErrorDetail
from riff_api_generated.gen2.models import (
    ComposeRequest,
    ComposeResponse,
    PromptRequest,
    PromptResponse,
)

# Both generations' Error bodies are the same schema; the emulator writes the first's.
from ._errors import ApiError
from ._moderation import check_moderation
from ._render import PromptSpec, RenderedSong, RenderJob
from ._songs import render_audio
from ._topic import topic_keywords, write_song

if TYPE_CHECKING:
    from ._routes import EmulatorState

__all__ = ["compose", "list_models", "prompt"]

#: The strength of a sound prompt that carries the sound alone; the first generation's 4.0.
_FULL = 0.5
_FIRST_GENERATION_FULL = 4.0
#: The voice's usual level is lyrics_strength 0.5.
_USUAL_VOCALS = 0.5


def _check_model(model: str, state: EmulatorState) -> None:
    if model not in state.settings.models:
        listed = ", ".join(state.settings.models)
        raise ApiError(
            422,
            "validation_error",
            "The request body does not match the schema.",
            detail=[
                ErrorDetail(
                    loc=["body", "model"],
                    msg=f"Unknown model {model!r}; GET /models lists: {listed}",
                    type="unknown_model",
                )
            ],
        )


def _capitalised(text: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in text.split())


def _prompt_title(sentence: str, style: str) -> str:
    """The sentence's subject ("Tokyo and Rainy"), else its style ("Chill Lo-fi Beat")."""
    words = topic_keywords(sentence, limit=2)
    return " and ".join(_capitalised(word) for word in words) if words else _capitalised(style)


def _compose_title(lyrics: str | None, texts: list[str]) -> str:
    """The first sung line, else the first sound prompt, else "Untitled"."""
    for raw in (lyrics or "").splitlines():
        line = raw.strip().strip(",.!?;:")
        if line and not (line.startswith("[") and line.endswith("]")):
            return _capitalised(" ".join(line.split()[:6]))
    return _capitalised(texts[0]) if texts else "Untitled"


def _words(song: RenderedSong) -> list[dict[str, Any]] | None:
    if song.words is None:
        return None
    return [{"text": text, "start": start} for text, start in song.words]


def _prompt_payload(request: PromptRequest, seed: int, duration_s: float) -> bytes:
    lyrics, style = write_song(request.prompt, seed)
    sung = None if request.instrumental else lyrics
    layer = PromptSpec(style, 4.0, 0.0, duration_s)
    song = render_audio(RenderJob((layer,), sung, seed, duration_s, "m4a"))
    answer = PromptResponse.model_validate(
        {
            "id": str(uuid.uuid4()),
            "lyrics": sung,
            "timestamped_lyrics": _words(song),
            "sound_prompt": style,
            "audio_format": "m4a",
            "audio_b64": song.audio_b64.decode("ascii"),
            "title": _prompt_title(request.prompt, style),
        }
    )
    return answer.__pydantic_serializer__.to_json(answer)


def _compose_payload(request: ComposeRequest, seed: int, duration_s: float) -> bytes:
    layers = tuple(
        PromptSpec(p.text, _FIRST_GENERATION_FULL * max(p.strength, 0.0) / _FULL, 0.0, duration_s)
        for p in request.sound_prompts
    )
    job = RenderJob(
        layers,
        request.lyrics,
        seed,
        duration_s,
        "m4a",
        voice_level=request.lyrics_strength / _USUAL_VOCALS,
        weirdness=request.weirdness,
    )
    song = render_audio(job)
    texts = [p.text for p in request.sound_prompts]
    answer = ComposeResponse.model_validate(
        {
            "id": str(uuid.uuid4()),
            "lyrics": None if song.words is None else request.lyrics,
            "timestamped_lyrics": _words(song),
            "sound_prompts": [p.model_dump() for p in request.sound_prompts],
            "audio_b64": song.audio_b64.decode("ascii"),
            "audio_format": "m4a",
            "title": _compose_title(request.lyrics, texts),
        }
    )
    return answer.__pydantic_serializer__.to_json(answer)


def prompt(request: PromptRequest, state: EmulatorState) -> Callable[[], bytes]:
    """``POST /api/v1/prompt``: a song, its title and its lyrics from one sentence."""
    _check_model(request.model, state)
    if request.moderate_inputs:
        check_moderation("prompt", (request.prompt,))
    seed = state.new_seed()
    return partial(_prompt_payload, request, seed, state.settings.duration_s)


def compose(request: ComposeRequest, state: EmulatorState) -> Callable[[], bytes]:
    """``POST /api/v1/compose``: a song from sound prompts mixed by strength, and lyrics."""
    _check_model(request.model, state)
    if request.moderate_inputs:
        check_moderation("sound prompts", (p.text for p in request.sound_prompts))
        check_moderation("lyrics", (request.lyrics or "",))
    seed = request.seed if request.seed is not None else state.new_seed()
    return partial(_compose_payload, request, seed, state.settings.duration_s)


def list_models(request: None, state: EmulatorState) -> Callable[[], bytes]:
    """``GET /api/v1/models``: the emulator's models."""
    body = json.dumps(list(state.settings.models)).encode()
    return lambda: body
