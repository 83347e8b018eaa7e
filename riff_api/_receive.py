"""Reading a song's body as it arrives: the audio is decoded chunk by chunk, never held as text.

A song's JSON body is ~7 MB, nearly all of it the ``audio_b64`` string. Buffering the body,
then cutting the string out, then decoding it holds the audio three times over (body, text,
bytes) and copies it as often. ``SongReader`` instead watches the chunks go by: the few
hundred bytes around the audio are kept for the JSON parser, and the base64 in between is
decoded in 4-character groups straight into the one buffer that becomes ``audio_bytes``. So
a call peaks at about the decoded audio's size, and ``audio_b64`` is only made again if asked
for (see ``RiffResponse``).

Anything unusual (an escape inside the audio string, a nested key of the same name, bad
base64, a truncated body, no such key) turns the reader back into a plain buffer of the
whole body, rebuilt exactly, which is then parsed whole: results and errors are always those
of a full parse.
"""

from __future__ import annotations

import io
import re
from typing import Generic

import pybase64

from riff_api._audio import decode_audio
from riff_api._models import AudioResponse, RiffResponse, SongT, parse_whole_song

__all__ = ["SongReader", "parse_song"]

#: The audio's key and the opening quote of its string; JSON allows blanks around the colon.
_AUDIO_KEY = re.compile(rb'"audio_b64"\s*:\s*"')
#: How far back a new search for the key starts, so that a key split across chunks is found.
_KEY_OVERLAP = 64

#: Room reserved for a song's decoded audio (a 30 s wav is ~5 MB); see _audio_buffer().
_RESERVE = 33 * 1024 * 1024
#: The most reserved, whatever a Content-Length says.
_MAX_RESERVE = 1024 * 1024 * 1024

_HEAD, _AUDIO, _TAIL, _WHOLE = range(4)


class SongReader(Generic[SongT]):
    """Turns a song's body, fed in chunks of any size, into a song of class ``model``.

    ``model`` is the answer's audio class (``RiffResponse``, ...; see ``song_class``).
    ``size_hint`` (the body's length when known) lets the audio buffer be sized once;
    ``whole=True`` keeps the body as it is, for ``body()`` (an error's answer, or one
    without audio).
    ``finish()`` raises ``pydantic.ValidationError`` for a body that is not a song, or
    ValueError for audio that is not base64, exactly as parsing the whole body would.
    """

    __slots__ = (
        "_audio",
        "_buffer",
        "_carry",
        "_last",
        "_model",
        "_searched",
        "_state",
        "_tail",
        "size",
    )

    def __init__(
        self, model: type[SongT], size_hint: int | None = None, *, whole: bool = False
    ) -> None:
        self._model = model
        #: Bytes received so far.
        self.size = 0
        self._state = _WHOLE if whole else _HEAD
        # Up to the audio's opening quote; in the _WHOLE state, the whole body so far.
        self._buffer = bytearray()
        self._tail = bytearray()  # from the audio's closing quote to the end
        self._audio = io.BytesIO() if whole else _audio_buffer(size_hint)
        self._carry = b""  # base64 characters waiting for the rest of their 4-character group
        self._last = b""  # the last group decoded, to rebuild the text exactly
        self._searched = 0

    def feed(self, chunk: bytes) -> None:
        """Take the next piece of the body."""
        self.size += len(chunk)
        if self._state == _AUDIO:
            self._feed_audio(chunk)
        elif self._state == _TAIL:
            self._tail += chunk
        elif self._state == _WHOLE:
            self._buffer += chunk
        else:
            self._feed_head(chunk)

    def body(self) -> bytes:
        """The body as received, for a reader made with ``whole=True``."""
        if self._state != _WHOLE:
            raise RuntimeError("body() is for a SongReader made with whole=True")
        return bytes(self._buffer)

    def finish(self) -> SongT:
        """The song, once the whole body has been fed."""
        if self._state == _AUDIO:  # the body ends inside the audio string
            self._to_whole(b"")
        if self._state != _TAIL:
            return parse_whole_song(self._buffer, self._model)
        try:
            if self._carry:
                raise ValueError("incomplete final group")
            song = self._model.model_validate_json(self._buffer + self._tail)
        except ValueError:
            # A malformed rest of the body or bad padding: the whole parse says what is wrong.
            self._to_whole(self._tail)
            return parse_whole_song(self._buffer, self._model)
        if song.audio_b64 or _AUDIO_KEY.search(self._tail):
            # The key found was nested, not the top-level one; or it comes again (the last
            # one counts): either way, not the audio that was decoded.
            self._to_whole(self._tail)
            return parse_whole_song(self._buffer, self._model)
        audio = self._take_audio()
        song._attach_audio(audio, last_group=self._last)
        return song

    # -- states ------------------------------------------------------------------------------

    def _feed_head(self, chunk: bytes) -> None:
        buffer = self._buffer
        buffer += chunk
        match = _AUDIO_KEY.search(buffer, max(0, self._searched - _KEY_OVERLAP))
        if match is None:
            self._searched = len(buffer)
            return
        rest = bytes(buffer[match.end() :])
        del buffer[match.end() :]
        self._state = _AUDIO
        self._feed_audio(rest)

    def _feed_audio(self, data: bytes) -> None:
        end = data.find(b'"')
        stop = len(data) if end < 0 else end
        if data.find(b"\\", 0, stop) >= 0 or (stop and self._last.endswith(b"=")):
            # An escape, or text after padding: the whole parse reads it (or says what's wrong).
            self._to_whole(data)
            return
        view = memoryview(data)
        # The group begun in the last chunk is completed from this one; then whole groups.
        group = self._carry
        start = min(4 - len(group), stop) if group else 0
        group += data[:start]
        complete = len(group) == 4
        aligned = start + (stop - start) // 4 * 4
        last = bytes(view[aligned - 4 : aligned]) if aligned > start else group
        if (complete and group.endswith(b"=") and stop > start) or (
            aligned > start and last.endswith(b"=") and stop > aligned
        ):
            self._to_whole(data)  # padding before the end of the text
            return
        try:
            first = decode_audio(group) if complete else b""
            run = decode_audio(view[start:aligned])
        except ValueError:
            self._to_whole(data)
            return
        if complete or aligned > start:
            self._last = last
        self._carry = (b"" if complete else group) + data[aligned:stop]
        self._audio.write(first)
        self._audio.write(run)
        if end >= 0:
            self._state = _TAIL
            self._tail += view[end:]

    def _to_whole(self, rest: bytes | bytearray) -> None:
        """Give up streaming: rebuild the body received so far, then buffer the rest as is."""
        buffer = self._buffer
        buffer += self._rebuild_text()
        buffer += self._carry
        buffer += rest
        self._carry = b""
        self._audio = io.BytesIO()
        self._state = _WHOLE

    def _rebuild_text(self) -> bytes:
        # Every whole group of base64 decodes and encodes back to the same characters, except
        # a padded last group with stray bits set: that one is put back as it came.
        decoded = self._audio.getbuffer()[: self._audio.tell()]
        try:
            text = pybase64.b64encode(decoded)
        finally:
            decoded.release()
        if self._last and not text.endswith(self._last):
            text = text[:-4] + self._last
        return text

    def _take_audio(self) -> bytes:
        audio = self._audio
        audio.truncate(audio.tell())
        data = audio.getvalue()
        self._audio = io.BytesIO()
        return data


def _audio_buffer(size_hint: int | None) -> io.BytesIO:
    """An empty buffer with room for the decoded audio, which becomes ``audio_bytes``."""
    wanted = size_hint * 3 // 4 if size_hint else 0
    try:
        # bytes(n) is calloc'd: its fresh pages cost no memory until written. Being larger
        # than glibc's highest dynamic mmap threshold (32 MiB), it is a mapping of its own,
        # shrunk to fit at the end and returned to the system when the song is dropped.
        # Songs sized to fit that threshold landed in the heap instead, and left holes the
        # next one no longer fitted: RSS climbed 5 MiB a call, to +20 MiB (scripts/bench).
        return io.BytesIO(bytes(max(_RESERVE, min(wanted, _MAX_RESERVE))))
    except MemoryError:  # a system that does not overcommit: grow as the audio comes
        return io.BytesIO()


def parse_song(body: bytes | bytearray, model: type[AudioResponse] = RiffResponse) -> AudioResponse:
    """A song from a whole JSON body, with its audio already decoded (and so checked).

    Raises ``pydantic.ValidationError``, or ValueError for bad base64.
    """
    reader = SongReader(model, len(body))
    reader.feed(bytes(body))
    return reader.finish()
