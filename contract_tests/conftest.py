"""Fixtures of the contract suite: the profile, the emulator (in-process and served), and Prism.

Options (each also has an environment variable, which ``scripts/contract`` sets):

    --contract-profile fast|deep|live   RIFF_CONTRACT_PROFILE   (default: fast; live for a URL)
    --contract-url URL                  RIFFUSION_CONTRACT_URL  (with RIFFUSION_API_KEY)
    --contract-spec gen1|gen2|PATH      RIFF_CONTRACT_SPEC      (default: both documents; for
                                                                  a URL, the one it serves)

Every test of one document (parametrized by a ``SpecDocument`` or an ``Operation``) runs
for each document; ``--contract-spec`` keeps one document's. The URL run (``live`` tests)
checks only the document the URL serves (``_spec.document_for_url``) unless told which.

RIFF_CONTRACT_REQUIRE_PRISM=1 makes "Prism cannot be installed" a failure instead of a skip,
for a CI that must run the peer checks.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import pytest

from contract_tests._emulator import emulator_app, emulator_settings, served_url
from contract_tests._prism import PrismServer, PrismUnavailable, prism_server
from contract_tests._profiles import Profile, select_profile
from contract_tests._runner import ContractReport
from contract_tests._spec import Operation, SpecDocument, document_for_url, document_named

URL_ENV = "RIFFUSION_CONTRACT_URL"
KEY_ENV = "RIFFUSION_API_KEY"
SPEC_ENV = "RIFF_CONTRACT_SPEC"
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
        help=f"base URL of a backend to check, e.g. https://wb.riffusion.com/api/v1 "
        f"(default: ${URL_ENV}; the key comes from ${KEY_ENV})",
    )
    group.addoption(
        "--contract-spec",
        default=None,
        help=f"the one spec document to check: gen1, gen2 or its path (default: ${SPEC_ENV}, "
        "else both; a URL is checked against the document it serves)",
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


def _explicit_document(config: pytest.Config) -> SpecDocument | None:
    name = _option(config, "--contract-spec") or os.environ.get(SPEC_ENV)
    return document_named(name) if name else None


def _url(config: pytest.Config) -> str | None:
    return _option(config, "--contract-url") or os.environ.get(URL_ENV) or None


def url_document(config: pytest.Config) -> SpecDocument | None:
    """The document the URL run checks: the one named, else the one the URL serves."""
    explicit = _explicit_document(config)
    url = _url(config)
    if explicit is not None or url is None:
        return explicit
    return document_for_url(url)


def _item_documents(item: pytest.Item) -> set[str]:
    callspec = getattr(item, "callspec", None)
    found = set()
    for value in callspec.params.values() if callspec is not None else ():
        if isinstance(value, SpecDocument):
            found.add(value.name)
        elif isinstance(value, Operation):
            found.add(value.document.name)
    return found


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the chosen document's tests; give the deep profile's runs a timeout to match."""
    live = any(item.get_closest_marker("live") for item in items)
    try:
        explicit = _explicit_document(config)
        # Only a run with live tests needs to know the URL's document (or fails without it).
        for_url = url_document(config) if live else None
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    kept, dropped = [], []
    for item in items:
        documents = _item_documents(item)
        wanted = for_url if item.get_closest_marker("live") else explicit
        if wanted is not None and documents and wanted.name not in documents:
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
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
    return _url(pytestconfig)


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
    yields where it listens (``.root_url``, ``.api_key``, ``.pid``); each document is
    served below its own path (``_emulator.served_url``).
    """
    from riff_api.testing import run_emulator

    settings = emulator_settings(contract_profile.emulator_duration_s)
    with run_emulator(settings, set_env=False) as running:
        yield running


class PrismPool:
    """Prism servers started on first use, one per mode, document and upstream, kept for the
    session and stopped by pid at its end. When Prism cannot be had, each test that asks is
    skipped (or failed, with RIFF_CONTRACT_REQUIRE_PRISM=1) without trying again."""

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self._servers: dict[tuple[str, str, str | None], PrismServer] = {}
        self._unavailable: PrismUnavailable | None = None

    def mock(self, document: SpecDocument) -> PrismServer:
        """``prism mock`` of ``document``: validates each request, answers from the spec."""
        return self._get("mock", document, None)

    def proxy(self, document: SpecDocument, upstream: str) -> PrismServer:
        """``prism proxy`` of ``document`` in front of ``upstream``: validates each answer.

        Request validation is off, so deliberately invalid requests reach the backend and
        its error answers get checked too.
        """
        return self._get("proxy", document, upstream)

    def _get(self, mode: str, document: SpecDocument, upstream: str | None) -> PrismServer:
        key = (mode, document.name, upstream)
        if key not in self._servers:
            if self._unavailable is None:
                extra = ("--validate-request", "false") if mode == "proxy" else ()
                try:
                    self._servers[key] = self._stack.enter_context(
                        prism_server(mode, document, *extra, upstream=upstream)
                    )
                except PrismUnavailable as error:
                    self._unavailable = error
            if self._unavailable is not None:
                prism_or_skip(self._unavailable)
        return self._servers[key]

    def close(self) -> None:
        self._stack.close()


def prism_or_skip(error: PrismUnavailable) -> None:
    """Skip the test because Prism is unavailable (fail it when Prism is required)."""
    message = f"Prism is unavailable: {error}"
    if os.environ.get(REQUIRE_PRISM_ENV) == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def prism() -> Iterator[PrismPool]:
    """Prism servers of either document (``prism.mock(document)``, ``prism.proxy(...)``)."""
    pool = PrismPool()
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(scope="session")
def prism_proxies(prism: PrismPool, contract_emulator_server: Any) -> Any:
    """``prism_proxies(document)``: Prism's proxy of that document before the served emulator."""

    def proxy(document: SpecDocument) -> PrismServer:
        return prism.proxy(document, served_url(contract_emulator_server, document))

    return proxy
