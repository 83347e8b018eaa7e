"""The runner's own rules for the answer to a valid request, on top of schemathesis' checks.

Each rule reads one document, so the same code judges both generations:

* a 400 must say ``moderation`` (the only 400 a valid body can earn; ``invalid_json`` cannot
  apply to one);
* a 422 is allowed only where the document has a run-time field (``RUNTIME_FIELDS``:
  ``model``, whose accepted values ``GET /models`` lists, not the schema), and only when
  every field it names is such a field;
* a 401 or 403 means the key was refused: nothing past authentication was tested;
* ``echo_conformance``: a 2xx that returns the request's own objects (a request and answer
  field of the same name, both arrays of the same schema: ``/riff``'s ``prompts``,
  ``/compose``'s ``sound_prompts``) returns them as sent: as many, in order, each property
  the value sent, or its default when none was sent (an omitted property reads as its
  default, as every client reads it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contract_tests._spec import Operation, SpecDocument

__all__ = [
    "ECHO",
    "MISSING_AUTH",
    "MODERATION_CODE",
    "POSITIVE_DATA_ACCEPTANCE",
    "RUNTIME_FIELDS",
    "AnswerRules",
    "Verdict",
    "runtime_fields",
]

#: The name under which a refused key is reported (schemathesis' warning of the same name).
MISSING_AUTH = "missing_auth"
POSITIVE_DATA_ACCEPTANCE = "positive_data_acceptance"
#: The rule that an answer returns the request's own objects as they were sent.
ECHO = "echo_conformance"
#: The ``code`` of the one 400 a valid request may get (see the spec's BadRequest response).
MODERATION_CODE = "moderation"
#: Body fields whose accepted values the service decides at run time, not the schema: a
#: valid request naming a model that ``GET /models`` does not list gets a 422.
RUNTIME_FIELDS = frozenset({"model"})
_AUTH_REFUSALS = frozenset({401, 403})


@dataclass(frozen=True)
class Verdict:
    """One rule an answer broke."""

    check: str
    title: str
    message: str


def runtime_fields(document: SpecDocument) -> frozenset[str]:
    """The RUNTIME_FIELDS some operation of ``document`` takes in its body."""
    fields: set[str] = set()
    for operation in document.operations():
        fields |= operation.body_fields & RUNTIME_FIELDS
    return frozenset(fields)


def _echoed(operation: Operation) -> dict[str, dict[str, Any]]:
    """Field -> item schema, for each array the answer returns from the request."""
    request = operation.body_schema
    if request is None:
        return {}
    answer = operation.success_schema().get("properties", {})
    found = {}
    for name, sent in request.get("properties", {}).items():
        returned = answer.get(name)
        if not (isinstance(returned, dict) and sent.get("type") == "array"):
            continue
        if returned.get("type") == "array" and sent.get("items") == returned.get("items"):
            found[name] = operation.document.resolve(sent["items"])
    return found


def _same(sent: Any, returned: Any) -> bool:
    """Equal as JSON numbers are (both read as doubles: 5 is 5.0), else equal."""
    numbers = (int, float)
    if (
        isinstance(sent, numbers)
        and isinstance(returned, numbers)
        and not isinstance(sent, bool)
        and not isinstance(returned, bool)
    ):
        try:
            return float(sent) == float(returned)
        except OverflowError:  # an integer beyond any double: compare it exactly
            return bool(sent == returned)
    return bool(sent == returned)


def _echo_problems(field: str, items: dict[str, Any], sent: Any, returned: Any) -> list[str]:
    if not isinstance(sent, list):
        return []
    if not isinstance(returned, list):
        return [f"{field}: sent a list, got {returned!r}"]
    if len(returned) != len(sent):
        return [f"{field}: sent {len(sent)} items, got {len(returned)} back"]
    problems = []
    properties = items.get("properties", {})
    for index, (given, got) in enumerate(zip(sent, returned, strict=True)):
        if not (isinstance(given, dict) and isinstance(got, dict)):
            continue
        for name, schema in properties.items():
            default = schema.get("default")
            expected, actual = given.get(name, default), got.get(name, default)
            if not _same(expected, actual):
                problems.append(f"{field}[{index}].{name}: sent {expected!r}, got {actual!r}")
    return problems


def _error_body(response: Any) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class AnswerRules:
    """The rules of one document, for the answers to its valid requests."""

    def __init__(self, document: SpecDocument) -> None:
        self.runtime = runtime_fields(document)
        self._echoed = {op.label: _echoed(op) for op in document.operations()}

    def judge(self, label: str, body: Any, response: Any) -> list[Verdict]:
        """What is wrong with ``response``, the answer of ``label`` to the valid ``body``."""
        status = response.status_code
        if 200 <= status < 300:
            return self._echo(label, body, response)
        if status == 400:
            code = _error_body(response).get("code")
            if code != MODERATION_CODE:
                return [
                    Verdict(
                        POSITIVE_DATA_ACCEPTANCE,
                        "Schema-valid request refused with 400, not by moderation",
                        f"A valid request may get 400 only with code {MODERATION_CODE!r}; "
                        f"this one got code {code!r}.",
                    )
                ]
        elif status == 422:
            return self._runtime_refusal(response)
        elif status in _AUTH_REFUSALS:
            return [
                Verdict(
                    MISSING_AUTH,
                    f"A valid request was refused with {status}",
                    "The API key is missing or not accepted, so nothing past authentication "
                    "was tested. Set RIFFUSION_API_KEY to a key the service accepts.",
                )
            ]
        return []

    def _runtime_refusal(self, response: Any) -> list[Verdict]:
        detail = _error_body(response).get("detail")
        named = set()
        for entry in detail if isinstance(detail, list) else []:
            loc = entry.get("loc") if isinstance(entry, dict) else None
            named.add(str(loc[-1]) if isinstance(loc, list) and loc else "")
        if self.runtime and named and named <= self.runtime:
            return []
        allowed = ", ".join(sorted(self.runtime)) or "no field of this document"
        return [
            Verdict(
                POSITIVE_DATA_ACCEPTANCE,
                "Schema-valid request refused with 422",
                f"A valid request may get 422 only for a value the service decides at run "
                f"time ({allowed}); this one named {sorted(named) or 'no field'}.",
            )
        ]

    def _echo(self, label: str, body: Any, response: Any) -> list[Verdict]:
        echoed = self._echoed.get(label, {})
        if not echoed or not isinstance(body, dict):
            return []
        answer = _error_body(response)
        problems = [
            problem
            for field, items in echoed.items()
            for problem in _echo_problems(field, items, body.get(field), answer.get(field))
        ]
        if not problems:
            return []
        return [
            Verdict(
                ECHO,
                "The answer does not return the request's objects as sent",
                "\n".join(problems[:5]),
            )
        ]
