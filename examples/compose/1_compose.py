"""Compose a song from your own lyrics and several sound prompts, each with a strength.

``RiffAPIClient.compose`` (riff-api 0.4.2; this script runs on the official client and on
this project's ``riff_api`` unchanged), then each sung word with its start time. Run it
against the live service, or set RIFFUSION_API_URL to use another (such as the emulator,
``riff serve``: ``http://127.0.0.1:8000/api/v1``); files go to --out-dir, else RIFF_OUT_DIR,
else the current folder:

    export RIFFUSION_API_KEY=...
    python examples/compose/1_compose.py [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from riff_api import RiffAPIClient, SoundPrompt

parser = argparse.ArgumentParser(description="Lyrics and several weighted sound prompts.")
parser.add_argument("--out-dir", type=Path, default=Path(os.environ.get("RIFF_OUT_DIR", ".")))
out_dir = parser.parse_args().out_dir
out_dir.mkdir(parents=True, exist_ok=True)

lyrics = """[Verse]
Neon on the water, engines in the rain
Every little signal calling me again
[Chorus]
Drive, drive, into the morning light"""

client = RiffAPIClient()
path = out_dir / "compose.m4a"
song = client.compose(
    sound_prompts=[
        SoundPrompt(text="synthwave, driving bass", strength=0.7),
        SoundPrompt(text="female vocals, dreamy", strength=0.4),
        SoundPrompt(text="gated reverb drums", strength=0.2),
    ],
    lyrics=lyrics,
    lyrics_strength=0.6,
    weirdness=0.3,
    seed=7,
    save_to=str(path),
)

print(f"wrote {path} ({path.stat().st_size:,} bytes): {song.title!r}")
for prompt in song.sound_prompts:
    print(f"  {prompt.strength:4.1f}  {prompt.text}")
for word in song.timestamped_lyrics or []:
    print(f"{word.start:6.2f}s  {word.text}")
