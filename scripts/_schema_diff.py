"""How two JSON schemas of an OpenAPI 3.x document differ, and whether each change breaks
client code written against the old one. ``_spec_diff`` walks the operations and calls this.

Each change is first judged by what it does to the values the schema accepts (fewer: narrowed,
more: widened, neither: changed), then by who writes them. A request is written by the client,
so narrowing it can refuse what OLD's callers send; a response is read by the client, so
widening it can hand OLD's readers a value they do not expect. A removed field breaks both: a
caller's value is ignored or refused, a reader's value is gone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

__all__ = [
    "Change",
    "Direction",
    "Place",
    "SchemaDiff",
    "Source",
    "SpecError",
    "both_keys",
    "breaks",
    "fmt",
    "required_change",
    "transition",
]

Direction = Literal["request", "response"]
# What a change does to the set of values a schema accepts.
Effect = Literal["narrowed", "widened", "changed", "neutral"]

# Bounds: a larger upper bound or a smaller lower bound accepts more values.
_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_OTHER_CONSTRAINTS = ("pattern", "format", "multipleOf")
# Keywords that say something about a schema without changing which values it accepts.
_ANNOTATIONS = frozenset(
    {"title", "description", "default", "examples", "example", "deprecated", "$comment"}
)
# The keywords the comparison reads, and the shape each must have.
_SHAPES: dict[str, tuple[type, ...]] = {
    "type": (str, list),
    "enum": (list,),
    "required": (list,),
    "properties": (dict,),
    "allOf": (list,),
    "anyOf": (list,),
    "oneOf": (list,),
}


class SpecError(ValueError):
    """A file is not a readable OpenAPI 3.x document; the message names the file and why."""


class Source(Protocol):
    """One document as the comparison reads it: its name and its ``$ref`` follower."""

    name: str

    def resolve(self, node: Any) -> tuple[Any, str | None]:
        """``node`` with its ``$ref``s followed, and the last reference (None if none)."""
        ...


@dataclass(frozen=True)
class Change:
    """One difference: where it is, what changed, and whether OLD's client code breaks."""

    where: str
    what: str
    breaking: bool

    def __str__(self) -> str:
        return f"{'BREAKING' if self.breaking else 'non-breaking':<12}  {self.where} {self.what}"


@dataclass(frozen=True)
class Place:
    """Where a schema sits: a body, parameter or header, and the path of a field inside it."""

    prefix: str
    field: str = ""

    def __str__(self) -> str:
        return f"{self.prefix}: field '{self.field}'" if self.field else self.prefix

    def child(self, name: str) -> Place:
        return Place(self.prefix, f"{self.field}.{name}" if self.field else name)

    def items(self) -> Place:
        return Place(self.prefix, f"{self.field}[]") if self.field else Place(f"{self}: items")

    def alternative(self, number: int) -> Place:
        if self.field:
            return Place(self.prefix, f"{self.field} (alternative {number})")
        return Place(f"{self.prefix} (alternative {number})")


def both_keys(old: Iterable[Any], new: Iterable[Any]) -> list[Any]:
    """The keys of ``old`` in order, then those only ``new`` has."""
    seen = list(old)
    return [*seen, *(key for key in new if key not in seen)]


def fmt(value: Any) -> str:
    """A value as the report shows it: strings quoted, the rest as JSON."""
    return repr(value) if isinstance(value, str) else json.dumps(value, default=str)


def transition(name: str, was: Any, now: Any) -> str:
    """``name 'x' added``, ``name 'x' removed`` or ``name changed from 'x' to 'y'``."""
    if was is None:
        return f"{name} {fmt(now)} added"
    if now is None:
        return f"{name} {fmt(was)} removed"
    return f"{name} changed from {fmt(was)} to {fmt(now)}"


def breaks(effect: Effect, direction: Direction) -> bool:
    """Whether a change with this effect on a request or response breaks OLD's clients."""
    if effect == "neutral":
        return False
    return effect in ("changed", "narrowed" if direction == "request" else "widened")


def required_change(
    where: str | Place, was: bool, now: bool, direction: Direction
) -> Iterator[Change]:
    """A field, parameter, header or body made required (narrowed) or optional (widened)."""
    if was != now:
        what = "made required" if now else "made optional"
        yield Change(str(where), what, breaks("narrowed" if now else "widened", direction))


@dataclass(frozen=True)
class _View:
    """A schema reduced to what the comparison looks at (allOf merged, nullability apart)."""

    types: frozenset[str] | None  # None: any type
    nullable: bool
    enum: list[Any] | None
    raw: Mapping[str, Any]
    alternatives: list[Any]


def _fmt_types(types: frozenset[str] | None) -> str:
    return " or ".join(sorted(types)) if types else "any type"


def _type_effect(old: frozenset[str] | None, new: frozenset[str] | None) -> Effect | None:
    if old == new:
        return None
    if old is None or new is None:
        return "narrowed" if old is None else "widened"

    # Every integer is a number, so number -> integer narrows and integer -> number widens.
    def expand(types: frozenset[str]) -> frozenset[str]:
        return types | {"integer"} if "number" in types else types

    if expand(old) <= expand(new):
        return "widened"
    return "narrowed" if expand(new) <= expand(old) else "changed"


def _bound_effect(keyword: str, old: Any, new: Any) -> Effect:
    if old is None or new is None:
        return "narrowed" if old is None else "widened"
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (old, new))
    if keyword in _OTHER_CONSTRAINTS or not numbers:
        return "changed"
    return "widened" if (new > old) == (keyword in _UPPER) else "narrowed"


def _check_shape(doc: Source, schema: Any, place: Place) -> None:
    """``SpecError`` unless ``schema`` is a mapping whose keywords we read have their shape."""
    if not isinstance(schema, dict):
        raise SpecError(f"{doc.name}: {place}: the schema is not a mapping")
    for keyword, kinds in _SHAPES.items():
        value = schema.get(keyword)
        strings = keyword in ("type", "required") and isinstance(value, list)
        if value is not None and (
            not isinstance(value, kinds) or (strings and not all(isinstance(v, str) for v in value))
        ):
            raise SpecError(f"{doc.name}: {place}: '{keyword}' is malformed ({fmt(value)})")


class SchemaDiff:
    """Compares the schemas of two documents."""

    def __init__(self, old: Source, new: Source) -> None:
        self.old = old
        self.new = new

    def compare(
        self,
        place: Place,
        old_raw: Any,
        new_raw: Any,
        direction: Direction,
        seen: frozenset[tuple[str, str]] = frozenset(),
    ) -> Iterator[Change]:
        """Every change from the schema ``old_raw`` to ``new_raw`` (either may be a $ref)."""
        _, old_ref = self.old.resolve(old_raw)
        _, new_ref = self.new.resolve(new_raw)
        if old_ref is not None and new_ref is not None:
            if (old_ref, new_ref) in seen:  # a recursive schema: this pair is being compared
                return
            seen = seen | {(old_ref, new_ref)}
        old, new = self._view(self.old, old_raw, place), self._view(self.new, new_raw, place)

        def change(what: str, effect: Effect, at: Place = place) -> Change:
            return Change(str(at), what, breaks(effect, direction))

        effect = _type_effect(old.types, new.types)
        if effect is not None:
            verb = "changed" if effect == "changed" else effect
            yield change(
                f"type {verb} from {_fmt_types(old.types)} to {_fmt_types(new.types)}", effect
            )
            if effect == "changed":  # a different kind of value: what is inside no longer matches
                return
        if old.nullable != new.nullable:
            yield change(
                "made nullable" if new.nullable else "no longer nullable",
                "widened" if new.nullable else "narrowed",
            )
        for what, effect in self._enum(old, new):
            yield change(what, effect)
        if old.raw.get("default") != new.raw.get("default"):
            yield change(
                transition("default", old.raw.get("default"), new.raw.get("default")), "neutral"
            )
        for what, effect in self._constraints(old.raw, new.raw):
            yield change(what, effect)
        yield from self._properties(place, old.raw, new.raw, direction, seen)
        if "items" in old.raw or "items" in new.raw:
            yield from self.compare(
                place.items(), old.raw.get("items", {}), new.raw.get("items", {}), direction, seen
            )
        for index in range(max(len(old.alternatives), len(new.alternatives))):
            branch = place.alternative(index + 1)
            if index >= len(new.alternatives):
                yield change("removed", "narrowed", branch)
            elif index >= len(old.alternatives):
                yield change("added", "widened", branch)
            else:
                yield from self.compare(
                    branch, old.alternatives[index], new.alternatives[index], direction, seen
                )

    def _view(self, doc: Source, raw: Any, place: Place) -> _View:
        schema = self._merge_all_of(doc, raw, place)
        types = schema.get("type")
        type_set = (
            frozenset([types] if isinstance(types, str) else types) if types is not None else None
        )
        nullable = bool(schema.get("nullable")) or (type_set is not None and "null" in type_set)
        enum = [schema["const"]] if "const" in schema else schema.get("enum")
        if enum is not None and None in enum:
            nullable, enum = True, [value for value in enum if value is not None]
        branches = [doc.resolve(b)[0] for b in schema.get("anyOf") or schema.get("oneOf") or []]
        alternatives = [
            b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")
        ]
        nullable = nullable or len(alternatives) < len(branches)
        if len(alternatives) == 1 and not set(schema) - _ANNOTATIONS - {"anyOf", "oneOf"}:
            # `anyOf: [X, {type: 'null'}]` is how 3.1 writes "X or null": the same as X, nullable.
            inner = self._view(doc, alternatives[0], place)
            outer = {key: value for key, value in schema.items() if key not in ("anyOf", "oneOf")}
            return _View(inner.types, True, inner.enum, {**inner.raw, **outer}, [])
        if type_set is None and "properties" in schema:
            type_set = frozenset({"object"})
        elif type_set is None and "items" in schema:
            type_set = frozenset({"array"})
        if type_set is not None:
            type_set = (type_set - {"null"}) or None
        return _View(type_set, nullable, enum, schema, alternatives if len(branches) > 1 else [])

    def _merge_all_of(
        self, doc: Source, raw: Any, place: Place, within: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """The schema with the parts of its ``allOf`` merged in (properties, required, the rest)."""
        schema, ref = doc.resolve(raw)
        # None: no schema given; a boolean: 3.1's schema that accepts anything (or nothing).
        if schema is None or isinstance(schema, bool) or ref in within:
            return {}  # ref in within: an allOf that includes itself
        _check_shape(doc, schema, place)
        if "allOf" not in schema:
            return schema
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        properties = dict(merged.get("properties") or {})
        required = list(merged.get("required") or [])
        for part in schema["allOf"]:
            sub = self._merge_all_of(doc, part, place, within | {ref} if ref else within)
            properties.update(sub.get("properties") or {})
            required += [name for name in sub.get("required") or [] if name not in required]
            for key, value in sub.items():
                merged.setdefault(key, value)
        merged["properties"], merged["required"] = properties, required
        return merged

    @staticmethod
    def _enum(old: _View, new: _View) -> Iterator[tuple[str, Effect]]:
        if old.enum is None and new.enum is None:
            return
        if new.enum is None:
            was = ", ".join(map(fmt, old.enum or []))
            yield f"no longer an enum: any {_fmt_types(new.types)} allowed (was {was})", "widened"
        elif old.enum is None:
            yield f"now an enum: one of {', '.join(map(fmt, new.enum))}", "narrowed"
        else:
            added = [value for value in new.enum if value not in old.enum]
            removed = [value for value in old.enum if value not in new.enum]
            if added:
                yield f"enum widened: {', '.join(map(fmt, added))} added", "widened"
            if removed:
                yield f"enum narrowed: {', '.join(map(fmt, removed))} removed", "narrowed"

    @staticmethod
    def _constraints(
        old: Mapping[str, Any], new: Mapping[str, Any]
    ) -> Iterator[tuple[str, Effect]]:
        for keyword in (*_UPPER, *_LOWER, *_OTHER_CONSTRAINTS):
            was, now = old.get(keyword), new.get(keyword)
            if was != now:
                yield transition(keyword, was, now), _bound_effect(keyword, was, now)
        # additionalProperties: false closes an object to the keys it lists.
        was_closed = old.get("additionalProperties") is False
        now_closed = new.get("additionalProperties") is False
        if was_closed != now_closed:
            if now_closed:
                yield "closed to unlisted fields", "narrowed"
            else:
                yield "open to unlisted fields", "widened"

    def _properties(
        self,
        place: Place,
        old: Mapping[str, Any],
        new: Mapping[str, Any],
        direction: Direction,
        seen: frozenset[tuple[str, str]],
    ) -> Iterator[Change]:
        old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
        old_required, new_required = set(old.get("required") or []), set(new.get("required") or [])
        for name in both_keys(old_props, new_props):
            field = place.child(name)
            if name not in new_props:
                yield Change(str(field), "removed", True)
            elif name not in old_props:
                # A new field a caller must send breaks it; one a reader may ignore does not.
                required = name in new_required
                what = "added, required" if required else "added (optional)"
                yield Change(str(field), what, required and direction == "request")
            else:
                # Optional in a response: readers can find the field missing (widened).
                yield from required_change(
                    field, name in old_required, name in new_required, direction
                )
                yield from self.compare(field, old_props[name], new_props[name], direction, seen)
