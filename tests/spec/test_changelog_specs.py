"""tests/spec/changelog/ holds faithful OpenAPI 3.1 documents of the second generation's
releases: each is valid, and 0.4.2 equals the reference schema table field by field (the
spec-diff tests then pin what each earlier release differs by)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import OpenAPIV31SpecValidator

CHANGELOG = Path(__file__).resolve().parent / "changelog"
RELEASES = ["0.2.6", "0.3.2", "0.4.0", "0.4.2"]
REQUIRED = object()

# shared/reference/api.md, "Schema (0.4.2)": field -> (type, default or REQUIRED, nullable).
# A list type is written "array of NAME"; "m4a" is the one-value enum of audio_format.
REFERENCE_0_4_2: dict[str, dict[str, tuple[str, Any, bool]]] = {
    "PromptRequest": {
        "prompt": ("string", REQUIRED, False),
        "instrumental": ("boolean", False, False),
        "audio_format": ("m4a", "m4a", False),
        "moderate_inputs": ("boolean", True, False),
        "model": ("string", "FUZZ-2.0", False),
    },
    "PromptResponse": {
        "id": ("string", REQUIRED, False),
        "lyrics": ("string", None, True),
        "timestamped_lyrics": ("array of TimestampedWord", None, True),
        "sound_prompt": ("string", REQUIRED, False),
        "audio_format": ("m4a", REQUIRED, False),
        "audio_b64": ("string", REQUIRED, False),
        "title": ("string", REQUIRED, False),
    },
    "ComposeRequest": {
        "sound_prompts": ("array of SoundPrompt", REQUIRED, False),
        "lyrics": ("string", None, True),
        "lyrics_strength": ("number", 0.5, False),
        "audio_format": ("m4a", "m4a", False),
        "seed": ("integer", None, True),
        "moderate_inputs": ("boolean", True, False),
        "weirdness": ("number", 0.5, False),
        "model": ("string", "FUZZ-2.0", False),
    },
    "ComposeResponse": {
        "id": ("string", REQUIRED, False),
        "lyrics": ("string", None, True),
        "timestamped_lyrics": ("array of TimestampedWord", None, True),
        "sound_prompts": ("array of SoundPrompt", REQUIRED, False),
        "audio_b64": ("string", REQUIRED, False),
        "audio_format": ("m4a", REQUIRED, False),
        "title": ("string", REQUIRED, False),
    },
    "SoundPrompt": {"text": ("string", REQUIRED, False), "strength": ("number", 0.5, False)},
    "TimestampedWord": {"text": ("string", REQUIRED, False), "start": ("number", REQUIRED, False)},
}


def release(version: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((CHANGELOG / f"{version}.yaml").read_text())
    return document


def describe(field: dict[str, Any]) -> tuple[str, bool]:
    """(type as the reference writes it, nullable) of one property."""
    types = field["type"] if isinstance(field["type"], list) else [field["type"]]
    (kind,) = [name for name in types if name != "null"]
    if kind == "array":
        kind = "array of " + field["items"]["$ref"].rsplit("/", 1)[1]
    if field.get("enum") == ["m4a"]:
        kind = "m4a"
    return kind, "null" in types


@pytest.mark.parametrize("version", RELEASES)
def test_release_is_valid_openapi_3_1(version: str) -> None:
    document = release(version)
    assert document["openapi"].startswith("3.1.")
    assert document["info"]["version"] == version
    problems = [error.message for error in OpenAPIV31SpecValidator(document).iter_errors()]
    assert not problems, problems


@pytest.mark.parametrize("name", sorted(REFERENCE_0_4_2))
def test_release_0_4_2_equals_the_reference(name: str) -> None:
    schema = release("0.4.2")["components"]["schemas"][name]
    reference = REFERENCE_0_4_2[name]
    assert list(schema["properties"]) == list(reference)
    assert set(schema["required"]) == {f for f, (_, d, _) in reference.items() if d is REQUIRED}
    for field, (kind, default, nullable) in reference.items():
        prop = schema["properties"][field]
        assert describe(prop) == (kind, nullable), f"{name}.{field}"
        if default is not REQUIRED:
            assert prop["default"] == default, f"{name}.{field}"


def test_release_0_4_2_operations() -> None:
    paths = release("0.4.2")["paths"]
    assert {(method.upper(), path) for path, item in paths.items() for method in item} == {
        ("POST", "/prompt"),
        ("POST", "/compose"),
        ("GET", "/models"),
    }
    models = release("0.4.2")["components"]["responses"]["ModelNames"]
    assert models["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"type": "string"},
    }
