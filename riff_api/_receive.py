"""Reading a song's body as it arrives: the audio is decoded chunk by chunk, never held as text.

A song's JSON body is ~7 MB, nearly all of it the ``audio_b64`` string. Buffering the body,
then cutting the string out, then decoding it holds the audio three times over (body, text,
bytes) and copies it as often. ``SongReader`` instead watches the chunks go by: the few
hundred bytes around the audio are kept for the JSON parser, and the base64 in between is
decoded in 4-character groups straight into the one buffer that becomes ``audio_bytes``. So
a call peaks at about the decoded audio's size, and ``audio_b64`` is only made again if asked
for (see ``RiffResponse``).

Anything unusual (an escape inside the audio string, bad base64, a truncated body, no such
key) turns the reader back into a plain buffer of the whole body, rebuilt exactly, which is
then parsed whole: results and errors are always those of a full parse. The key found may
also not be the one a parser keeps (it was nested, or the top-level key comes again, maybe
spelt with escapes): so the rest of the body is parsed with a placeholder in the audio's
place, twice with two different ones, and the audio decoded is kept only if the song's
``audio_b64`` was each placeholder in turn. Any other string of the body would have the same
value in both parses, so it cannot be that.
"""

from __future__ import annotations

import io
import re
import sys
import zlib
from collections.abc import Callable
from typing import Generic, Protocol

import pybase64

from riff_api._audio import decode_audio
from riff_api._models import AudioResponse, RiffResponse, SongT, with_decoded_audio

__all__ = ["ENCODINGS", "BodyReader", "Inflating", "SongReader", "parse_song"]

#: The audio's key and the opening quote of its string; JSON allows blanks around the colon.
_AUDIO_KEY = re.compile(rb'"audio_b64"\s*:\s*"')
#: How far back a new search for the key starts, so that a key split across chunks is found.
_KEY_OVERLAP = 64

#: Room reserved for a song's decoded audio (a 30 s wav is ~5 MB); see _audio_buffer().
_RESERVE = 33 * 1024 * 1024
#: The most reserved, whatever a Content-Length says (the client refuses larger answers first).
_MAX_RESERVE = 1024 * 1024 * 1024
#: Two strings put in the audio's place to see whether the song's audio_b64 came from there.
_PLACEHOLDERS = (b"riff_api streamed audio", b"riff_api streamed audio, again")

_HEAD, _AUDIO, _TAIL, _WHOLE = range(4)

#: The content codings read, each by zlib (its window bits); an answer in any other coding
#: is refused unread.
ENCODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
#: The most one step of decompression makes: a bomb unpacks no further than its limit.
_INFLATE_STEP = 1024 * 1024


class BodyReader(Protocol):
    """What the clients feed an answer's body to: a SongReader, or one behind Inflating."""

    @property
    def size(self) -> int:
        """Bytes of body received so far (unpacked, for a compressed one)."""
        ...

    def feed(self, chunk: bytes) -> None:
        """Take the next piece of the body as it came off the wire."""

    def body(self) -> bytes:
        """The whole body, for a reader made with ``whole=True``."""
        ...

    def finish(self) -> AudioResponse:
        """The song, once the whole body has been fed."""
        ...


class SongReader(Generic[SongT]):
    """Turns a song's body, fed in chunks of any size, into a song of class ``model``.

    ``model`` is the answer's audio class (``RiffResponse``, ...; see ``song_class``).
    ``size_hint`` (the body's length when known) lets the audio buffer be sized once;
    ``whole=True`` keeps the body as it is, for ``body()`` (an error's answer, or one
    without audio).
    ``limit`` bounds the bytes fed: one more raises what ``too_large()`` returns (by
    default a ValueError), before the chunk is kept. ``keep`` bounds what a ``whole=True``
    reader keeps of them for ``body()`` (an error's body need not be held whole).
    ``finish()`` raises ``pydantic.ValidationError`` for a body that is not a song, or
    ValueError for audio that is not base64, exactly as parsing the whole body would.
    """

    __slots__ = (
        "_audio",
        "_buffer",
        "_carry",
        "_keep",
        "_last",
        "_limit",
        "_model",
        "_searched",
        "_state",
        "_tail",
        "_too_large",
        "size",
    )

    def __init__(
        self,
        model: type[SongT],
        size_hint: int | None = None,
        *,
        whole: bool = False,
        limit: int | None = None,
        too_large: Callable[[], BaseException] | None = None,
        keep: int | None = None,
    ) -> None:
        self._model = model
        self._limit = sys.maxsize if limit is None else limit
        self._keep = sys.maxsize if keep is None else keep
        self._too_large = too_large or _too_large
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
        if self.size > self._limit:
            raise self._too_large()
        if self._state == _AUDIO:
            self._feed_audio(chunk)
        elif self._state == _TAIL:
            self._tail += chunk
        elif self._state == _WHOLE:
            room = self._keep - len(self._buffer)
            if room > 0:
                self._buffer += chunk if room >= len(chunk) else chunk[:room]
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
            return self._parse_whole()
        song = self._rest_of_song()
        if song is None:
            # A malformed rest of the body or bad padding (the whole parse says what is
            # wrong), or the audio decoded is not the song's audio_b64.
            self._to_whole(self._tail)
            return self._parse_whole()
        audio = self._take_audio()
        song._attach_audio(audio, last_group=self._last)
        return song

    def _parse_whole(self) -> SongT:
        """``parse_whole_song`` of the body, which is let go before the audio is decoded:
        a body near the limit then peaks at its text and audio, not at the body as well."""
        body, self._buffer = self._buffer, bytearray()
        song = self._model.model_validate_json(body)
        del body
        return with_decoded_audio(song)

    def _rest_of_song(self) -> SongT | None:
        """The song parsed with a placeholder for its audio, if the audio is the song's own."""
        if self._carry:  # an incomplete final group of base64
            return None
        found = None
        for placeholder in _PLACEHOLDERS:
            try:
                song = self._model.model_validate_json(self._buffer + placeholder + self._tail)
            except ValueError:
                return None
            if song.audio_b64 != placeholder.decode():
                return None  # audio_b64 came from another string: a later or escaped key
            found = found or song
        return found

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


class Inflating:
    """Unpacks a gzip or deflate body in bounded steps into a SongReader.

    httpx unpacks a chunk whole, and 1 MB of gzip can hold 1 GB: here each step makes at
    most 1 MiB, and the reader's limit applies to the bytes unpacked as to those received.
    A corrupt coding ends the unpacking: ``finish()`` then raises ValueError and ``body()``
    gives what was unpacked before it.
    """

    __slots__ = ("_broken", "_encoding", "_raw", "_reader", "_zlib")

    def __init__(self, reader: SongReader[AudioResponse], encoding: str) -> None:
        self._reader = reader
        self._encoding = encoding
        self._zlib = zlib.decompressobj(ENCODINGS[encoding])
        self._raw = 0
        self._broken: str | None = None

    @property
    def size(self) -> int:
        """Bytes unpacked so far."""
        return self._reader.size

    def feed(self, chunk: bytes) -> None:
        """Take the next piece of the compressed body."""
        self._raw += len(chunk)
        if self._raw > self._reader._limit:
            raise self._reader._too_large()
        if self._broken or self._zlib.eof:  # what follows the end is not unpacked, nor kept
            return
        data = chunk
        while data:
            try:
                out = self._zlib.decompress(data, _INFLATE_STEP)
            except zlib.error as exc:
                at_start = self._raw == len(chunk) and not self._reader.size
                if self._encoding == "deflate" and at_start:
                    # "deflate" is zlib's format, but some servers send the bare stream.
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._encoding = "raw deflate"
                    continue
                self._broken = f"the answer's {self._encoding} coding is corrupt: {exc}"
                return
            if out:
                self._reader.feed(out)
            data = self._zlib.unconsumed_tail

    def _end(self) -> None:
        if not self._broken and not self._zlib.eof:
            self._broken = f"the answer's {self._encoding} coding ends before its end"

    def body(self) -> bytes:
        """What was unpacked (all of it, unless the coding was corrupt)."""
        self._end()
        return self._reader.body()

    def finish(self) -> AudioResponse:
        """The song, once the whole body has been fed; ValueError for a corrupt coding."""
        self._end()
        if self._broken:
            raise ValueError(self._broken)
        return self._reader.finish()


def _too_large() -> BaseException:
    return ValueError("the body is larger than its reader's limit")


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
