"""The ASGI app: routes, error handlers, and the request-id middleware, in one factory.

:func:`create_app` checks the specs shipped in ``riff_api_generated`` against the hashes the
code was generated from and refuses to build an app that would serve a different spec. The
first generation's spec is served at ``/openapi.yaml``, the second's at
``/api/v1/openapi.yaml``.

Every answer is JSON of the spec's ``Error`` schema when it is an error (404 and 405
included, the latter with ``Allow``), and every answer carries a fresh ``X-Request-Id``.
The request-id middleware wraps Starlette's whole stack, so even the 500 of an unexpected
exception gets one.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from importlib import resources
from types import ModuleType

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from riff_api_generated import gen1, gen2

from ._errors import ApiError, error_response
from ._media import JsonBodiesOnly
from ._routes import EmulatorState, api_routes, openapi_spec
from ._settings import EmulatorSettings

__all__ = ["SpecMismatchError", "create_app", "load_spec"]

_log = logging.getLogger("riff_api.emulator")

_HTTP_CODES = {
    400: "invalid_json",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    501: "not_implemented",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class SpecMismatchError(RuntimeError):
    """The shipped spec is not the one the generated code was made from."""


#: Where each spec document is served, and the generated package that ships it.
SPEC_PATHS: dict[str, ModuleType] = {"/openapi.yaml": gen1, "/api/v1/openapi.yaml": gen2}


def load_spec(package: ModuleType = gen1) -> bytes:
    """The spec shipped in a generated package, after checking its SHA-256."""
    spec = resources.files(package).joinpath("openapi.yaml").read_bytes()
    digest = hashlib.sha256(spec).hexdigest()
    if digest != package.SPEC_SHA256:
        raise SpecMismatchError(
            f"{package.__name__}/openapi.yaml has sha256 {digest}, but the generated code "
            f"was made from {package.SPEC_SHA256}: run scripts/regenerate"
        )
    return spec


class RequestIdMiddleware:
    """Adds a fresh ``X-Request-Id`` header to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, stamping the answer's headers."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-Request-Id"] = request_id
            await send(message)

        await self.app(scope, receive, stamped)


class _EmulatorApp(Starlette):
    def build_middleware_stack(self) -> ASGIApp:
        # Outside Starlette's ServerErrorMiddleware, so its 500s are stamped too.
        return RequestIdMiddleware(JsonBodiesOnly(super().build_middleware_stack(), self.routes))


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    if exc.status_code == 404:
        message = f"No route for {request.method} {request.url.path}."
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}."
    else:
        message = str(exc.detail)
    return error_response(ApiError(exc.status_code, code, message, headers=exc.headers))


async def _unexpected(request: Request, exc: Exception) -> Response:
    # Starlette re-raises after answering, and the server logs the traceback.
    return error_response(ApiError(500, "internal_error", "The emulator failed unexpectedly."))


def create_app(settings: EmulatorSettings | None = None) -> Starlette:
    """The emulator as an ASGI app (Starlette), configured by ``settings``.

    Raises:
        SpecMismatchError: the shipped spec differs from the one the code was generated from.
    """
    settings = settings or EmulatorSettings()
    specs = {path: load_spec(package) for path, package in SPEC_PATHS.items()}
    state = EmulatorState(settings=settings, specs=specs)
    app = _EmulatorApp(
        routes=[
            *api_routes(),
            *(Route(path, openapi_spec, methods=["GET"]) for path in SPEC_PATHS),
        ],
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            Exception: _unexpected,
        },
    )
    # The spec has exactly these paths: "/v1/riff/" is a 404, not a redirect.
    app.router.redirect_slashes = False
    app.state.emulator = state
    _log.debug("emulator app built with %s", settings)
    return app
