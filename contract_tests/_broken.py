"""Deliberately broken emulators: the suite's proof that it can fail.

Each drift wraps the real emulator in an ASGI layer that bends one thing the way a real
service might drift from its spec (a field dropped, a status changed, a key not checked), and
names the schemathesis checks that must report it. ``test_suite_catches_drift.py`` runs the
suite against each one.

Served over a socket, for Prism's proxy (``python -m contract_tests._broken DRIFT PORT``): the
first line printed is the base URL, as with the emulator itself.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from contract_tests._emulator import CONTRACT_KEY, emulator_app

__all__ = ["DRIFTS", "Drift", "broken_app"]

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
    #: The operation to exercise (operationId).
    operation: str
    before: Callable[[Exchange], None] | None = None
    after: Callable[[Exchange], None] | None = None


def _riff_body(exchange: Exchange) -> dict[str, Any] | None:
    body = exchange.request_json()
    return body if exchange.path.endswith("/riff") and isinstance(body, dict) else None


def _500_on_empty_prompts(exchange: Exchange) -> None:
    body = _riff_body(exchange)
    if body is not None and body.get("prompts") == []:
        exchange.answer(
            500, {"code": "internal_error", "message": "IndexError: list index out of range"}
        )


def _key_optional(exchange: Exchange) -> None:
    if exchange.request_header(b"api-key") is None:
        exchange.set_request_header(b"api-key", CONTRACT_KEY.encode())


def _any_key(exchange: Exchange) -> None:
    exchange.set_request_header(b"api-key", CONTRACT_KEY.encode())


def _lax_audio_format(exchange: Exchange) -> None:
    body = exchange.request_json()
    if isinstance(body, dict) and body.get("audio_format") not in (None, "wav", "m4a", "mp3"):
        body["audio_format"] = "wav"
        exchange.request_body = json.dumps(body).encode()


def _404_for_other_methods(exchange: Exchange) -> None:
    if exchange.method != "POST":
        exchange.answer(404, {"code": "not_found", "message": "Not Found"})


def _advertise_other_methods(exchange: Exchange) -> None:
    if exchange.method == "OPTIONS":
        exchange.status, exchange.body = 204, b""
        exchange.headers = [
            (b"allow", b"GET, POST, DELETE, OPTIONS"),
            (b"x-request-id", str(uuid.uuid4()).encode()),
        ]


def _on_success(edit: Callable[[Exchange], None]) -> Callable[[Exchange], None]:
    def after(exchange: Exchange) -> None:
        if exchange.status == 200:
            edit(exchange)

    return after


def _drop_field(name: str) -> Callable[[Exchange], None]:
    def edit(exchange: Exchange) -> None:
        song = exchange.response_json()
        if isinstance(song, dict):
            song.pop(name, None)
            exchange.set_response_json(song)

    return edit


def _strength_as_string(exchange: Exchange) -> None:
    song = exchange.response_json()
    if isinstance(song, dict):
        for prompt in song.get("prompts", []):
            prompt["strength"] = str(prompt.get("strength"))
        exchange.set_response_json(song)


def _status(status: int) -> Callable[[Exchange], None]:
    def edit(exchange: Exchange) -> None:
        exchange.status = status

    return edit


DRIFTS: dict[str, Drift] = {
    drift.name: drift
    for drift in (
        Drift(
            "drops_timestamped_lyrics",
            "answers without the required key timestamped_lyrics",
            frozenset({"response_schema_conformance"}),
            "create_riff",
            after=_on_success(_drop_field("timestamped_lyrics")),
        ),
        Drift(
            "strength_as_string",
            "answers each prompt's strength as a string",
            frozenset({"response_schema_conformance"}),
            "create_from_topic",
            after=_on_success(_strength_as_string),
        ),
        Drift(
            "500_on_empty_prompts",
            "answers 500 to a riff with an empty prompt list (which the spec allows)",
            frozenset({"not_a_server_error", "positive_data_acceptance"}),
            "create_riff",
            before=_500_on_empty_prompts,
        ),
        Drift(
            "accepts_missing_key",
            "serves requests that carry no Api-Key header",
            frozenset({"ignored_auth", "missing_required_header"}),
            "create_from_topic",
            before=_key_optional,
        ),
        Drift(
            "accepts_any_key",
            "serves requests whatever their Api-Key",
            frozenset({"ignored_auth"}),
            "create_riff",
            before=_any_key,
        ),
        Drift(
            "accepts_unknown_audio_format",
            "serves a song for an audio_format outside wav, m4a, mp3",
            frozenset({"negative_data_rejection"}),
            "create_from_topic",
            before=_lax_audio_format,
        ),
        Drift(
            "201_instead_of_200",
            "answers a song with status 201, which the spec does not list",
            frozenset({"status_code_conformance"}),
            "create_from_topic",
            after=_on_success(_status(201)),
        ),
        Drift(
            "text_plain_song",
            "labels the song's JSON as text/plain",
            frozenset({"content_type_conformance"}),
            "create_riff",
            after=_on_success(
                lambda exchange: exchange.set_response_header(b"content-type", b"text/plain")
            ),
        ),
        Drift(
            "no_request_id",
            "answers without the required X-Request-Id header",
            frozenset({"response_headers_conformance"}),
            "create_from_topic",
            after=lambda exchange: exchange.drop_response_header(b"x-request-id"),
        ),
        Drift(
            "404_for_other_methods",
            "answers 404 instead of 405 to a method the path does not support",
            frozenset({"unsupported_method"}),
            "create_riff",
            before=_404_for_other_methods,
        ),
        Drift(
            "advertises_undocumented_methods",
            "answers OPTIONS with an Allow header listing methods the spec does not declare",
            frozenset({"allow_header_conformance"}),
            "create_riff",
            before=_advertise_other_methods,
        ),
    )
}


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

    name, port = argv[0], int(argv[1])
    app = broken_app(emulator_app(2.0), DRIFTS[name])
    print(f"http://127.0.0.1:{port}/v1", flush=True)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(sys.argv[1:])
