# Generated from spec/openapi.yaml by `scripts/regenerate` (openapi-python-client). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
"""Every operation of this API, in the spec's order: the table the facade sends requests from.

Each entry has the operation's id, HTTP method and path, its request and response types (the
pydantic models of ``models.py``), the attrs body class and the endpoint module of this
generated client, whether the answer carries audio in ``audio_b64``, the spec's first server
and the summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Generic, TypeVar

from ... import SERVERS
from ... import models as _models
from ..models import RiffRequest as _RiffRequestBody
from ..models import TopicRequest as _TopicRequestBody
from .music import create_from_topic as _create_from_topic
from .music import create_riff as _create_riff

__all__ = ["OPERATIONS", "Operation", "CREATE_FROM_TOPIC", "CREATE_RIFF"]

RequestT = TypeVar("RequestT")
ResponseT = TypeVar("ResponseT")


@dataclass(frozen=True, eq=False)
class Operation(Generic[RequestT, ResponseT]):
    """One operation of the spec."""

    #: The spec's operationId.
    id: str
    #: The HTTP method, upper case.
    method: str
    #: The path below the server's URL.
    path: str
    #: The spec's summary of the operation.
    summary: str
    #: The pydantic model of the JSON request body; None when the operation takes no body.
    request_model: type[RequestT] | None
    #: The type of a success answer's JSON body: a pydantic model, or e.g. ``list[str]``.
    response_type: type[ResponseT]
    #: Whether a success answer carries an audio file, base64-encoded, in ``audio_b64``.
    carries_audio: bool
    #: The URL of the spec's first server (the live service).
    server: str
    #: The generated endpoint module (``sync``, ``sync_detailed``, ``asyncio``, ...).
    module: ModuleType
    #: The generated attrs class of the request body, or None.
    request_body: Any
    #: Builds the keyword arguments of the HTTP request (method, url, json, headers) from
    #: ``body=<attrs request body>``, or from nothing for an operation without a body.
    build_kwargs: Callable[..., dict[str, Any]]

    def __repr__(self) -> str:
        return f"<Operation {self.id}: {self.method} {self.path}>"


CREATE_FROM_TOPIC: Operation[_models.TopicRequest, _models.RiffResponse] = Operation(
    id="create_from_topic",
    method="POST",
    path="/topic",
    summary="Make a song from one sentence",
    request_model=_models.TopicRequest,
    response_type=_models.RiffResponse,
    carries_audio=True,
    server=SERVERS[0],
    module=_create_from_topic,
    request_body=_TopicRequestBody,
    # The generated module's own request builder, exposed here under a public name.
    build_kwargs=_create_from_topic._get_kwargs,
)

CREATE_RIFF: Operation[_models.RiffRequest, _models.RiffResponse] = Operation(
    id="create_riff",
    method="POST",
    path="/riff",
    summary="Make a song from lyrics and sound prompts",
    request_model=_models.RiffRequest,
    response_type=_models.RiffResponse,
    carries_audio=True,
    server=SERVERS[0],
    module=_create_riff,
    request_body=_RiffRequestBody,
    # The generated module's own request builder, exposed here under a public name.
    build_kwargs=_create_riff._get_kwargs,
)

#: Every operation, in the spec's order.
OPERATIONS: tuple[Operation[Any, Any], ...] = (
    CREATE_FROM_TOPIC,
    CREATE_RIFF,
)
