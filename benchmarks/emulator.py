"""Emulator speed: synthesis and encoding of a 30 s song, per audio format.

``run()`` renders the README's riff (one prompt, four lines of lyrics, a fixed seed) and
encodes it, ``repeats`` times per format after one warm-up render (the emulator caches
note and bar renders, as a running server does), and reports medians in milliseconds.
Run ``python benchmarks/emulator.py`` for a markdown table.
"""

from __future__ import annotations

import statistics
import sys
import time

from riff_api.emulator._encoding import FORMATS, encode
from riff_api.emulator._synthesis import render_song
from riff_api_generated.gen1.models import Prompt

__all__ = ["GOALS_MS", "run"]

GOALS_MS = {"wav": 100.0, "mp3": 500.0, "m4a": 500.0}
"""The targets for synthesis + encoding of a 30 s song."""

_LYRICS = "Hello from outer space\nCan you hear me?\nI'm a satellite\nAnd I want to be by your side"
_PROMPTS = [Prompt(text="chillstep pop")]
_DURATION_S = 30.0


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000.0, 1)


def run(repeats: int = 5) -> list[dict[str, object]]:
    """One row per format: ``format``, ``synth_ms``, ``encode_ms``, ``total_ms`` (medians)."""
    render_song(_PROMPTS, _LYRICS, 42, _DURATION_S)  # warm the caches
    rows: list[dict[str, object]] = []
    for audio_format in FORMATS:
        synth, coded, total = [], [], []
        for _ in range(repeats):
            start = time.perf_counter()
            song = render_song(_PROMPTS, _LYRICS, 42, _DURATION_S)
            middle = time.perf_counter()
            encode(song.samples, audio_format)
            end = time.perf_counter()
            synth.append(middle - start)
            coded.append(end - middle)
            total.append(end - start)
        rows.append(
            {
                "format": audio_format,
                "synth_ms": _median_ms(synth),
                "encode_ms": _median_ms(coded),
                "total_ms": _median_ms(total),
                "goal_ms": GOALS_MS[audio_format],
            }
        )
    return rows


def _table(rows: list[dict[str, object]]) -> str:
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(row[c]) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(f"Emulator: synthesis + encoding of a {_DURATION_S:.0f} s song, median of {count}\n")
    print(_table(run(count)))
