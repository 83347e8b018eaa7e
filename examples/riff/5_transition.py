"""Make a transition: two prompts with overlapping time ranges hand the song over.

Prompt A plays from 0 to 20 s, prompt B from 15 to 30 s; in the overlap, A fades into B.
A song is about 30 s long.

Run it against the live service, or set RIFFUSION_BACKEND_URL to use another (such as
the emulator, ``python -m riff_api.emulator``); files go to --out-dir, else RIFF_OUT_DIR, else
the current folder:

    export RIFFUSION_API_KEY=...
    python examples/riff/5_transition.py [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import riff_api
from riff_api import Prompt

parser = argparse.ArgumentParser(description="A transition between two prompts.")
parser.add_argument("--out-dir", type=Path, default=Path(os.environ.get("RIFF_OUT_DIR", ".")))
out_dir = parser.parse_args().out_dir
out_dir.mkdir(parents=True, exist_ok=True)

prompts = [
    Prompt(text="ambient synth pads, slow and spacious", strength=4.0, start_s=0.0, end_s=20.0),
    Prompt(text="driving drum and bass", strength=3.0, start_s=15.0, end_s=30.0),
]
path = out_dir / "transition.wav"
song = riff_api.create(prompts=prompts, save_to=str(path))

print(f"wrote {path} ({len(song.audio_bytes):,} bytes)")
for prompt in song.prompts:
    print(f"  {prompt.start_s:4.1f}-{prompt.end_s:4.1f} s  {prompt.text} ({prompt.strength:g})")
