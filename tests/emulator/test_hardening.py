"""The served emulator sheds what a client leaves unfinished, and answers JSON even then.

Each test speaks to ``python -m riff_api.emulator`` over 127.0.0.1 with raw sockets, as a
misbehaving client would: trickled heads (slowloris), bodies shorter than their
``Content-Length``, more connections than the server takes, bytes that are not HTTP, a
client that leaves before a drop fault hits it. They count what is held after a deadline,
never how long anything took.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from riff_api_generated.gen1.models import Error

from ._audio import decode
from ._serving import (
    RawAnswer,
    Served,
    drain,
    dribble_until_closed,
    parse_answer,
    raw_request,
    read_answer,
    read_until_closed,
    served,
    wait_for,
)
from .conftest import KEY

SLOWLORIS_CONNECTIONS = 40


def assert_json_error(answer: RawAnswer, status: int, code: str) -> Error:
    """``answer`` is the spec's ``Error`` with ``code``, and carries an ``X-Request-Id``."""
    assert answer.status == status, answer
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["x-request-id"]
    error = Error.model_validate_json(answer.body)
    assert error.code == code
    return error


@pytest.fixture(scope="module")
def short_deadlines() -> Iterator[Served]:
    """An emulator whose request deadlines are 1 s."""
    with served("--header-timeout", "1", "--body-timeout", "1", "--duration", "1") as server:
        yield server


def test_trickled_request_heads_are_shed_with_a_408(short_deadlines: Served) -> None:
    sockets = [short_deadlines.connect() for _ in range(SLOWLORIS_CONNECTIONS)]
    for sock in sockets:
        sock.sendall(b"POST /v1/riff HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    received = [b""] * len(sockets)
    closed: set[int] = set()

    def all_shed() -> bool:
        for i, sock in enumerate(sockets):
            if i not in closed:
                data, gone = drain(sock)
                received[i] += data
                if gone:
                    closed.add(i)
                else:
                    sock.sendall(b"x")  # a byte at a time: no idle timer ever fires
        return len(closed) == len(sockets)

    try:
        assert wait_for(all_shed, timeout_s=30.0, every_s=0.25), f"{len(closed)} shed"
    finally:
        for sock in sockets:
            sock.close()
    for data in received:
        error = assert_json_error(parse_answer(data), 408, "request_timeout")
        assert "request head" in error.message


def test_a_connection_that_sends_nothing_is_closed(short_deadlines: Served) -> None:
    with short_deadlines.connect() as sock:
        assert read_until_closed(sock) == b""  # nothing was asked: nothing to answer


def test_a_body_shorter_than_its_content_length_gets_a_408(short_deadlines: Served) -> None:
    with short_deadlines.connect() as sock:
        sock.sendall(
            raw_request(
                "/v1/riff",
                b'{"prompts": ',
                Api_Key="k",
                Content_Type="application/json",
                Content_Length=100,
            )
        )
        answer = parse_answer(read_until_closed(sock))
    error = assert_json_error(answer, 408, "request_timeout")
    assert "body" in error.message


def test_a_dribbled_body_is_shed_too(short_deadlines: Served) -> None:
    with short_deadlines.connect() as sock:
        head = raw_request("/v1/riff", Api_Key="k", Content_Length=10**6)
        sock.sendall(head + b'{"prompts": [], "lyrics": "')
        received, closed = dribble_until_closed(sock, b"la ")
    assert closed
    assert_json_error(parse_answer(received), 408, "request_timeout")


def test_a_body_left_unread_after_an_early_answer_is_shed(short_deadlines: Served) -> None:
    # Refused before its body is read (no key): the 401 goes out, then the connection
    # must not stay open for a body that never ends.
    with short_deadlines.connect() as sock:
        sock.sendall(raw_request("/v1/riff", b"{", Content_Length=10**6))
        received, closed = dribble_until_closed(sock, b" ")
    assert closed
    assert_json_error(parse_answer(received), 401, "unauthorized")


def test_the_deadlines_never_cut_a_slow_answer() -> None:
    # A 2.5 s latency fault, 1 s deadlines, and a body over uvicorn's 64 KiB read buffer,
    # which the app reads only after its delay: the server stops reading meanwhile, and
    # that time is not the client's. (Unknown fields are ignored, as the schema allows.)
    body = json.dumps({"prompts": [{"text": "jazz"}], "padding": "x" * 200_000}).encode()
    options = ("--header-timeout", "1", "--body-timeout", "1", "--latency", "2.5")
    with served(*options, "--duration", "1") as server:
        answer = httpx.post(f"{server.url}/riff", content=body, headers=KEY, timeout=60)
    assert answer.status_code == 200, answer.text
    assert decode(answer.json()["audio_b64"]).duration_s == pytest.approx(1.0, abs=0.01)


def test_connections_over_the_limit_get_a_json_503() -> None:
    with served("--max-connections", "3", "--header-timeout", "60") as server:
        held = [server.connect() for _ in range(3)]
        try:
            for sock in held:
                # One whole request first, so the server surely has the connection; then
                # the start of another, so that it stays open and is not idle.
                sock.sendall(raw_request("/openapi.yaml", method="GET"))
                assert read_answer(sock).status == 200
                sock.sendall(b"GET /openapi.yaml HTTP/1.1\r\n")
            with server.connect() as extra:
                extra.sendall(raw_request("/v1/riff", b"{}", Api_Key="k", Content_Length=2))
                answer = parse_answer(read_until_closed(extra))
            assert_json_error(answer, 503, "unavailable")
            assert answer.headers["retry-after"] == "1"
            assert answer.headers["connection"] == "close"
        finally:
            held.pop().close()

        def served_again() -> bool:
            return httpx.post(f"{server.url}/riff", json={}, headers=KEY).status_code == 422

        assert wait_for(served_again)
        for sock in held:
            sock.close()


@pytest.mark.parametrize(
    "garbage",
    [
        b"NOT HTTP AT ALL\r\n\r\n",
        b"POST /v1/riff HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n",
        b"POST /v1/riff HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: twelve\r\n\r\n",
        b"POST /v1/riff HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n",
    ],
    ids=["not-http", "bad-header", "bad-length", "bad-encoding"],
)
def test_framing_errors_get_the_json_error_body(short_deadlines: Served, garbage: bytes) -> None:
    with short_deadlines.connect() as sock:
        sock.sendall(garbage)
        answer = parse_answer(read_until_closed(sock))
    error = assert_json_error(answer, 400, "bad_request")
    assert error.message == "The request is not valid HTTP/1.1."
    assert answer.headers["connection"] == "close"


def test_a_drop_aimed_at_a_client_that_left_is_quiet() -> None:
    options = ("--log-level", "info", "--drop-rate", "1", "--latency", "0.5", "--duration", "1")
    body = b'{"prompts": []}'
    with served(*options) as server:
        with server.connect() as sock:
            sock.sendall(raw_request("/v1/riff", body, Api_Key="k", Content_Length=len(body)))
        # It left at once. A second request, sent after, is dropped after the first one:
        # once it is, the drop has met the connection that was already gone.
        with pytest.raises(httpx.TransportError):
            httpx.post(f"{server.url}/riff", content=body, headers=KEY, timeout=30)
        log = server.log()
    assert "Traceback" not in log, log
    assert "Exception in ASGI application" not in log, log
    assert '" 500' not in log, log
