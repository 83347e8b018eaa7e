"""The models of the API's second generation, as riff-api 0.4.2's ``riff_api.types`` has them.

    from riff_api.types import ComposeRequest, SoundPrompt, TimestampedWord

They are the pydantic models generated from ``spec/openapi-gen2.yaml``; the two answers that
carry audio gain the audio behaviour of every song here (``audio_bytes``, an atomic
``save``, a short repr). Note the one clash with the first generation: this module's
``TimestampedWord`` has ``text`` and ``start``, while ``riff_api.TimestampedWord`` (the first
generation's, which ``riff_api`` keeps at its top level for 0.1.5 code) has ``text`` and
``start_s``. Import this one from ``riff_api.types``.
"""

from __future__ import annotations

from riff_api._models import AudioResponse
from riff_api_generated.gen2 import models as _gen2

__all__ = [
    "ComposeRequest",
    "ComposeResponse",
    "PromptRequest",
    "PromptResponse",
    "SoundPrompt",
    "TimestampedWord",
]

PromptRequest = _gen2.PromptRequest
ComposeRequest = _gen2.ComposeRequest
SoundPrompt = _gen2.SoundPrompt
TimestampedWord = _gen2.TimestampedWord


class PromptResponse(AudioResponse, _gen2.PromptResponse):
    """A song made from a prompt: id, title, lyrics, the sound prompt used, and its audio."""


class ComposeResponse(AudioResponse, _gen2.ComposeResponse):
    """A composed song: id, title, lyrics with word times, the sound prompts, and its audio."""


for _model in (PromptRequest, ComposeRequest, SoundPrompt, TimestampedWord):
    _model.__module__ = __name__
del _model
