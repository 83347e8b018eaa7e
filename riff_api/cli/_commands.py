"""The commands of ``riff``: a song, batch, models, serve.

Every check that can fail without the service (formats, files, lyrics, jobs) is made
before the first request, so a typo never costs a generation. Nothing here prints an error
or exits: it raises, and ``riff_api.cli._main.run`` alone decides what the user reads.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

import pydantic

from riff_api._audio import FORMATS, write_atomic
from riff_api._batch import BatchProgress, BatchReport, Job, JobFileError, batch, parse_jobs
from riff_api._exceptions import BatchStorageError
from riff_api._fields import build_request
from riff_api._models import AudioResponse
from riff_api.cli._environment import Environment, open_client
from riff_api.cli._exit import ExitStatus, UsageError
from riff_api.cli._fields import field_values
from riff_api.cli._options import SONG_COMMANDS, SongCommand
from riff_api.cli._output import (
    ProgressBar,
    Spinner,
    describe_path,
    dump_json,
    format_song,
    song_json,
)
from riff_api.cli._status import describe_error

__all__ = ["dispatch", "run_batch", "run_models", "run_serve", "run_song"]

_STDOUT = "-"


def resolve_output(
    output: str | None, audio_format: str | None, cwd: Path, formats: Sequence[str] = FORMATS
) -> tuple[str | None, Path | None]:
    """The audio format asked for (None: the service's default) and the file to write.

    The file is None for stdout or a name made from the song id. ``--format`` and the
    extension of ``-o`` must agree, and the extension must be a format: the client would
    refuse anything else, so it is refused here, before any request.
    """
    if output is None or output == _STDOUT:
        return audio_format, None
    path = cwd / Path(output).expanduser()
    if path.is_dir():
        raise UsageError(f"{output!r} is a folder; give a file name")
    extension = path.suffix.lower().lstrip(".")
    if extension in formats:
        if audio_format is not None and audio_format != extension:
            raise UsageError(
                f"--format {audio_format} does not match {output!r}: name a .{audio_format} "
                f"file, or leave out --format"
            )
        audio_format = extension
    elif audio_format is not None:
        raise UsageError(f"{output!r} must end in .{audio_format} to hold {audio_format} audio")
    else:
        names = [f".{name}" for name in formats]
        listed = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
        raise UsageError(
            f"cannot tell the audio format from {output!r}: name a {listed} file, or pass --format"
        )
    if not path.parent.is_dir():
        raise UsageError(f"the folder of {output!r} does not exist")
    return audio_format, path


def _read_text(name: str, env: Environment, *, what: str) -> str:
    """A file named on the command line ("-": stdin), from the working folder, as UTF-8."""
    try:
        if name == "-":
            return env.stdin.read()
        return (env.cwd / Path(name).expanduser()).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UsageError(f"cannot read {what} {name!r}: {reason}") from None


def _read_lyrics(args: argparse.Namespace, env: Environment) -> str | None:
    if args.lyrics is not None:
        text: str = args.lyrics
    elif args.lyrics_file is None:
        return None
    else:
        text = _read_text(args.lyrics_file, env, what="lyrics file")
    if not text.strip():
        raise UsageError("the lyrics are empty; leave them out for an instrumental")
    return text.strip("\n")


def _default_name(song: AudioResponse, audio_format: str) -> str:
    # The id comes from the service: keep it from naming a path elsewhere.
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", str(getattr(song, "id", ""))).lstrip(".")[:100] or "song"
    return f"{stem}.{audio_format}"


def _song_request(
    command: SongCommand, args: argparse.Namespace, env: Environment, audio_format: str | None
) -> pydantic.BaseModel:
    """The request of a song command: its hand-made options, then one option per field."""
    model = command.operation.request_model
    assert model is not None
    values: dict[str, Any] = {}
    if command.positional is not None:
        values[command.positional[0]] = getattr(args, command.positional[0])
    for name in ("prompts", "sound_prompts"):  # --prompt and --sound-prompt
        if name in command.hand_made:
            values[name] = args.prompts
    if "lyrics" in command.hand_made:
        lyrics = _read_lyrics(args, env)
        if lyrics is not None:
            values["lyrics"] = lyrics
    if audio_format is not None:
        values["audio_format"] = audio_format
    values.update(field_values(args, model.model_fields))
    return build_request(model, values, caller=f"riff {command.name}")


def _audio_format(request: pydantic.BaseModel) -> str:
    return str(getattr(request, "audio_format", "audio"))


def run_song(command: SongCommand, args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``riff topic``, ``riff riff``, ...: make one song, save it, print it."""
    audio_format, path = resolve_output(args.output, args.format, env.cwd, command.formats())
    request = _song_request(command, args, env, audio_format)
    to_stdout = args.output == _STDOUT
    if to_stdout and env.stdout_isatty:
        # As curl does: megabytes of audio would garble the terminal, and nobody meant that.
        raise UsageError(
            "-o - would write binary audio onto the terminal; redirect it "
            "(riff ... -o - > song.wav) or name a file with -o"
        )

    async def send() -> AudioResponse:
        async with open_client(args, env) as client:
            song: AudioResponse = await client.request(command.operation, request, save_to=path)
            return song

    started = time.monotonic()
    with Spinner(env.stderr, "making the song…", enabled=env.draws_progress):
        song = asyncio.run(send())
    elapsed = time.monotonic() - started
    fmt = _audio_format(request)
    if to_stdout:
        stream = env.binary_stdout()
        stream.write(song.audio_bytes)
        stream.flush()
        file = None
    else:
        if path is None:
            path = write_atomic(env.cwd / _default_name(song, fmt), song.audio_bytes)
        file = describe_path(path, env.cwd)
    # When stdout carries the audio, the words go to stderr.
    text_out: TextIO = env.stderr if to_stdout else env.stdout
    if args.json:
        dump_json(song_json(song, file=file, audio_format=fmt), text_out)
    else:
        text_out.write(format_song(song, file=file, audio_format=fmt, elapsed_s=elapsed))
        text_out.flush()
    return ExitStatus.OK


def run_models(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``riff models``: the models the key may use, one per line (or a JSON array)."""

    async def fetch() -> list[str]:
        async with open_client(args, env) as client:
            return await client.models()

    names = asyncio.run(fetch())
    if args.json:
        dump_json(names, env.stdout)
    else:
        env.stdout.write("".join(f"{name}\n" for name in names))
        env.stdout.flush()
    return ExitStatus.OK


def run_serve(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``riff serve``: the emulator over HTTP until Ctrl-C (its options are its own)."""
    from riff_api.emulator import serve_from_args

    code = serve_from_args(args)
    return ExitStatus(code) if code in ExitStatus._value2member_map_ else ExitStatus.ERROR


def _read_jobs(args: argparse.Namespace, env: Environment) -> list[Job]:
    source = "stdin" if args.jobs == "-" else args.jobs
    lines = _read_text(args.jobs, env, what="the jobs file").splitlines()
    try:
        jobs = parse_jobs(lines, audio_format=args.format, source=source)
    except JobFileError as exc:
        raise UsageError(str(exc)) from None
    if not jobs:
        raise UsageError(f"{source} holds no jobs (one JSON object per line)")
    return jobs


def _print_report(report: BatchReport, env: Environment) -> None:
    out = env.stdout
    where = describe_path(report.manifest, env.cwd)
    out.write(
        f"{len(report.results)} job(s): {report.count('ok')} made, "
        f"{report.count('skipped')} already done, {report.count('failed')} failed "
        f"in {report.elapsed_s:.1f} s; manifest {where}\n"
    )
    for failure in report.failures:
        out.write(f"  failed  {failure.job_id}  {failure.error_type}: {failure.error_message}\n")
    out.flush()


def run_batch(args: argparse.Namespace, env: Environment) -> ExitStatus:
    """``riff batch JOBS.jsonl --out-dir DIR``: many songs, resumably."""
    jobs = _read_jobs(args, env)
    out_dir = env.cwd / Path(args.out_dir).expanduser()
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out-dir {args.out_dir!r} is a file, not a folder")
    bar = ProgressBar(env.stderr, total=len(jobs), enabled=env.draws_progress)

    def progress(state: BatchProgress) -> None:
        bar.update(done=state.done, failed=state.failed, skipped=state.skipped)

    async def go() -> BatchReport:
        async with open_client(args, env) as client:
            return await batch(
                jobs,
                client=client,
                out_dir=out_dir,
                concurrency=args.concurrency,
                on_progress=progress,
            )

    stopped: BatchStorageError | None = None
    with bar:
        try:
            report = asyncio.run(go())
        except BatchStorageError as exc:
            if exc.report is None:
                raise
            stopped, report = exc, exc.report  # what was made and recorded before it stopped
    if args.json:
        dump_json(report.to_json(), env.stdout)
    else:
        _print_report(report, env)
    if stopped is not None:
        raise stopped  # its line and status come from describe_error, as any error's
    if report.fatal_error is not None:
        status, message = describe_error(report.fatal_error, "batch")
        env.stderr.write(f"riff: error: stopped early: {message}\n")
        return status
    return ExitStatus.ERROR if report.count("failed") else ExitStatus.OK


_COMMANDS: dict[str, Callable[[argparse.Namespace, Environment], ExitStatus]] = {
    "models": run_models,
    "serve": run_serve,
    "batch": run_batch,
}


def dispatch(command: str, args: argparse.Namespace, env: Environment) -> ExitStatus:
    """Run the parsed ``command``."""
    if command in SONG_COMMANDS:
        return run_song(SONG_COMMANDS[command], args, env)
    return _COMMANDS[command](args, env)
