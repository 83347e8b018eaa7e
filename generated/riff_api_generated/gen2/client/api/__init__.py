# Generated from spec/openapi-gen2.yaml by `scripts/regenerate` (openapi-python-client). Do not edit by hand:
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
from ..models import ComposeRequest as _ComposeRequestBody
from ..models import PromptRequest as _PromptRequestBody
from .models import list_models as _list_models
from .music import compose as _compose
from .music import prompt as _prompt

__all__ = ["OPERATIONS", "Operation", "PROMPT", "COMPOSE", "LIST_MODELS"]

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


PROMPT: Operation[_models.PromptRequest, _models.PromptResponse] = Operation(
    id="prompt",
    method="POST",
    path="/prompt",
    summary="Make a song from one prompt",
    request_model=_models.PromptRequest,
    response_type=_models.PromptResponse,
    carries_audio=True,
    server=SERVERS[0],
    module=_prompt,
    request_body=_PromptRequestBody,
    # The generated module's own request builder, exposed here under a public name.
    build_kwargs=_prompt._get_kwargs,
)

COMPOSE: Operation[_models.ComposeRequest, _models.ComposeResponse] = Operation(
    id="compose",
    method="POST",
    path="/compose",
    summary="Compose a song from lyrics and sound prompts",
    request_model=_models.ComposeRequest,
    response_type=_models.ComposeResponse,
    carries_audio=True,
    server=SERVERS[0],
    module=_compose,
    request_body=_ComposeRequestBody,
    # The generated module's own request builder, exposed here under a public name.
    build_kwargs=_compose._get_kwargs,
)

LIST_MODELS: Operation[None, list[str]] = Operation(
    id="list_models",
    method="GET",
    path="/models",
    summary="List the models available to the key",
    request_model=None,
    response_type=list[str],
    carries_audio=False,
    server=SERVERS[0],
    module=_list_models,
    request_body=None,
    # The generated module's own request builder, exposed here under a public name.
    build_kwargs=_list_models._get_kwargs,
)

#: Every operation, in the spec's order.
OPERATIONS: tuple[Operation[Any, Any], ...] = (
    PROMPT,
    COMPOSE,
    LIST_MODELS,
)
