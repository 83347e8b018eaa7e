"""The five models of the API, as the official client names them.

They are the pydantic v2 models generated from spec/openapi.yaml (riff_api_generated.models);
only RiffResponse gains behaviour here: the decoded audio and an atomic save.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from riff_api._audio import decode_audio, sniff_format, write_atomic
from riff_api._types import AudioFormat, PathLike
from riff_api_generated import models as _generated

__all__ = [
    "Prompt",
    "RiffRequest",
    "RiffResponse",
    "TimestampedWord",
    "TopicRequest",
    "parse_song",
]

Prompt = _generated.Prompt
RiffRequest = _generated.RiffRequest
TimestampedWord = _generated.TimestampedWord
TopicRequest = _generated.TopicRequest


class RiffResponse(_generated.RiffResponse):
    """A song: its id, audio (base64 in ``audio_b64``), lyrics and the prompts used.

    ``audio_bytes`` decodes the audio once and keeps it; ``save(path)`` writes it atomically.
    """

    @cached_property
    def audio_bytes(self) -> bytes:
        """The audio file's bytes, decoded from ``audio_b64`` (once; then cached)."""
        return decode_audio(self.audio_b64)

    @property
    def audio_format(self) -> AudioFormat | None:
        """The audio's format as read from its first bytes (wav, m4a, mp3), or None."""
        return sniff_format(self.audio_bytes)

    def save(self, path: PathLike) -> Path:
        """Write the audio to ``path`` atomically and return the path.

        The file is complete or absent: a failure part-way leaves nothing behind.
        """
        return write_atomic(path, self.audio_bytes)

    def __repr_args__(self):  # type: ignore[no-untyped-def]
        # 7 MB of base64 in a repr makes notebooks and logs unusable; show its size instead.
        for name, value in super().__repr_args__():
            if name == "audio_b64" and isinstance(value, str) and len(value) > 64:
                yield name, _Elided(f"<{len(value):,} base64 chars>")
            else:
                yield name, value


#: The audio's key and the opening quote of its string; JSON allows blanks around the colon.
_AUDIO_KEY = re.compile(rb'"audio_b64"\s*:\s*"')


def parse_song(body: bytes | bytearray) -> RiffResponse:
    """A RiffResponse from a JSON body, with its audio already decoded (and so checked).

    A song's body is ~7 MB, nearly all of it the base64 string. Parsed whole, that string is
    copied and scanned several times over inside the JSON parser, which was most of a call's
    CPU. So it is cut out first: the base64 becomes a ``str`` straight from the body's bytes
    (one ASCII copy) and is decoded once, and only the few hundred bytes around it go
    through the parser. Anything unusual (an escape inside the string, a nested key of the
    same name, no such key) is parsed whole, so results and errors are always those of a
    full parse. Raises ``pydantic.ValidationError``, or ValueError for bad base64.
    """
    view = memoryview(body)
    match = _AUDIO_KEY.search(body)
    end = body.find(b'"', match.end()) if match else -1
    if match is None or end < 0 or body.find(b"\\", match.end(), end) >= 0:
        return _parse_whole(body)
    start = match.end()
    song = RiffResponse.model_validate_json(bytes(view[:start]) + bytes(view[end:]))
    if song.audio_b64:  # the key found was not the top-level one: play safe
        return _parse_whole(body)
    audio = view[start:end]
    # Straight into the model's storage: validating a 7 MB str again would be the cost saved.
    song.__dict__["audio_bytes"] = decode_audio(audio)  # the cached_property's slot
    song.__dict__["audio_b64"] = str(audio, "ascii")  # valid base64 is ASCII
    return song


def _parse_whole(body: bytes | bytearray) -> RiffResponse:
    song = RiffResponse.model_validate_json(body)
    song.__dict__["audio_bytes"] = decode_audio(song.audio_b64)  # the cached_property's slot
    return song


class _Elided(str):
    def __repr__(self) -> str:
        return str(self)


# Users see riff_api.Prompt, not riff_api_generated.models.Prompt, in reprs and docs.
for _model in (Prompt, RiffRequest, TimestampedWord, TopicRequest, RiffResponse):
    _model.__module__ = "riff_api"
