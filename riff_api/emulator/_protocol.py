"""The HTTP/1.1 connection :func:`~._server.serve` speaks: uvicorn's h11 protocol, guarded.

uvicorn never sheds an unfinished request: its keep-alive timer starts only once an answer
is sent, and every byte received cancels it, so a client that trickles its request head,
or sends less body than its ``Content-Length``, holds a connection for as long as it likes
(uvicorn issue #157 asks for such timeouts; an ASGI middleware cannot help, since the app
is called only once the head is complete). This subclass adds, per connection:

* a deadline for the request head, from when the server starts waiting for one (the
  connection opened, or the previous answer went out), and one for the body, from when
  the head arrived. Past either, the connection is closed; a client that had sent part of
  a request first gets a 408 ``request_timeout``. Time spent while the server itself has
  stopped reading (its app is busy and the body buffer is full) does not count, and the
  time the app takes to answer is never bounded;
* a bound on open connections: one over it gets a 503 ``unavailable`` with ``Retry-After``
  for its request, and is closed;
* the spec's JSON ``Error`` body, with an ``X-Request-Id``, for the 400 uvicorn answers to a
  request h11 cannot parse (uvicorn's own is plain text);
* an ``abort`` in the request's scope (extension :data:`~._faults.CONNECTION_EXTENSION`),
  with which the drop fault cuts this very socket.
"""

from __future__ import annotations

import asyncio
import http
import logging
import uuid
from typing import Literal

import h11
from starlette.types import Receive, Scope, Send
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from ._errors import ApiError, error_response
from ._faults import CONNECTION_EXTENSION
from ._settings import ServerSettings

__all__ = ["GuardedH11Protocol", "protocol_class"]

_log = logging.getLogger("riff_api.emulator")

Phase = Literal["head", "body"]

# How long an abort waits for the event loop to report the connection lost.
_ABORT_WAIT_S = 1.0


def _new_request_id() -> str:
    return uuid.uuid4().hex


def raw_error(error: ApiError) -> bytes:
    """A whole ``Connection: close`` HTTP/1.1 answer of ``error``, bytes ready to write.

    For answers given outside any request/response cycle h11 knows of (a request head that
    never completed), so they are written to the socket as they are.
    """
    response = error_response(error)
    phrase = http.HTTPStatus(error.status).phrase
    lines = [f"HTTP/1.1 {error.status} {phrase}".encode("ascii")]
    lines += [name + b": " + value for name, value in response.raw_headers]
    lines += [b"x-request-id: " + _new_request_id().encode("ascii"), b"connection: close"]
    return b"\r\n".join(lines) + b"\r\n\r\n" + response.body


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with request deadlines, a connection bound and JSON errors.

    Configured by the class attribute :attr:`limits`; :func:`protocol_class` makes a
    subclass per :class:`~._settings.ServerSettings`.
    """

    limits: ServerSettings = ServerSettings(workers=0)

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, object],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._deadline: asyncio.TimerHandle | None = None
        # What the running deadline is for: a phase, and the cycle it began after or in.
        self._watching: tuple[Phase, object] | None = None
        self._lost = asyncio.Event()

    # -- the connection's life -------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Serve the connection; one over the bound is answered by :class:`_OverLimit`."""
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            self.app = _OverLimit(self.limits.max_connections)
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the deadline, and wake whoever waits in :meth:`abort`."""
        self._cancel_deadline()
        self._lost.set()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        """Parse what arrived; give a new request its abort handle and a deadline."""
        before = self.cycle
        super().handle_events()
        if self.cycle is not None and self.cycle is not before:
            extensions = self.cycle.scope.setdefault("extensions", {})
            extensions[CONNECTION_EXTENSION] = {"abort": self.abort}
        self._watch()

    def on_response_complete(self) -> None:
        """The answer is out: wait for the next request head, under its deadline."""
        super().on_response_complete()
        self._watch()

    def send_400_response(self, msg: str) -> None:
        """Answer a request h11 could not parse with the JSON ``Error`` body, then close.

        uvicorn has logged ``msg`` already (it says no more than that the request is bad).
        """
        error = ApiError(400, "bad_request", "The request is not valid HTTP/1.1.")
        if not self.transport.is_closing():
            self.transport.write(raw_error(error))
            self.transport.close()

    async def abort(self) -> None:
        """Cut the connection without an answer (the drop fault); returns once it is gone.

        When the client has left already there is nothing to cut, and nothing to report.
        """
        if not self.transport.is_closing():
            self.transport.abort()
        # The server must see the loss before the app returns, or it would try to answer
        # "returned without starting a response" on a dead socket.
        try:
            await asyncio.wait_for(self._lost.wait(), _ABORT_WAIT_S)
        except TimeoutError:
            _log.warning("an aborted connection was not reported lost in %s s", _ABORT_WAIT_S)

    # -- deadlines -------------------------------------------------------------------------

    def _phase(self) -> Phase | None:
        state = self.conn.their_state
        if state is h11.IDLE:
            return "head"
        if state is h11.SEND_BODY:
            return "body"
        return None  # the request is in (the app's time is not bounded), or it is over

    def _watch(self) -> None:
        """Start the deadline of the phase the connection is in, unless it runs already."""
        phase = self._phase()
        watching = None if phase is None else (phase, self.cycle)
        if watching == self._watching:
            return
        self._cancel_deadline()
        self._watching = watching
        if phase is not None and not self.transport.is_closing():
            self._deadline = self.loop.call_later(self._timeout(phase), self._expire)

    def _timeout(self, phase: Phase) -> float:
        if phase == "head":
            return self.limits.header_timeout_s
        return self.limits.body_timeout_s

    def _cancel_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if self._watching is None or self.transport.is_closing():
            return
        phase = self._watching[0]
        if phase == "body" and self.flow.read_paused:
            # We stopped reading (the app has not taken the body yet): not the client's fault.
            self._deadline = self.loop.call_later(self._timeout(phase), self._expire)
            return
        limit = self._timeout(phase)
        if phase == "head":
            started, _ = self.conn.trailing_data
            if started:
                self._answer_timeout(f"No complete request head arrived within {limit:g} s.")
            _log.info("closed a connection that sent no request head in %g s", limit)
        else:
            cycle = self.cycle
            if not cycle.response_started:
                # The app's receive() now says the client left, and its answer is dropped.
                cycle.disconnected = True
                cycle.message_event.set()
                self._answer_timeout(f"The request body did not arrive within {limit:g} s.")
            _log.info("closed a connection whose request body took over %g s", limit)
        self.transport.close()

    def _answer_timeout(self, message: str) -> None:
        self.transport.write(raw_error(ApiError(408, "request_timeout", message)))


class _OverLimit:
    """The app of a connection over the bound: a JSON 503 that closes the connection."""

    def __init__(self, limit: int) -> None:
        self._limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = ApiError(
            503,
            "unavailable",
            f"The emulator serves at most {self._limit} connections at once.",
            headers={
                "Retry-After": "1",
                "Connection": "close",
                "X-Request-Id": _new_request_id(),
            },
        )
        await error_response(error)(scope, receive, send)


def protocol_class(limits: ServerSettings) -> type[GuardedH11Protocol]:
    """The protocol class uvicorn should build each connection with, under ``limits``."""
    return type("GuardedH11Protocol", (GuardedH11Protocol,), {"limits": limits})
