"""Running ``riff``: parse the command line, dispatch it, turn any failure into a status and a line.

Parsing loads only argparse and the option tables, so ``riff --help`` and usage errors are
quick; the command's module, and with it httpx, pydantic and the generated code, loads once
a command is known to run.
"""

from __future__ import annotations

import argparse
import contextlib
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING

from riff_api._logging import LOG_ENV
from riff_api.cli._environment import missing_emulator
from riff_api.cli._exit import ExitStatus, UsageError
from riff_api.cli._options import build_parser, wanted_command

if TYPE_CHECKING:
    from riff_api.cli._environment import Environment

__all__ = ["run"]


def _parser_for(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The parser, with the emulator's options only when the command is ``serve``.

    They come from riff_api.emulator, whose numpy and PyAV imports would slow every other
    command down for nothing.
    """
    wanted = wanted_command(argv)
    if wanted != "serve":
        return build_parser(wanted=wanted)
    try:
        from riff_api.emulator import add_serve_arguments
    except ImportError as exc:
        raise UsageError(missing_emulator("riff serve", exc)) from None
    return build_parser(serve_arguments=add_serve_arguments)


def _parse(argv: Sequence[str], env: Environment) -> argparse.Namespace | int:
    """The parsed arguments, or the status argparse wanted to exit with (help, usage)."""
    parser = _parser_for(argv)
    # argparse prints straight to sys.stdout/sys.stderr and exits; point it at our streams
    # and keep the status instead of leaving the process.
    with contextlib.redirect_stdout(env.stdout), contextlib.redirect_stderr(env.stderr):
        try:
            return parser.parse_args(list(argv))
        except SystemExit as exit_:
            code = exit_.code
            return code if isinstance(code, int) else ExitStatus.USAGE


def run(argv: Sequence[str], env: Environment) -> ExitStatus:
    """Run one ``riff`` command line in ``env`` and return its exit status."""
    command = None
    try:
        parsed = _parse(argv, env)
        if isinstance(parsed, int):
            return ExitStatus.OK if parsed == 0 else ExitStatus.USAGE
        command = parsed.command
        from riff_api.cli._commands import dispatch  # the clients load here, not for --help

        return dispatch(command, parsed, env)
    except (Exception, KeyboardInterrupt) as exc:
        from riff_api.cli._status import describe_error

        status, message = describe_error(exc, command)
        if status is ExitStatus.INTERRUPTED:
            hint = "; run the same command again to resume" if command == "batch" else ""
            env.stderr.write(f"\nriff: interrupted{hint}\n")
        else:
            if status is ExitStatus.ERROR and env.environ.get(LOG_ENV, "").lower() == "debug":
                # An unexpected error is one line for users, a traceback for whoever debugs.
                traceback.print_exception(exc, file=env.stderr)
            env.stderr.write(f"riff: error: {message}\n")
        env.stderr.flush()
        return status
