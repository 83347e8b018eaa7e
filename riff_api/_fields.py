"""From a caller's keyword arguments to an operation's request model, checked before sending.

Every field of a request model is a keyword argument of its client method, typed by the
generated TypedDicts (``riff_api_generated.<gen>.params``), so a field added to the spec
reaches the methods, the CLI and batch by regenerating. What is hand-written here is only
what is nicer than the schema: ``CONVERSIONS``, one small table of per-field conveniences
(a prompt given as its plain text), applied before the model validates the values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pydantic

__all__ = ["CONVERSIONS", "build_request", "field_names"]


def _as_texts(field: str) -> Callable[[Any], Any]:
    """A list whose plain-string items stand for objects with only their ``text`` set."""

    def convert(value: Any) -> Any:
        if isinstance(value, str | bytes | Mapping | pydantic.BaseModel) or not isinstance(
            value, Sequence
        ):
            raise TypeError(
                f"{field} must be a list, e.g. [{{'text': 'lo-fi piano'}}] or ['lo-fi']"
            )
        return [{"text": item} if isinstance(item, str) else item for item in value]

    return convert


def _sentence(field: str) -> Callable[[Any], Any]:
    """A text that must say something: the service would only make a random song of it."""

    def convert(value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            raise ValueError(f"{field} must be a non-empty sentence, e.g. 'Indie pop about my dog'")
        return value

    return convert


#: (request model's name, field) -> what the caller's value becomes before validation.
CONVERSIONS: Mapping[tuple[str, str], Callable[[Any], Any]] = {
    ("TopicRequest", "topic"): _sentence("topic"),
    ("RiffRequest", "prompts"): _as_texts("prompts"),
    ("PromptRequest", "prompt"): _sentence("prompt"),
    ("ComposeRequest", "sound_prompts"): _as_texts("sound_prompts"),
}


def field_names(model: type[pydantic.BaseModel]) -> tuple[str, ...]:
    """The request model's fields, in the spec's order."""
    return tuple(model.model_fields)


def build_request(
    model: type[pydantic.BaseModel], values: Mapping[str, Any], *, caller: str
) -> pydantic.BaseModel:
    """``model`` from the caller's ``values``: only those fields count as set (and are sent).

    An unknown name is a TypeError, as for any Python function; a bad value is pydantic's
    ValidationError (a ValueError) naming the field.
    """
    unknown = sorted(set(values) - set(model.model_fields))
    if unknown:
        known = ", ".join(model.model_fields)
        raise TypeError(
            f"{caller}() got an unexpected keyword argument {unknown[0]!r}; "
            f"the fields of {model.__name__} are: {known}"
        )
    converted = {
        name: CONVERSIONS.get((model.__name__, name), _same)(value)
        for name, value in values.items()
    }
    return model.model_validate(converted)


def _same(value: Any) -> Any:
    return value
