"""mkdocs hooks of the API reference: the ``riff`` command's help and the changelog, pasted in.

Two markers in a page's Markdown are replaced when the site is built:

* ``<!-- riff --help -->``: the output of ``riff --help`` and of ``riff COMMAND --help`` for
  each command it lists, run in a child process as a user would run them, so the page
  always says what the installed command says.
* ``<!-- include FILE -->``: the text of FILE, a path from the project's root (the
  changelog lives at the root, where people look for it, and on the site too).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HELP_MARKER = "<!-- riff --help -->"
_INCLUDE = re.compile(r"<!-- include (\S+) -->")
# In argparse's help, each command of a sub-parser group is listed as "    NAME   help".
_COMMAND_LINE = re.compile(r"^    ([a-z][\w-]*)\s{2,}\S", re.M)


def _help(*args: str) -> str:
    # A fixed width, so that the page does not depend on the terminal that built it.
    env = {**os.environ, "COLUMNS": "90"}
    done = subprocess.run(
        [sys.executable, "-m", "riff_api.cli", *args, "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return done.stdout.rstrip()


def _commands(top_help: str) -> list[str]:
    """The command names that ``riff --help`` lists under COMMAND."""
    section = top_help.partition("\n  COMMAND\n")[2].partition("\n\n")[0]
    return _COMMAND_LINE.findall(section)


def help_markdown() -> str:
    """``riff --help`` and each command's help, as Markdown sections of code blocks."""
    top = _help()
    commands = _commands(top)
    if not commands:
        raise RuntimeError("riff --help lists no command: has its format changed?")
    parts = ["## `riff`", "", "```text", top, "```"]
    for command in commands:
        parts += ["", f"## `riff {command}`", "", "```text", _help(command), "```"]
    return "\n".join(parts)


def on_page_markdown(markdown: str, **_: Any) -> str:
    """mkdocs' hook: fill in the markers of a page before it is rendered."""
    if HELP_MARKER in markdown:
        markdown = markdown.replace(HELP_MARKER, help_markdown())
    return _INCLUDE.sub(lambda match: (ROOT / match.group(1)).read_text(), markdown)
