"""The five models of the API, as the official client names them.

They are the pydantic v2 models generated from spec/openapi.yaml (riff_api_generated.models);
only RiffResponse gains behaviour here: the decoded audio and an atomic save.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from riff_api._audio import decode_audio, sniff_format, write_atomic
from riff_api._types import AudioFormat, PathLike
from riff_api_generated import models as _generated

__all__ = ["Prompt", "RiffRequest", "RiffResponse", "TimestampedWord", "TopicRequest"]

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


class _Elided(str):
    def __repr__(self) -> str:
        return str(self)


# Users see riff_api.Prompt, not riff_api_generated.models.Prompt, in reprs and docs.
for _model in (Prompt, RiffRequest, TimestampedWord, TopicRequest, RiffResponse):
    _model.__module__ = "riff_api"
