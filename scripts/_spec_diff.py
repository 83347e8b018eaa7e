"""What changed between two OpenAPI 3.x documents, and whether it breaks client code written
against the old one.

    changes = compare(Path("old.yaml"), Path("new.yaml"))    # list[Change]: where, what, breaking
    print(format_report(changes))                            # one line per change, then a count

Operations are matched by method and path; local ``$ref``s are followed (components/schemas,
responses, parameters, requestBodies, headers). Per operation: added or removed, operationId,
deprecation, parameters, the request body and each response (status, headers, media types),
and in every schema the fields, types, nullability (3.0's ``nullable``, 3.1's
``type: [x, 'null']`` and ``anyOf`` with a null branch), enums, defaults, bounds, ``allOf``
and the branches of ``oneOf``/``anyOf``; ``_schema_diff`` says how each schema change is judged.
Not compared: security, servers, callbacks, links, examples, and components no operation uses.

Why our own comparison: no diff tool the project's registries (PyPI, npm, Debian) offer is
both maintained and right on OpenAPI 3.1. Tried on 2026-12-01 on 23 pairs of documents: the
change log's three steps (tests/spec/changelog/) and their reverses, 16 edits of those
documents (9 breaking, 6 not, an unchanged copy) and spec/openapi.yaml against itself:
  * openapi-diff 0.24.1 (Atlassian, npm): refuses 3.1 ("Swagger Parser only supports versions
    3.0.0, 3.0.1, 3.0.2, 3.0.3").
  * Optic 1.0.9 (@useoptic/optic, npm): its repository is archived and 1.0.9 is its last
    release; as npm resolves it today it crashes at start (two ajv copies; an override to ajv
    8.17.1 fixes that); 630 packages, 211 MB; 3.5-7 s a comparison, 3.5 s of it CPU. Once
    running it judged 22 of the 23 pairs right, nullability included, but let a removed request
    field pass (0.3 -> 0.2), and says which change breaks only in its human-readable text.
  * api-smart-diff 1.0.6 (npm): documents OpenAPI 3.0 only; 9 of the 23 verdicts wrong (a
    removed response field or a request field made required "non-breaking", a response field
    added or a default changed "breaking", 0.4.0 -> 0.4.2's enum made a free string "breaking").
  * openapi-changes 0.0.67 (@pb33f, npm): its install downloads a binary from outside the
    registries, which fails here.
  * oasdiff: a Go program only (npm's "oasdiff" is an empty placeholder; nothing on PyPI or in
    Debian), and Go modules are not among the registries the project's machines reach.
``scripts/spec-diff`` is the command.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from _schema_diff import (
    Change,
    Direction,
    Place,
    SchemaDiff,
    SpecError,
    both_keys,
    required_change,
    transition,
)

__all__ = ["Change", "SpecError", "compare", "compare_documents", "format_report", "load_spec"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_OPENAPI_3 = re.compile(r"3\.\d+(\.\d+)?(-[\w.]+)?")
_JSON = "application/json"
# libyaml's loader when PyYAML was built with it: four times faster on our spec.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def format_report(changes: list[Change]) -> str:
    """One line per change, then a count of them and of the breaking ones."""
    if not changes:
        return "no changes"
    broken = sum(change.breaking for change in changes)
    noun = "change" if len(changes) == 1 else "changes"
    summary = (
        f"{len(changes)} {noun}, {broken or 'none'} breaking "
        "for client code written against the old document"
    )
    return "\n".join([*map(str, changes), summary])


def load_spec(path: Path) -> dict[str, Any]:
    """The document at ``path``, checked to be OpenAPI 3.x; ``SpecError`` says why not."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"{path}: cannot be read ({exc})") from None
    try:
        doc = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or exc
        raise SpecError(f"{path}: not YAML or JSON: {problem}{at}") from None
    _check_document(doc, str(path))
    return doc


def _check_document(doc: Any, name: str) -> None:
    if not isinstance(doc, dict):
        raise SpecError(f"{name}: not an OpenAPI document: its top level is not a mapping")
    version = doc.get("openapi")
    if version is None:
        swagger = f" (it is Swagger {doc['swagger']}, OpenAPI 2)" if "swagger" in doc else ""
        raise SpecError(f"{name}: not an OpenAPI 3.x document: no 'openapi' field{swagger}")
    if not isinstance(version, str) or not _OPENAPI_3.fullmatch(version):
        raise SpecError(f"{name}: not an OpenAPI 3.x document: 'openapi' is {version!r}")
    if not isinstance(doc.get("paths") or {}, dict):
        raise SpecError(f"{name}: not an OpenAPI 3.x document: 'paths' is not a mapping")


def compare(old: Path, new: Path) -> list[Change]:
    """Every change from the document ``old`` to ``new``; ``SpecError`` if one is unreadable."""
    return compare_documents(load_spec(old), load_spec(new), str(old), str(new))


def compare_documents(
    old: Mapping[str, Any], new: Mapping[str, Any], old_name: str = "old", new_name: str = "new"
) -> list[Change]:
    """``compare`` for documents already loaded (the names go into error messages)."""
    _check_document(old, old_name)
    _check_document(new, new_name)
    return list(_Comparison(_Document(old, old_name), _Document(new, new_name)).documents())


class _Document:
    def __init__(self, data: Mapping[str, Any], name: str) -> None:
        self.data = data
        self.name = name

    def resolve(self, node: Any) -> tuple[Any, str | None]:
        """``node`` with its ``$ref``s followed, and the last reference (None if none)."""
        chain: list[str] = []
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in chain:
                raise SpecError(f"{self.name}: $ref cycle {' -> '.join([*chain, ref])}")
            chain.append(ref)
            target = self._pointer(ref)
            # OpenAPI 3.1 lets a $ref carry sibling keywords (a description, a default...).
            siblings = {key: value for key, value in node.items() if key != "$ref"}
            node = {**target, **siblings} if siblings and isinstance(target, dict) else target
        return node, (chain[-1] if chain else None)

    def mapping(self, node: Any, where: str) -> dict[str, Any]:
        """``node`` resolved (an empty mapping for none); ``SpecError`` if it is no mapping."""
        node, _ = self.resolve(node)
        if node is None:
            return {}
        if not isinstance(node, dict):
            raise SpecError(f"{self.name}: {where} is not a mapping")
        return node

    def sequence(self, node: Any, where: str) -> list[Any]:
        """``node`` as a list (an empty one for none); ``SpecError`` if it is no list."""
        if node is None:
            return []
        if not isinstance(node, list):
            raise SpecError(f"{self.name}: {where} is not a list")
        return node

    def _pointer(self, ref: str) -> Any:
        if not ref.startswith("#"):
            raise SpecError(f"{self.name}: $ref {ref!r} points outside the document (unsupported)")
        node: Any = self.data
        for part in filter(None, ref[1:].split("/")):
            key = unquote(part).replace("~1", "/").replace("~0", "~")
            if isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            elif isinstance(node, dict) and key in node:
                node = node[key]
            else:
                raise SpecError(f"{self.name}: $ref {ref!r} does not resolve")
        return node


def _info_version(doc: Mapping[str, Any]) -> Any:
    info = doc.get("info")
    return info.get("version") if isinstance(info, dict) else None


class _Comparison:
    def __init__(self, old: _Document, new: _Document) -> None:
        self.old = old
        self.new = new
        self.schemas = SchemaDiff(old, new)

    def documents(self) -> Iterator[Change]:
        for label, old, new in (
            ("OpenAPI version", self.old.data.get("openapi"), self.new.data.get("openapi")),
            ("version", _info_version(self.old.data), _info_version(self.new.data)),
        ):
            if old != new:
                yield Change("document", f"{label} changed from {old} to {new}", False)
        old_paths = self.old.data.get("paths") or {}
        new_paths = self.new.data.get("paths") or {}
        for path in both_keys(old_paths, new_paths):
            old_item = self.old.mapping(old_paths.get(path), f"path {path}")
            new_item = self.new.mapping(new_paths.get(path), f"path {path}")
            for method in METHODS:
                where = f"{method.upper()} {path}"
                if method in old_item and method not in new_item:
                    yield Change(where, "removed", True)
                elif method in new_item and method not in old_item:
                    yield Change(where, "added", False)
                elif method in old_item:
                    yield from self._operation(where, old_item, new_item, method)

    def _operation(
        self, where: str, old_item: dict[str, Any], new_item: dict[str, Any], method: str
    ) -> Iterator[Change]:
        old, new = (
            self.old.mapping(old_item[method], where),
            self.new.mapping(new_item[method], where),
        )
        if old.get("operationId") != new.get("operationId"):
            what = transition("operationId", old.get("operationId"), new.get("operationId"))
            yield Change(where, f"{what} (generated method names follow it)", False)
        if new.get("deprecated") and not old.get("deprecated"):
            yield Change(where, "deprecated", False)
        yield from self._parameters(where, old_item, new_item, method)
        yield from self._request_body(where, old.get("requestBody"), new.get("requestBody"))
        old_responses = self.old.mapping(old.get("responses"), f"{where} responses")
        new_responses = self.new.mapping(new.get("responses"), f"{where} responses")
        yield from self._responses(where, old_responses, new_responses)

    def _parameters(
        self, where: str, old_item: dict[str, Any], new_item: dict[str, Any], method: str
    ) -> Iterator[Change]:
        def collect(doc: _Document, item: dict[str, Any]) -> dict[tuple[str, str], Any]:
            found = {}
            # The operation's own parameters override the path item's of the same name and place.
            listed = [
                *doc.sequence(item.get("parameters"), f"{where} parameters"),
                *doc.sequence(
                    doc.mapping(item[method], where).get("parameters"), f"{where} parameters"
                ),
            ]
            for raw in listed:
                param = doc.mapping(raw, f"{where} parameter")
                name, kind = str(param.get("name")), str(param.get("in"))
                found[(kind, name.lower() if kind == "header" else name)] = param
            return found

        old, new = collect(self.old, old_item), collect(self.new, new_item)
        for key in both_keys(old, new):
            place = f"{where} parameter '{key[1]}' ({key[0]})"
            if key not in new:
                yield Change(place, "removed", True)
            elif key not in old:
                required = bool(new[key].get("required"))
                yield Change(place, "added, required" if required else "added (optional)", required)
            else:
                was, now = bool(old[key].get("required")), bool(new[key].get("required"))
                yield from required_change(place, was, now, "request")
                yield from self.schemas.compare(
                    Place(place), old[key].get("schema"), new[key].get("schema"), "request"
                )

    def _request_body(self, where: str, old_raw: Any, new_raw: Any) -> Iterator[Change]:
        place = f"{where} request body"
        if old_raw is None and new_raw is None:
            return
        old, new = self.old.mapping(old_raw, place), self.new.mapping(new_raw, place)
        if old_raw is None or new_raw is None:
            required = new_raw is not None and bool(new.get("required"))
            what = "removed" if new_raw is None else "added, required" if required else "added"
            yield Change(place, what, new_raw is None or required)
            return
        was, now = bool(old.get("required")), bool(new.get("required"))
        yield from required_change(place, was, now, "request")
        yield from self._content(place, old, new, "request")

    def _responses(self, where: str, old: dict[Any, Any], new: dict[Any, Any]) -> Iterator[Change]:
        # YAML reads an unquoted 200 as a number; the keys are status codes either way.
        old = {str(k): v for k, v in old.items()}
        new = {str(k): v for k, v in new.items()}
        for status in both_keys(old, new):
            place = f"{where} response {status}"
            # OLD's clients read the successes OLD lists and treat any other answer as an error.
            success = status.startswith("2")
            if status not in new:
                yield Change(place, "removed", success)
            elif status not in old:
                yield Change(place, "added", success)
            else:
                old_response = self.old.mapping(old[status], place)
                new_response = self.new.mapping(new[status], place)
                yield from self._headers(place, old_response, new_response)
                yield from self._content(f"{place} body", old_response, new_response, "response")

    def _headers(self, place: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
        def collect(doc: _Document, response: dict[str, Any]) -> dict[str, tuple[str, Any]]:
            # Header names are case-insensitive: matched in lower case, shown as written.
            headers = doc.mapping(response.get("headers"), f"{place} headers")
            return {
                str(name).lower(): (str(name), doc.mapping(header, f"{place} header {name}"))
                for name, header in headers.items()
            }

        old_headers, new_headers = collect(self.old, old), collect(self.new, new)
        for key in both_keys(old_headers, new_headers):
            header = f"{place} header '{(new_headers.get(key) or old_headers[key])[0]}'"
            if key not in new_headers:
                yield Change(header, "removed", True)
            elif key not in old_headers:
                yield Change(header, "added", False)
            else:
                was, now = old_headers[key][1], new_headers[key][1]
                yield from required_change(
                    header, bool(was.get("required")), bool(now.get("required")), "response"
                )
                yield from self.schemas.compare(
                    Place(header), was.get("schema"), now.get("schema"), "response"
                )

    def _content(
        self, place: str, old_owner: dict[str, Any], new_owner: dict[str, Any], direction: Direction
    ) -> Iterator[Change]:
        """The media types of a request body or response (``owner``) and their schemas."""
        old = self.old.mapping(old_owner.get("content"), f"{place} content")
        new = self.new.mapping(new_owner.get("content"), f"{place} content")
        for media in both_keys(old, new):
            at = place if media == _JSON else f"{place} ({media})"
            if media not in new:
                yield Change(at, "removed", True)
            elif media not in old:
                yield Change(at, "added", False)
            else:
                old_schema = self.old.mapping(old[media], at).get("schema")
                new_schema = self.new.mapping(new[media], at).get("schema")
                yield from self.schemas.compare(Place(at), old_schema, new_schema, direction)
