"""The endpoints: one per operation of the spec (``POST /v1/topic``, ...), and the spec itself.

Routes are made from the generated operations table: each operation's path below its
server's path (``/v1``), its method, and its request model. Each API request goes through
the same steps, in this order: authentication (before the body is read), faults, the body
read under the size limit, JSON parsing and strict schema validation (pydantic, from the
generated models; fields the emulator does not act on are accepted and ignored), then the
operation's handler (moderation, then the song, rendered in a worker thread so one slow
song never blocks the event loop). ``HANDLERS`` is what the emulator does per operation.
"""

from __future__ import annotations

import json
import math
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urlsplit

import anyio.to_thread
from pydantic import BaseModel, ValidationError
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from riff_api._operations import OPERATIONS, Operation
from riff_api_generated.gen1.models import ErrorDetail, RiffRequest, TopicRequest

from . import _compose
from ._errors import ApiError, validation_error
from ._faults import DroppedConnection, Faults, abort_connection
from ._moderation import check_moderation
from ._settings import EmulatorSettings
from ._songs import riff_payload, topic_payload

__all__ = ["HANDLERS", "EmulatorState", "api_routes", "openapi_spec"]

Model = TypeVar("Model", bound=BaseModel)

# Longer Content-Length values cannot be below any sane limit (and int() of thousands of
# digits is slow): treat them as too large without parsing.
_MAX_LENGTH_DIGITS = 15


class _Dropped(Response):
    """What an endpoint returns when its connection is gone: nothing is sent."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send nothing: the socket is gone."""


@dataclass
class EmulatorState:
    """What the endpoints share: settings, fault draws, seeds for unseeded songs, spec."""

    settings: EmulatorSettings
    #: Each spec document served, by its path.
    specs: dict[str, bytes]
    faults: Faults = field(init=False)
    _seeds: random.Random = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.faults = Faults(self.settings)
        self._seeds = random.Random(self.settings.seed)

    def new_seed(self) -> int:
        """A seed for a song whose request gave none."""
        with self._lock:
            return self._seeds.getrandbits(63)


def _state(request: Request) -> EmulatorState:
    state: EmulatorState = request.app.state.emulator
    return state


def _authenticate(request: Request, settings: EmulatorSettings) -> None:
    key = request.headers.get("api-key")
    if key is None or not key.strip():
        raise ApiError(401, "unauthorized", "Missing Api-Key header.")
    if not settings.accepts(key):
        raise ApiError(401, "unauthorized", "The Api-Key is not accepted.")


async def _admit(request: Request, state: EmulatorState) -> bool:
    """Authenticate and apply faults; False when a fault dropped the connection."""
    _authenticate(request, state.settings)
    if not state.settings.faults_enabled:
        return True
    decision = state.faults.decide()
    if decision.delay_s > 0:
        await anyio.sleep(decision.delay_s)
    if decision.outcome == "drop":
        if await abort_connection(request.scope):
            return False
        raise DroppedConnection("The emulator dropped the connection (fault injection).")
    decision.raise_error()
    return True


async def _read_body(request: Request, limit: int) -> bytes:
    too_large = ApiError(413, "request_too_large", f"The body is larger than {limit} bytes.")
    declared = request.headers.get("content-length", "").strip()
    if declared.isdigit() and (len(declared) > _MAX_LENGTH_DIGITS or int(declared) > limit):
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _parse(model: type[Model], body: bytes) -> Model:
    try:
        # Strict: a number given as a string, or a bool as 1, is refused as the schema says.
        return model.model_validate_json(body, strict=True)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        if any(err["type"] == "json_invalid" for err in errors):
            reason = next(err["msg"] for err in errors if err["type"] == "json_invalid")
            raise ApiError(400, "invalid_json", f"The body is not valid JSON: {reason}") from None
        if all(err["type"] == "int_type" for err in errors):
            return _parse_whole_floats(model, body, exc)
        raise validation_error(exc) from None


def _parse_whole_floats(model: type[Model], body: bytes, exc: ValidationError) -> Model:
    """Accept ``3.0`` where an integer is due: JSON Schema's integer is any whole number.

    Strict pydantic refuses a float for an int even when it is whole; only such fields are
    converted, and everything else is validated as strictly as before.
    """
    data = json.loads(body)
    for err in exc.errors(include_url=False, include_input=False):
        *parents, last = err["loc"]
        holder = data
        for key in parents:
            holder = holder[key]
        value = holder[last]
        if not (isinstance(value, float) and value.is_integer()):
            raise validation_error(exc) from None
        holder[last] = int(value)
    try:
        return model.model_validate(data, strict=True)
    except ValidationError as again:
        raise validation_error(again) from None


def _non_finite(value: Any, loc: list[str | int]) -> list[ErrorDetail]:
    if isinstance(value, float):
        if math.isfinite(value):
            return []
        return [ErrorDetail(loc=loc, msg="Input should be a finite number", type="finite_number")]
    if isinstance(value, BaseModel):
        return [
            bad
            for name in type(value).model_fields
            for bad in _non_finite(getattr(value, name), [*loc, name])
        ]
    if isinstance(value, list):
        return [bad for i, item in enumerate(value) for bad in _non_finite(item, [*loc, i])]
    return []


def _require_finite(request: BaseModel) -> None:
    # The JSON parser turns NaN, Infinity and out-of-range literals such as 1e999 into
    # non-finite floats; the schema's numbers are finite, and so must the echo be.
    bad = _non_finite(request, ["body"])
    if bad:
        raise ApiError(
            422, "validation_error", "The request body does not match the schema.", detail=bad
        )


async def _admitted_body(request: Request, state: EmulatorState) -> bytes | None:
    """The request's body once the faults let it through; None when the connection drops."""
    if not await _admit(request, state):
        return None
    try:
        return await _read_body(request, state.settings.max_body_bytes)
    except ClientDisconnect:
        return None  # the client left mid-body: nobody to answer


#: What one operation does: from its validated request (None without a body) and the state,
#: after any check that answers an error at once, the blocking work that renders the answer.
Handler = Callable[[Any, EmulatorState], Callable[[], bytes]]


def _riff(riff: RiffRequest, state: EmulatorState) -> Callable[[], bytes]:
    """``POST /v1/riff``: a song from lyrics and sound prompts."""
    if riff.moderate_inputs:
        check_moderation("prompts", (p.text for p in riff.prompts))
        check_moderation("lyrics", (riff.lyrics or "",))
    seed = riff.seed if riff.seed is not None else state.new_seed()
    return partial(riff_payload, riff, seed, state.settings.duration_s)


def _topic(topic: TopicRequest, state: EmulatorState) -> Callable[[], bytes]:
    """``POST /v1/topic``: a song from one sentence."""
    check_moderation("topic", (topic.topic,))
    seed = state.new_seed()
    return partial(topic_payload, topic.topic, topic.audio_format, seed, state.settings.duration_s)


#: The emulator's behaviour, by operation id. An operation of the spec missing here is
#: answered 501 with the Error body (and tests/emulator names it).
HANDLERS: Mapping[str, Handler] = {
    "create_from_topic": _topic,
    "create_riff": _riff,
    "prompt": _compose.prompt,
    "compose": _compose.compose,
    "list_models": _compose.list_models,
}


def _endpoint(operation: Operation[Any, Any], handler: Handler | None) -> Callable[..., Any]:
    async def endpoint(request: Request) -> Response:
        state = _state(request)
        body: BaseModel | None = None
        if operation.request_model is not None:
            raw = await _admitted_body(request, state)
            if raw is None:
                return _Dropped()
            body = _parse(operation.request_model, raw)
            _require_finite(body)
        elif not await _admit(request, state):
            return _Dropped()
        if handler is None:
            raise ApiError(
                501, "not_implemented", f"The emulator does not implement {operation.id}."
            )
        payload = await anyio.to_thread.run_sync(handler(body, state))
        return Response(payload, media_type="application/json")

    endpoint.__name__ = operation.id
    return endpoint


def api_routes() -> list[Route]:
    """One route per operation: its server's path (``/v1``) joined to its own path."""
    return [
        Route(
            urlsplit(operation.server).path.rstrip("/") + operation.path,
            _endpoint(operation, HANDLERS.get(operation.id)),
            methods=[operation.method],
        )
        for operation in OPERATIONS.values()
    ]


async def openapi_spec(request: Request) -> Response:
    """``GET /openapi.yaml`` (and ``/api/v1/openapi.yaml``): a spec served, byte for byte."""
    return Response(_state(request).specs[request.url.path], media_type="application/yaml")
