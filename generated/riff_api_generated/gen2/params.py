# Generated from spec/openapi-gen2.yaml by `scripts/regenerate` (datamodel-code-generator). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
from __future__ import annotations

from typing import Literal, NotRequired, TypedDict


class PromptRequest(TypedDict):
    """
    A song described in one prompt.
    """

    prompt: NotRequired[str]
    """
    What the song should sound like and be about, in one sentence.
    """
    instrumental: NotRequired[bool]
    """
    No vocals and no lyrics.
    """
    audio_format: NotRequired[Literal["m4a"]]
    """
    Format of the returned audio; only m4a is made for now.
    """
    moderate_inputs: NotRequired[bool]
    """
    Run moderation checks on the inputs.
    """
    model: NotRequired[str]
    """
    The model to use; `GET /models` lists those available to the key. A free string
    since 0.4.2 (0.3 and 0.4.0 listed names in an enum). The default is the official
    client's code, "FUZZ-2.0"; its README writes "FUZZ 2.0", which is not what it sends.

    """


class SoundPrompt(TypedDict):
    """
    One description of the sound and how strongly it shapes the song.
    """

    text: NotRequired[str]
    """
    What the music should sound like, e.g. "lo-fi piano" or "female vocals".
    """
    strength: NotRequired[float]
    """
    How strongly the prompt shapes the sound, from -1 to 1. The official client's
    sources disagree: its field says [0, 1], its class docstring [-1, 1]. Neither is
    enforced there; the wider range is the one kept here, so nothing the service may
    accept is refused, while a typo such as 5 for 0.5 is caught before sending.

    """


class ComposeRequest(TypedDict):
    """
    A song from your own lyrics and sound prompts.
    """

    sound_prompts: NotRequired[list[SoundPrompt]]
    """
    The sound prompts, mixed by their strengths.
    """
    lyrics: NotRequired[str | None]
    """
    The words to sing, one line per phrase. Section tags such as `[Verse]` on a
    line of their own give structure and are not sung. Null gives an instrumental.

    """
    lyrics_strength: NotRequired[float]
    """
    How strongly the vocals come through, from 0 to 1 (as documented).
    """
    audio_format: NotRequired[Literal["m4a"]]
    """
    Format of the returned audio; only m4a is made for now.
    """
    seed: NotRequired[int | None]
    """
    Random seed for reproducible results; null gives a new song every call.
    """
    moderate_inputs: NotRequired[bool]
    """
    Run moderation checks on the inputs.
    """
    weirdness: NotRequired[float]
    """
    How weird the audio gets, from 0 to 1 (as documented).
    """
    model: NotRequired[str]
    """
    The model to use; `GET /models` lists those available to the key. A free string
    since 0.4.2 (0.3 and 0.4.0 listed names in an enum). The default is the official
    client's code, "FUZZ-2.0"; its README writes "FUZZ 2.0", which is not what it sends.

    """


class TimestampedWord(TypedDict):
    """
    One sung word and when it starts.
    """

    text: NotRequired[str]
    """
    The word.
    """
    start: NotRequired[float]
    """
    When the word starts, in seconds from the start of the song.
    """


class PromptResponse(TypedDict):
    """
    The song made from a prompt.
    """

    id: NotRequired[str]
    """
    UUID of the song.
    """
    lyrics: NotRequired[str | None]
    """
    The lyrics of the song; null for an instrumental.
    """
    timestamped_lyrics: NotRequired[list[TimestampedWord] | None]
    """
    Every sung word in order, with its start time; null for an instrumental.
    """
    sound_prompt: NotRequired[str]
    """
    The sound prompt that was used.
    """
    audio_format: NotRequired[Literal["m4a"]]
    """
    Format of the audio; only m4a is made for now.
    """
    audio_b64: NotRequired[str]
    """
    The audio file, in `audio_format`, encoded as base64.
    """
    title: NotRequired[str]
    """
    The song's title.
    """


class ComposeResponse(TypedDict):
    """
    The composed song.
    """

    id: NotRequired[str]
    """
    UUID of the song.
    """
    lyrics: NotRequired[str | None]
    """
    The lyrics of the song; null for an instrumental.
    """
    timestamped_lyrics: NotRequired[list[TimestampedWord] | None]
    """
    Every sung word in order, with its start time; null for an instrumental.
    """
    sound_prompts: NotRequired[list[SoundPrompt]]
    """
    The sound prompts the song was made with, with their strengths.
    """
    audio_b64: NotRequired[str]
    """
    The audio file, in `audio_format`, encoded as base64.
    """
    audio_format: NotRequired[Literal["m4a"]]
    """
    Format of the audio; only m4a is made for now.
    """
    title: NotRequired[str]
    """
    The song's title.
    """


class ErrorDetail(TypedDict):
    """
    One field that failed validation.
    """

    loc: NotRequired[list[str | int]]
    """
    Path to the field, e.g. ["body", "prompts", 0, "strength"].
    """
    msg: NotRequired[str]
    """
    What is wrong with it.
    """
    type: NotRequired[str]
    """
    A machine-readable kind of error, e.g. missing or float_type.
    """


class Error(TypedDict):
    """
    The body of every error answer. The live service's error bodies are not documented;
    this is the shape the emulator answers and the client reads when present.

    """

    code: NotRequired[str]
    """
    A stable machine-readable reason: invalid_json, bad_request, moderation,
    unauthorized, not_found, method_not_allowed, request_timeout, request_too_large,
    unsupported_media_type, validation_error, rate_limited,
    internal_error or unavailable.

    """
    message: NotRequired[str]
    """
    What went wrong, for people.
    """
    detail: NotRequired[list[ErrorDetail] | None]
    """
    For validation errors, one entry per offending field.
    """
