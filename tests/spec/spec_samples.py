"""Values made from the generated models, for tests that walk every field of the spec.

``sample(annotation)`` is a JSON value the annotation accepts, ``wrong(annotation)`` one it
refuses; ``sample_answer(operation)`` a success body of an operation (a real little wav for
``audio_b64``). Nothing here names an operation or a field: a field added to the spec is
walked like the others.
"""

from __future__ import annotations

import base64
import io
import json
import types
import typing
import wave
from typing import Any

import pydantic
from pydantic_core import PydanticUndefined

__all__ = ["argv_value", "required_sample", "sample", "sample_answer", "strip_none", "wrong"]


def strip_none(annotation: Any) -> tuple[Any, bool]:
    """The annotation without None, and whether None was in it."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1 and len(args) < len(typing.get_args(annotation)):
            return args[0], True
    return annotation, False


def _wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes(b"\x01\x00" * 2 * 441)
    return buffer.getvalue()


AUDIO_B64 = base64.b64encode(_wav()).decode()


def sample(annotation: Any, default: Any = PydanticUndefined) -> Any:
    """A JSON value ``annotation`` accepts, and when possible not ``default``."""
    annotation, _ = strip_none(annotation)
    origin = typing.get_origin(annotation)
    if annotation is bool:
        return default is not True
    if annotation is int:
        return 7 if default != 7 else 8
    if annotation is float:
        return 0.25 if default != 0.25 else 0.5
    if annotation is str:
        return "walked"
    if origin is typing.Literal:
        choices = typing.get_args(annotation)
        return next((c for c in reversed(choices) if c != default), choices[0])
    if origin is list:
        (item,) = typing.get_args(annotation)
        return [sample(item)]
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return required_sample(annotation)
    raise NotImplementedError(f"no sample for {annotation!r}: teach spec_samples this type")


def wrong(annotation: Any) -> Any:
    """A JSON value of the wrong type for ``annotation``."""
    annotation, _ = strip_none(annotation)
    return 12345 if annotation is str else "not-this"


def required_sample(model: type[pydantic.BaseModel]) -> dict[str, Any]:
    """The model's required fields, each with a sample value."""
    return {
        name: sample(info.annotation)
        for name, info in model.model_fields.items()
        if info.is_required()
    }


def _answer_value(name: str, annotation: Any) -> Any:
    if name == "audio_b64":
        return AUDIO_B64
    if name == "id":
        return "0b5a3f3e-6d7c-4a53-9f0e-2f1f8f1c2a11"
    return sample(annotation)


def sample_answer(operation: Any) -> Any:
    """A valid success body for ``operation`` (every field present, audio a real wav)."""
    response = operation.response_type
    if isinstance(response, type) and issubclass(response, pydantic.BaseModel):
        return {
            name: _answer_value(name, info.annotation)
            for name, info in response.model_fields.items()
        }
    return sample(response)


def argv_value(value: Any) -> str:
    """A value as one command-line word of its derived option."""
    return value if isinstance(value, str) else json.dumps(value)
