"""Make a song from one sentence with plain HTTP (httpx, no client): JSON in, base64 audio out.

Run it against the live service, or set RIFFUSION_BACKEND_URL to use another (such as
the emulator, ``python -m riff_api.emulator``); files go to --out-dir, else RIFF_OUT_DIR, else
the current folder:

    export RIFFUSION_API_KEY=...
    python examples/topic/1_topic_http.py [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
from pathlib import Path

import httpx

parser = argparse.ArgumentParser(description="Make a song from a topic over plain HTTP.")
parser.add_argument("--out-dir", type=Path, default=Path(os.environ.get("RIFF_OUT_DIR", ".")))
out_dir = parser.parse_args().out_dir
out_dir.mkdir(parents=True, exist_ok=True)

api_key = os.environ.get("RIFFUSION_API_KEY") or sys.exit("Set RIFFUSION_API_KEY first.")
base_url = os.environ.get("RIFFUSION_BACKEND_URL") or "https://backend.riffusion.com/v1"

answer = httpx.post(
    f"{base_url.rstrip('/')}/topic",
    headers={"Api-Key": api_key},
    json={"topic": "A sea shanty about a lighthouse keeper and her cat"},
    timeout=300,  # writing and singing a song takes a while; httpx's default is 5 s
)
song = answer.raise_for_status().json()

path = out_dir / "topic_http.wav"
path.write_bytes(base64.b64decode(song["audio_b64"]))
print(f"wrote {path} ({path.stat().st_size:,} bytes)")
print("sound:", ", ".join(prompt["text"] for prompt in song["prompts"]))
print(song["lyrics"])
