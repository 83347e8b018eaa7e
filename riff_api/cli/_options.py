"""The command line of ``riff``: every option, its type and its help, and nothing that runs.

Keeping the definitions apart from the code that acts on them (as httpie does) lets
``riff -h`` be read in one place and lets tests parse without running anything.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence

from riff_api._audio import FORMATS
from riff_api._config import API_KEY_ENV, BASE_URL_ENV, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_S
from riff_api._models import Prompt
from riff_api._version import __version__

__all__ = ["COMMANDS", "build_parser", "parse_prompt", "wanted_command"]

COMMANDS = ("topic", "riff", "serve", "batch")

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


def parse_prompt(value: str) -> Prompt:
    """A prompt from ``TEXT[:STRENGTH[:START:END]]``, e.g. ``"orchestral cellos:3:0:10"``.

    Numbers are taken from the right, so the text itself may contain colons as long as it
    does not end in ``:NUMBER``.
    """
    parts = value.split(":")
    numbers: list[float] = []
    while len(parts) > 1 and len(numbers) < 3:
        try:
            number = float(parts[-1])
        except ValueError:
            break
        if not math.isfinite(number):
            raise argparse.ArgumentTypeError(f"{value!r}: {parts[-1]!r} is not a finite number")
        numbers.insert(0, number)
        parts.pop()
    text = ":".join(parts).strip()
    if not text:
        raise argparse.ArgumentTypeError(f"{value!r}: a prompt needs a text before its numbers")
    if len(numbers) == 2:
        raise argparse.ArgumentTypeError(
            f"{value!r}: give the time range as START:END after the strength, "
            "i.e. TEXT:STRENGTH:START:END"
        )
    if len(numbers) == 3 and not numbers[1] < numbers[2]:
        raise argparse.ArgumentTypeError(
            f"{value!r}: the prompt's start ({numbers[1]:g} s) must come before its end "
            f"({numbers[2]:g} s)"
        )
    fields: dict[str, float] = dict(zip(("strength", "start_s", "end_s"), numbers, strict=False))
    return Prompt(text=text, **fields)


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


def _seed(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None


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
        "--base-url", metavar="URL", help=f"the API's base URL (default: ${BASE_URL_ENV} or live)"
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
        help="allow a plain-http --base-url on another machine (the key travels in clear)",
    )
    return parent


def _song_options() -> argparse.ArgumentParser:
    """Output options of the commands that make one song."""
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
        choices=FORMATS,
        help="audio format (default: from the --output extension, else wav)",
    )
    group.add_argument(
        "--json",
        action="store_true",
        help="print the answer as JSON (the audio itself left out, its size given)",
    )
    return parent


def build_parser(
    serve_arguments: Callable[[argparse.ArgumentParser], None] | None = None,
) -> argparse.ArgumentParser:
    """The ``riff`` parser. ``serve_arguments`` adds the emulator's options to ``riff serve``.

    Those come from ``riff_api.emulator``, which pulls in numpy and PyAV; they are only
    worth importing when the command is ``serve``, so the caller decides.
    """
    parser = argparse.ArgumentParser(
        prog="riff",
        description="Make songs with the Riffusion API, or serve a local emulator of it.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"riff {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    service, song = _service_options(), _song_options()

    topic = commands.add_parser(
        "topic",
        parents=[service, song],
        help="make a song from one sentence (lyrics and sound chosen for you)",
        description="Make a song from one sentence: POST /topic.",
    )
    topic.add_argument("topic", help='what the song is about and how it sounds, e.g. "lo-fi rain"')

    riff = commands.add_parser(
        "riff",
        parents=[service, song],
        help="make a song from your sound prompts and, optionally, lyrics",
        description="Make a song from sound prompts and lyrics: POST /riff.",
    )
    riff.add_argument(
        "-p",
        "--prompt",
        dest="prompts",
        action="append",
        type=parse_prompt,
        required=True,
        metavar="TEXT[:STRENGTH[:START:END]]",
        help='a sound prompt; repeat for several, e.g. --prompt "orchestral cellos:3:0:10"',
    )
    lyrics = riff.add_mutually_exclusive_group()
    lyrics.add_argument("--lyrics", metavar="TEXT", help="the lyrics (none: instrumental)")
    lyrics.add_argument(
        "--lyrics-file", metavar="FILE", help="read the lyrics from a file ('-' for stdin)"
    )
    riff.add_argument("--seed", type=_seed, help="fix the song's structure across variations")
    riff.add_argument(
        "--no-moderation",
        dest="moderate_inputs",
        action="store_false",
        help="skip the service's moderation checks on prompts and lyrics",
    )

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
            "Make one song per line of a JSONL file, with bounded concurrency. Each line is "
            '{"topic": ...} or {"prompts": [...], "lyrics": ..., "seed": ...}, with an '
            'optional "id" and "audio_format". A manifest.jsonl in --out-dir records every '
            "job; running again skips the jobs already done."
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
