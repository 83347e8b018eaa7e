"""The spec documents themselves: valid OpenAPI 3.1, complete, and every example and default
fits its schema. Every check runs on each document (spec/openapi.yaml, spec/openapi-gen2.yaml).

A wrong example is worse than none: schemathesis sends request examples as-is, Prism answers
with response examples, and people copy them into code.
"""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
from typing import Any

import pytest

from contract_tests._spec import (
    DOCUMENTS,
    HTTP_METHODS,
    ROOT,
    Operation,
    SpecDocument,
    all_operations,
)

_BY_NAME = {"ids": lambda document: document.name}


def _errors(document: SpecDocument, schema_pointer: str, value: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in document.validator_for(schema_pointer).iter_errors(value)
    ]


def test_every_generated_package_is_a_document_under_test() -> None:
    """A document added to scripts/regenerate reaches the suite: none is left unchecked."""
    import riff_api_generated

    packages = {
        module.name for module in pkgutil.iter_modules(riff_api_generated.__path__) if module.ispkg
    }
    assert packages == {document.name for document in DOCUMENTS}
    for document in DOCUMENTS:
        assert document.path.is_file(), document


@pytest.mark.parametrize("document", DOCUMENTS, **_BY_NAME)
def test_spec_is_valid_openapi_3_1(document: SpecDocument) -> None:
    from openapi_spec_validator import OpenAPIV31SpecValidator

    spec = document.load()
    assert str(spec.get("openapi", "")).startswith("3.1."), spec.get("openapi")
    problems = [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in OpenAPIV31SpecValidator(spec).iter_errors()
    ]
    assert not problems, f"{document} is not valid OpenAPI 3.1:\n" + "\n".join(problems)


@pytest.mark.parametrize("document", DOCUMENTS, **_BY_NAME)
def test_schemathesis_reads_every_operation(document: SpecDocument) -> None:
    import schemathesis

    schema = schemathesis.openapi.from_path(document.path, config=schemathesis.Config())
    from schemathesis.core.result import Ok

    labels, unusable = [], []
    for result in schema.get_all_operations():
        if isinstance(result, Ok):
            labels.append(result.ok().label)
        else:
            unusable.append(str(result.err()))
    assert not unusable, f"schemathesis cannot use some operations: {unusable}"
    assert sorted(labels) == sorted(operation.label for operation in document.operations())


@pytest.mark.parametrize("document", DOCUMENTS, **_BY_NAME)
def test_every_operation_has_a_unique_operation_id(document: SpecDocument) -> None:
    operations = document.operations()
    unnamed = [operation.label for operation in operations if not operation.operation_id]
    assert operations, f"{document} declares no operation"
    assert not unnamed, f"operations without an operationId: {unnamed}"
    # Unique across documents too: the facade and the matrix look operations up by id alone.
    ids = [operation.operation_id for operation in all_operations()]
    assert len(ids) == len(set(ids)), f"duplicate operationIds: {ids}"


@pytest.mark.parametrize("document", DOCUMENTS, **_BY_NAME)
def test_the_generated_table_has_every_operation(document: SpecDocument) -> None:
    """The generated OPERATIONS table (what the facade and emulator route by) is the spec's."""
    table = importlib.import_module(f"riff_api_generated.{document.name}.client.api").OPERATIONS
    generated = [(entry.id, entry.method, entry.path) for entry in table]
    declared = [(op.operation_id, op.method.upper(), op.path) for op in document.operations()]
    assert generated == declared, "run scripts/regenerate: the operations table is stale"
    assert {entry.server for entry in table} == {document.live_url}


@pytest.mark.parametrize("operation", all_operations(), ids=lambda operation: operation.test_id)
def test_operation_declares_security_and_its_refusals(operation: Operation) -> None:
    spec = operation.document.load()
    definition = operation.definition
    schemes = spec["components"]["securitySchemes"]
    security = definition.get("security", spec.get("security"))
    assert security, f"{operation.label} declares no security requirement"
    for requirement in security:
        for name in requirement:
            assert name in schemes, f"{operation.label} requires an undefined scheme {name!r}"
    statuses = set(definition["responses"])
    # 401 for a refused key, and for a body, 422 when it does not fit: what the client turns
    # into errors. An operation without a body (GET /models) has nothing to refuse with 422.
    expected = {"200", "401", "422"} if operation.takes_inputs else {"200", "401"}
    assert expected <= statuses, f"{operation.label} documents only {sorted(statuses)}"
    if "requestBody" not in definition:
        return
    body = operation.document.resolve(definition["requestBody"])
    assert body.get("required") is True, f"{operation.label}: the request body must be required"
    assert operation.has_request_examples, (
        f"{operation.label}: no request example (the examples phase sends these)"
    )


@pytest.mark.parametrize("document", DOCUMENTS, **_BY_NAME)
def test_every_response_declares_its_request_id(document: SpecDocument) -> None:
    missing = []
    for path, item in document.load()["paths"].items():
        for method in HTTP_METHODS:
            if method not in item:
                continue
            for status, response in item[method]["responses"].items():
                declared = document.resolve(response).get("headers", {}).get("X-Request-Id")
                header = document.resolve(declared)
                if not (isinstance(header, dict) and header.get("required") is True):
                    missing.append(f"{method.upper()} {path} {status}")
    assert not missing, f"responses without a required X-Request-Id header: {missing}"


def _values(found: Any) -> list[Any]:
    return [
        pytest.param(document, where, schema_pointer, value, id=f"{document.name}:{where}")
        for document in DOCUMENTS
        for where, schema_pointer, value in found(document)
    ]


@pytest.mark.parametrize(
    ("document", "where", "schema_pointer", "value"),
    _values(SpecDocument.iter_media_examples),
)
def test_body_example_fits_its_schema(
    document: SpecDocument, where: str, schema_pointer: str, value: Any
) -> None:
    problems = _errors(document, schema_pointer, value)
    assert not problems, f"example {where} does not fit {schema_pointer}:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("document", "where", "schema_pointer", "value"),
    _values(SpecDocument.iter_schema_values),
)
def test_schema_default_or_example_fits_its_schema(
    document: SpecDocument, where: str, schema_pointer: str, value: Any
) -> None:
    problems = _errors(document, schema_pointer, value)
    assert not problems, f"{where} = {value!r} does not fit its schema:\n" + "\n".join(problems)


@pytest.mark.parametrize("document", DOCUMENTS, **_BY_NAME)
def test_every_error_response_example_names_a_documented_code(document: SpecDocument) -> None:
    """The ``code`` of each error example is one the Error schema's description lists."""
    spec = document.load()
    description = spec["components"]["schemas"]["Error"]["properties"]["code"]["description"]
    codes = {
        word.strip(" ,.\n") for word in description.replace(" or ", ", ").split(":")[-1].split(",")
    }
    seen = []
    for where, schema_pointer, value in document.iter_media_examples():
        if schema_pointer.endswith("/schema") and isinstance(value, dict) and "code" in value:
            seen.append(where)
            assert value["code"] in codes, (
                f"{where}: code {value['code']!r} is not one of {sorted(codes)}"
            )
    assert seen, "no error example was found"


@pytest.mark.parametrize("document", DOCUMENTS, **_BY_NAME)
def test_package_ships_the_spec_it_was_generated_from(document: SpecDocument) -> None:
    package = importlib.import_module(f"riff_api_generated.{document.name}")
    shipped = ROOT / "generated" / "riff_api_generated" / document.name / "openapi.yaml"
    spec = document.path.read_bytes()
    assert shipped.read_bytes() == spec, "run scripts/regenerate: the copy is stale"
    digest = hashlib.sha256(spec).hexdigest()
    assert digest == package.SPEC_SHA256, "run scripts/regenerate: SPEC_SHA256 is stale"


#: Gaps the lint finds in a document today, each reported to whoever owns spec/. Strict: the
#: day the document is fixed, the test passes and the entry must go.
#: (document, check) -> why the spec fails it for now: a strict xfail until the YAML is fixed.
KNOWN_GAPS: dict[tuple[str, str], str] = {}


def _gap(document: SpecDocument, gap: str) -> Any:
    reason = KNOWN_GAPS.get((document.name, gap))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(document, id=document.name, marks=marks)


@pytest.mark.parametrize("document", [_gap(document, "song-example") for document in DOCUMENTS])
def test_every_song_answer_has_an_example_with_audio(document: SpecDocument) -> None:
    """Prism's mock answers with the 200 example; without one it makes up "string" audio."""
    import base64
    import binascii

    problems = []
    for operation in document.operations():
        if "audio_b64" not in operation.success_schema().get("properties", {}):
            continue
        response = document.resolve(operation.definition["responses"]["200"])
        media = response["content"]["application/json"]
        examples = [document.resolve(e).get("value") for e in media.get("examples", {}).values()]
        examples += [media["example"]] if "example" in media else []
        if not examples:
            problems.append(f"{operation.label}: no example of its 200 answer")
        for example in examples:
            try:
                audio = base64.b64decode(example["audio_b64"], validate=True)
            except (binascii.Error, KeyError, TypeError):
                audio = b""
            if not audio:
                problems.append(f"{operation.label}: an example's audio_b64 is not base64 audio")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("document", [_gap(document, "detail-field") for document in DOCUMENTS])
def test_every_validation_error_example_names_a_field_of_the_document(
    document: SpecDocument,
) -> None:
    fields = set().union(*(operation.body_fields for operation in document.operations()))
    wrong = []
    for where, _, value in document.iter_media_examples():
        detail = value.get("detail") if isinstance(value, dict) else None
        for entry in detail or []:
            loc = entry.get("loc", [])
            if loc[:1] == ["body"] and len(loc) > 1 and loc[1] not in fields:
                wrong.append(f"{where}: loc {loc} names no field of {document}")
    assert not wrong, "\n".join(wrong)
