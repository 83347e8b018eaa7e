"""How a song shows itself: its duration, read from the audio's own header, and HTML for notebooks.

Both work on the songs of either API generation (they read attributes, not classes), and
neither costs anything until called: tinytag, which reads the m4a and mp3 containers, is
imported by the first call that needs it. Nothing here raises on a server's bytes: audio
that cannot be read has no duration (``None``), and its HTML says so.

Why the durations are exact:

* wav: the data chunk's size over the frame size and rate of the ``fmt `` chunk.
* m4a: the movie header's duration, which FFmpeg's muxer writes with the encoder's
  priming samples already taken off (tinytag reads it).
* mp3: the frame count of the Xing/Info header times the samples per frame (tinytag reads
  it), less the encoder delay and padding that LAME-style encoders (LAME, FFmpeg) record in
  the same frame. Decoders skip those samples, so that is what plays; tinytag counts them.
"""

from __future__ import annotations

import html
import io
import math
import struct
from collections.abc import Iterable
from typing import Final

import pybase64

from riff_api._audio import sniff_format

__all__ = ["MIME_TYPES", "audio_duration_s", "song_html"]

#: The MIME type a browser needs to play each format from a ``data:`` URI.
MIME_TYPES: Final[dict[str, str]] = {"wav": "audio/wav", "m4a": "audio/mp4", "mp3": "audio/mpeg"}

# wav format tags whose frames are block_align bytes each: PCM, IEEE float, extensible.
_FRAMED_WAV_TAGS: Final = frozenset({0x0001, 0x0003, 0xFFFE})
# The names that open the LAME extension of a Xing/Info frame (LAME itself, FFmpeg's libavformat
# and libavcodec); after any other, the bytes there are audio, not delay and padding.
_LAME_ENCODERS: Final = (b"LAME", b"Lavf", b"Lavc")
# Inline, not a <style> element, which would restyle the whole notebook page. The times are
# wider than most words: the margin keeps neighbours' times apart.
_WORD_STYLE: Final = ' style="margin-right:.6em"'
_TIME_STYLE: Final = ' style="color:gray;font-size:.65em"'


# ---------------------------------------------------------------------------- duration


def audio_duration_s(data: bytes, audio_format: str | None) -> float | None:
    """The duration in seconds of an audio file, from its own header or container.

    ``audio_format`` ("wav", "m4a" or "mp3") is used when the bytes do not say what they are;
    when they do, they win. Returns ``None`` for data that cannot be read, never raises.
    """
    try:
        kind = sniff_format(data) or audio_format
        if kind == "wav":
            seconds = _wav_duration_s(data)
        elif kind in ("m4a", "mp3"):
            seconds = _container_duration_s(data, kind)
        else:
            return None
    except Exception:  # tinytag's own errors, struct.error, ...: the bytes came from a server
        return None
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return None
    return seconds


def _wav_duration_s(data: bytes) -> float | None:
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    offset = 12
    fmt: tuple[int, int, int, int] | None = None  # format tag, rate, byte rate, block align
    while offset + 8 <= len(data):
        chunk, size = struct.unpack_from("<4sI", data, offset)
        size, body = int(size), offset + 8
        if chunk == b"fmt " and size >= 16:
            tag, _channels, rate, byte_rate, block = struct.unpack_from("<HHIIH", data, body)
            fmt = (tag, rate, byte_rate, block)
        elif chunk == b"data":
            if fmt is None:
                return None
            tag, rate, byte_rate, block = fmt
            # A truncated file (or a streamed one, whose size field is a placeholder) plays
            # only what is there.
            size = min(size, len(data) - body)
            if tag in _FRAMED_WAV_TAGS:
                return (size // block) / rate if block and rate else None
            return size / byte_rate if byte_rate else None
        offset = body + size + (size & 1)  # chunks are padded to an even length
    return None


def _container_duration_s(data: bytes, kind: str) -> float | None:
    from tinytag import TinyTag

    tag = TinyTag.get(file_obj=io.BytesIO(data), tags=False)
    seconds = tag.duration
    if seconds is None:
        return None
    if kind == "mp3" and tag.samplerate:
        seconds -= _mp3_gap_samples(data) / tag.samplerate
    return float(seconds)


def _mp3_gap_samples(data: bytes) -> int:
    """The encoder delay plus padding an mp3's LAME tag records (0 when there is none)."""
    start = 0
    if data[:3] == b"ID3" and len(data) >= 10:
        # ID3v2: a 10-byte header, a size in four 7-bit bytes, and a footer if flagged.
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        start = 10 + size + (10 if data[5] & 0x10 else 0)
    header = data[start : start + 4]
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return 0
    mpeg1 = (header[1] >> 3) & 3 == 3
    mono = header[3] >> 6 == 3
    # The Xing/Info tag sits after the frame header and the side information.
    tag = start + 4 + ((17 if mono else 32) if mpeg1 else (9 if mono else 17))
    if data[tag : tag + 4] not in (b"Xing", b"Info"):
        return 0
    flags = int.from_bytes(data[tag + 4 : tag + 8], "big")
    # Optional fields: frame count (flag 1), byte count (2), seek table (4), quality (8).
    lame = tag + 8 + 4 * bool(flags & 1) + 4 * bool(flags & 2) + 100 * bool(flags & 4)
    lame += 4 * bool(flags & 8)
    if data[lame : lame + 4] not in _LAME_ENCODERS or len(data) < lame + 24:
        return 0
    # 21 bytes into the extension: delay and padding, 12 bits each.
    gap = int.from_bytes(data[lame + 21 : lame + 24], "big")
    return (gap >> 12) + (gap & 0xFFF)


# ---------------------------------------------------------------------------- HTML


def song_html(song: object) -> str:
    """A song as HTML for a notebook's ``_repr_html_``: a player, its title or id, the sound
    prompts, and the lyrics with the time each word starts.

    Takes a song of either generation: ``id``, ``title`` (second), ``lyrics``,
    ``timestamped_lyrics`` (words with ``start_s``, first, or ``start``, second), ``prompts``
    (first) or ``sound_prompt``/``sound_prompts`` (second), ``audio_bytes`` and
    ``audio_format``. Everything the server sent is escaped.
    """
    audio = _audio_of(song)
    kind = (sniff_format(audio) if audio else None) or _text(_get(song, "audio_format"))
    song_id = _text(_get(song, "id"))
    title = _text(_get(song, "title"))
    facts = [kind or "unknown format"]
    duration = audio_duration_s(audio, kind) if audio else None
    if duration is not None:
        facts.append(f"{duration:.1f} s")
    parts = ['<div class="riff-api-song">', "<div>"]
    parts.append(f"<strong>{_esc(title or song_id or 'Song')}</strong>")
    if title and song_id:
        parts.append(f" <code>{_esc(song_id)}</code>")
    parts.append(f" <small>({_esc(', '.join(facts))})</small></div>")
    if audio:
        mime = MIME_TYPES.get(kind or "", "application/octet-stream")
        source = f"data:{mime};base64,{pybase64.b64encode(audio).decode('ascii')}"
        parts.append(f'<audio controls preload="metadata" src="{source}"></audio>')
    else:
        parts.append("<div><em>No playable audio in this song.</em></div>")
    sounds = _sounds(song)
    if sounds:
        parts.append(f"<div>Sound: {'; '.join(sounds)}</div>")
    words = _timed_words(_get(song, "timestamped_lyrics"))
    lyrics = _text(_get(song, "lyrics"))
    if words:
        parts.append('<div class="riff-api-words" style="line-height:2.6">')
        parts.append(" ".join(words))
        parts.append("</div>")
    if lyrics:
        summary = "Lyrics" if words else "Lyrics (no word times)"
        parts.append(f"<details><summary>{summary}</summary><pre>{_esc(lyrics)}</pre></details>")
    elif not words:
        parts.append("<div><em>Instrumental: no lyrics.</em></div>")
    parts.append("</div>")
    return "".join(parts)


def _get(thing: object, name: str) -> object:
    """An attribute, or None when it is missing or its property fails (as ``audio_bytes``
    does for an ``audio_b64`` that is not base64)."""
    try:
        return getattr(thing, name, None)
    except Exception:
        return None


def _audio_of(song: object) -> bytes:
    audio = _get(song, "audio_bytes")
    return bytes(audio) if isinstance(audio, bytes | bytearray | memoryview) else b""


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:05.2f}"


def _sounds(song: object) -> list[str]:
    """Each sound prompt as escaped HTML: its text, strength and (first generation) range."""
    prompts = _get(song, "prompts") or _get(song, "sound_prompts")
    single = _text(_get(song, "sound_prompt"))
    if not prompts and single:
        return [f"<em>{_esc(single)}</em>"]
    shown = []
    for prompt in prompts if isinstance(prompts, Iterable) else ():
        text = _text(_get(prompt, "text"))
        if text is None:
            continue
        details = []
        strength = _number(_get(prompt, "strength"))
        if strength is not None:
            details.append(f"strength {strength:g}")
        start, end = (
            _number(_get(prompt, "start_s")),
            _number(_get(prompt, "end_s")),
        )
        if start is not None and end is not None:
            details.append(f"{start:g}-{end:g} s")
        shown.append(f"<em>{_esc(text)}</em>" + (f" ({', '.join(details)})" if details else ""))
    return shown


def _timed_words(words: object) -> list[str]:
    """Each sung word with its start time above it (a ``<ruby>`` annotation), escaped."""
    shown = []
    for word in words if isinstance(words, Iterable) and not isinstance(words, str) else ():
        text = _text(_get(word, "text"))
        if text is None:
            continue
        start = _number(_get(word, "start_s"))  # first generation
        if start is None:
            start = _number(_get(word, "start"))  # second generation
        clock = _clock(start) if start is not None and start >= 0 else "?"
        shown.append(f"<ruby{_WORD_STYLE}>{_esc(text)}<rt{_TIME_STYLE}>{clock}</rt></ruby>")
    return shown
