"""The emulator's answers, judged by an independent peer: ``prism proxy`` in front of it.

For each document, Prism forwards each request to the emulator (below that document's base
path) and validates the answer against the spec (status, headers, body), reporting any
mismatch in an ``sl-violations`` header and in its log. Valid requests (the whole client
matrix, sent by the facade) must come back without any violation; deliberately invalid ones
(no key, a wrong key, broken JSON, a body the schema refuses) must get the documented error
status with an answer that itself fits the spec. A drifted emulator of each document behind
the same proxy shows that the judge does report response violations.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from contract_tests._drifts import DRIFTS
from contract_tests._emulator import CONTRACT_KEY, served_url
from contract_tests._matrix import CALLS, matrix
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
from contract_tests._spec import DOCUMENTS, ROOT, Operation, SpecDocument, all_operations
from contract_tests.conftest import prism_or_skip

TIMEOUT = 60.0
_BY_ID = {operation.operation_id: operation for operation in all_operations()}


def _violations(prism: PrismServer, response: httpx.Response, log_offset: int) -> list[Violation]:
    found = parse_violations(response.headers.get("sl-violations"))
    found += [v for v in prism.violations_since(log_offset) if v not in found]
    return found


@pytest.fixture(scope="module")
def facades(prism_proxies: Any) -> Iterator[Any]:
    """``facades(document)``: a facade pointed at Prism's proxy of that document."""
    import riff_api
    from riff_api._operations import SERVICES

    made: dict[str, Any] = {}

    def facade(document: SpecDocument) -> Any:
        if document.name not in made:
            proxy = prism_proxies(document)
            argument = SERVICES[document.live_url].argument
            made[document.name] = riff_api.Riffusion(
                api_key=CONTRACT_KEY, max_retries=0, timeout=TIMEOUT, **{argument: proxy.url}
            )
        return made[document.name]

    yield facade
    for client in made.values():
        client.close()


@pytest.mark.parametrize(
    ("operation", "call"),
    [
        pytest.param(operation, name, id=f"{operation.test_id}-{name}")
        for document in DOCUMENTS
        for operation, name, _ in matrix(document)
    ],
)
def test_valid_request_gets_a_conforming_answer(
    operation: Operation, call: str, prism_proxies: Any, facades: Any
) -> None:
    import riff_api
    from riff_api._operations import endpoint_methods

    proxy = prism_proxies(operation.document)
    offset = proxy.log_offset()
    method = endpoint_methods(riff_api.Riffusion)[operation.operation_id]
    answer = getattr(facades(operation.document), method)(**CALLS[operation.operation_id][call])
    if riff_api.OPERATIONS[operation.operation_id].carries_audio:
        assert answer.audio_bytes, "the song has no audio"
    else:
        assert answer, f"{operation.label} answered {answer!r}"
    logged = proxy.violations_since(offset)
    assert not logged, (
        f"Prism found the emulator's answer to {operation.label} {call} off-spec: {logged}"
    )


def _invalid(
    operation_id: str, headers: dict[str, str], body: bytes | None, status: int, name: str
) -> Any:
    operation = _BY_ID[operation_id]
    return pytest.param(operation, headers, body, status, id=f"{operation.test_id}-{name}")


_KEY = {"Api-Key": CONTRACT_KEY}


def _refused_for_key_or_size() -> list[Any]:
    """For every operation: its first matrix call without a key and with a wrong one; and,
    with a body, that call padded past 1 MiB (an unknown field: the size is refused first)."""
    found = []
    for operation in all_operations():
        call = next(iter(CALLS[operation.operation_id].values()))
        body = json.dumps(call).encode() if operation.takes_inputs else None
        found.append(_invalid(operation.operation_id, {}, body, 401, "no-key"))
        wrong = {"Api-Key": "not-the-key"}
        found.append(_invalid(operation.operation_id, wrong, body, 401, "wrong-key"))
        if body is not None:
            padded = json.dumps({**call, "padding": "la " * 400_000}).encode()
            found.append(_invalid(operation.operation_id, _KEY, padded, 413, "body-over-1-MiB"))
    return found


INVALID = [
    *_refused_for_key_or_size(),
    _invalid("create_from_topic", _KEY, b'{"topic": 42}', 422, "topic-not-a-string"),
    _invalid(
        "create_from_topic", _KEY, b'{"topic": "x", "audio_format": "ogg"}', 422, "bad-format"
    ),
    _invalid("create_from_topic", _KEY, b"[]", 422, "not-an-object"),
    _invalid("create_from_topic", _KEY, b"{}", 422, "no-topic"),
    _invalid("create_riff", _KEY, b'{"prompts": [{"text": 1}]}', 422, "prompt-text-not-a-string"),
    _invalid("prompt", _KEY, b'{"prompt": 42}', 422, "prompt-not-a-string"),
    _invalid("prompt", _KEY, b'{"prompt": "x", "audio_format": "wav"}', 422, "bad-format"),
    _invalid("prompt", _KEY, b'{"prompt": "x", "model": "FUZZ-0.1"}', 422, "unknown-model"),
    _invalid(
        "compose", _KEY, b'{"sound_prompts": [{"text": "x", "strength": 2}]}', 422, "strength-2"
    ),
    _invalid("compose", _KEY, b'{"sound_prompts": [], "weirdness": 1.5}', 422, "weirdness-1.5"),
    _invalid("compose", _KEY, b"[]", 422, "not-an-object"),
    _invalid("compose", _KEY, b"{}", 422, "no-sound-prompts"),
]


@pytest.mark.parametrize(("operation", "headers", "body", "status"), INVALID)
def test_invalid_request_gets_a_documented_error(
    operation: Operation,
    headers: dict[str, str],
    body: bytes | None,
    status: int,
    prism_proxies: Any,
) -> None:
    proxy = prism_proxies(operation.document)
    offset = proxy.log_offset()
    response = httpx.request(
        operation.method.upper(),
        f"{proxy.url}{operation.path}",
        content=body,
        headers={**({"Content-Type": "application/json"} if body is not None else {}), **headers},
        timeout=TIMEOUT,
    )
    assert response.status_code == status, response.text
    assert response.headers.get("x-request-id"), "the error answer has no X-Request-Id"
    # The request is wrong on purpose; only violations of the answer count.
    answer_violations = [v for v in _violations(proxy, response, offset) if v.in_response]
    assert not answer_violations, f"the emulator's {status} answer is off-spec: {answer_violations}"


@pytest.mark.parametrize(
    "operation",
    [operation for operation in all_operations() if operation.takes_inputs],
    ids=lambda operation: operation.test_id,
)
def test_broken_json_gets_a_documented_error(
    operation: Operation, contract_emulator_server: Any
) -> None:
    """Invalid JSON, which Prism answers itself (it cannot forward what it cannot parse):
    checked here against the document's 400 answer directly."""
    document = operation.document
    response = httpx.post(
        f"{served_url(contract_emulator_server, document)}{operation.path}",
        content=b'{"topic": ',
        headers={"Content-Type": "application/json", "Api-Key": CONTRACT_KEY},
        timeout=TIMEOUT,
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers.get("x-request-id")
    validator = document.validator_for(
        document.response_schema_pointer(operation.path, operation.method, "400")
    )
    problems = [error.message for error in validator.iter_errors(response.json())]
    assert not problems, problems
    assert response.json()["code"] == "invalid_json"


#: Per document: a drift that drops a required field of its songs, and that field.
PROXY_DRIFTS = {
    "gen1": ("drops_timestamped_lyrics", "timestamped_lyrics"),
    "gen2": ("drops_title", "title"),
}


@contextlib.contextmanager
def _drifted_emulator(drift: str) -> Iterator[ServerProcess]:
    """The emulator with ``drift`` applied, served on a free loopback port."""
    port = free_port()
    command = [sys.executable, "-m", "contract_tests._broken", drift, str(port)]
    server = start_process(command, name="drifted-emulator", cwd=ROOT)
    try:
        server.base_url = wait_until(server, "\n").splitlines()[0].strip()
        wait_for_port(server, port)
        yield server
    finally:
        stop_process(server)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.name)
def test_proxy_reports_a_drifted_answer(document: SpecDocument) -> None:
    drift, field = PROXY_DRIFTS[document.name]
    operation = DRIFTS[drift].operation
    body = next(iter(CALLS[operation.operation_id].values()))
    with _drifted_emulator(drift) as drifted:
        assert drifted.base_url.endswith(document.base_path), drifted.base_url
        try:
            proxy = prism_server(
                "proxy", document, "--validate-request", "false", upstream=drifted.base_url
            )
            with proxy as prism:
                offset = prism.log_offset()
                response = httpx.post(
                    f"{prism.url}{operation.path}",
                    json=body,
                    headers={"Api-Key": CONTRACT_KEY},
                    timeout=TIMEOUT,
                )
                violations = _violations(prism, response, offset)
        except PrismUnavailable as error:
            prism_or_skip(error)
    assert response.status_code == 200
    assert field not in response.json()
    assert any(v.in_response and field in v.message for v in violations), violations
