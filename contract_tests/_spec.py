"""The spec under test: where it is, what it declares, and validators for values inside it."""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "HTTP_METHODS",
    "ROOT",
    "SPEC_PATH",
    "SPEC_URI",
    "Operation",
    "iter_media_examples",
    "iter_schema_values",
    "load_spec",
    "operations",
    "pointer",
    "resolve",
    "response_schema_pointer",
    "spec_dict",
    "validator_for",
]

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "spec" / "openapi.yaml"
# A name for the spec document, so "$ref"s made at any depth resolve against the whole document.
SPEC_URI = "urn:riff-api:spec/openapi.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Operation:
    """One operation of the spec, as schemathesis labels it (``POST /riff``)."""

    operation_id: str
    method: str
    path: str

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


@functools.cache
def load_spec() -> dict[str, Any]:
    """The parsed spec (cached: treat it as read-only, or use ``spec_dict()`` for a copy)."""
    with SPEC_PATH.open(encoding="utf-8") as file:
        loaded = yaml.safe_load(file)
    if not isinstance(loaded, dict):
        raise ValueError(f"{SPEC_PATH} is not a YAML mapping")
    return loaded


def spec_dict() -> dict[str, Any]:
    """A private, mutable copy of the spec."""
    return copy.deepcopy(load_spec())


def operations() -> list[Operation]:
    """Every operation of the spec, in document order."""
    found = []
    for path, item in load_spec().get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                found.append(Operation(item[method].get("operationId", ""), method, path))
    return found


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) to a place in the spec."""
    escaped = (str(part).replace("~", "~0").replace("/", "~1") for part in parts)
    return "/" + "/".join(escaped)


def response_schema_pointer(
    path: str, method: str, status: str, media_type: str = "application/json"
) -> str:
    """Pointer to the schema of one documented answer, through a ``$ref`` to components."""
    response = load_spec()["paths"][path][method]["responses"][status]
    if "$ref" in response:
        base = response["$ref"].removeprefix("#")
        return f"{base}{pointer('content', media_type, 'schema')}"
    return pointer("paths", path, method, "responses", status, "content", media_type, "schema")


def validator_for(schema_pointer: str) -> Any:
    """An OpenAPI 3.1 validator for the schema at ``schema_pointer`` in the spec.

    The schema is reached by reference from the whole document, so any ``$ref`` inside it
    resolves against the spec's own components, the way every OpenAPI tool reads it.
    """
    from openapi_schema_validator import OAS31Validator, oas31_format_checker
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    registry: Registry[Any] = Registry().with_resource(
        SPEC_URI, DRAFT202012.create_resource(load_spec())
    )
    return OAS31Validator(
        {"$ref": f"{SPEC_URI}#{schema_pointer}"},
        registry=registry,
        format_checker=oas31_format_checker,
    )


def resolve(value: Any) -> Any:
    """Follow a local ``$ref`` (``#/components/...``) until a value without one is reached."""
    seen: set[str] = set()
    while isinstance(value, dict) and isinstance(value.get("$ref"), str):
        ref = value["$ref"]
        if not ref.startswith("#/") or ref in seen:
            raise ValueError(
                f"cannot resolve {ref!r}: only local, non-circular references are used"
            )
        seen.add(ref)
        value = load_spec()
        for part in ref[2:].split("/"):
            value = value[part.replace("~1", "/").replace("~0", "~")]
    return value


def iter_media_examples() -> Iterator[tuple[str, str, Any]]:
    """Every example of a request or response body: (where, schema pointer, value).

    Covers ``example`` and ``examples`` of each media type in the operations' request
    bodies and responses, and in ``components/responses`` and ``components/requestBodies``
    (which the operations reach by ``$ref``).
    """
    spec = load_spec()
    holders: list[tuple[tuple[str | int, ...], dict[str, Any]]] = []
    for path, item in spec.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody")
            if body is not None and "$ref" not in body:
                holders.append((("paths", path, method, "requestBody"), body))
            for status, response in operation.get("responses", {}).items():
                if "$ref" not in response:
                    holders.append((("paths", path, method, "responses", status), response))
    components = spec.get("components", {})
    for kind in ("responses", "requestBodies"):
        for name, value in components.get(kind, {}).items():
            holders.append((("components", kind, name), value))
    for base, holder in holders:
        for media_type, media in holder.get("content", {}).items():
            where = (*base, "content", media_type)
            schema_at = pointer(*where, "schema")
            if "example" in media:
                yield pointer(*where, "example"), schema_at, media["example"]
            for name, entry in media.get("examples", {}).items():
                example = resolve(entry)
                if "value" in example:
                    yield pointer(*where, "examples", name), schema_at, example["value"]


# Keywords whose value is one schema, a list of schemas, or a map of names to schemas.
_ONE_SCHEMA = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
)
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")


def _walk_schema(
    at: tuple[str | int, ...], schema: Any
) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    if not isinstance(schema, dict):
        return
    yield at, schema
    for key in _ONE_SCHEMA:
        if key in schema:
            yield from _walk_schema((*at, key), schema[key])
    for key in _SCHEMA_LISTS:
        for index, sub in enumerate(schema.get(key, [])):
            yield from _walk_schema((*at, key, index), sub)
    for key in _SCHEMA_MAPS:
        for name, sub in schema.get(key, {}).items():
            yield from _walk_schema((*at, key, name), sub)


def _schema_roots(
    at: tuple[str | int, ...], node: Any
) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every "schema" of a media type, parameter or header, anywhere outside components/schemas."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "schema" and isinstance(value, dict):
                yield (*at, key), value
            elif not (at == ("components",) and key == "schemas"):
                yield from _schema_roots((*at, key), value)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _schema_roots((*at, index), value)


def iter_schema_values() -> Iterator[tuple[str, str, Any]]:
    """Every ``default``, ``example`` and ``examples`` item written inside a schema:
    (where, pointer of the schema it must fit, value)."""
    spec = load_spec()
    roots: list[tuple[tuple[str | int, ...], Any]] = [
        (("components", "schemas", name), schema)
        for name, schema in spec.get("components", {}).get("schemas", {}).items()
    ]
    roots.extend(_schema_roots((), spec))
    for root_at, root in roots:
        for at, schema in _walk_schema(root_at, root):
            schema_at = pointer(*at)
            if "default" in schema:
                yield f"{schema_at}/default", schema_at, schema["default"]
            if "example" in schema:
                yield f"{schema_at}/example", schema_at, schema["example"]
            for index, value in enumerate(schema.get("examples", [])):
                yield f"{schema_at}/examples/{index}", schema_at, value
