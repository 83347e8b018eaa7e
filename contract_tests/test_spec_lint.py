"""The spec itself: valid OpenAPI 3.1, complete, and every example and default fits its schema.

A wrong example is worse than none: schemathesis sends request examples as-is, Prism answers
with response examples, and people copy them into code.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from contract_tests._spec import (
    HTTP_METHODS,
    ROOT,
    SPEC_PATH,
    iter_media_examples,
    iter_schema_values,
    load_spec,
    operations,
    resolve,
    validator_for,
)


def _errors(schema_pointer: str, value: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in validator_for(schema_pointer).iter_errors(value)
    ]


def test_spec_is_valid_openapi_3_1() -> None:
    from openapi_spec_validator import OpenAPIV31SpecValidator

    spec = load_spec()
    assert str(spec.get("openapi", "")).startswith("3.1."), spec.get("openapi")
    problems = [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in OpenAPIV31SpecValidator(spec).iter_errors()
    ]
    assert not problems, "spec/openapi.yaml is not valid OpenAPI 3.1:\n" + "\n".join(problems)


def test_schemathesis_reads_every_operation() -> None:
    import schemathesis

    schema = schemathesis.openapi.from_path(SPEC_PATH, config=schemathesis.Config())
    from schemathesis.core.result import Ok

    labels, unusable = [], []
    for result in schema.get_all_operations():
        if isinstance(result, Ok):
            labels.append(result.ok().label)
        else:
            unusable.append(str(result.err()))
    assert not unusable, f"schemathesis cannot use some operations: {unusable}"
    assert sorted(labels) == sorted(operation.label for operation in operations())


def test_every_operation_has_a_unique_operation_id() -> None:
    ids = [operation.operation_id for operation in operations()]
    unnamed = [operation.label for operation in operations() if not operation.operation_id]
    assert operations(), "the spec declares no operation"
    assert not unnamed, f"operations without an operationId: {unnamed}"
    assert len(ids) == len(set(ids)), f"duplicate operationIds: {ids}"


@pytest.mark.parametrize("operation", operations(), ids=lambda operation: operation.operation_id)
def test_operation_declares_security_and_its_refusals(operation: Any) -> None:
    spec = load_spec()
    definition = spec["paths"][operation.path][operation.method]
    schemes = spec["components"]["securitySchemes"]
    security = definition.get("security", spec.get("security"))
    assert security, f"{operation.label} declares no security requirement"
    for requirement in security:
        for name in requirement:
            assert name in schemes, f"{operation.label} requires an undefined scheme {name!r}"
    statuses = set(definition["responses"])
    # 401 for a refused key, 422 for a body that does not fit: what the client turns into errors.
    assert {"200", "401", "422"} <= statuses, f"{operation.label} documents only {sorted(statuses)}"
    body = definition.get("requestBody", {})
    examples = body.get("content", {}).get("application/json", {}).get("examples", {})
    assert body.get("required") is True, f"{operation.label}: the request body must be required"
    assert examples, f"{operation.label}: no request example (the examples phase sends these)"


def test_every_response_declares_its_request_id() -> None:
    spec = load_spec()
    missing = []
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method not in item:
                continue
            for status, response in item[method]["responses"].items():
                header = resolve(resolve(response).get("headers", {}).get("X-Request-Id"))
                if not (isinstance(header, dict) and header.get("required") is True):
                    missing.append(f"{method.upper()} {path} {status}")
    assert not missing, f"responses without a required X-Request-Id header: {missing}"


@pytest.mark.parametrize(
    ("where", "schema_pointer", "value"),
    list(iter_media_examples()),
    ids=[where for where, _, _ in iter_media_examples()],
)
def test_body_example_fits_its_schema(where: str, schema_pointer: str, value: Any) -> None:
    problems = _errors(schema_pointer, value)
    assert not problems, f"example {where} does not fit {schema_pointer}:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("where", "schema_pointer", "value"),
    list(iter_schema_values()),
    ids=[where for where, _, _ in iter_schema_values()],
)
def test_schema_default_or_example_fits_its_schema(
    where: str, schema_pointer: str, value: Any
) -> None:
    problems = _errors(schema_pointer, value)
    assert not problems, f"{where} = {value!r} does not fit its schema:\n" + "\n".join(problems)


def test_every_error_response_example_names_a_documented_code() -> None:
    """The ``code`` of each error example is one the Error schema's description lists."""
    spec = load_spec()
    description = spec["components"]["schemas"]["Error"]["properties"]["code"]["description"]
    codes = {
        word.strip(" ,.\n") for word in description.replace(" or ", ", ").split(":")[-1].split(",")
    }
    seen = []
    for where, schema_pointer, value in iter_media_examples():
        if schema_pointer.endswith("/schema") and isinstance(value, dict) and "code" in value:
            seen.append(where)
            assert value["code"] in codes, (
                f"{where}: code {value['code']!r} is not one of {sorted(codes)}"
            )
    assert seen, "no error example was found"


def test_package_ships_the_spec_it_was_generated_from() -> None:
    from riff_api_generated import gen1 as riff_api_generated

    shipped = ROOT / "generated" / "riff_api_generated" / "gen1" / "openapi.yaml"
    digest = hashlib.sha256(SPEC_PATH.read_bytes()).hexdigest()
    assert shipped.read_bytes() == SPEC_PATH.read_bytes(), (
        "run scripts/regenerate: the copy is stale"
    )
    assert digest == riff_api_generated.SPEC_SHA256, "run scripts/regenerate: SPEC_SHA256 is stale"
