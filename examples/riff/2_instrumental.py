"""Make instrumental music: leave out the lyrics and only the sound prompt shapes the song.

Run it against the live service, or set RIFFUSION_BACKEND_URL to use another (such as
the emulator, ``python -m riff_api.emulator``); files go to --out-dir, else RIFF_OUT_DIR, else
the current folder:

    export RIFFUSION_API_KEY=...
    python examples/riff/2_instrumental.py [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import riff_api
from riff_api import Prompt

parser = argparse.ArgumentParser(description="An instrumental: no lyrics.")
parser.add_argument("--out-dir", type=Path, default=Path(os.environ.get("RIFF_OUT_DIR", ".")))
out_dir = parser.parse_args().out_dir
out_dir.mkdir(parents=True, exist_ok=True)

path = out_dir / "instrumental.wav"
song = riff_api.create(prompts=[Prompt(text="cinematic strings, slow build")], save_to=str(path))

print(f"wrote {path} ({len(song.audio_bytes):,} bytes)")
# An instrumental comes back with no lyrics and no word timings.
print("lyrics:", song.lyrics)
print("timestamped words:", song.timestamped_lyrics)
