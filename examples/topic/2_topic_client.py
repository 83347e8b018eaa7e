"""Make a song from one sentence with the client: lyrics and sound are chosen for you.

When the sentence names no musical style, the service picks one at random on every call,
so run it twice to hear two different songs.

Run it against the live service, or set RIFFUSION_BACKEND_URL to use another (such as
the emulator, ``python -m riff_api.emulator``); files go to --out-dir, else RIFF_OUT_DIR, else
the current folder:

    export RIFFUSION_API_KEY=...
    python examples/topic/2_topic_client.py [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import riff_api

parser = argparse.ArgumentParser(description="Make a song from a topic with riff_api.")
parser.add_argument("--out-dir", type=Path, default=Path(os.environ.get("RIFF_OUT_DIR", ".")))
out_dir = parser.parse_args().out_dir
out_dir.mkdir(parents=True, exist_ok=True)

path = out_dir / "topic.wav"
song = riff_api.create_from_topic(
    "Explain why the sky is blue, over a bossa nova guitar",
    save_to=str(path),
)

print(f"wrote {path} ({len(song.audio_bytes):,} bytes)")
for prompt in song.prompts:
    print(f"sound: {prompt.text} (strength {prompt.strength:g})")
print(song.lyrics)
