"""Make a song from one prompt with ``RiffAPIClient``, the client of riff-api 0.4.2.

The same script runs on the official client (``pip install riff-api``) and on this project's
``riff_api``, unchanged. Run it against the live service, or set RIFFUSION_API_URL to use
another (such as the emulator, ``riff serve``: ``http://127.0.0.1:8000/api/v1``); files go to
--out-dir, else RIFF_OUT_DIR, else the current folder:

    export RIFFUSION_API_KEY=...
    python examples/prompt/1_prompt_client.py [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from riff_api import RiffAPIClient

parser = argparse.ArgumentParser(description="A song from one prompt, through the client.")
parser.add_argument("--out-dir", type=Path, default=Path(os.environ.get("RIFF_OUT_DIR", ".")))
out_dir = parser.parse_args().out_dir
out_dir.mkdir(parents=True, exist_ok=True)

client = RiffAPIClient()  # the key from RIFFUSION_API_KEY, the URL from RIFFUSION_API_URL

path = out_dir / "chill.m4a"
song = client.prompt("Explain the concept of time in French, piano chill", save_to=str(path))

print(f"wrote {path} ({path.stat().st_size:,} bytes): {song.title!r}")
print("sound:", song.sound_prompt)
print(song.lyrics)
