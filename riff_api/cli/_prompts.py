"""The hand-made form of a sound prompt on the command line: ``TEXT[:STRENGTH[:START:END]]``.

Colons separate the fields, and every field after the text must be a number: a typo such as
``cellos:3:abc:5`` or ``cellos:loud`` is refused, never read as part of the text. A colon
inside the text is written ``\\:`` (``"ratio 16\\:9 vibes:3"``). Numbers are checked against
the bounds the spec gives the model's fields, and the message names the documented range.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from typing import Any

import annotated_types
import pydantic

__all__ = ["prompt_parser"]

_ESCAPED = "\x00"  # stands for "\:" while the value is split


def _bounds(model: type[pydantic.BaseModel], field: str) -> tuple[float | None, float | None]:
    low = high = None
    for rule in model.model_fields[field].metadata:
        if isinstance(rule, annotated_types.Ge):
            low = float(rule.ge)  # type: ignore[arg-type]
        elif isinstance(rule, annotated_types.Le):
            high = float(rule.le)  # type: ignore[arg-type]
    return low, high


def _number(value: str, part: str, syntax: str) -> float:
    try:
        number = float(part)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r}: {part.strip()!r} is not a number; a prompt is {syntax} "
            "(write \\: for a colon in the text)"
        ) from None
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(f"{value!r}: {part!r} is not a finite number")
    return number


def prompt_parser(
    model: type[pydantic.BaseModel],
    numbers: Sequence[str],
    *,
    song_s: float | None = None,
    warn: Callable[[str], Any] | None = None,
) -> Callable[[str], pydantic.BaseModel]:
    """An argparse type: ``TEXT[:N1[:N2...]]`` into ``model``, the numbers its ``numbers``.

    With three numbers the last two are a ``START:END`` time range (two alone are refused).
    ``song_s``: a time range ending after it is said (on ``warn``) but kept.
    """
    syntax = "TEXT" + "".join(f"[:{name.upper()}" for name in numbers) + "]" * len(numbers)
    if len(numbers) == 3:
        syntax = "TEXT[:STRENGTH[:START:END]]"

    def parse(value: str) -> pydantic.BaseModel:
        text, *rest = value.replace("\\:", _ESCAPED).split(":")
        text = text.replace(_ESCAPED, ":").strip()
        if not text:
            raise argparse.ArgumentTypeError(f"{value!r}: a prompt needs a text before its numbers")
        if len(rest) > len(numbers) or (len(numbers) == 3 and len(rest) == 2):
            raise argparse.ArgumentTypeError(
                f"{value!r}: too many fields; a prompt is {syntax} (write \\: for a colon in "
                "the text)"
                if len(rest) > len(numbers)
                else f"{value!r}: give the time range as START:END after the strength, "
                "i.e. TEXT:STRENGTH:START:END"
            )
        fields: dict[str, Any] = {"text": text}
        for name, part in zip(numbers, rest, strict=False):
            number = _number(value, part, syntax)
            low, high = _bounds(model, name)
            if (low is not None and number < low) or (high is not None and number > high):
                raise argparse.ArgumentTypeError(
                    f"{value!r}: {name} {number:g} is outside the documented range "
                    f"{low:g} to {high:g}"
                )
            fields[name] = number
        if len(rest) == 3:
            start, end = fields["start_s"], fields["end_s"]
            if not start < end:
                raise argparse.ArgumentTypeError(
                    f"{value!r}: the prompt's start ({start:g} s) must come before its end "
                    f"({end:g} s)"
                )
            if song_s is not None and end > song_s:
                (warn or _stderr)(
                    f"riff: warning: prompt {text!r} ends at {end:g} s, after the song's "
                    f"{song_s:g} s; the service keeps it to the song"
                )
        return model(**fields)

    parse.__name__ = "prompt"
    return parse


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)
