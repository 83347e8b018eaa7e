"""Command-line options made from a request model: one ``--field-name`` per field of the spec.

The option's type, choices and help come from the generated model (its annotation, its
default and the spec's description), so a field added to the spec is an option of its
command once the code is regenerated. A value given on the command line is the only thing
that sets the field: options left out are not sent, and the service applies its defaults.
"""

from __future__ import annotations

import argparse
import json
import math
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pydantic
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

__all__ = ["add_field_options", "field_values", "option_name"]

#: Namespace attributes of the derived options start with this, so they never collide with
#: the hand-made options of the same command.
_PREFIX = "field__"
_NULL = "null"


def option_name(field: str) -> str:
    """``--lyrics-strength`` for the field ``lyrics_strength``."""
    return "--" + field.replace("_", "-")


def _nullable(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``None``, and whether ``None`` was part of it."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) < len(typing.get_args(annotation)):
            return (args[0] if len(args) == 1 else typing.Union[tuple(args)]), True  # noqa: UP007
    return annotation, False


def _number(kind: type[int] | type[float], nullable: bool) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        if nullable and text == _NULL:
            return None
        try:
            value = kind(text)
        except ValueError:
            what = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
        return value

    parse.__name__ = "integer" if kind is int else "number"
    return parse


def _text(nullable: bool) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        return text

    parse.__name__ = "text"
    return parse


def _json_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not JSON: {exc}") from None


_json_value.__name__ = "JSON"


def _help(info: FieldInfo, extra: str = "") -> str:
    description = (info.description or "").strip()
    # The first paragraph: the rest of a spec description explains choices, not usage.
    first = " ".join(description.split("\n\n")[0].split())
    if extra:
        first = first.rstrip(".") + extra
    if info.default is not PydanticUndefined and info.default is not None:
        default = info.default
        shown = json.dumps(default) if not isinstance(default, str) else default
        first += f" (service default: {shown})"
    return first.replace("%", "%%")


def add_field_options(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
    model: type[pydantic.BaseModel],
    *,
    skip: Iterable[str] = (),
) -> list[str]:
    """Add one option per field of ``model`` (but those in ``skip``); return their fields."""
    added = []
    skipped = set(skip)
    for name, info in model.model_fields.items():
        if name in skipped:
            continue
        annotation, nullable = _nullable(info.annotation)
        dest = _PREFIX + name
        flag = option_name(name)
        if annotation is bool:
            parser.add_argument(
                flag,
                dest=dest,
                action=argparse.BooleanOptionalAction,
                default=argparse.SUPPRESS,
                help=_help(info),
            )
        elif typing.get_origin(annotation) is typing.Literal:
            choices = [str(c) for c in typing.get_args(annotation)]
            parser.add_argument(
                flag, dest=dest, choices=choices, default=argparse.SUPPRESS, help=_help(info)
            )
        elif annotation in (int, float):
            null = f" ({_NULL} for none)" if nullable else ""
            parser.add_argument(
                flag,
                dest=dest,
                type=_number(annotation, nullable),
                default=argparse.SUPPRESS,
                metavar="N" if annotation is int else "X",
                help=_help(info, null),
            )
        elif annotation is str:
            parser.add_argument(
                flag,
                dest=dest,
                type=_text(nullable),
                default=argparse.SUPPRESS,
                metavar="TEXT",
                help=_help(info),
            )
        else:  # lists and objects: their JSON, checked by the model like everything else
            parser.add_argument(
                flag,
                dest=dest,
                type=_json_value,
                default=argparse.SUPPRESS,
                metavar="JSON",
                help=_help(info, " (as JSON)"),
            )
        added.append(name)
    return added


def field_values(args: argparse.Namespace, fields: Iterable[str]) -> dict[str, Any]:
    """The values given on the command line for these derived options."""
    given: Mapping[str, Any] = vars(args)
    return {name: given[_PREFIX + name] for name in fields if _PREFIX + name in given}
