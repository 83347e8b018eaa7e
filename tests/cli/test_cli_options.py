"""The command line itself: prompt syntax, help, version, usage errors."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable

import pytest
from cli_helpers import Run

from riff_api import __version__
from riff_api.cli import ExitStatus
from riff_api.cli._options import build_parser, parse_prompt, parse_sound_prompt, wanted_command


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chillstep pop", ("chillstep pop", 4.0, 0.0, 30.0)),
        ("orchestral cellos:3", ("orchestral cellos", 3.0, 0.0, 30.0)),
        ("orchestral cellos:3:0:10", ("orchestral cellos", 3.0, 0.0, 10.0)),
        ("negative:-2.5:15:30", ("negative", -2.5, 15.0, 30.0)),
        ("ratio 16\\:9 vibes", ("ratio 16:9 vibes", 4.0, 0.0, 30.0)),
        ("time\\: 2am:5", ("time: 2am", 5.0, 0.0, 30.0)),
        ("soft:-3:0:12", ("soft", -3.0, 0.0, 12.0)),
    ],
)
def test_prompt_syntax(text: str, expected: tuple[str, float, float, float]) -> None:
    prompt = parse_prompt(text)
    assert (prompt.text, prompt.strength, prompt.start_s, prompt.end_s) == expected


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (":3", "needs a text"),
        ("cellos:3:10", "START:END"),
        ("cellos:3:20:10", "must come before"),
        ("cellos:nan", "finite"),
        # a typo is never read as part of the text (issue: "x:3:abc:5" was text "x:3:abc")
        ("x:3:abc:5", "'abc' is not a number"),
        ("x:abc", "'abc' is not a number"),
        ("ratio 16:9 vibes", "'9 vibes' is not a number"),
        ("x:1:2:3:4", "too many fields"),
        # strengths outside the spec's documented range, with the range said
        ("x:99", "strength 99 is outside the documented range -3 to 12"),
        ("x:-4", "strength -4 is outside the documented range -3 to 12"),
    ],
)
def test_bad_prompts_are_explained(text: str, complaint: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match=complaint):
        parse_prompt(text)


def test_wanted_command_reads_the_first_positional() -> None:
    assert wanted_command(["serve", "--port", "0"]) == "serve"
    assert wanted_command(["--version"]) is None
    assert wanted_command(["topic", "serve"]) == "topic"
    assert wanted_command(["nonsense"]) is None


def test_every_command_is_defined() -> None:
    parser = build_parser()
    for argv in (
        ["topic", "x"],
        ["riff", "--prompt", "x"],
        ["batch", "jobs.jsonl", "--out-dir", "out"],
        ["serve"],
    ):
        assert parser.parse_args(argv).command == argv[0]


def test_version(riff: Callable[..., Run]) -> None:
    run = riff("--version")
    assert run.status == ExitStatus.OK
    assert run.stdout.strip() == f"riff {__version__}"


def test_help_lists_commands_and_exit_codes(riff: Callable[..., Run]) -> None:
    run = riff("--help")
    assert run.status == ExitStatus.OK
    for word in ("topic", "riff", "batch", "serve", "130 interrupted"):
        assert word in run.stdout


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["dance"],
        ["topic"],
        ["riff"],
        ["riff", "--prompt", "a:1:2"],
        ["riff", "--prompt", "a", "--lyrics", "x", "--lyrics-file", "y"],
        ["topic", "x", "--timeout", "-1"],
        ["topic", "x", "--max-retries", "lots"],
        ["topic", "x", "--format", "ogg"],
        ["batch", "jobs.jsonl"],
        ["batch", "jobs.jsonl", "-d", "out", "--concurrency", "0"],
    ],
)
def test_usage_errors(riff: Callable[..., Run], argv: list[str]) -> None:
    run = riff(*argv)
    assert run.status == ExitStatus.USAGE
    assert "usage: riff" in run.stderr
    assert run.stdout == ""


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "riff_api.cli", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"riff {__version__}"


def test_a_prompt_ending_after_the_song_is_said(capsys: pytest.CaptureFixture[str]) -> None:
    prompt = parse_prompt("x:1:0:45")
    assert prompt.end_s == 45.0
    assert "ends at 45 s, after the song's 30 s" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("synths:5", "strength 5 is outside the documented range -1 to 1"),
        ("synths:0.3:2", "too many fields"),
        ("synths:high", "'high' is not a number"),
    ],
)
def test_bad_sound_prompts_are_explained(text: str, complaint: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match=complaint):
        parse_sound_prompt(text)


def test_sound_prompt_syntax() -> None:
    assert parse_sound_prompt("shimmering synths:0.3").model_dump() == {
        "text": "shimmering synths",
        "strength": 0.3,
    }
    assert parse_sound_prompt("a\\:b").model_dump() == {"text": "a:b", "strength": 0.5}
