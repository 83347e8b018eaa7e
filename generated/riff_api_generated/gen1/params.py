# Generated from spec/openapi.yaml by `scripts/regenerate` (datamodel-code-generator). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
from __future__ import annotations

from typing import Literal, NotRequired, TypedDict


class TopicRequest(TypedDict):
    """
    A song described in one sentence.
    """

    topic: NotRequired[str]
    """
    What the song is about and how it should sound, in one sentence.
    """
    audio_format: NotRequired[Literal["wav", "m4a", "mp3"]]
    """
    Format of the returned audio. The official schema types this field as a free
    string, but the service produces only wav, m4a and mp3 (the values its
    RiffRequest allows), so any other value could only fail later. We restrict it
    to those three so that a wrong format is rejected up front: by the client
    before sending, and by the emulator with a 422.

    """


class Prompt(TypedDict):
    """
    One description of the sound, with its strength and the time range it applies to.
    """

    text: NotRequired[str]
    """
    What the music should sound like, e.g. "chillstep pop" or "orchestral cellos".
    """
    strength: NotRequired[float]
    """
    How strongly the prompt shapes the sound: 1 is subtle, 12 the most. The official
    schema sets no bounds, and its sources disagree on the range: its docs say 1 to
    12, its demo offers -3 to 12. The wider range is the one kept here, so nothing the
    official demo sends is refused, while a typo such as 40 for 4 is caught before
    sending.

    """
    start_s: NotRequired[float]
    """
    When the prompt starts to take effect, in seconds from the start of the song.
    """
    end_s: NotRequired[float]
    """
    When the prompt stops taking effect, in seconds from the start of the song.
    """


class RiffRequest(TypedDict):
    """
    A song from your own lyrics and sound prompts.
    """

    prompts: NotRequired[list[Prompt]]
    """
    The sound prompts. Overlapping time ranges make transitions.
    """
    lyrics: NotRequired[str | None]
    """
    The words to sing, one line per phrase. Section tags such as `[Verse]` on a
    line of their own give structure and are not sung. Null gives an instrumental.

    """
    seed: NotRequired[int | None]
    """
    Fixes the song's structure; null gives a new song on every call.
    """
    audio_format: NotRequired[Literal["wav", "m4a", "mp3"]]
    """
    Format of the returned audio.
    """
    moderate_inputs: NotRequired[bool]
    """
    Run moderation checks on the prompts and the lyrics.
    """


class TimestampedWord(TypedDict):
    """
    One sung word and when it starts.
    """

    text: NotRequired[str]
    """
    The word.
    """
    start_s: NotRequired[float]
    """
    When the word starts, in seconds from the start of the song.
    """


class RiffResponse(TypedDict):
    """
    The song. Every key is always present.
    """

    id: NotRequired[str]
    """
    UUID of this output.
    """
    audio_b64: NotRequired[str]
    """
    The audio file, in the requested format, encoded as base64.
    """
    lyrics: NotRequired[str | None]
    """
    The lyrics of the song; null for an instrumental.
    """
    timestamped_lyrics: NotRequired[list[TimestampedWord] | None]
    """
    Every sung word in order, with its start time; null for an instrumental.
    """
    prompts: NotRequired[list[Prompt]]
    """
    The sound prompts the song was made with.
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
