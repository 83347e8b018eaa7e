"""Audio bytes: decoding the base64 the service sends, and saving files atomically."""

from __future__ import annotations

import binascii
import contextlib
import os
import tempfile
from pathlib import Path

import pybase64

from riff_api._defaults import FORMATS as _FORMATS
from riff_api._exceptions import AudioSaveError
from riff_api._types import AudioFormat, PathLike

__all__ = [
    "FORMATS",
    "check_audio_path",
    "check_save_to",
    "decode_audio",
    "remove_partial_files",
    "sniff_format",
    "write_atomic",
]

FORMATS: tuple[AudioFormat, ...] = _FORMATS

# Read once: os.umask can only be read by setting it, which is not thread-safe later on.
_UMASK = os.umask(0)
os.umask(_UMASK)


def decode_audio(audio_b64: str | bytes | memoryview) -> bytes:
    """Decode base64 audio strictly (SIMD-accelerated); raise ValueError on any bad character."""
    try:
        # validate=True: a stray character means a corrupt body, not something to skip over.
        return pybase64.b64decode(audio_b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"audio_b64 is not valid base64: {exc}") from None


def sniff_format(data: bytes) -> AudioFormat | None:
    """The container format of audio bytes, from their first bytes; None if unknown."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[4:8] == b"ftyp":
        return "m4a"
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def check_save_to(save_to: PathLike | None, audio_format: str) -> Path | None:
    """Check, before any request, that ``save_to`` names a file of the requested format."""
    return None if save_to is None else check_audio_path(save_to, audio_format, requested=True)


def check_audio_path(path: PathLike, audio_format: str | None, *, requested: bool = False) -> Path:
    """``path`` as a Path, if its extension is ``audio_format`` (any, when that is None).

    A ``.mp3`` name for wav audio would make a file that players refuse or misread.
    ``requested``: the format is the one a request asks for (``save_to=``), not the audio's.
    """
    target = Path(path)
    name = f"save_to {str(target)!r}" if requested else repr(str(target))
    suffix = target.suffix.lower().lstrip(".")
    if audio_format is not None and suffix != audio_format:
        if suffix not in FORMATS:
            raise ValueError(
                f"{name} must end in '.{audio_format}' to match audio_format={audio_format!r}."
            )
        if requested:
            raise ValueError(
                f"{name} has extension .{suffix}, but the requested audio_format is "
                f"{audio_format!r}: use a '.{audio_format}' file or pass audio_format={suffix!r}."
            )
        raise ValueError(
            f"{name} has extension .{suffix}, but the audio is {audio_format}: "
            f"name a '.{audio_format}' file."
        )
    if target.is_dir():
        raise ValueError(f"{name} is a directory, not a file name.")
    return target


#: The end of write_atomic's temporary file names: ".<file name>.<random><_PART>".
_PART = ".part"


def remove_partial_files(folder: Path, names: set[str]) -> None:
    """Remove what ``write_atomic`` left in ``folder`` for these file names when killed.

    A process killed mid-write (SIGKILL, power cut) cannot clean up after itself.
    """
    for stale in folder.glob(f".*{_PART}"):
        if stale.name[1:].removesuffix(_PART).rsplit(".", 1)[0] in names:
            stale.unlink(missing_ok=True)


def write_atomic(path: PathLike, data: bytes | bytearray | memoryview) -> Path:
    """Write ``data`` to ``path`` so that the file is either complete or absent.

    The bytes go to a temporary file in the same folder (same file system, so the rename is
    atomic), are flushed to disk, and only then renamed over ``path``. Any failure removes the
    temporary file and raises AudioSaveError; an existing file at ``path`` is left untouched.
    """
    target = Path(path)
    folder = target.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=_PART, dir=folder)
    except OSError as exc:
        raise AudioSaveError(exc.errno, f"cannot write to {str(folder)!r}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); a saved song should get the usual mode.
        os.chmod(tmp_name, 0o666 & ~_UMASK)
        os.replace(tmp_name, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise AudioSaveError(exc.errno, f"cannot save {str(target)!r}: {exc.strerror}") from exc
        raise
    return target
