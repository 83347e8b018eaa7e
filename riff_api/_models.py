"""The models of the API: the pydantic models generated from the spec, with audio behaviour.

The request models and the small ones (``Prompt``, ``TimestampedWord``) are the generated
classes themselves. Every response model whose answer carries ``audio_b64`` gains, through
``AudioResponse``, the decoded audio (``audio_bytes``), an atomic ``save``, a short repr, and
``audio_b64`` made only on demand. ``song_class`` finds (or, for a model no module here names,
makes) the audio class of any generated response model.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

import pybase64
import pydantic

from riff_api._audio import check_audio_path, decode_audio, sniff_format, write_atomic
from riff_api._display import audio_duration_s, song_html
from riff_api._types import AudioFormat, PathLike
from riff_api_generated.gen1 import models as _gen1

__all__ = [
    "AudioResponse",
    "Prompt",
    "RiffRequest",
    "RiffResponse",
    "TimestampedWord",
    "TopicRequest",
    "parse_whole_song",
    "song_class",
    "with_decoded_audio",
]

Prompt = _gen1.Prompt
RiffRequest = _gen1.RiffRequest
TimestampedWord = _gen1.TimestampedWord
TopicRequest = _gen1.TopicRequest

SongT = TypeVar("SongT", bound="AudioResponse")

#: Generated response model -> its audio class.
_SONG_CLASSES: dict[type[pydantic.BaseModel], type[AudioResponse]] = {}


class AudioResponse(pydantic.BaseModel):
    """What every answer carrying an audio file (``audio_b64``) can do.

    ``audio_bytes`` is the decoded audio file; ``save(path)`` writes it atomically. A song
    received by this client arrives already decoded, and its ``audio_b64`` (a third bigger
    than the audio) is only made again from ``audio_bytes`` when first read, dumped or
    compared: most programs only save the file, and need not hold the audio twice.
    """

    if TYPE_CHECKING:
        audio_b64: str

    #: The generated model this class adds audio behaviour to.
    generated_model: ClassVar[type[pydantic.BaseModel]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for base in cls.__mro__[1:]:
            if issubclass(base, pydantic.BaseModel) and not issubclass(base, AudioResponse):
                if base is not pydantic.BaseModel:
                    cls.generated_model = base
                    _SONG_CLASSES.setdefault(base, cls)
                break

    @cached_property
    def audio_bytes(self) -> bytes:
        """The audio file's bytes, decoded from ``audio_b64`` (once; then cached)."""
        return decode_audio(self.audio_b64)

    @property
    def duration_s(self) -> float | None:
        """The audio's length in seconds, read from its own header (None if unreadable)."""
        declared = self.__dict__.get("audio_format")
        return audio_duration_s(self.audio_bytes, declared if isinstance(declared, str) else None)

    def _repr_html_(self) -> str:
        # Notebooks call this for the last value of a cell: a player, the title, the words.
        return song_html(self)

    def save(self, path: PathLike) -> Path:
        """Write the audio to ``path`` atomically and return the path.

        The file is complete or absent: a failure part-way leaves nothing behind. A name
        whose extension is not the audio's format (``.mp3`` for wav audio) is a ValueError,
        as it is for ``save_to=``.
        """
        audio = self.audio_bytes
        return write_atomic(check_audio_path(path, sniff_format(audio)), audio)

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
        if isinstance(other, AudioResponse):
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


class RiffResponse(AudioResponse, _gen1.RiffResponse):
    """A song: its id, audio (base64 in ``audio_b64``), lyrics and the prompts used."""

    @property
    def audio_format(self) -> AudioFormat | None:
        """The audio's format as read from its first bytes (wav, m4a, mp3), or None."""
        return sniff_format(self.audio_bytes)


def song_class(model: type[pydantic.BaseModel]) -> type[AudioResponse]:
    """The audio class of a generated response model that carries ``audio_b64``.

    The classes this package names (``RiffResponse``, ...) are found; for any other such
    model (an operation added to the spec and not yet named here) one is made, once.
    """
    found = _SONG_CLASSES.get(model)
    if found is None:
        found = type(model.__name__, (AudioResponse, model), {"__module__": "riff_api"})
    return found


def parse_whole_song(body: bytes | bytearray, model: type[SongT]) -> SongT:
    """A song of class ``model`` from a whole JSON body, its audio decoded (and so checked).

    Raises ``pydantic.ValidationError``, or ValueError for bad base64.
    """
    return with_decoded_audio(model.model_validate_json(body))


def with_decoded_audio(song: SongT) -> SongT:
    """``song`` with its ``audio_b64`` decoded (and so checked) into ``audio_bytes``.

    Raises ValueError for bad base64.
    """
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
