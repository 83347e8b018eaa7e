"""What a client sent to Prism's mock, and the verdict on it: accepted, off-spec, or altered.

A ``Recorder`` keeps each request a client sends and what Prism said about it, either as an
httpx event hook on a client the test hands in, or, for a client that makes its own httpx
client (``RiffAPIClient``, the module functions), by wrapping ``httpx.Client.send`` and
``httpx.AsyncClient.send`` for the test's duration. ``judge`` then holds one exchange to the
spec and to the caller's arguments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from contract_tests._prism import PrismServer, Violation, parse_violations
from contract_tests._spec import Operation

__all__ = ["Recorder", "SentRequest", "judge", "mock_makes_up_audio"]


@dataclass
class SentRequest:
    """One request as it went out, and Prism's answer to it."""

    method: str
    path: str
    body: Any
    status: int
    violations: list[Violation]


@dataclass
class Recorder:
    """Keeps what was sent and what Prism said about it."""

    exchanges: list[SentRequest] = field(default_factory=list)

    def on_response(self, response: httpx.Response) -> None:
        request = response.request
        self.exchanges.append(
            SentRequest(
                request.method,
                request.url.path,
                json.loads(request.content) if request.content else None,
                response.status_code,
                parse_violations(response.headers.get("sl-violations")),
            )
        )

    async def on_response_async(self, response: httpx.Response) -> None:
        self.on_response(response)

    def sync_client(self) -> httpx.Client:
        return httpx.Client(event_hooks={"response": [self.on_response]}, timeout=30)

    def async_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(event_hooks={"response": [self.on_response_async]}, timeout=30)

    def record_every_client(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Record the requests of every httpx client, however it was made, until the test ends."""
        sync_send, async_send = httpx.Client.send, httpx.AsyncClient.send

        def send(client: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
            response = sync_send(client, request, **kwargs)
            self.on_response(response)
            return response

        async def asend(
            client: httpx.AsyncClient, request: httpx.Request, **kwargs: Any
        ) -> httpx.Response:
            response = await async_send(client, request, **kwargs)
            self.on_response(response)
            return response

        monkeypatch.setattr(httpx.Client, "send", send)
        monkeypatch.setattr(httpx.AsyncClient, "send", asend)


def mock_makes_up_audio(operation: Operation) -> bool:
    """Whether Prism's mock answers ``operation`` with audio it made up.

    Without an example of the 200 answer, Prism fills each string with "string", which is not
    base64, so a client that decodes the audio (as ours do) refuses the answer. The request
    was still judged; test_spec_lint asks for the example.
    """
    schema = operation.success_schema()
    if "audio_b64" not in schema.get("properties", {}):
        return False
    response = operation.document.resolve(operation.definition["responses"]["200"])
    media = response.get("content", {}).get("application/json", {})
    return "example" not in media and not media.get("examples")


def judge(
    prism: PrismServer,
    recorder: Recorder,
    log_offset: int,
    operation: Operation,
    sent: dict[str, Any],
) -> None:
    """One request of ``operation`` went out; Prism accepted it; it says what the caller asked."""
    assert len(recorder.exchanges) == 1, f"expected one request, saw {recorder.exchanges}"
    exchange = recorder.exchanges[0]
    assert exchange.method == operation.method.upper()
    assert exchange.path == operation.path
    assert 200 <= exchange.status < 300, f"Prism answered {exchange.status}: {exchange.violations}"
    assert not exchange.violations, f"Prism found violations: {exchange.violations}"
    logged = prism.violations_since(log_offset)
    assert not logged, f"Prism logged violations: {logged}"
    schema_at = operation.body_schema_pointer
    if schema_at is None:
        assert exchange.body is None, f"{operation.label} takes no body; sent {exchange.body!r}"
        assert not sent, f"the matrix gives {operation.label}, which takes nothing, {sent}"
        return
    validator = operation.document.validator_for(schema_at)
    schema_errors = [error.message for error in validator.iter_errors(exchange.body)]
    assert not schema_errors, f"the body {exchange.body} does not fit the spec: {schema_errors}"
    _assert_carries(exchange.body, sent)


def _assert_carries(body: dict[str, Any], sent: dict[str, Any]) -> None:
    """Every value the caller gave is in the body as given (lists of objects: each key given)."""
    for name, value in sent.items():
        if isinstance(value, list) and all(isinstance(item, dict) for item in value):
            assert len(body[name]) == len(value), f"{name}: sent {body[name]!r}, asked {value!r}"
            for wire, given in zip(body[name], value, strict=True):
                assert {key: wire[key] for key in given} == given, f"{name}: {wire} != {given}"
        elif value is None:
            assert body.get(name) is None
        else:
            assert body[name] == value, f"{name}: sent {body.get(name)!r}, asked {value!r}"
