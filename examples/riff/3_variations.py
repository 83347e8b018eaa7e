"""Make variations: keep the seed, change one prompt, and the song keeps its structure.

Here the same seed and lyrics are sung once by a male and once by a female voice.

Run it against the live service, or set RIFFUSION_BACKEND_URL to use another (such as
the emulator, ``python -m riff_api.emulator``); files go to --out-dir, else RIFF_OUT_DIR, else
the current folder:

    export RIFFUSION_API_KEY=...
    python examples/riff/3_variations.py [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import riff_api
from riff_api import Prompt

parser = argparse.ArgumentParser(description="Two variations of one song, by seed.")
parser.add_argument("--out-dir", type=Path, default=Path(os.environ.get("RIFF_OUT_DIR", ".")))
out_dir = parser.parse_args().out_dir
out_dir.mkdir(parents=True, exist_ok=True)

SEED = 2024  # any integer; what matters is that both calls use the same one
lyrics = "Morning coffee, window light\nThe city hums, the day feels right"

for singer in ("male", "female"):
    path = out_dir / f"variation_{singer}.wav"
    riff_api.create(
        prompts=[Prompt(text=f"soulful acoustic pop, {singer} singer")],
        lyrics=lyrics,
        seed=SEED,
        save_to=str(path),
    )
    print(f"wrote {path} ({singer} singer, seed {SEED})")
