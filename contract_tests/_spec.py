"""The spec documents under test: where each is, what it declares, validators for values in it.

The documents are those ``riff_api_generated.DOCUMENTS`` names (``gen1``: spec/openapi.yaml,
``gen2``: spec/openapi-gen2.yaml), so a document added to ``scripts/regenerate`` reaches the
suite by regenerating. Everything else (operations, paths, body schemas, the base path below
which a backend serves them) is read from the documents themselves.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

__all__ = [
    "DOCUMENTS",
    "HTTP_METHODS",
    "ROOT",
    "Operation",
    "SpecDocument",
    "all_operations",
    "document_for_url",
    "document_named",
    "pointer",
]

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "spec"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) to a place in a spec."""
    escaped = (str(part).replace("~", "~0").replace("/", "~1") for part in parts)
    return "/" + "/".join(escaped)


@functools.cache
def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as file:
        loaded = yaml.safe_load(file)
    if not isinstance(loaded, dict):
        raise ValueError(f"{path} is not a YAML mapping")
    return loaded


@dataclass(frozen=True)
class SpecDocument:
    """One spec document: ``gen1`` (spec/openapi.yaml) or ``gen2`` (spec/openapi-gen2.yaml)."""

    #: The name of the generated sub-package made from it (``riff_api_generated.<name>``).
    name: str
    path: Path

    def __str__(self) -> str:
        return self.relative_path

    @property
    def relative_path(self) -> str:
        return self.path.relative_to(ROOT).as_posix()

    @property
    def uri(self) -> str:
        """A name for the document, so "$ref"s made at any depth resolve against all of it."""
        return f"urn:riff-api:{self.relative_path}"

    def load(self) -> dict[str, Any]:
        """The parsed document (cached: treat it as read-only, or use ``copy()``)."""
        return _load(self.path)

    def copy(self) -> dict[str, Any]:
        """A private, mutable copy of the document."""
        return copy.deepcopy(self.load())

    @property
    def live_url(self) -> str:
        """The live service's base URL: the document's first server."""
        return str(self.load()["servers"][0]["url"]).rstrip("/")

    @property
    def base_path(self) -> str:
        """The path below which a backend serves this document's operations (``/api/v1``)."""
        return urlsplit(self.live_url).path.rstrip("/")

    @property
    def security_scheme(self) -> str:
        return str(next(iter(self.load()["components"]["securitySchemes"])))

    def operations(self) -> list[Operation]:
        """Every operation of the document, in document order."""
        found = []
        for path, item in self.load().get("paths", {}).items():
            for method in HTTP_METHODS:
                if method in item:
                    found.append(Operation(self, item[method].get("operationId", ""), method, path))
        return found

    def operation(self, operation_id: str) -> Operation:
        for operation in self.operations():
            if operation.operation_id == operation_id:
                return operation
        raise KeyError(f"{self} has no operation {operation_id!r}")

    def resolve(self, value: Any) -> Any:
        """Follow a local ``$ref`` (``#/components/...``) until a value without one is reached."""
        seen: set[str] = set()
        while isinstance(value, dict) and isinstance(value.get("$ref"), str):
            ref = value["$ref"]
            if not ref.startswith("#/") or ref in seen:
                raise ValueError(
                    f"cannot resolve {ref!r}: only local, non-circular references are used"
                )
            seen.add(ref)
            value = self.load()
            for part in ref[2:].split("/"):
                value = value[part.replace("~1", "/").replace("~0", "~")]
        return value

    def response_schema_pointer(
        self, path: str, method: str, status: str, media_type: str = "application/json"
    ) -> str:
        """Pointer to the schema of one documented answer, through a ``$ref`` to components."""
        response = self.load()["paths"][path][method]["responses"][status]
        if "$ref" in response:
            base = response["$ref"].removeprefix("#")
            return f"{base}{pointer('content', media_type, 'schema')}"
        return pointer("paths", path, method, "responses", status, "content", media_type, "schema")

    def validator_for(self, schema_pointer: str) -> Any:
        """An OpenAPI 3.1 validator for the schema at ``schema_pointer`` in this document.

        The schema is reached by reference from the whole document, so any ``$ref`` inside
        it resolves against the document's own components, the way every OpenAPI tool reads it.
        """
        from openapi_schema_validator import OAS31Validator, oas31_format_checker
        from referencing import Registry
        from referencing.jsonschema import DRAFT202012

        registry: Registry[Any] = Registry().with_resource(
            self.uri, DRAFT202012.create_resource(self.load())
        )
        return OAS31Validator(
            {"$ref": f"{self.uri}#{schema_pointer}"},
            registry=registry,
            format_checker=oas31_format_checker,
        )

    def iter_media_examples(self) -> Iterator[tuple[str, str, Any]]:
        """Every example of a request or response body: (where, schema pointer, value).

        Covers ``example`` and ``examples`` of each media type in the operations' request
        bodies and responses, and in ``components/responses`` and ``components/requestBodies``
        (which the operations reach by ``$ref``).
        """
        spec = self.load()
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
                    example = self.resolve(entry)
                    if "value" in example:
                        yield pointer(*where, "examples", name), schema_at, example["value"]

    def iter_schema_values(self) -> Iterator[tuple[str, str, Any]]:
        """Every ``default``, ``example`` and ``examples`` item written inside a schema:
        (where, pointer of the schema it must fit, value)."""
        spec = self.load()
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


@dataclass(frozen=True)
class Operation:
    """One operation of a document, as schemathesis labels it (``POST /riff``)."""

    document: SpecDocument = field(repr=False)
    operation_id: str
    method: str
    path: str

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def test_id(self) -> str:
        """How tests name it: the document, then the operation (``gen2-compose``)."""
        return f"{self.document.name}-{self.operation_id}"

    @property
    def definition(self) -> dict[str, Any]:
        definition: dict[str, Any] = self.document.load()["paths"][self.path][self.method]
        return definition

    @property
    def body_schema_pointer(self) -> str | None:
        """Pointer to the JSON request body's schema; None for an operation without a body."""
        if "requestBody" not in self.definition:
            return None
        return pointer(
            "paths", self.path, self.method, "requestBody", "content", "application/json", "schema"
        )

    @property
    def body_schema(self) -> dict[str, Any] | None:
        """The request body's schema, its ``$ref`` followed; None without a body."""
        body = self.definition.get("requestBody")
        if body is None:
            return None
        schema: dict[str, Any] = self.document.resolve(
            self.document.resolve(body)["content"]["application/json"]["schema"]
        )
        return schema

    @property
    def body_fields(self) -> frozenset[str]:
        """The names of the request body's properties (none without a body)."""
        schema = self.body_schema
        return frozenset(schema.get("properties", {})) if schema else frozenset()

    @property
    def takes_inputs(self) -> bool:
        """Whether the caller gives it anything: a body or parameters (the key aside)."""
        return "requestBody" in self.definition or bool(self.definition.get("parameters"))

    @property
    def has_request_examples(self) -> bool:
        """Whether the document gives examples of its request (the examples phase sends them)."""
        body = self.document.resolve(self.definition.get("requestBody", {}))
        media = body.get("content", {}).get("application/json", {})
        parameters = [self.document.resolve(p) for p in self.definition.get("parameters", [])]
        return any("example" in m or m.get("examples") for m in (media, *parameters))

    def success_schema(self) -> dict[str, Any]:
        """The 200 answer's JSON schema, its ``$ref`` followed."""
        response = self.document.resolve(self.definition["responses"]["200"])
        schema: dict[str, Any] = self.document.resolve(
            response["content"]["application/json"]["schema"]
        )
        return schema


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


def _documents() -> tuple[SpecDocument, ...]:
    from riff_api_generated import DOCUMENTS as GENERATED

    return tuple(SpecDocument(name, SPEC_DIR / file) for name, file in GENERATED.items())


#: Every spec document, in the order of the generated packages (gen1, then gen2).
DOCUMENTS: tuple[SpecDocument, ...] = _documents()


def all_operations() -> list[Operation]:
    """Every operation of every document."""
    return [operation for document in DOCUMENTS for operation in document.operations()]


def document_named(name: str) -> SpecDocument:
    """The document called ``name`` (``gen2``) or at that path (``spec/openapi-gen2.yaml``)."""
    wanted = name.strip()
    for document in DOCUMENTS:
        if wanted in (document.name, document.relative_path, document.path.name) or (
            wanted and (ROOT / wanted).resolve() == document.path
        ):
            return document
    known = ", ".join(f"{d.name} ({d.relative_path})" for d in DOCUMENTS)
    raise ValueError(f"unknown spec document {name!r}; choose one of {known}")


def document_for_url(url: str) -> SpecDocument:
    """The document a backend at ``url`` serves: its server URL, else its base path.

    ``https://wb.riffusion.com/api/v1`` and ``http://127.0.0.1:8000/api/v1`` are the second
    generation; ``.../v1`` the first. The longest base path that ends the URL's path wins, so
    ``/api/v1`` is never read as ``/v1``. A URL that ends in neither raises ValueError: name
    the document with ``--spec``.
    """
    given = url.strip().rstrip("/")
    for document in DOCUMENTS:
        servers = {str(server["url"]).rstrip("/") for server in document.load()["servers"]}
        if given in servers:
            return document
    path = urlsplit(given).path.rstrip("/")
    for document in sorted(DOCUMENTS, key=lambda d: len(d.base_path), reverse=True):
        if document.base_path and path.endswith(document.base_path):
            return document
    paths = ", ".join(f"{d.base_path} ({d.name})" for d in DOCUMENTS)
    raise ValueError(
        f"cannot tell which spec document {url!r} serves: its path ends in none of {paths}; "
        "name it with --spec (or RIFF_CONTRACT_SPEC)"
    )
