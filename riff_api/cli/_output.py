"""What ``riff`` prints: a song for people or as JSON, a spinner, a batch progress bar.

Animations go to stderr and only when it is a terminal, so piped output stays clean.
"""

from __future__ import annotations

import abc
import json
import re
import textwrap
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from riff_api._models import AudioResponse

__all__ = [
    "ProgressBar",
    "Spinner",
    "describe_path",
    "dump_json",
    "format_song",
    "song_json",
    "timed_lines",
]

_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_TICK_S = 0.1
_TAG = re.compile(r"^\s*\[[^\]]*\]\s*$")


def song_json(song: AudioResponse, *, file: str | None, audio_format: str) -> dict[str, Any]:
    """The answer as a JSON-ready dict, with the audio replaced by its size and file name."""
    data = song.model_dump(mode="json", exclude={"audio_b64"})
    return {
        "id": data.pop("id"),
        "file": file,
        "audio_format": audio_format,
        "audio_bytes": len(song.audio_bytes),
        **data,
    }


def word_start(word: Any) -> float:
    """When a timestamped word starts: ``start_s`` (first generation) or ``start`` (second)."""
    start = getattr(word, "start_s", None)
    return float(start if start is not None else word.start)


def timed_lines(lyrics: str, words: Sequence[Any]) -> list[tuple[float | None, str]]:
    """Each lyric line with the start of its first sung word (None for tags and blank lines).

    The service times words, not lines; a line's words are taken in order from the timed
    words. If the counts disagree (the service split words differently) there is no safe
    alignment, and an empty list says so.
    """
    lines: list[tuple[float | None, str]] = []
    index = 0
    for line in lyrics.splitlines():
        tokens = line.split()
        if not tokens or _TAG.match(line):
            lines.append((None, line))
            continue
        if index + len(tokens) > len(words):
            return []
        lines.append((word_start(words[index]), line))
        index += len(tokens)
    return lines if index == len(words) else []


def _size(n: int) -> str:
    if n < 1000:
        return f"{n} B"
    if n < 1_000_000:
        return f"{n / 1e3:.0f} kB"
    return f"{n / 1e6:.1f} MB"


def _prompt_line(prompt: Any) -> str:
    if isinstance(prompt, str):  # a second-generation song's one sound prompt
        return prompt
    if getattr(prompt, "start_s", None) is None:
        return f"{prompt.text}  (strength {prompt.strength:g})"
    return f"{prompt.text}  (strength {prompt.strength:g}, {prompt.start_s:g}–{prompt.end_s:g} s)"


def _prompts_of(song: Any) -> list[Any]:
    for name in ("prompts", "sound_prompts"):
        found = getattr(song, name, None)
        if found is not None:
            return list(found)
    one = getattr(song, "sound_prompt", None)
    return [one] if one else []


def format_song(
    song: AudioResponse, *, file: str | None, audio_format: str, elapsed_s: float
) -> str:
    """The song as people read it: id, file, prompts, and lyrics with each line's start time."""
    where = file if file is not None else "stdout"
    fields: Any = song  # the fields differ between the API's generations
    out = [f"id       {fields.id}"]
    if getattr(fields, "title", None):
        out.append(f"title    {fields.title}")
    out.append(
        f"audio    {where} ({_size(len(song.audio_bytes))} {audio_format}, {elapsed_s:.1f} s)"
    )
    for n, prompt in enumerate(_prompts_of(fields)):
        out.append(f"{'prompts' if n == 0 else '':8} {_prompt_line(prompt)}")
    lyrics: str | None = fields.lyrics
    if not lyrics:
        out.append("lyrics   (instrumental)")
        return "\n".join(out) + "\n"
    out.append("lyrics")
    words = fields.timestamped_lyrics or []
    aligned = timed_lines(lyrics, words) if words else []
    if aligned:
        for start, line in aligned:
            stamp = f"{start:6.2f}s" if start is not None else " " * 7
            out.append(f"  {stamp}  {line.strip()}" if line.strip() else "")
    else:
        out.extend(f"  {line}" for line in lyrics.splitlines())
        if words:
            out.append("words")
            stamped = "  ".join(f"{word_start(w):.2f} {w.text}" for w in words)
            out.extend(textwrap.wrap(stamped, 96, initial_indent="  ", subsequent_indent="  "))
    return "\n".join(out) + "\n"


def dump_json(data: object, stream: TextIO) -> None:
    """Pretty JSON and a newline, as every ``--json`` prints it."""
    stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    stream.flush()


class _Ticker(abc.ABC):
    """A line on a terminal redrawn every tick by a daemon thread; inert when ``enabled`` is off."""

    def __init__(self, stream: TextIO, *, enabled: bool) -> None:
        self._stream = stream
        self._enabled = enabled
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._frame = 0

    @property
    def elapsed_s(self) -> float:
        return time.monotonic() - self._started

    @abc.abstractmethod
    def render(self, frame: str) -> str:
        """The line to show, without the carriage return."""

    def _draw(self) -> None:
        with self._lock:
            frame = _FRAMES[self._frame % len(_FRAMES)]
            self._frame += 1
            # \r then clear-to-end-of-line: a shorter line must not leave the longer one's tail.
            self._stream.write("\r" + self.render(frame) + "\x1b[K")
            self._stream.flush()

    def _run(self) -> None:
        while not self._stop.wait(_TICK_S):
            self._draw()

    def __enter__(self) -> _Ticker:
        if self._enabled:
            self._draw()
            self._thread = threading.Thread(target=self._run, name="riff-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        with self._lock:
            self._stream.write("\r\x1b[K")
            self._stream.flush()


class Spinner(_Ticker):
    """``⠋ waiting for the song… 3.2 s`` on stderr while a request runs."""

    def __init__(self, stream: TextIO, label: str, *, enabled: bool) -> None:
        super().__init__(stream, enabled=enabled)
        self._label = label

    def render(self, frame: str) -> str:
        return f"{frame} {self._label} {self.elapsed_s:.1f} s"


class ProgressBar(_Ticker):
    """``[#####-----] 32/64 · 1 failed · 3.2 songs/s · 10 s`` on stderr while a batch runs."""

    _WIDTH = 24

    def __init__(self, stream: TextIO, *, total: int, enabled: bool) -> None:
        super().__init__(stream, enabled=enabled)
        self.total = total
        self.done = 0
        self.failed = 0
        self.skipped = 0

    def update(self, *, done: int, failed: int, skipped: int) -> None:
        """Take new counts; drawn at once when the batch is complete, else on the next tick."""
        with self._lock:
            self.done, self.failed, self.skipped = done, failed, skipped
        if self._thread is not None and done + failed + skipped == self.total:
            self._draw()

    def render(self, frame: str) -> str:
        finished = self.done + self.failed + self.skipped
        filled = round(self._WIDTH * finished / self.total) if self.total else 0
        bar = "#" * filled + "-" * (self._WIDTH - filled)
        elapsed = self.elapsed_s
        made = self.done + self.failed
        rate = f"{made / elapsed:.1f} songs/s" if elapsed > 0 and made else "starting"
        parts = [f"{frame} [{bar}] {finished}/{self.total}"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.skipped:
            parts.append(f"{self.skipped} already done")
        parts += [rate, f"{elapsed:.0f} s"]
        return " · ".join(parts)


def describe_path(path: Path, cwd: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)
