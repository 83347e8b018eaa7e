"""Blend two sound prompts with different strengths to fine-tune the sound.

Strength runs from about 1 (a hint) to 12 (dominant); the default is 4.

Run it against the live service, or set RIFFUSION_BACKEND_URL to use another (such as
the emulator, ``python -m riff_api.emulator``); files go to --out-dir, else RIFF_OUT_DIR, else
the current folder:

    export RIFFUSION_API_KEY=...
    python examples/riff/4_multiple_prompts.py [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import riff_api
from riff_api import Prompt

parser = argparse.ArgumentParser(description="Two prompts, two strengths.")
parser.add_argument("--out-dir", type=Path, default=Path(os.environ.get("RIFF_OUT_DIR", ".")))
out_dir = parser.parse_args().out_dir
out_dir.mkdir(parents=True, exist_ok=True)

prompts = [
    Prompt(text="lo-fi hip hop beat", strength=6.0),  # the main character of the song
    Prompt(text="jazzy saxophone", strength=2.0),  # just a touch of it
]
path = out_dir / "multiple_prompts.wav"
song = riff_api.create(
    prompts=prompts, lyrics="Rainy days and vinyl crackle\nSlow it down", save_to=str(path)
)

print(f"wrote {path} ({len(song.audio_bytes):,} bytes)")
for prompt in song.prompts:
    print(f"  {prompt.text!r} at strength {prompt.strength:g}")
