# Generated from spec/openapi-gen2.yaml by `scripts/regenerate` (datamodel-code-generator). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PromptRequest(BaseModel):
    """
    A song described in one prompt.
    """

    model_config = ConfigDict(
        use_attribute_docstrings=True,
    )
    prompt: str
    """
    What the song should sound like and be about, in one sentence.
    """
    instrumental: bool = False
    """
    No vocals and no lyrics.
    """
    audio_format: Literal["m4a"] = "m4a"
    """
    Format of the returned audio; only m4a is made for now.
    """
    moderate_inputs: bool = True
    """
    Run moderation checks on the inputs.
    """
    model: str = "FUZZ-2.0"
    """
    The model to use; `GET /models` lists those available to the key. A free string
    since 0.4.2 (0.3 and 0.4.0 listed names in an enum). The default is the official
    client's code, "FUZZ-2.0"; its README writes "FUZZ 2.0", which is not what it sends.

    """


class SoundPrompt(BaseModel):
    """
    One description of the sound and how strongly it shapes the song.
    """

    model_config = ConfigDict(
        use_attribute_docstrings=True,
    )
    text: str
    """
    What the music should sound like, e.g. "lo-fi piano" or "female vocals".
    """
    strength: float = Field(0.5, ge=-1.0, le=1.0)
    """
    How strongly the prompt shapes the sound, from -1 to 1. The official client's
    sources disagree: its field says [0, 1], its class docstring [-1, 1]. Neither is
    enforced there; the wider range is the one kept here, so nothing the service may
    accept is refused, while a typo such as 5 for 0.5 is caught before sending.

    """


class ComposeRequest(BaseModel):
    """
    A song from your own lyrics and sound prompts.
    """

    model_config = ConfigDict(
        use_attribute_docstrings=True,
    )
    sound_prompts: list[SoundPrompt]
    """
    The sound prompts, mixed by their strengths.
    """
    lyrics: str | None = None
    """
    The words to sing, one line per phrase. Section tags such as `[Verse]` on a
    line of their own give structure and are not sung. Null gives an instrumental.

    """
    lyrics_strength: float = Field(0.5, ge=0.0, le=1.0)
    """
    How strongly the vocals come through, from 0 to 1 (as documented).
    """
    audio_format: Literal["m4a"] = "m4a"
    """
    Format of the returned audio; only m4a is made for now.
    """
    seed: int | None = None
    """
    Random seed for reproducible results; null gives a new song every call.
    """
    moderate_inputs: bool = True
    """
    Run moderation checks on the inputs.
    """
    weirdness: float = Field(0.5, ge=0.0, le=1.0)
    """
    How weird the audio gets, from 0 to 1 (as documented).
    """
    model: str = "FUZZ-2.0"
    """
    The model to use; `GET /models` lists those available to the key. A free string
    since 0.4.2 (0.3 and 0.4.0 listed names in an enum). The default is the official
    client's code, "FUZZ-2.0"; its README writes "FUZZ 2.0", which is not what it sends.

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
    start: float
    """
    When the word starts, in seconds from the start of the song.
    """


class PromptResponse(BaseModel):
    """
    The song made from a prompt.
    """

    model_config = ConfigDict(
        use_attribute_docstrings=True,
    )
    id: str
    """
    UUID of the song.
    """
    lyrics: str | None = None
    """
    The lyrics of the song; null for an instrumental.
    """
    timestamped_lyrics: list[TimestampedWord] | None = None
    """
    Every sung word in order, with its start time; null for an instrumental.
    """
    sound_prompt: str
    """
    The sound prompt that was used.
    """
    audio_format: Literal["m4a"]
    """
    Format of the audio; only m4a is made for now.
    """
    audio_b64: str
    """
    The audio file, in `audio_format`, encoded as base64.
    """
    title: str
    """
    The song's title.
    """


class ComposeResponse(BaseModel):
    """
    The composed song.
    """

    model_config = ConfigDict(
        use_attribute_docstrings=True,
    )
    id: str
    """
    UUID of the song.
    """
    lyrics: str | None = None
    """
    The lyrics of the song; null for an instrumental.
    """
    timestamped_lyrics: list[TimestampedWord] | None = None
    """
    Every sung word in order, with its start time; null for an instrumental.
    """
    sound_prompts: list[SoundPrompt]
    """
    The sound prompts the song was made with, with their strengths.
    """
    audio_b64: str
    """
    The audio file, in `audio_format`, encoded as base64.
    """
    audio_format: Literal["m4a"]
    """
    Format of the audio; only m4a is made for now.
    """
    title: str
    """
    The song's title.
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
