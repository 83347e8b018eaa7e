"""The ``riff`` command: make songs from the shell, serve the emulator, run batches.

    riff topic "Indie pop banger about my dog Boris" -o boris.wav
    riff riff --prompt "chillstep pop" --prompt "orchestral cellos:3:0:10" -o song.mp3
    riff batch jobs.jsonl --out-dir songs
    riff serve

``main`` takes the arguments and an ``Environment`` (streams, variables, working folder,
transports) so that tests run the command in a fake world and check what it printed.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from riff_api.cli._environment import Environment
from riff_api.cli._exit import ExitStatus
from riff_api.cli._main import run

__all__ = ["Environment", "ExitStatus", "main"]


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    """Run ``riff`` with ``argv`` (default: the process's arguments); return the exit status."""
    return run(sys.argv[1:] if argv is None else argv, env or Environment())
