"""Make a song from one prompt with plain HTTP (the standard library only): JSON in, m4a out.

Run it against the live service, or set RIFFUSION_API_URL to use another (such as the
emulator, ``riff serve``: ``http://127.0.0.1:8000/api/v1``); files go to --out-dir, else
RIFF_OUT_DIR, else the current folder:

    export RIFFUSION_API_KEY=...
    python examples/prompt/2_prompt_http.py [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import urllib.request
from pathlib import Path

parser = argparse.ArgumentParser(description="A song from one prompt, over plain HTTP.")
parser.add_argument("--out-dir", type=Path, default=Path(os.environ.get("RIFF_OUT_DIR", ".")))
out_dir = parser.parse_args().out_dir
out_dir.mkdir(parents=True, exist_ok=True)

api_key = os.environ.get("RIFFUSION_API_KEY") or sys.exit("Set RIFFUSION_API_KEY first.")
api_url = os.environ.get("RIFFUSION_API_URL") or "https://wb.riffusion.com/api/v1"

request = urllib.request.Request(
    f"{api_url.rstrip('/')}/prompt",
    data=json.dumps({"prompt": "Rap fun facts about Alaskan history"}).encode(),
    headers={"Api-Key": api_key, "Content-Type": "application/json"},
)
# Making a song takes a while: wait up to 5 minutes for the answer.
with urllib.request.urlopen(request, timeout=300) as answer:
    song = json.load(answer)

path = out_dir / f"prompt_http.{song['audio_format']}"
path.write_bytes(base64.b64decode(song["audio_b64"]))
print(f"wrote {path} ({path.stat().st_size:,} bytes): {song['title']!r}")
print(song["lyrics"])
