"""The emulator against the spec, in-process (ASGI) and over a real socket (uvicorn).

Every operation gets the profile's examples, coverage and fuzzing phases with every applicable
check (see ``_runner.CHECKS``); the run fails on any failed check, on a valid request refused
for its key, and on an operation or phase that generated too few cases.
"""

from __future__ import annotations

from typing import Any

import pytest

from contract_tests._emulator import CONTRACT_KEY, emulator_app
from contract_tests._profiles import Profile
from contract_tests._runner import ContractReport, Target, load_schema, run_contract
from contract_tests._spec import Operation, operations

OPERATIONS = operations()


def _ids(operation: Operation) -> str:
    return operation.operation_id


@pytest.mark.parametrize("operation", OPERATIONS, ids=_ids)
def test_emulator_in_process(
    operation: Operation,
    contract_emulator_app: Any,
    contract_profile: Profile,
    contract_reports: list[ContractReport],
) -> None:
    target = Target.asgi(contract_emulator_app, api_key=CONTRACT_KEY, name="emulator (ASGI)")
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
    target = Target.url(
        contract_emulator_server.base_url, api_key=CONTRACT_KEY, name="emulator (uvicorn)"
    )
    report = run_contract(target, contract_profile, operation)
    contract_reports.append(report)
    report.assert_ok(expected=[operation.label])


# Valid by the spec but never drawn by the generators: Hypothesis writes integers as "3",
# never "3.0", and keeps arrays and strings short. Each must be served (2xx) with an answer
# that passes every check.
VALID_EDGE_CASES = [
    pytest.param("/riff", {"prompts": []}, id="no-prompts"),
    pytest.param("/riff", {"prompts": [{"text": "x", "strength": 5}]}, id="integral-strength"),
    pytest.param("/riff", {"prompts": [{"text": "x"}], "seed": 2**70}, id="seed-beyond-int64"),
    pytest.param("/riff", {"prompts": [{"text": "x"}], "seed": -1}, id="negative-seed"),
    pytest.param("/riff", {"prompts": [{"text": "x"}], "seed": 3.0}, id="seed-written-3.0"),
    pytest.param(
        "/riff", {"prompts": [{"text": f"layer {i}"} for i in range(64)]}, id="64-prompts"
    ),
    pytest.param(
        "/riff", {"prompts": [{"text": "x", "start_s": 25.0, "end_s": 5.0}]}, id="end-before-start"
    ),
    pytest.param(
        "/riff", {"prompts": [{"text": "x"}], "lyrics": "[Verse]\n\n[Chorus]"}, id="only-tags"
    ),
    pytest.param(
        "/riff", {"prompts": [{"text": "x", "later": 1}], "added_later": True}, id="unknown-fields"
    ),
    pytest.param("/topic", {"topic": ""}, id="empty-topic"),
    pytest.param("/topic", {"topic": "x" * 100_000}, id="long-topic"),
]


@pytest.mark.parametrize(("path", "body"), VALID_EDGE_CASES)
def test_emulator_serves_valid_edge_case(
    path: str, body: dict[str, Any], contract_emulator_app: Any, contract_profile: Profile
) -> None:
    target = Target.asgi(contract_emulator_app, api_key=CONTRACT_KEY)
    case = load_schema(contract_profile, target)[path]["POST"].Case(
        body=body, headers={"Api-Key": CONTRACT_KEY}
    )
    response = case.call()
    assert 200 <= response.status_code < 300, f"{response.status_code}: {response.text[:500]}"
    case.validate_response(response)  # raises, naming each failed check


@pytest.mark.parametrize(
    ("faults", "expected"),
    [
        pytest.param({"error_rate": 1.0, "fault_seed": 1}, {500, 503}, id="errors"),
        pytest.param({"rate_limit": 1}, {200, 429}, id="rate-limit"),
    ],
)
def test_emulator_fault_answers_fit_the_spec(
    faults: dict[str, Any], expected: set[int], contract_profile: Profile
) -> None:
    """The faults the emulator can inject (for testing clients' retries) are documented
    answers too: 500/503 and 429 with its Retry-After, each passing every check."""
    from schemathesis.checks import not_a_server_error

    app = emulator_app(contract_profile.emulator_duration_s, **faults)
    operation = load_schema(contract_profile, Target.asgi(app, api_key=CONTRACT_KEY))["/topic"][
        "POST"
    ]
    seen = set()
    for _ in range(8):
        case = operation.Case(body={"topic": "a test of faults"}, headers={"Api-Key": CONTRACT_KEY})
        response = case.call()
        seen.add(response.status_code)
        case.validate_response(response, excluded_checks=[not_a_server_error])
    assert seen == expected
