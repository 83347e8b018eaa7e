"""Deliberately broken emulators: the machinery that bends the real emulator's exchanges.

A drift (``_drifts.DRIFTS``) wraps the real emulator in an ASGI layer that edits one
exchange the way a real service might drift from its spec (a field dropped, a status
changed, a key not checked) and names the checks that must report it.
``test_suite_catches_drift.py`` runs the suite against each one.

Served over a socket, for Prism's proxy (``python -m contract_tests._broken DRIFT PORT``): the
first line printed is the base URL of the drift's document (``.../v1`` or ``.../api/v1``).
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from contract_tests._emulator import emulator_app
from contract_tests._spec import Operation, all_operations

__all__ = ["Drift", "Exchange", "broken_app"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]


@dataclass
class Exchange:
    """One request and, once the emulator answered, its answer; drifts edit either side."""

    method: str
    path: str
    request_headers: Headers
    request_body: bytes
    status: int = 0
    headers: Headers | None = None
    body: bytes = b""

    def request_header(self, name: bytes) -> bytes | None:
        return next((value for key, value in self.request_headers if key.lower() == name), None)

    def set_request_header(self, name: bytes, value: bytes) -> None:
        self.request_headers = [(k, v) for k, v in self.request_headers if k.lower() != name]
        self.request_headers.append((name, value))

    def request_json(self) -> Any:
        try:
            return json.loads(self.request_body)
        except ValueError:
            return None

    def answer(self, status: int, payload: Any) -> None:
        """Answer here, without asking the emulator (as the spec's error shape, with an id)."""
        self.status = status
        self.body = json.dumps(payload).encode()
        self.headers = [
            (b"content-type", b"application/json"),
            (b"x-request-id", str(uuid.uuid4()).encode()),
        ]

    def response_json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def set_response_json(self, payload: Any) -> None:
        self.body = json.dumps(payload).encode()

    def drop_response_header(self, name: bytes) -> None:
        assert self.headers is not None
        self.headers = [(k, v) for k, v in self.headers if k.lower() != name]

    def set_response_header(self, name: bytes, value: bytes) -> None:
        self.drop_response_header(name)
        assert self.headers is not None
        self.headers.append((name, value))


@dataclass(frozen=True)
class Drift:
    """One way to break the emulator, and the checks that must catch it."""

    name: str
    description: str
    #: Checks of which at least these must fail (others may fail as well).
    caught_by: frozenset[str]
    #: The operation to exercise (operationId; the ids of both documents are distinct).
    operation_id: str
    before: Callable[[Exchange], None] | None = None
    after: Callable[[Exchange], None] | None = None

    @property
    def operation(self) -> Operation:
        return next(op for op in all_operations() if op.operation_id == self.operation_id)


def broken_app(app: ASGIApp, drift: Drift) -> ASGIApp:
    """``app`` with ``drift`` applied to every HTTP exchange."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        exchange = Exchange(
            scope["method"], scope["path"], list(scope["headers"]), b"".join(chunks)
        )
        if drift.before is not None:
            drift.before(exchange)
        if exchange.headers is None:  # not answered by the drift itself: ask the emulator
            await _call(app, scope, exchange)
            if drift.after is not None:
                drift.after(exchange)
        assert exchange.headers is not None
        headers = [(k, v) for k, v in exchange.headers if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(exchange.body)).encode()))
        await send({"type": "http.response.start", "status": exchange.status, "headers": headers})
        await send({"type": "http.response.body", "body": exchange.body})

    return wrapped


async def _call(app: ASGIApp, scope: Scope, exchange: Exchange) -> None:
    body = exchange.request_body
    inner_scope = dict(scope)
    inner_scope["headers"] = [
        (k, v) for k, v in exchange.request_headers if k.lower() != b"content-length"
    ] + [(b"content-length", str(len(body)).encode())]
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    parts = []

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            exchange.status = message["status"]
            exchange.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            parts.append(message.get("body", b""))

    await app(inner_scope, receive, send)
    exchange.body = b"".join(parts)


def main(argv: list[str]) -> None:
    """Serve one drift on 127.0.0.1:PORT: ``python -m contract_tests._broken DRIFT PORT``."""
    import uvicorn

    from contract_tests._drifts import DRIFTS

    name, port = argv[0], int(argv[1])
    drift = DRIFTS[name]
    app = broken_app(emulator_app(2.0), drift)
    print(f"http://127.0.0.1:{port}{drift.operation.document.base_path}", flush=True)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(sys.argv[1:])
