"""spec/openapi.yaml's five schemas equal the reference table field by field; the generated
models agree with the spec."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import riff_api
from riff_api_generated.gen1 import models

SPEC = Path(__file__).resolve().parents[2] / "spec" / "openapi.yaml"

REQUIRED = object()

# shared/reference/api.md, "Schema": field -> (type, default or REQUIRED, nullable).
# "string" for TopicRequest.audio_format: the reference's free string, which the spec narrows
# to the three formats RiffRequest allows (the reason is in the spec's description).
REFERENCE: dict[str, dict[str, tuple[str, Any, bool]]] = {
    "TopicRequest": {
        "topic": ("string", REQUIRED, False),
        "audio_format": ("string", "wav", False),
    },
    "TimestampedWord": {
        "text": ("string", REQUIRED, False),
        "start_s": ("number", REQUIRED, False),
    },
    "Prompt": {
        "text": ("string", REQUIRED, False),
        "strength": ("number", 4.0, False),
        "start_s": ("number", 0.0, False),
        "end_s": ("number", 30.0, False),
    },
    "RiffRequest": {
        "prompts": ("array:Prompt", REQUIRED, False),
        "lyrics": ("string", None, True),
        "seed": ("integer", None, True),
        "audio_format": ("string", "wav", False),
        "moderate_inputs": ("boolean", True, False),
    },
    # Every key of the response is always present: all required, no defaults.
    "RiffResponse": {
        "id": ("string", REQUIRED, False),
        "audio_b64": ("string", REQUIRED, False),
        "lyrics": ("string", REQUIRED, True),
        "timestamped_lyrics": ("array:TimestampedWord", REQUIRED, True),
        "prompts": ("array:Prompt", REQUIRED, False),
    },
}
ENUMS = {("RiffRequest", "audio_format"): ["wav", "m4a", "mp3"]}


@pytest.fixture(scope="module")
def schemas() -> dict[str, Any]:
    return yaml.safe_load(SPEC.read_text())["components"]["schemas"]


def _type_of(prop: dict[str, Any]) -> tuple[str, bool]:
    types = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
    nullable = "null" in types
    (main,) = [t for t in types if t != "null"]
    if main == "array":
        main = "array:" + prop["items"]["$ref"].rsplit("/", 1)[1]
    return main, nullable


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_schema_equals_reference(schemas: dict[str, Any], name: str) -> None:
    schema = schemas[name]
    assert schema["type"] == "object"
    assert list(schema["properties"]) == list(REFERENCE[name])
    required = {f for f, (_, default, _) in REFERENCE[name].items() if default is REQUIRED}
    assert set(schema.get("required", [])) == required
    for field, (type_, default, nullable) in REFERENCE[name].items():
        prop = schema["properties"][field]
        assert _type_of(prop) == (type_, nullable), f"{name}.{field}"
        if default is REQUIRED:
            assert "default" not in prop, f"{name}.{field}"
        else:
            assert prop["default"] == default, f"{name}.{field}"
            assert type(prop["default"]) is type(default), f"{name}.{field}"
        assert prop.get("description"), f"{name}.{field} has no description"
    for (schema_name, field), values in ENUMS.items():
        if schema_name == name:
            assert schema["properties"][field]["enum"] == values


def test_topic_audio_format_choice_is_documented(schemas: dict[str, Any]) -> None:
    prop = schemas["TopicRequest"]["properties"]["audio_format"]
    assert prop["enum"] == ["wav", "m4a", "mp3"]
    assert "free" in prop["description"]
    assert "string" in prop["description"]


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_generated_models_follow_the_spec(schemas: dict[str, Any], name: str) -> None:
    model = getattr(models, name)
    # The generated model has the spec's fields, in the spec's order, no more and no fewer...
    assert list(model.model_fields) == list(schemas[name]["properties"])
    required = {field for field, info in model.model_fields.items() if info.is_required()}
    assert required == set(schemas[name].get("required", []))
    # ... and the facade's model is that model (or adds behaviour to it), not a copy.
    assert issubclass(getattr(riff_api, name), model)
    for field, (_, default, _) in REFERENCE[name].items():
        info = model.model_fields[field]
        if default is REQUIRED:
            assert info.is_required(), f"{name}.{field}"
        else:
            assert info.default == default, f"{name}.{field}"


def test_operations_are_declared_with_security(schemas: dict[str, Any]) -> None:
    spec = yaml.safe_load(SPEC.read_text())
    assert spec["servers"][0]["url"] == "https://backend.riffusion.com/v1"
    assert spec["components"]["securitySchemes"]["apiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Api-Key",
        "description": spec["components"]["securitySchemes"]["apiKey"]["description"],
    }
    assert spec["security"] == [{"apiKey": []}]
    for path, request in (("/topic", "TopicRequest"), ("/riff", "RiffRequest")):
        operation = spec["paths"][path]["post"]
        assert operation["operationId"]
        assert operation["security"] == [{"apiKey": []}]
        body = operation["requestBody"]["content"]["application/json"]
        assert body["schema"]["$ref"].endswith(request)
        assert body["examples"]
        assert set(operation["responses"]) == {
            "200",
            "400",
            "401",
            "413",
            "415",
            "422",
            "429",
            "500",
            "503",
        }
