"""Make a song from your own lyrics and one sound prompt (``POST /riff``).

Run it against the live service, or set RIFFUSION_BACKEND_URL to use another (such as
the emulator, ``python -m riff_api.emulator``); files go to --out-dir, else RIFF_OUT_DIR, else
the current folder:

    export RIFFUSION_API_KEY=...
    python examples/riff/1_simple.py [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import riff_api
from riff_api import Prompt

parser = argparse.ArgumentParser(description="Lyrics plus one sound prompt.")
parser.add_argument("--out-dir", type=Path, default=Path(os.environ.get("RIFF_OUT_DIR", ".")))
out_dir = parser.parse_args().out_dir
out_dir.mkdir(parents=True, exist_ok=True)

# Section tags such as [Verse] on their own line give the song structure; they are not sung.
lyrics = """[Verse]
Paper boats on a river of rain
Carry my letters back home again
[Chorus]
Sail on, sail on, little fleet
Down every gutter of every street"""

path = out_dir / "simple.wav"
song = riff_api.create(prompts=[Prompt(text="dreamy indie folk")], lyrics=lyrics, save_to=str(path))

print(f"wrote {path} ({len(song.audio_bytes):,} bytes), song id {song.id}")
print(song.lyrics)
