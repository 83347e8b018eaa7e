"""Many songs at once: bounded concurrency, one file per job, a manifest that makes runs resumable.

    jobs = riff_api.read_jobs("jobs.jsonl")
    async with riff_api.AsyncRiffusion() as client:
        report = await riff_api.batch(jobs, client=client, out_dir="songs", concurrency=16)

Each finished job appends one JSON line to ``<out_dir>/manifest.jsonl`` (written in one
``write`` call, so a kill leaves at most a torn last line, which reading ignores). Its audio
goes to ``<out_dir>/<job id>.<format>`` through ``write_atomic``, always before its manifest
line, so a line saying ``ok`` means the file is complete. Running again skips those jobs.

When results can no longer be kept (the disk is full, the folder read-only), the run stops
taking jobs: those in flight finish, then ``batch`` raises ``BatchStorageError``. The
manifest itself is ``riff_api._manifest``'s.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import pydantic

from riff_api._audio import remove_partial_files, write_atomic
from riff_api._client import AsyncRiffusion
from riff_api._exceptions import (
    APIError,
    APIStatusError,
    AudioSaveError,
    AuthenticationError,
    BatchStorageError,
    NotFoundError,
    PermissionDeniedError,
    RiffusionError,
    describe_validation,
)
from riff_api._fields import build_request
from riff_api._manifest import MANIFEST_NAME, JobResult, Manifest, read_manifest, storage_error
from riff_api._operations import OPERATIONS, Operation, operation_for_request
from riff_api._types import AudioFormat, PathLike

__all__ = [
    "MANIFEST_NAME",
    "BatchProgress",
    "BatchReport",
    "Job",
    "JobFileError",
    "JobResult",
    "batch",
    "parse_jobs",
    "read_jobs",
    "read_manifest",
]

#: A job id becomes a file name: letters, digits, dot, dash, underscore; no leading dot.
_JOB_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")
#: Errors every later job would hit too: going on would only repeat them.
_FATAL = (AuthenticationError, PermissionDeniedError, NotFoundError)
#: An audio file that could not be saved for one of these reasons: no later one will be.
_STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})


class JobFileError(RiffusionError, ValueError):
    """A line of a jobs file is not a valid job; the message names the line."""


@dataclass(frozen=True)
class Job:
    """One song to make: a job id (also its file name) and the request model to send."""

    id: str
    request: pydantic.BaseModel

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _JOB_ID.fullmatch(self.id):
            raise ValueError(
                f"job id {self.id!r} must be 1-128 letters, digits, '.', '-' or '_' "
                "(it becomes a file name)"
            )
        operation = operation_for_request(self.request)
        if not operation.carries_audio:
            raise ValueError(f"a job must make a song; {operation.id} answers no audio")

    @property
    def operation(self) -> Operation[Any, Any]:
        """The operation the job's request is for."""
        return operation_for_request(self.request)

    @property
    def file_name(self) -> str:
        """The audio file's name in the output folder."""
        return f"{self.id}.{getattr(self.request, 'audio_format', 'audio')}"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, audio_format: AudioFormat | None = None) -> Job:
        """A job from one decoded JSONL line; ``audio_format`` applies when the line has none.

        The line's fields are those of one song-making operation's request model, which its
        required fields tell (``topic``, ``prompts``, ...) or an ``"operation"`` key names;
        every field of that model may be given. Without an ``"id"``, the id is a hash of the
        request (defaults filled in), so it is the same on every run and for every spelling of
        the same line.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"a job must be a JSON object, got {type(data).__name__}")
        fields = {k: v for k, v in data.items() if k not in ("id", "operation")}
        operation = _operation_of(fields, data.get("operation"))
        model = operation.request_model
        assert model is not None
        if audio_format is not None and "audio_format" in model.model_fields:
            fields.setdefault("audio_format", audio_format)
        request = _request_from(model, fields)
        job_id = data.get("id")
        if job_id is None:
            canonical = json.dumps([operation.id, request.model_dump(mode="json")], sort_keys=True)
            job_id = hashlib.sha256(canonical.encode()).hexdigest()[:16]
        return cls(id=job_id, request=request)


def _song_operations() -> list[tuple[Operation[Any, Any], frozenset[str]]]:
    """Each song-making operation with the required fields of its request model."""
    found = []
    for operation in OPERATIONS.values():
        model = operation.request_model
        if operation.carries_audio and model is not None:
            required = frozenset(n for n, f in model.model_fields.items() if f.is_required())
            if required:  # a model needing nothing could not be told apart from the others
                found.append((operation, required))
    return found


def _operation_of(fields: Mapping[str, Any], named: object = None) -> Operation[Any, Any]:
    """The operation a line names (``"operation": id``), else the one whose required fields
    it has: two operations with the same required fields are told apart only by name."""
    options = _song_operations()
    if named is not None:
        found = next((o for o, _ in options if o.id == named), None)
        if found is None:
            ids = ", ".join(repr(o.id) for o, _ in options)
            raise ValueError(f'"operation" {named!r} is not a song-making operation: {ids}')
        return found
    matches = [operation for operation, required in options if required <= fields.keys()]
    if len(matches) == 1:
        return matches[0]
    kinds = " or ".join(
        " and ".join(f'"{name}"' for name in sorted(required)) for _, required in options
    )
    if not matches:
        raise ValueError(f"a job needs either {kinds}")
    names = ", ".join(repr(o.id) for o in matches)
    raise ValueError(
        f'a job needs either {kinds}, not several of them (or says which: "operation": '
        f"one of {names})"
    )


def _request_from(model: type[pydantic.BaseModel], fields: dict[str, Any]) -> pydantic.BaseModel:
    unknown = sorted(set(fields) - set(model.model_fields))
    if unknown:
        allowed = ", ".join(map(repr, ["id", *model.model_fields]))
        raise ValueError(
            f"unknown key(s) {', '.join(map(repr, unknown))}; allowed for "
            f"{model.__name__}: {allowed}"
        )
    try:
        return build_request(model, fields, caller="job")
    except TypeError as exc:
        raise ValueError(str(exc)) from None
    except pydantic.ValidationError as exc:
        raise ValueError(describe_validation(exc, root="value", limit=3)) from None


def parse_jobs(
    lines: Iterable[str], *, audio_format: AudioFormat | None = None, source: str = "jobs"
) -> list[Job]:
    """Jobs from JSONL lines (blank lines skipped); a bad line raises JobFileError naming it.

    Identical lines without an id would get the same id; the repeats get ``-2``, ``-3``...
    so each still makes its own song. Two lines with the same explicit id are an error.
    """
    jobs: list[Job] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            job = Job.from_dict(data, audio_format=audio_format)
        except ValueError as exc:  # json.JSONDecodeError is a ValueError too
            raise JobFileError(f"{source}, line {number}: {exc}") from None
        if job.id in seen:
            if isinstance(data, Mapping) and "id" in data:
                raise JobFileError(f"{source}, line {number}: job id {job.id!r} is used twice")
            repeat = 2
            while f"{job.id}-{repeat}" in seen:
                repeat += 1
            job = dataclasses.replace(job, id=f"{job.id}-{repeat}")
        seen.add(job.id)
        jobs.append(job)
    return jobs


def read_jobs(path: PathLike, *, audio_format: AudioFormat | None = None) -> list[Job]:
    """The jobs of a JSONL file; see ``parse_jobs``."""
    with open(path, encoding="utf-8") as fh:
        return parse_jobs(fh, audio_format=audio_format, source=str(path))


@dataclass(frozen=True)
class BatchProgress:
    """Counts so far, passed to ``on_progress`` after each job (and once at the start)."""

    total: int
    done: int
    failed: int
    skipped: int
    elapsed_s: float
    last: JobResult | None


@dataclass(frozen=True)
class BatchReport:
    """The outcome of a batch: one result per job, in the jobs' order."""

    out_dir: Path
    manifest: Path
    results: list[JobResult]
    elapsed_s: float
    #: Set when the batch stopped early on an error every job would hit (401, 403, 404);
    #: the jobs not started then have no result and run on the next try.
    fatal_error: APIError | None = None

    def count(self, status: str) -> int:
        """How many jobs ended with this status."""
        return sum(1 for r in self.results if r.status == status)

    @property
    def failures(self) -> list[JobResult]:
        """The jobs that failed in this run."""
        return [r for r in self.results if r.status == "failed"]

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "out_dir": str(self.out_dir),
            "manifest": str(self.manifest),
            "ok": self.count("ok"),
            "failed": self.count("failed"),
            "skipped": self.count("skipped"),
            "elapsed_s": round(self.elapsed_s, 3),
            "stopped_by": str(self.fatal_error) if self.fatal_error else None,
            "results": [r.to_json() for r in self.results],
        }


def _already_done(out_dir: Path, job: Job, previous: JobResult | None) -> bool:
    if previous is None or previous.status != "ok" or previous.file != job.file_name:
        return False
    try:
        return (out_dir / job.file_name).stat().st_size == previous.audio_bytes
    except OSError:
        return False


def _finished_before(out_dir: Path, jobs: list[Job]) -> dict[str, JobResult]:
    """Create the output folder; the jobs an earlier run finished, as ``skipped`` results.

    Also removes the temporary files that a killed run (SIGKILL, power cut: nothing that
    lets ``write_atomic`` clean up) left behind for the jobs about to run again.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise storage_error(exc, f"cannot make the folder {str(out_dir)!r}") from exc
    previous = read_manifest(out_dir / MANIFEST_NAME)
    done = {
        job.id: dataclasses.replace(previous[job.id], status="skipped")
        for job in jobs
        if _already_done(out_dir, job, previous.get(job.id))
    }
    remove_partial_files(out_dir, {job.file_name for job in jobs if job.id not in done})
    return done


async def _run_job(
    client: AsyncRiffusion, job: Job, out_dir: Path
) -> tuple[JobResult, APIError | AudioSaveError | None]:
    """Make one job's song and save it; a failure becomes a result, never an exception.

    Retries are the client's own; it says how many sends a song (or its error) took.
    """
    started = time.monotonic()
    attempts = 0
    try:
        song, attempts = await client._send_counted(job.request)
        # Off the event loop: fsync of a 5 MB file would stall every other job's download.
        await anyio.to_thread.run_sync(write_atomic, out_dir / job.file_name, song.audio_bytes)
    except (APIError, AudioSaveError) as error:
        if isinstance(error, APIError):
            attempts = error.attempts
        failed = JobResult(
            job_id=job.id,
            status="failed",
            error_type=type(error).__name__,
            error_message=str(error),
            status_code=error.status_code if isinstance(error, APIStatusError) else None,
            attempts=attempts,
            elapsed_s=round(time.monotonic() - started, 3),
        )
        return failed, error
    words = song.timestamped_lyrics
    done = JobResult(
        job_id=job.id,
        status="ok",
        file=job.file_name,
        song_id=song.id,
        audio_bytes=len(song.audio_bytes),
        lyrics=song.lyrics,
        timestamped_lyrics=[w.model_dump(mode="json") for w in words] if words else None,
        attempts=attempts,
        elapsed_s=round(time.monotonic() - started, 3),
    )
    return done, None


async def batch(
    jobs: Iterable[Job],
    *,
    client: AsyncRiffusion,
    out_dir: PathLike,
    concurrency: int = 16,
    on_progress: Callable[[BatchProgress], None] | None = None,
) -> BatchReport:
    """Make every job's song with at most ``concurrency`` requests in flight.

    Jobs whose manifest line says ``ok`` and whose file is intact are skipped; a failed job
    is recorded and the others go on; retries follow ``client.max_retries``. Cancelling
    (Ctrl-C) lets a file write under way finish (milliseconds), then stops: it leaves no
    partial audio file and a manifest the next run resumes from. Runs on asyncio or trio.

    Raises ``BatchStorageError`` when results can no longer be kept (the manifest or an
    audio file cannot be written: disk full, read-only folder), once the jobs in flight
    have finished; no job is started after that. Its ``report`` holds the results recorded.
    """
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be a whole number >= 1, got {concurrency!r}")
    job_list = list(jobs)
    ids = [job.id for job in job_list]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise ValueError(f"job id {duplicate!r} is used by more than one job")
    out = Path(out_dir)
    started = time.monotonic()
    results = await anyio.to_thread.run_sync(_finished_before, out, job_list)
    pending = iter([job for job in job_list if job.id not in results])
    counts = {"ok": 0, "failed": 0, "skipped": len(results)}
    fatal: list[APIError] = []
    #: Why results can no longer be kept: once set, no job is started.
    storage: list[BatchStorageError] = []

    def report_progress(last: JobResult | None) -> None:
        if on_progress is not None:
            on_progress(
                BatchProgress(
                    total=len(job_list),
                    done=counts["ok"],
                    failed=counts["failed"],
                    skipped=counts["skipped"],
                    elapsed_s=time.monotonic() - started,
                    last=last,
                )
            )

    manifest_path = out / MANIFEST_NAME
    manifest = Manifest(manifest_path)

    async def worker() -> None:
        # The workers share one iterator, so no job is taken twice; after a fatal error none
        # is taken at all, while the jobs already in flight finish and are recorded.
        while not fatal and not storage:
            job = next(pending, None)
            if job is None:
                return
            result, error = await _run_job(client, job, out)
            try:
                manifest.append(result)
            except BatchStorageError as exc:
                storage.append(exc)
                return
            results[job.id] = result
            counts[result.status] += 1
            report_progress(result)
            if isinstance(error, _FATAL):
                fatal.append(error)
            elif isinstance(error, AudioSaveError) and error.errno in _STORAGE_ERRNOS:
                reason = f"{error.strerror}; the batch stopped"
                storage.append(BatchStorageError(error.errno, reason))

    try:
        report_progress(None)
        async with anyio.create_task_group() as group:
            for _ in range(concurrency):
                group.start_soon(worker)
    finally:
        manifest.close()
    ordered = [results[job.id] for job in job_list if job.id in results]
    report = BatchReport(
        out_dir=out,
        manifest=manifest_path,
        results=ordered,
        elapsed_s=time.monotonic() - started,
        fatal_error=fatal[0] if fatal else None,
    )
    if storage:
        storage[0].report = report
        raise storage[0]
    return report
