"""Ask for the same song as wav, m4a and mp3.

wav is lossless and largest; m4a (AAC) and mp3 are compressed and much smaller. With a
fixed seed, the three files hold the same music. One ``Riffusion`` client makes the three
calls over one pooled connection.

Run it against the live service, or set RIFFUSION_BACKEND_URL to use another (such as
the emulator, ``python -m riff_api.emulator``); files go to --out-dir, else RIFF_OUT_DIR, else
the current folder:

    export RIFFUSION_API_KEY=...
    python examples/riff/7_audio_formats.py [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import riff_api

parser = argparse.ArgumentParser(description="One song in three audio formats.")
parser.add_argument("--out-dir", type=Path, default=Path(os.environ.get("RIFF_OUT_DIR", ".")))
out_dir = parser.parse_args().out_dir
out_dir.mkdir(parents=True, exist_ok=True)

formats: list[riff_api.AudioFormat] = ["wav", "m4a", "mp3"]
with riff_api.Riffusion() as client:
    for audio_format in formats:
        path = out_dir / f"formats.{audio_format}"
        client.riff(
            ["upbeat funk, slap bass"],  # a prompt may be given as just its text
            lyrics="Get up, get down\nFunkiest sound in town",
            seed=7,
            audio_format=audio_format,
            save_to=path,
        )
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
