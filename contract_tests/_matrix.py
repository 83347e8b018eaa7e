"""Every kind of request a client sends, as the caller's arguments (the spec's field names).

Topic in each format; riff with lyrics, without (instrumental), with a seed (0 included: a
falsy seed is still a seed), several prompts (a transition), extreme strengths, each format,
moderation off, and lyrics with section tags and non-ASCII text.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMATS", "RIFF_CALLS", "TOPIC_CALLS"]

FORMATS = ("wav", "m4a", "mp3")
# Caller's arguments for each kind of call (the facade's keyword names, which are the spec's).
TOPIC_CALLS: dict[str, dict[str, Any]] = {
    "default-format": {"topic": "Indie pop banger about my dog Boris"},
    **{
        f"{fmt}": {
            "topic": "Explain the concept of time in French, piano chill",
            "audio_format": fmt,
        }
        for fmt in FORMATS
    },
    "unicode": {"topic": "Une chanson sur le café ☕ et 東京の夜"},
}
RIFF_CALLS: dict[str, dict[str, Any]] = {
    "lyrics": {
        "prompts": [{"text": "chillstep pop"}],
        "lyrics": "Hello from outer space\nCan you hear me?",
    },
    "instrumental": {"prompts": [{"text": "lo-fi piano"}], "lyrics": None},
    "seed": {"prompts": [{"text": "female singer, acoustic"}], "lyrics": "Same song", "seed": 42},
    "seed-zero": {"prompts": [{"text": "male singer, acoustic"}], "seed": 0},
    "transition": {
        "prompts": [
            {"text": "lo-fi piano", "strength": 4.0, "start_s": 0.0, "end_s": 20.0},
            {"text": "orchestral cellos", "strength": 3.0, "start_s": 15.0, "end_s": 30.0},
        ],
        "seed": 7,
    },
    "strengths": {
        "prompts": [
            {"text": "jazz trio", "strength": 12.0},
            {"text": "distorted guitar", "strength": -3.0},
        ]
    },
    **{f"{fmt}": {"prompts": [{"text": "synthwave"}], "audio_format": fmt} for fmt in FORMATS},
    "unmoderated": {
        "prompts": [{"text": "punk"}],
        "lyrics": "Loud words",
        "moderate_inputs": False,
    },
    "section-tags": {
        "prompts": [{"text": "anthemic rock"}],
        "lyrics": "[Verse]\nÇa va, 世界 🎵\n\n[Chorus]\nSing it loud",
    },
}
