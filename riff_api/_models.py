"""The five models of the API, as the official client names them.

They are the pydantic v2 models generated from spec/openapi.yaml (riff_api_generated.models);
only RiffResponse gains behaviour here: the decoded audio and an atomic save.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import pybase64
import pydantic

from riff_api._audio import decode_audio, sniff_format, write_atomic
from riff_api._types import AudioFormat, PathLike
from riff_api_generated import models as _generated

__all__ = [
    "Prompt",
    "RiffRequest",
    "RiffResponse",
    "TimestampedWord",
    "TopicRequest",
    "parse_whole_song",
]

Prompt = _generated.Prompt
RiffRequest = _generated.RiffRequest
TimestampedWord = _generated.TimestampedWord
TopicRequest = _generated.TopicRequest


class RiffResponse(_generated.RiffResponse):
    """A song: its id, audio (base64 in ``audio_b64``), lyrics and the prompts used.

    ``audio_bytes`` is the decoded audio file; ``save(path)`` writes it atomically. A song
    received by this client arrives already decoded, and its ``audio_b64`` (a third bigger
    than the audio) is only made again from ``audio_bytes`` when first read, dumped or
    compared: most programs only save the file, and need not hold the audio twice.
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

    # -- audio_b64 made on demand ----------------------------------------------------------
    # A received song holds audio_bytes in its __dict__ and no audio_b64 there. Attribute
    # reads fall through to __getattr__; pydantic's own readers of __dict__ (dumping,
    # equality, iteration) are preceded by _ensure_audio_b64().

    def _attach_audio(self, audio: bytes, *, last_group: bytes = b"") -> None:
        """Hold ``audio`` as this song's audio, ``audio_b64`` being made from it on demand.

        ``last_group`` is the base64's last 4 characters as received. A padded last group
        with stray low bits set decodes like the clean one; such a text is kept as it came.
        """
        self.__dict__["audio_bytes"] = audio  # the cached_property's slot
        if last_group and pybase64.b64encode(pybase64.b64decode(last_group)) != last_group:
            # Assigned over the parsed placeholder, so it keeps its place among the fields.
            self.__dict__["audio_b64"] = _encode_audio(audio)[:-4] + last_group.decode("ascii")
        else:
            self.__dict__.pop("audio_b64", None)

    def _ensure_audio_b64(self) -> None:
        values = self.__dict__
        if "audio_b64" in values or "audio_bytes" not in values:
            return
        text = _encode_audio(values["audio_bytes"])
        # In its place among the fields, as dumps follow the __dict__'s order; and swapped in
        # whole, so that another thread never sees a __dict__ half rebuilt.
        ordered = {
            name: text if name == "audio_b64" else values[name]
            for name in type(self).model_fields
            if name in values or name == "audio_b64"
        }
        ordered.update((name, value) for name, value in values.items() if name not in ordered)
        object.__setattr__(self, "__dict__", ordered)

    if not TYPE_CHECKING:  # as pydantic's own __getattr__, hidden from type checkers

        def __getattr__(self, name: str) -> Any:
            if name == "audio_b64" and "audio_bytes" in self.__dict__:
                self._ensure_audio_b64()
                return self.__dict__["audio_b64"]
            return super().__getattr__(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "audio_b64":
            self._ensure_audio_b64()  # so the new text takes the old one's place in dumps
        super().__setattr__(name, value)
        if name == "audio_b64":  # the decoded audio no longer matches
            self.__dict__.pop("audio_bytes", None)

    def __eq__(self, other: object) -> bool:
        self._ensure_audio_b64()
        if isinstance(other, RiffResponse):
            other._ensure_audio_b64()
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # as pydantic's: a mutable model

    def __iter__(self) -> Generator[tuple[str, Any], None, None]:
        # The fields only: not the cached audio_bytes, which shares the instance's __dict__.
        self._ensure_audio_b64()
        for name in type(self).model_fields:
            if name in self.__dict__:
                yield name, self.__dict__[name]

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy of this song; ``update`` values are taken as they are (not validated)."""
        copied = super().model_copy(update=update, deep=deep)
        if update and "audio_b64" in update:
            copied.__dict__.pop("audio_bytes", None)
        return copied

    @pydantic.model_serializer(mode="wrap")
    def _serialize(
        self, handler: pydantic.SerializerFunctionWrapHandler, info: pydantic.SerializationInfo
    ) -> Any:
        if not (info.exclude and "audio_b64" in info.exclude):  # e.g. the CLI's --json
            self._ensure_audio_b64()
        return handler(self)

    def __repr_args__(self) -> Generator[tuple[str, Any], None, None]:
        # 7 MB of base64 in a repr makes notebooks and logs unusable; show its size instead,
        # without making the text of a song that does not hold it.
        values = self.__dict__
        for name, field in type(self).model_fields.items():
            if not field.repr:
                continue
            if name != "audio_b64":
                if name in values:
                    yield name, values[name]
            elif "audio_b64" in values:
                text = values["audio_b64"]
                small = not isinstance(text, str) or len(text) <= 64
                yield name, text if small else _Elided(f"<{len(text):,} base64 chars>")
            elif "audio_bytes" in values:
                size = 4 * -(-len(values["audio_bytes"]) // 3)
                yield name, _Elided(f"<{size:,} base64 chars>")


def parse_whole_song(body: bytes | bytearray) -> RiffResponse:
    """A RiffResponse from a whole JSON body, with its audio decoded (and so checked).

    Raises ``pydantic.ValidationError``, or ValueError for bad base64.
    """
    song = RiffResponse.model_validate_json(body)
    song.__dict__["audio_bytes"] = decode_audio(song.audio_b64)  # the cached_property's slot
    return song


def _encode_audio(audio: bytes) -> str:
    return pybase64.b64encode(audio).decode("ascii")


class _Elided(str):
    def __repr__(self) -> str:
        return str(self)


# Users see riff_api.Prompt, not riff_api_generated.models.Prompt, in reprs and docs.
for _model in (Prompt, RiffRequest, TimestampedWord, TopicRequest, RiffResponse):
    _model.__module__ = "riff_api"
