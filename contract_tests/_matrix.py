"""Every kind of request a client sends, per operation id, as the caller's arguments.

The arguments are the spec's field names, which are also the keyword names of the facade's
methods (``Riffusion.riff(**call)``, ``Riffusion.compose(**call)``) and of the official
clients. An operation without a body (``list_models``) has one call with no arguments.

First generation: topic in each format; riff with lyrics, without (instrumental), with a seed
(0 included: a falsy seed is still a seed), several prompts (a transition), extreme
strengths, each format, moderation off, and lyrics with section tags and non-ASCII text.

Second generation: prompt plain, instrumental, with a model, in m4a, unmoderated, in
non-ASCII text; compose with lyrics, without, seeds 0 and 42, several sound prompts with
strengths, the extreme strengths -1 and 1, lyrics_strength and weirdness at 0 and at 1,
moderation off, a model, and section tags with non-ASCII text.
"""

from __future__ import annotations

from typing import Any

from contract_tests._spec import Operation, SpecDocument

__all__ = ["CALLS", "FORMATS", "MODEL", "RIFF_CALLS", "TOPIC_CALLS", "matrix"]

FORMATS = ("wav", "m4a", "mp3")
#: The model the second generation's calls name: the default, which every backend lists.
MODEL = "FUZZ-2.0"

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
PROMPT_CALLS: dict[str, dict[str, Any]] = {
    "plain": {"prompt": "A chill lo-fi beat about rainy mornings in Tokyo"},
    "instrumental": {"prompt": "Epic orchestral battle music", "instrumental": True},
    "model": {"prompt": "Sea shanty about a lost sock", "model": MODEL},
    "m4a": {"prompt": "Bossa nova for a slow Sunday", "audio_format": "m4a"},
    "unmoderated": {"prompt": "Loud garage punk", "moderate_inputs": False},
    "unicode": {"prompt": "Une chanson sur le café ☕ et 東京の夜"},
}
COMPOSE_CALLS: dict[str, dict[str, Any]] = {
    "lyrics": {
        "sound_prompts": [{"text": "upbeat indie pop, female vocals"}],
        "lyrics": "Walking down the street tonight\nEvery light is mine",
    },
    "instrumental": {"sound_prompts": [{"text": "lo-fi piano"}], "lyrics": None},
    "seed-zero": {"sound_prompts": [{"text": "male singer, acoustic"}], "seed": 0},
    "seed": {"sound_prompts": [{"text": "female singer, acoustic"}], "lyrics": "Same", "seed": 42},
    "several-prompts": {
        "sound_prompts": [
            {"text": "upbeat indie pop, female vocals", "strength": 0.7},
            {"text": "shimmering synths", "strength": 0.3},
            {"text": "brushed drums", "strength": 0.5},
        ],
        "seed": 7,
    },
    "extreme-strengths": {
        "sound_prompts": [
            {"text": "jazz trio", "strength": 1.0},
            {"text": "distorted guitar", "strength": -1.0},
        ]
    },
    "silent-vocals": {
        "sound_prompts": [{"text": "folk"}],
        "lyrics": "Hardly heard",
        "lyrics_strength": 0.0,
    },
    "loud-vocals": {
        "sound_prompts": [{"text": "gospel"}],
        "lyrics": "Sing it out",
        "lyrics_strength": 1.0,
    },
    "plain-sound": {"sound_prompts": [{"text": "ambient pads"}], "weirdness": 0.0},
    "weird-sound": {"sound_prompts": [{"text": "ambient pads"}], "weirdness": 1.0},
    "unmoderated": {
        "sound_prompts": [{"text": "punk"}],
        "lyrics": "Loud words",
        "moderate_inputs": False,
    },
    "model-and-format": {
        "sound_prompts": [{"text": "synthwave"}],
        "model": MODEL,
        "audio_format": "m4a",
    },
    "section-tags": {
        "sound_prompts": [{"text": "anthemic rock"}],
        "lyrics": "[Verse]\nÇa va, 世界 🎵\n\n[Chorus]\nSing it loud",
    },
}

#: Operation id -> call name -> the caller's arguments.
CALLS: dict[str, dict[str, dict[str, Any]]] = {
    "create_from_topic": TOPIC_CALLS,
    "create_riff": RIFF_CALLS,
    "prompt": PROMPT_CALLS,
    "compose": COMPOSE_CALLS,
    "list_models": {"get": {}},
}


def matrix(document: SpecDocument) -> list[tuple[Operation, str, dict[str, Any]]]:
    """Every call of the document's operations: (operation, call name, arguments).

    KeyError for an operation the matrix has no calls for: a new operation must get some.
    """
    return [
        (operation, name, arguments)
        for operation in document.operations()
        for name, arguments in CALLS[operation.operation_id].items()
    ]
