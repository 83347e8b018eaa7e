"""Every operation of the API, from the tables generated out of the spec documents.

``OPERATIONS`` maps each operation id to its generated entry: method, path, request model,
response type, whether the answer carries audio, and its server. The clients, the CLI,
batch and the emulator all look operations up here, so an operation added to a spec reaches
them by regenerating. What stays hand-written is a choice per service: which constructor
argument and environment variable override its base URL (``SERVICES``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType, ModuleType
from typing import Any, Protocol, TypeVar

from riff_api._defaults import API_URL_ENV, BASE_URL_ENV, DEFAULT_API_URL, DEFAULT_BASE_URL
from riff_api_generated.gen1.client import api as _gen1
from riff_api_generated.gen2.client import api as _gen2

__all__ = [
    "OPERATIONS",
    "SERVICES",
    "Operation",
    "Service",
    "endpoint",
    "endpoint_methods",
    "operation_for_request",
    "request_models",
]

RequestT_co = TypeVar("RequestT_co", covariant=True)
ResponseT_co = TypeVar("ResponseT_co", covariant=True)
MethodT = TypeVar("MethodT", bound=Callable[..., Any])

#: The attribute ``endpoint`` sets on a client method: the id of the operation it sends.
_MARK = "__riff_operation__"


class Operation(Protocol[RequestT_co, ResponseT_co]):
    """One operation of a spec, as its generated table describes it (read-only)."""

    @property
    def id(self) -> str:
        """The spec's operationId."""

    @property
    def method(self) -> str:
        """The HTTP method, upper case."""

    @property
    def path(self) -> str:
        """The path below the service's base URL."""

    @property
    def summary(self) -> str:
        """The spec's one-line summary."""

    @property
    def request_model(self) -> type[RequestT_co] | None:
        """The pydantic model of the JSON body; None for an operation without one."""

    @property
    def response_type(self) -> type[ResponseT_co]:
        """The type of a success answer's body (a pydantic model, or e.g. ``list[str]``)."""

    @property
    def carries_audio(self) -> bool:
        """Whether a success answer holds an audio file in ``audio_b64``."""

    @property
    def server(self) -> str:
        """The live service's base URL, the spec's first server."""

    @property
    def module(self) -> ModuleType:
        """The generated low-level endpoint module."""

    @property
    def request_body(self) -> Any:
        """The generated attrs class of the body (``from_dict``/``to_dict``), or None."""

    @property
    def build_kwargs(self) -> Callable[..., dict[str, Any]]:
        """The generated builder of the request's method, url, json and headers."""


@dataclass(frozen=True)
class Service:
    """Where one generation of the API lives, and how a user points the clients elsewhere."""

    #: The live base URL (the spec's first server).
    default_url: str
    #: The client constructor's argument that overrides it.
    argument: str
    #: The environment variable that overrides it when the argument is not given.
    env: str


def _index(*tables: tuple[Operation[Any, Any], ...]) -> Mapping[str, Operation[Any, Any]]:
    found: dict[str, Operation[Any, Any]] = {}
    for table in tables:
        for operation in table:
            if operation.id in found:
                raise RuntimeError(f"operation id {operation.id!r} is in two spec documents")
            found[operation.id] = operation
    return MappingProxyType(found)


#: Every operation of every spec document, by operation id, in the documents' order.
OPERATIONS: Mapping[str, Operation[Any, Any]] = _index(_gen1.OPERATIONS, _gen2.OPERATIONS)

#: Each service by its live URL. A choice, not a fact of the spec: the names users know.
SERVICES: Mapping[str, Service] = MappingProxyType(
    {
        DEFAULT_BASE_URL: Service(DEFAULT_BASE_URL, argument="base_url", env=BASE_URL_ENV),
        DEFAULT_API_URL: Service(DEFAULT_API_URL, argument="api_url", env=API_URL_ENV),
    }
)

_BY_REQUEST: dict[type[Any], Operation[Any, Any]] = {}
for _operation in OPERATIONS.values():
    if _operation.request_model is not None:
        # Two operations taking the same body could not be told apart by send(request).
        if _operation.request_model in _BY_REQUEST:
            raise RuntimeError(f"two operations take {_operation.request_model.__name__}")
        _BY_REQUEST[_operation.request_model] = _operation


def operation_for_request(request: object) -> Operation[Any, Any]:
    """The operation whose body ``request`` is; TypeError for anything else."""
    for model in type(request).__mro__:
        operation = _BY_REQUEST.get(model)
        if operation is not None:
            return operation
    names = ", ".join(sorted(m.__name__ for m in _BY_REQUEST))
    raise TypeError(f"request must be one of {names}; got {type(request).__name__}")


def request_models() -> tuple[type[Any], ...]:
    """The request models of every operation that takes a body."""
    return tuple(_BY_REQUEST)


def endpoint(operation: Operation[Any, Any]) -> Callable[[MethodT], MethodT]:
    """Mark a client method as the one that sends ``operation`` (see ``endpoint_methods``)."""

    def mark(method: MethodT) -> MethodT:
        setattr(method, _MARK, operation.id)
        return method

    return mark


def endpoint_methods(cls: type) -> dict[str, str]:
    """Operation id -> name of the method of ``cls`` that sends it."""
    found = {}
    for name in dir(cls):
        operation_id = getattr(getattr(cls, name, None), _MARK, None)
        if isinstance(operation_id, str):
            found[operation_id] = name
    return found
