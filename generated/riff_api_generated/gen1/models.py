# Generated from spec/openapi.yaml by `scripts/regenerate` (datamodel-code-generator). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class TopicRequest(BaseModel):
    """
    A song described in one sentence.
    """

    model_config = ConfigDict(
        use_attribute_docstrings=True,
    )
    topic: str
    """
    What the song is about and how it should sound, in one sentence.
    """
    audio_format: Literal["wav", "m4a", "mp3"] = "wav"
    """
    Format of the returned audio. The official schema types this field as a free
    string, but the service produces only wav, m4a and mp3 (the values its
    RiffRequest allows), so any other value could only fail later. We restrict it
    to those three so that a wrong format is rejected up front: by the client
    before sending, and by the emulator with a 422.

    """


class Prompt(BaseModel):
    """
    One description of the sound, with its strength and the time range it applies to.
    """

    model_config = ConfigDict(
        use_attribute_docstrings=True,
    )
    text: str
    """
    What the music should sound like, e.g. "chillstep pop" or "orchestral cellos".
    """
    strength: float = Field(4.0, ge=-3.0, le=12.0)
    """
    How strongly the prompt shapes the sound: 1 is subtle, 12 the most. The official
    schema sets no bounds, and its sources disagree on the range: its docs say 1 to
    12, its demo offers -3 to 12. The wider range is the one kept here, so nothing the
    official demo sends is refused, while a typo such as 40 for 4 is caught before
    sending.

    """
    start_s: float = 0.0
    """
    When the prompt starts to take effect, in seconds from the start of the song.
    """
    end_s: float = 30.0
    """
    When the prompt stops taking effect, in seconds from the start of the song.
    """


class RiffRequest(BaseModel):
    """
    A song from your own lyrics and sound prompts.
    """

    model_config = ConfigDict(
        use_attribute_docstrings=True,
    )
    prompts: list[Prompt]
    """
    The sound prompts. Overlapping time ranges make transitions.
    """
    lyrics: str | None = None
    """
    The words to sing, one line per phrase. Section tags such as `[Verse]` on a
    line of their own give structure and are not sung. Null gives an instrumental.

    """
    seed: int | None = None
    """
    Fixes the song's structure; null gives a new song on every call.
    """
    audio_format: Literal["wav", "m4a", "mp3"] = "wav"
    """
    Format of the returned audio.
    """
    moderate_inputs: bool = True
    """
    Run moderation checks on the prompts and the lyrics.
    """


class TimestampedWord(BaseModel):
    """
    One sung word and when it starts.
    """

    model_config = ConfigDict(
        use_attribute_docstrings=True,
    )
    text: str
    """
    The word.
    """
    start_s: float
    """
    When the word starts, in seconds from the start of the song.
    """


class RiffResponse(BaseModel):
    """
    The song. Every key is always present.
    """

    model_config = ConfigDict(
        use_attribute_docstrings=True,
    )
    id: str
    """
    UUID of this output.
    """
    audio_b64: str
    """
    The audio file, in the requested format, encoded as base64.
    """
    lyrics: str | None
    """
    The lyrics of the song; null for an instrumental.
    """
    timestamped_lyrics: list[TimestampedWord] | None
    """
    Every sung word in order, with its start time; null for an instrumental.
    """
    prompts: list[Prompt]
    """
    The sound prompts the song was made with.
    """


class ErrorDetail(BaseModel):
    """
    One field that failed validation.
    """

    model_config = ConfigDict(
        use_attribute_docstrings=True,
    )
    loc: list[str | int]
    """
    Path to the field, e.g. ["body", "prompts", 0, "strength"].
    """
    msg: str
    """
    What is wrong with it.
    """
    type: str
    """
    A machine-readable kind of error, e.g. missing or float_type.
    """


class Error(BaseModel):
    """
    The body of every error answer. The live service's error bodies are not documented;
    this is the shape the emulator answers and the client reads when present.

    """

    model_config = ConfigDict(
        use_attribute_docstrings=True,
    )
    code: str
    """
    A stable machine-readable reason: invalid_json, bad_request, moderation,
    unauthorized, not_found, method_not_allowed, request_timeout, request_too_large,
    unsupported_media_type, validation_error, rate_limited,
    internal_error or unavailable.

    """
    message: str
    """
    What went wrong, for people.
    """
    detail: list[ErrorDetail] | None = None
    """
    For validation errors, one entry per offending field.
    """
