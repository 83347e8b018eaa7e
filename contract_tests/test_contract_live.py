"""Any backend by URL: the live services, a staging one, or your own deployment.

    RIFFUSION_API_KEY=... scripts/contract --url https://wb.riffusion.com/api/v1
    RIFFUSION_CONTRACT_URL=https://backend.riffusion.com/v1 RIFFUSION_API_KEY=... scripts/contract

The URL is checked against the document it serves: ``.../api/v1`` the second generation
(spec/openapi-gen2.yaml), ``.../v1`` the first (spec/openapi.yaml), or the one ``--spec``
names (``_spec.document_for_url``; the other document's operations are deselected).
Skipped, with the reason, when no URL is given, and when no key is: nothing is sent then.
The default profile here is ``live``: the spec's examples and three fuzzed valid requests per
operation, since each accepted request costs credits; ``--profile fast`` or ``deep`` sends
more, including invalid requests. A key that is refused fails the run.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from contract_tests._emulator import CONTRACT_KEY, served_url
from contract_tests._profiles import PROFILES, Profile
from contract_tests._runner import ContractReport, Target, run_contract
from contract_tests._spec import Operation, all_operations
from contract_tests.conftest import KEY_ENV, URL_ENV


@pytest.mark.live
@pytest.mark.parametrize("operation", all_operations(), ids=lambda operation: operation.test_id)
def test_backend_at_url(
    operation: Operation,
    contract_url: str | None,
    contract_live_profile: Profile,
    contract_reports: list[ContractReport],
) -> None:
    if not contract_url:
        pytest.skip(
            f"no backend to check: set {URL_ENV} (e.g. {operation.document.live_url}) and "
            f"{KEY_ENV}, or run scripts/contract --url URL"
        )
    api_key = os.environ.get(KEY_ENV) or None
    if api_key is None:
        pytest.skip(
            f"{KEY_ENV} is not set: {contract_url} needs a key, so nothing was sent; set it "
            f"to that service's key to check {operation.label} against {operation.document}"
        )
    target = Target.url(contract_url, operation.document, api_key=api_key, name=contract_url)
    report = run_contract(target, contract_live_profile, operation)
    contract_reports.append(report)
    report.assert_ok(expected=[operation.label])


@pytest.mark.parametrize("operation", all_operations(), ids=lambda operation: operation.test_id)
def test_live_profile_sends_few_valid_requests(
    operation: Operation, contract_emulator_server: Any, contract_reports: list[ContractReport]
) -> None:
    """What the default live run costs, measured on the emulator: a handful of valid requests.

    It must pass there too, so the run on a real service fails only on real drift.
    """
    profile = PROFILES["live"]
    target = Target.url(
        served_url(contract_emulator_server, operation.document),
        operation.document,
        api_key=CONTRACT_KEY,
        name="emulator (live profile)",
    )
    report = run_contract(target, profile, operation)
    contract_reports.append(report)
    report.assert_ok(expected=[operation.label])
    result = report.operations[operation.label]
    assert result.positive == result.total_cases, "the live profile sent invalid requests"
    assert result.statuses[200] <= 8, f"{result.statuses[200]} songs were made; each costs credits"
