"""Print when each word is sung: the answer times every word of the lyrics.

Useful for karaoke-style captions or for cutting the song at a line.

Run it against the live service, or set RIFFUSION_BACKEND_URL to use another (such as
the emulator, ``python -m riff_api.emulator``); files go to --out-dir, else RIFF_OUT_DIR, else
the current folder:

    export RIFFUSION_API_KEY=...
    python examples/riff/6_timestamped_lyrics.py [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import riff_api
from riff_api import Prompt

parser = argparse.ArgumentParser(description="Print each word's start time.")
parser.add_argument("--out-dir", type=Path, default=Path(os.environ.get("RIFF_OUT_DIR", ".")))
out_dir = parser.parse_args().out_dir
out_dir.mkdir(parents=True, exist_ok=True)

lyrics = "[Verse]\nCount the stars above the bay\nOne for every yesterday"

path = out_dir / "timestamped_lyrics.wav"
song = riff_api.create(
    prompts=[Prompt(text="gentle piano ballad")], lyrics=lyrics, save_to=str(path)
)
print(f"wrote {path} ({len(song.audio_bytes):,} bytes)")

# Section tags like [Verse] are structure, so they get no timestamp; only sung words do.
for word in song.timestamped_lyrics or []:
    print(f"{word.start_s:6.2f} s  {word.text}")
