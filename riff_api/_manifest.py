"""The manifest of a batch: one JSON line per finished job, in ``<out_dir>/manifest.jsonl``.

Each line is appended with one ``write`` call, so lines never interleave, and a kill leaves
at most a torn last line, which reading ignores and the next run does not extend. A line
that cannot be written whole (disk full, read-only folder) is cut off again and raises
``BatchStorageError``: the manifest never keeps a torn line of its own making.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from riff_api._exceptions import BatchStorageError
from riff_api._types import PathLike

__all__ = ["MANIFEST_NAME", "JobResult", "Manifest", "read_manifest", "storage_error"]

MANIFEST_NAME = "manifest.jsonl"


@dataclass(frozen=True)
class JobResult:
    """How one job ended: ``ok`` (made now), ``failed``, or ``skipped`` (made by an earlier run)."""

    job_id: str
    status: Literal["ok", "failed", "skipped"]
    #: The audio file's name inside the output folder.
    file: str | None = None
    song_id: str | None = None
    audio_bytes: int | None = None
    lyrics: str | None = None
    #: ``[{"text": ..., "start_s": ...}, ...]`` as the service sent them.
    timestamped_lyrics: list[dict[str, Any]] | None = None
    error_type: str | None = None
    error_message: str | None = None
    status_code: int | None = None
    attempts: int = 0
    elapsed_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """The manifest line's fields."""
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> JobResult | None:
        """A result from a manifest line, or None if the line is not one."""
        if not isinstance(data, dict) or not isinstance(data.get("job_id"), str):
            return None
        if data.get("status") not in ("ok", "failed"):
            return None
        names = {f.name for f in dataclasses.fields(cls)}
        try:
            return cls(**{k: v for k, v in data.items() if k in names})
        except TypeError:
            return None


def read_manifest(path: PathLike) -> dict[str, JobResult]:
    """The latest result of each job in a manifest; unreadable (e.g. torn) lines are ignored."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return {}
    results: dict[str, JobResult] = {}
    for line in raw.splitlines():
        try:
            result = JobResult.from_json(json.loads(line))
        except ValueError:
            continue  # a line cut short by a kill, or not ours
        if result is not None:
            results[result.job_id] = result
    return results


class Manifest:
    """Appends result lines, each whole or not at all, so lines never interleave or tear.

    Any failure to write is a BatchStorageError, and leaves the file as it was before.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        try:
            self._fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
        except OSError as exc:
            raise storage_error(exc, f"cannot write the manifest {str(path)!r}") from exc
        try:
            size = os.fstat(self._fd).st_size
            # A line torn by a kill has no newline: start a fresh line rather than extend it.
            if size and os.pread(self._fd, 1, size - 1) != b"\n":
                self._write(b"\n")
        except BaseException:
            os.close(self._fd)
            raise

    def append(self, result: JobResult) -> None:
        line = json.dumps(result.to_json(), ensure_ascii=False, separators=(",", ":"))
        self._write(line.encode() + b"\n")

    def _write(self, data: bytes) -> None:
        where = f"cannot add to the manifest {str(self._path)!r}"
        try:
            size = os.fstat(self._fd).st_size
        except OSError as exc:
            raise storage_error(exc, where) from exc
        try:
            done = os.write(self._fd, data)
            while done < len(data):  # a short write: the rest, or the reason it cannot go
                done += os.write(self._fd, data[done:])
        except OSError as exc:
            # Cut off the part of the line that went in, so no torn line is left behind.
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, size)
            raise storage_error(exc, where) from exc

    def close(self) -> None:
        os.close(self._fd)


def storage_error(exc: OSError, where: str) -> BatchStorageError:
    """The BatchStorageError of an OSError met ``where`` (a phrase naming the file)."""
    reason = exc.strerror or str(exc)
    return BatchStorageError(exc.errno or errno.EIO, f"{where}: {reason}; the batch stopped")
