"""The emulator's answers, judged by an independent peer: ``prism proxy`` in front of it.

Prism forwards each request to the emulator and validates the answer against the spec
(status, headers, body), reporting any mismatch in an ``sl-violations`` header and in its log.
Valid requests (the whole client matrix, sent by the facade) must come back without any
violation; deliberately invalid ones (no key, a wrong key, broken JSON, a body the schema
refuses) must get the documented error status with an answer that itself fits the spec.
A drifted emulator behind the same proxy shows that the judge does report response violations.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from contract_tests._emulator import CONTRACT_KEY
from contract_tests._matrix import RIFF_CALLS, TOPIC_CALLS
from contract_tests._prism import (
    PrismServer,
    PrismUnavailable,
    Violation,
    parse_violations,
    prism_server,
)
from contract_tests._servers import (
    ServerProcess,
    free_port,
    start_process,
    stop_process,
    wait_for_port,
    wait_until,
)
from contract_tests._spec import ROOT, response_schema_pointer, validator_for

TIMEOUT = 60.0


def _violations(prism: PrismServer, response: httpx.Response, log_offset: int) -> list[Violation]:
    found = parse_violations(response.headers.get("sl-violations"))
    found += [v for v in prism.violations_since(log_offset) if v not in found]
    return found


@pytest.fixture(scope="module")
def facade(prism_proxy: PrismServer) -> Iterator[Any]:
    import riff_api

    with riff_api.Riffusion(
        api_key=CONTRACT_KEY, base_url=prism_proxy.url, max_retries=0, timeout=TIMEOUT
    ) as client:
        yield client


@pytest.mark.parametrize(
    ("path", "call"),
    [("/topic", name) for name in TOPIC_CALLS] + [("/riff", name) for name in RIFF_CALLS],
    ids=lambda value: value.strip("/"),
)
def test_valid_request_gets_a_conforming_song(
    path: str, call: str, prism_proxy: PrismServer, facade: Any
) -> None:
    offset = prism_proxy.log_offset()
    if path == "/topic":
        song = facade.topic(**TOPIC_CALLS[call])
    else:
        song = facade.riff(**RIFF_CALLS[call])
    assert song.audio_bytes, "the song has no audio"
    logged = prism_proxy.violations_since(offset)
    assert not logged, f"Prism found the emulator's answer to {path} {call} off-spec: {logged}"


INVALID = [
    pytest.param({}, b'{"topic": "no key"}', 401, id="no-key"),
    pytest.param({"Api-Key": "not-the-key"}, b'{"topic": "wrong key"}', 401, id="wrong-key"),
    pytest.param({"Api-Key": CONTRACT_KEY}, b'{"topic": 42}', 422, id="topic-not-a-string"),
    pytest.param(
        {"Api-Key": CONTRACT_KEY}, b'{"topic": "x", "audio_format": "ogg"}', 422, id="bad-format"
    ),
    pytest.param({"Api-Key": CONTRACT_KEY}, b"[]", 422, id="not-an-object"),
    pytest.param({"Api-Key": CONTRACT_KEY}, b"{}", 422, id="no-topic"),
    pytest.param(
        {"Api-Key": CONTRACT_KEY},
        json.dumps({"topic": "la " * 400_000}).encode(),
        413,
        id="body-over-1-MiB",
    ),
]


@pytest.mark.parametrize(("headers", "body", "status"), INVALID)
def test_invalid_request_gets_a_documented_error(
    headers: dict[str, str], body: bytes, status: int, prism_proxy: PrismServer
) -> None:
    offset = prism_proxy.log_offset()
    response = httpx.post(
        f"{prism_proxy.url}/topic",
        content=body,
        headers={"Content-Type": "application/json", **headers},
        timeout=TIMEOUT,
    )
    assert response.status_code == status, response.text
    assert response.headers.get("x-request-id"), "the error answer has no X-Request-Id"
    # The request is wrong on purpose; only violations of the answer count.
    answer_violations = [v for v in _violations(prism_proxy, response, offset) if v.in_response]
    assert not answer_violations, f"the emulator's {status} answer is off-spec: {answer_violations}"


def test_broken_json_gets_a_documented_error(contract_emulator_server: Any) -> None:
    """Invalid JSON, which Prism answers itself (it cannot forward what it cannot parse):
    checked here against the spec's 400 answer directly."""
    response = httpx.post(
        f"{contract_emulator_server.base_url}/topic",
        content=b'{"topic": ',
        headers={"Content-Type": "application/json", "Api-Key": CONTRACT_KEY},
        timeout=TIMEOUT,
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers.get("x-request-id")
    validator = validator_for(response_schema_pointer("/topic", "post", "400"))
    problems = [error.message for error in validator.iter_errors(response.json())]
    assert not problems, problems
    assert response.json()["code"] == "invalid_json"


@pytest.fixture(scope="module")
def drifted_emulator() -> Iterator[ServerProcess]:
    """The emulator with timestamped_lyrics dropped from its songs, on a free loopback port."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "contract_tests._broken",
        "drops_timestamped_lyrics",
        str(port),
    ]
    server = start_process(command, name="drifted-emulator", cwd=ROOT)
    try:
        server.base_url = wait_until(server, "\n").splitlines()[0].strip()
        wait_for_port(server, port)
        yield server
    finally:
        stop_process(server)


def test_proxy_reports_a_drifted_answer(drifted_emulator: ServerProcess) -> None:
    try:
        proxy = prism_server(
            "proxy", "--validate-request", "false", upstream=drifted_emulator.base_url
        )
        with proxy as prism:
            offset = prism.log_offset()
            response = httpx.post(
                f"{prism.url}/riff",
                json={"prompts": [{"text": "lo-fi piano"}], "lyrics": "Hello"},
                headers={"Api-Key": CONTRACT_KEY},
                timeout=TIMEOUT,
            )
            violations = _violations(prism, response, offset)
    except PrismUnavailable as error:
        pytest.skip(f"Prism is unavailable: {error}")
    assert response.status_code == 200
    assert "timestamped_lyrics" not in response.json()
    assert any(v.in_response and "timestamped_lyrics" in v.message for v in violations), violations
