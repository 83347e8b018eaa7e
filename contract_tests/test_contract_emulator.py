"""The emulator against each spec document, in-process (ASGI) and over a real socket (uvicorn).

Every operation of both documents gets the profile's examples, coverage and fuzzing phases
with every applicable check (see ``_runner.CHECKS``); the run fails on any failed check, on
a valid request refused for its key, and on an operation or phase that generated too few
cases. One emulator serves both documents, each below its own base path.
"""

from __future__ import annotations

from typing import Any

import pytest

from contract_tests._emulator import CONTRACT_KEY, emulator_app, served_url
from contract_tests._matrix import CALLS
from contract_tests._profiles import Profile
from contract_tests._runner import ContractReport, Target, load_schema, run_contract
from contract_tests._spec import DOCUMENTS, Operation, SpecDocument, all_operations

OPERATIONS = all_operations()


def _ids(operation: Operation) -> str:
    return operation.test_id


@pytest.mark.parametrize("operation", OPERATIONS, ids=_ids)
def test_emulator_in_process(
    operation: Operation,
    contract_emulator_app: Any,
    contract_profile: Profile,
    contract_reports: list[ContractReport],
) -> None:
    target = Target.asgi(
        contract_emulator_app, operation.document, api_key=CONTRACT_KEY, name="emulator (ASGI)"
    )
    report = run_contract(target, contract_profile, operation)
    contract_reports.append(report)
    report.assert_ok(expected=[operation.label])


@pytest.mark.parametrize("operation", OPERATIONS, ids=_ids)
def test_emulator_over_socket(
    operation: Operation,
    contract_emulator_server: Any,
    contract_profile: Profile,
    contract_reports: list[ContractReport],
) -> None:
    """The same runs over a real socket. The first document's is the full profile; the
    others' fuzz less (``Profile.repeat_fuzz_examples``): their answers were judged in full
    in-process, and the first document's run already proves the socket path."""
    if operation.document != DOCUMENTS[0]:
        contract_profile = contract_profile.for_repeat()
    target = Target.url(
        served_url(contract_emulator_server, operation.document),
        operation.document,
        api_key=CONTRACT_KEY,
        name="emulator (uvicorn)",
    )
    report = run_contract(target, contract_profile, operation)
    contract_reports.append(report)
    report.assert_ok(expected=[operation.label])


def _edge(operation_id: str, body: dict[str, Any], name: str) -> Any:
    operation = next(op for op in OPERATIONS if op.operation_id == operation_id)
    return pytest.param(operation, body, id=f"{operation.document.name}-{name}")


# Valid by the spec but never drawn by the generators: Hypothesis writes integers as "3",
# never "3.0", and keeps arrays and strings short. Each must be served (2xx) with an answer
# that passes every check.
VALID_EDGE_CASES = [
    _edge("create_riff", {"prompts": []}, "no-prompts"),
    _edge("create_riff", {"prompts": [{"text": "x", "strength": 5}]}, "integral-strength"),
    _edge("create_riff", {"prompts": [{"text": "x"}], "seed": 2**70}, "seed-beyond-int64"),
    _edge("create_riff", {"prompts": [{"text": "x"}], "seed": -1}, "negative-seed"),
    _edge("create_riff", {"prompts": [{"text": "x"}], "seed": 3.0}, "seed-written-3.0"),
    _edge("create_riff", {"prompts": [{"text": f"layer {i}"} for i in range(64)]}, "64-prompts"),
    _edge(
        "create_riff",
        {"prompts": [{"text": "x", "start_s": 25.0, "end_s": 5.0}]},
        "end-before-start",
    ),
    _edge(
        "create_riff", {"prompts": [{"text": "x"}], "lyrics": "[Verse]\n\n[Chorus]"}, "only-tags"
    ),
    _edge(
        "create_riff",
        {"prompts": [{"text": "x", "later": 1}], "added_later": True},
        "unknown-fields",
    ),
    _edge("create_from_topic", {"topic": ""}, "empty-topic"),
    _edge("create_from_topic", {"topic": "x" * 100_000}, "long-topic"),
    _edge("compose", {"sound_prompts": []}, "no-prompts"),
    _edge("compose", {"sound_prompts": [{"text": "x", "strength": 1}]}, "integral-strength"),
    _edge("compose", {"sound_prompts": [{"text": "x", "strength": -1}]}, "strength-minus-1"),
    _edge("compose", {"sound_prompts": [{"text": "x", "strength": 0}]}, "strength-0"),
    _edge("compose", {"sound_prompts": [{"text": "x"}], "seed": 2**70}, "seed-beyond-int64"),
    _edge("compose", {"sound_prompts": [{"text": "x"}], "seed": -1}, "negative-seed"),
    _edge("compose", {"sound_prompts": [{"text": "x"}], "seed": 3.0}, "seed-written-3.0"),
    _edge("compose", {"sound_prompts": [{"text": f"layer {i}"} for i in range(64)]}, "64-prompts"),
    _edge(
        "compose",
        {"sound_prompts": [{"text": "x"}], "lyrics_strength": 1, "weirdness": 0},
        "integral-bounds",
    ),
    _edge(
        "compose", {"sound_prompts": [{"text": "x"}], "lyrics": "[Verse]\n\n[Chorus]"}, "only-tags"
    ),
    _edge(
        "compose",
        {"sound_prompts": [{"text": "x", "later": 1}], "added_later": True},
        "unknown-fields",
    ),
    _edge("prompt", {"prompt": ""}, "empty-prompt"),
    _edge("prompt", {"prompt": "x" * 100_000}, "long-prompt"),
    _edge("prompt", {"prompt": "rain", "added_later": True}, "unknown-fields"),
]


@pytest.mark.parametrize(("operation", "body"), VALID_EDGE_CASES)
def test_emulator_serves_valid_edge_case(
    operation: Operation,
    body: dict[str, Any],
    contract_emulator_app: Any,
    contract_profile: Profile,
) -> None:
    target = Target.asgi(contract_emulator_app, operation.document, api_key=CONTRACT_KEY)
    case = load_schema(contract_profile, target)[operation.path][operation.method.upper()].Case(
        body=body, headers={"Api-Key": CONTRACT_KEY}
    )
    response = case.call()
    assert 200 <= response.status_code < 300, f"{response.status_code}: {response.text[:500]}"
    case.validate_response(response)  # raises, naming each failed check


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.name)
@pytest.mark.parametrize(
    ("faults", "expected"),
    [
        pytest.param({"error_rate": 1.0, "fault_seed": 1}, {500, 503}, id="errors"),
        pytest.param({"rate_limit": 1}, {200, 429}, id="rate-limit"),
    ],
)
def test_emulator_fault_answers_fit_the_spec(
    document: SpecDocument, faults: dict[str, Any], expected: set[int], contract_profile: Profile
) -> None:
    """The faults the emulator can inject (for testing clients' retries) are documented
    answers too: 500/503 and 429 with its Retry-After, each passing every check, for the
    document's first operation and the first call of the matrix."""
    from schemathesis.checks import not_a_server_error

    app = emulator_app(contract_profile.emulator_duration_s, **faults)
    operation = document.operations()[0]
    body = next(iter(CALLS[operation.operation_id].values()))
    schema = load_schema(contract_profile, Target.asgi(app, document, api_key=CONTRACT_KEY))
    endpoint = schema[operation.path][operation.method.upper()]
    seen = set()
    for _ in range(8):
        case = endpoint.Case(body=body, headers={"Api-Key": CONTRACT_KEY})
        response = case.call()
        seen.add(response.status_code)
        case.validate_response(response, excluded_checks=[not_a_server_error])
    assert seen == expected
