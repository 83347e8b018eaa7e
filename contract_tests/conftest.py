"""Fixtures of the contract suite: the profile, the emulator (in-process and served), and Prism.

Options (each also has an environment variable, which ``scripts/contract`` sets):

    --contract-profile fast|deep|live   RIFF_CONTRACT_PROFILE   (default: fast; live for a URL)
    --contract-url URL                  RIFFUSION_CONTRACT_URL  (with RIFFUSION_API_KEY)

RIFF_CONTRACT_REQUIRE_PRISM=1 makes "Prism cannot be installed" a failure instead of a skip,
for a CI that must run the peer checks.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from contract_tests._emulator import emulator_app, emulator_settings
from contract_tests._prism import PrismServer, PrismUnavailable, prism_server
from contract_tests._profiles import Profile, select_profile
from contract_tests._runner import ContractReport

URL_ENV = "RIFFUSION_CONTRACT_URL"
KEY_ENV = "RIFFUSION_API_KEY"
REQUIRE_PRISM_ENV = "RIFF_CONTRACT_REQUIRE_PRISM"
_DEEP_TIMEOUT_S = 1800
_REPORTS = pytest.StashKey[list[ContractReport]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("riff_api contract suite")
    group.addoption(
        "--contract-profile",
        choices=("fast", "deep", "live"),
        default=None,
        help="effort of the contract runs (default: $RIFF_CONTRACT_PROFILE, else fast)",
    )
    group.addoption(
        "--contract-url",
        default=None,
        help=f"base URL of a backend to check, e.g. https://backend.riffusion.com/v1 "
        f"(default: ${URL_ENV}; the key comes from ${KEY_ENV})",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_REPORTS] = []


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Cases per operation and phase of every contract run, whatever its outcome."""
    reports = config.stash.get(_REPORTS, [])
    if reports:
        terminalreporter.write_sep("-", "contract runs")
        for report in reports:
            terminalreporter.write_line(report.summary())


@pytest.fixture
def contract_reports(pytestconfig: pytest.Config) -> list[ContractReport]:
    """Where a test puts its reports, for the summary at the end of the session."""
    return pytestconfig.stash[_REPORTS]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The deep profile's runs take minutes each: give them a timeout to match."""
    if select_profile(_option(config, "--contract-profile")).name != "deep":
        return
    for item in items:
        if "contract_profile" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.timeout(_DEEP_TIMEOUT_S))


def _option(config: pytest.Config, name: str) -> str | None:
    try:
        value = config.getoption(name)
    except ValueError:  # the options are unknown when this conftest was not loaded first
        return None
    return value if isinstance(value, str) else None


@pytest.fixture(scope="session")
def contract_profile(pytestconfig: pytest.Config) -> Profile:
    """The profile of the emulator runs (``fast`` unless told otherwise)."""
    return select_profile(_option(pytestconfig, "--contract-profile"))


@pytest.fixture(scope="session")
def contract_url(pytestconfig: pytest.Config) -> str | None:
    return _option(pytestconfig, "--contract-url") or os.environ.get(URL_ENV) or None


@pytest.fixture(scope="session")
def contract_live_profile(pytestconfig: pytest.Config) -> Profile:
    """The profile of the URL run: ``live`` unless a profile was chosen explicitly."""
    return select_profile(_option(pytestconfig, "--contract-profile"), default="live")


@pytest.fixture(scope="session")
def contract_emulator_app(contract_profile: Profile) -> Any:
    """The emulator as an ASGI app, reached in-process."""
    return emulator_app(contract_profile.emulator_duration_s)


@pytest.fixture(scope="session")
def contract_emulator_server(contract_profile: Profile) -> Iterator[Any]:
    """The emulator served by uvicorn on a free 127.0.0.1 port; stopped by its pid.

    ``riff_api.testing.run_emulator`` runs ``python -m riff_api.emulator --port 0`` and
    yields where it listens (``.base_url`` ends in /v1, ``.api_key``, ``.pid``).
    """
    from riff_api.testing import run_emulator

    settings = emulator_settings(contract_profile.emulator_duration_s)
    with run_emulator(settings, set_env=False) as running:
        yield running


def _prism_or_skip(error: PrismUnavailable) -> None:
    message = f"Prism is unavailable: {error}"
    if os.environ.get(REQUIRE_PRISM_ENV) == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def prism_mock() -> Iterator[PrismServer]:
    """``prism mock`` of the spec: validates each request, answers with the spec's examples."""
    try:
        with prism_server("mock") as server:
            yield server
    except PrismUnavailable as error:
        _prism_or_skip(error)


@pytest.fixture(scope="session")
def prism_proxy(contract_emulator_server: Any) -> Iterator[PrismServer]:
    """``prism proxy`` in front of the served emulator: validates each answer against the spec.

    Request validation is off, so deliberately invalid requests reach the emulator and its
    error answers get checked too.
    """
    try:
        with prism_server(
            "proxy", "--validate-request", "false", upstream=contract_emulator_server.base_url
        ) as server:
            yield server
    except PrismUnavailable as error:
        _prism_or_skip(error)
