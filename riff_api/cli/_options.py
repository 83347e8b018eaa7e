"""The command line of ``riff``: every option, its type and its help, and nothing that runs.

Keeping the definitions apart from the code that acts on them (as httpie does) lets
``riff -h`` be read in one place and lets tests parse without running anything.
"""

from __future__ import annotations

import argparse
import functools
import math
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from riff_api._defaults import (
    API_KEY_ENV,
    API_URL_ENV,
    BASE_URL_ENV,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT_S,
    FORMATS,
)
from riff_api._version import __version__

if TYPE_CHECKING:
    import pydantic

    from riff_api._operations import Operation

# Parsing a command line must stay light (``riff --help`` loads neither httpx nor pydantic):
# the operations, their models and the options made from them load only for the command run.

__all__ = [
    "COMMANDS",
    "SONG_COMMANDS",
    "SongCommand",
    "build_parser",
    "parse_prompt",
    "parse_sound_prompt",
    "wanted_command",
]

_EPILOG = f"""\
examples:
  riff topic "Indie pop banger about my dog Boris" -o boris.wav
  riff riff --prompt "chillstep pop" --prompt "orchestral cellos:3:0:10" --lyrics-file words.txt \\
            --seed 42 -o song.mp3
  riff batch jobs.jsonl --out-dir songs --concurrency 16
  riff serve --port 8000
  riff topic "lo-fi rain" --local          (an in-process emulator: no key, no network)

The API key is read from {API_KEY_ENV} (preferred: --api-key shows in the process list),
the base URL from {BASE_URL_ENV}.
exit status: 0 ok, 1 error, 2 usage, 3 auth, 4 validation, 5 rate limit, 6 server,
             7 connection, 130 interrupted
"""


@functools.cache
def _prompt_parsers() -> tuple[Callable[[str], pydantic.BaseModel], ...]:
    from riff_api._models import Prompt
    from riff_api.cli._prompts import prompt_parser
    from riff_api.types import SoundPrompt

    end = Prompt.model_fields["end_s"].default
    return (
        prompt_parser(Prompt, ("strength", "start_s", "end_s"), song_s=end),
        prompt_parser(SoundPrompt, ("strength",)),
    )


def parse_prompt(value: str) -> pydantic.BaseModel:
    """A first-generation ``Prompt`` from ``TEXT[:STRENGTH[:START:END]]``."""
    return _prompt_parsers()[0](value)


def parse_sound_prompt(value: str) -> pydantic.BaseModel:
    """A second-generation ``SoundPrompt`` from ``TEXT[:STRENGTH]``."""
    return _prompt_parsers()[1](value)


parse_prompt.__name__ = parse_sound_prompt.__name__ = "prompt"  # argparse names the type


def _positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not (math.isfinite(number) and number > 0):
        raise argparse.ArgumentTypeError(f"{value!r} must be a positive number of seconds")
    return number


def _count(minimum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"{value!r} must be at least {minimum}")
        return number

    parse.__name__ = "count"  # argparse names the type in its messages
    return parse


def _service_options() -> argparse.ArgumentParser:
    """Options of every command that talks to the service."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("service")
    group.add_argument(
        "--local",
        action="store_true",
        help="run on an in-process emulator of the service: no API key, no network",
    )
    group.add_argument(
        "--api-key", metavar="KEY", help=f"the API key (default: ${API_KEY_ENV}); never printed"
    )
    group.add_argument(
        "--base-url",
        metavar="URL",
        help=f"the first generation's base URL: topic, riff (default: ${BASE_URL_ENV} or live)",
    )
    group.add_argument(
        "--api-url",
        metavar="URL",
        help="the second generation's base URL: prompt, compose, models "
        f"(default: ${API_URL_ENV} or live)",
    )
    group.add_argument(
        "--timeout",
        type=_positive_float,
        metavar="SECONDS",
        help=f"give up on a request after this long (default {DEFAULT_TIMEOUT_S:g})",
    )
    group.add_argument(
        "--max-retries",
        type=_count(0),
        metavar="N",
        help=f"retries on connection errors, 429 and 5xx (default {DEFAULT_MAX_RETRIES})",
    )
    group.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="allow a plain-http URL on another machine (the key travels in clear)",
    )
    return parent


def _song_options(formats: Sequence[str]) -> argparse.ArgumentParser:
    """Output options of the commands that make one song (``formats``: the allowed ones)."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("output")
    group.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to save the audio ('-' for stdout; default: <song id>.<format> here)",
    )
    group.add_argument(
        "--format",
        choices=formats,
        help=f"audio format (default: from the --output extension, else {formats[0]})",
    )
    group.add_argument(
        "--json",
        action="store_true",
        help="print the answer as JSON (the audio itself left out, its size given)",
    )
    return parent


def _add_lyrics_options(parser: argparse.ArgumentParser) -> None:
    lyrics = parser.add_mutually_exclusive_group()
    lyrics.add_argument("--lyrics", metavar="TEXT", help="the lyrics (none: instrumental)")
    lyrics.add_argument(
        "--lyrics-file", metavar="FILE", help="read the lyrics from a file ('-' for stdin)"
    )


def _add_riff_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-p",
        "--prompt",
        dest="prompts",
        action="append",
        type=parse_prompt,
        required=True,
        metavar="TEXT[:STRENGTH[:START:END]]",
        help='a sound prompt; repeat for several, e.g. --prompt "orchestral cellos:3:0:10" '
        "(strength -3 to 12; write \\: for a colon in the text)",
    )
    _add_lyrics_options(parser)
    _add_no_moderation(parser)


def _add_compose_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-s",
        "--sound-prompt",
        dest="prompts",
        action="append",
        type=parse_sound_prompt,
        required=True,
        metavar="TEXT[:STRENGTH]",
        help='a sound prompt; repeat for several, e.g. --sound-prompt "shimmering synths:0.3" '
        "(strength -1 to 1; write \\: for a colon in the text)",
    )
    _add_lyrics_options(parser)
    _add_no_moderation(parser)


def _add_no_moderation(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-moderation",
        dest="field__moderate_inputs",
        action="store_false",
        default=argparse.SUPPRESS,
        help="the same as --no-moderate-inputs",
    )


@dataclass(frozen=True)
class SongCommand:
    """A ``riff`` command that makes a song with one operation of the spec.

    Every field of the operation's request model is an option of the command (see
    ``riff_api.cli._fields``), except those the command gives a nicer form by hand: its
    positional argument, ``--format`` (with ``-o``) for ``audio_format``, and ``hand_made``.
    """

    name: str
    #: The id of the operation in the spec (``riff_api.OPERATIONS``).
    operation_id: str
    help: str
    #: The field given as the command's positional argument, and that argument's help.
    positional: tuple[str, str] | None = None
    #: Fields set by the options ``add_options`` adds: the sound prompts (``--prompt``,
    #: ``--sound-prompt``) and ``lyrics`` (``--lyrics``, ``--lyrics-file``).
    hand_made: tuple[str, ...] = ()
    add_options: Callable[[argparse.ArgumentParser], None] | None = field(default=None)
    #: The options that the command cannot do without (its required hand-made fields).
    minimal: tuple[str, ...] = ()

    @property
    def operation(self) -> Operation[Any, Any]:
        """The operation the command sends (loading the generated table on first use)."""
        from riff_api._operations import OPERATIONS

        return OPERATIONS[self.operation_id]

    def formats(self) -> tuple[str, ...]:
        """The audio formats the request model allows."""
        model = self.operation.request_model
        info = model.model_fields.get("audio_format") if model is not None else None
        if info is None or typing.get_origin(info.annotation) is not typing.Literal:
            return FORMATS
        return tuple(str(value) for value in typing.get_args(info.annotation))


#: The song-making commands, by name. Which operation a command runs and which fields get a
#: hand-made form is a choice; every other field's option comes from the spec.
SONG_COMMANDS: dict[str, SongCommand] = {
    "topic": SongCommand(
        "topic",
        "create_from_topic",
        help="make a song from one sentence (lyrics and sound chosen for you)",
        positional=("topic", 'what the song is about and how it sounds, e.g. "lo-fi rain"'),
    ),
    "riff": SongCommand(
        "riff",
        "create_riff",
        help="make a song from your sound prompts and, optionally, lyrics",
        hand_made=("prompts", "lyrics"),
        add_options=_add_riff_options,
        minimal=("--prompt", "lo-fi piano"),
    ),
    "prompt": SongCommand(
        "prompt",
        "prompt",
        help="make a song from one prompt (lyrics, sound and title chosen for you)",
        positional=("prompt", 'what the song sounds like and is about, e.g. "lo-fi rain"'),
    ),
    "compose": SongCommand(
        "compose",
        "compose",
        help="compose a song from your sound prompts and, optionally, lyrics",
        hand_made=("sound_prompts", "lyrics"),
        add_options=_add_compose_options,
        minimal=("--sound-prompt", "lo-fi piano"),
    ),
}

COMMANDS = (*SONG_COMMANDS, "models", "serve", "batch")


def _add_song_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    command: SongCommand,
    service: argparse.ArgumentParser,
    *,
    wanted: bool,
) -> None:
    if not wanted:  # listed in ``riff --help``; its options are only made when it runs
        commands.add_parser(command.name, help=command.help)
        return
    from riff_api.cli._fields import add_field_options

    operation = command.operation
    parser = commands.add_parser(
        command.name,
        parents=[service, _song_options(command.formats())],
        help=command.help,
        description=f"{operation.summary}: {operation.method} {operation.path}.",
    )
    skip = {"audio_format", *command.hand_made}
    if command.positional is not None:
        name, help_text = command.positional
        parser.add_argument(name, help=help_text)
        skip.add(name)
    if command.add_options is not None:
        command.add_options(parser)
    assert operation.request_model is not None
    fields = parser.add_argument_group("request fields (from the spec; unset: service default)")
    add_field_options(fields, operation.request_model, skip=skip)


def build_parser(
    serve_arguments: Callable[[argparse.ArgumentParser], None] | None = None,
    *,
    wanted: str | None = "*",
) -> argparse.ArgumentParser:
    """The ``riff`` parser. ``serve_arguments`` adds the emulator's options to ``riff serve``.

    Those come from ``riff_api.emulator``, which pulls in numpy and PyAV; they are only
    worth importing when the command is ``serve``, so the caller decides. Likewise only the
    ``wanted`` song command (``"*"``: every one) gets its options, made from its model.
    """
    parser = argparse.ArgumentParser(
        prog="riff",
        description="Make songs with the Riffusion API, or serve a local emulator of it.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"riff {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    service = _service_options()
    for command in SONG_COMMANDS.values():
        chosen = wanted in ("*", command.name)
        _add_song_command(commands, command, service, wanted=chosen)

    models = commands.add_parser(
        "models",
        parents=[service],
        help="list the models the key may use (second generation)",
        description="List the models available to the API key: GET /models.",
    )
    models.add_argument("--json", action="store_true", help="print them as a JSON array")

    serve = commands.add_parser(
        "serve",
        help="serve a local emulator of the API (for development and tests)",
        description="Serve the local emulator of the Riffusion API over HTTP.",
    )
    if serve_arguments is not None:
        serve_arguments(serve)

    batch = commands.add_parser(
        "batch",
        parents=[service],
        help="make many songs from a JSONL file of jobs, resumably",
        description=(
            "Make one song per line of a JSONL file, with bounded concurrency. Each line holds "
            "the fields of one song-making request (any field of the spec), told apart by its "
            'required ones: {"topic": ...} or {"prompts": [...], "lyrics": ..., "seed": ...}, '
            'with an optional "id". A manifest.jsonl in --out-dir records every job; running '
            "again skips the jobs already done."
        ),
    )
    batch.add_argument("jobs", metavar="JOBS.jsonl", help="the jobs file ('-' for stdin)")
    batch.add_argument(
        "-d", "--out-dir", required=True, metavar="DIR", help="folder for the songs and manifest"
    )
    batch.add_argument(
        "-j",
        "--concurrency",
        type=_count(1),
        default=16,
        metavar="N",
        help="songs in flight at once (default 16)",
    )
    batch.add_argument(
        "--format", choices=FORMATS, help="audio format of jobs that name none (default wav)"
    )
    batch.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser


def wanted_command(argv: Sequence[str]) -> str | None:
    """The sub-command named on a command line, without parsing it (None if there is none)."""
    for arg in argv:
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None
