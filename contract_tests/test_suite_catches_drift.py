"""The suite can fail: broken emulators and bad keys are reported by the right checks.

A contract suite that passes everything proves nothing. Each drift in ``_drifts.DRIFTS`` bends
the real emulator one way a service might drift from its spec, for either document; the
suite, run on it exactly as on a real backend, must name the checks that catch it and refuse
the run. Between them, each document's drifts make every check fail.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from contract_tests._broken import Drift, broken_app
from contract_tests._drifts import DRIFTS
from contract_tests._emulator import CONTRACT_KEY, emulator_app
from contract_tests._profiles import DEFAULT_SEED, PROFILES
from contract_tests._runner import (
    ECHO,
    IGNORED_AUTH,
    IGNORED_AUTH_ADVICE,
    MISSING_AUTH,
    ContractReport,
    Target,
    run_contract,
)
from contract_tests._spec import DOCUMENTS, Operation, SpecDocument, all_operations

# Every phase and mode of the fast profile, with fewer fuzzed cases: each drift shows at once.
DRIFT_PROFILE = replace(PROFILES["fast"], name="drift", fuzz_examples=10, min_cases=1)
_BY_ID = {operation.operation_id: operation for operation in all_operations()}


def _run(app: object, operation: Operation, *, api_key: str | None, name: str) -> ContractReport:
    target = Target.asgi(app, operation.document, api_key=api_key, name=name)
    return run_contract(target, DRIFT_PROFILE, operation)


def _cheapest_operation(document: SpecDocument) -> Operation:
    """An operation that takes nothing (fewest cases, no song to render), else the first."""
    operations = document.operations()
    return next((op for op in operations if not op.takes_inputs), operations[0])


def _assert_refused(report: ContractReport, checks: frozenset[str]) -> None:
    missing = checks - report.failed_checks
    assert not missing, (
        f"the suite did not report {sorted(missing)}; it reported {sorted(report.failed_checks)}\n"
        + report.summary()
        + "\n"
        + "\n".join(report.problems())
    )
    with pytest.raises(AssertionError):
        report.assert_ok()


def _drift_id(drift: Drift) -> str:
    return f"{drift.operation.document.name}-{drift.name}"


@pytest.mark.parametrize(
    ("operation", "drift"),
    [pytest.param(drift.operation, drift, id=_drift_id(drift)) for drift in DRIFTS.values()],
)
def test_suite_catches(
    operation: Operation, drift: Drift, contract_reports: list[ContractReport]
) -> None:
    app = broken_app(emulator_app(DRIFT_PROFILE.emulator_duration_s), drift)
    report = _run(app, operation, api_key=CONTRACT_KEY, name=f"broken: {drift.name}")
    contract_reports.append(report)
    _assert_refused(report, drift.caught_by)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.name)
@pytest.mark.parametrize("api_key", ["not-the-key", None], ids=["wrong-key", "no-key"])
def test_suite_fails_without_a_valid_key(document: SpecDocument, api_key: str | None) -> None:
    """A refused key fails the run (schemathesis alone would only warn)."""
    app = emulator_app(DRIFT_PROFILE.emulator_duration_s)
    operation = _cheapest_operation(document)
    report = _run(app, operation, api_key=api_key, name=f"emulator, key {api_key!r}")
    _assert_refused(report, frozenset({MISSING_AUTH, "positive_data_acceptance"}))
    assert report.operations[operation.label].positive_accepted == 0


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.name)
def test_a_backend_taking_any_key_is_told_how_to_refuse_one(document: SpecDocument) -> None:
    """``riff serve`` without ``--api-key`` takes any key: the run fails and says what to do."""
    from riff_api.emulator import EmulatorSettings, create_app

    # No api_keys: any non-empty key opens it, as with a plain `riff serve`.
    settings = EmulatorSettings(duration_s=DRIFT_PROFILE.emulator_duration_s, seed=DEFAULT_SEED)
    operation = _cheapest_operation(document)
    report = _run(create_app(settings), operation, api_key="any-key", name="any key")
    _assert_refused(report, frozenset({IGNORED_AUTH}))
    problems = report.problems()
    assert IGNORED_AUTH_ADVICE in problems
    assert "riff serve --api-key KEY" in IGNORED_AUTH_ADVICE
    with pytest.raises(AssertionError, match=r"start it with `riff serve --api-key KEY`"):
        report.assert_ok()


def test_the_advice_comes_only_with_ignored_auth() -> None:
    app = emulator_app(DRIFT_PROFILE.emulator_duration_s)
    report = _run(app, _BY_ID["create_from_topic"], api_key="not-the-key", name="wrong key")
    assert IGNORED_AUTH not in report.failed_checks
    assert IGNORED_AUTH_ADVICE not in report.problems()


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.name)
def test_every_drift_targets_a_real_operation_and_check(document: SpecDocument) -> None:
    from contract_tests._runner import CHECKS

    checks = {*CHECKS, ECHO}
    for drift in DRIFTS.values():
        assert drift.operation_id in _BY_ID, drift
        assert drift.caught_by <= checks, drift
    # Between them, each document's drifts prove that every check the suite runs can fail.
    drifts = [drift for drift in DRIFTS.values() if drift.operation.document == document]
    caught = set().union(*(drift.caught_by for drift in drifts))
    assert caught == checks, f"no drift of {document} proves {sorted(checks - caught)} can fail"
