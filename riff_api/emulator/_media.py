"""415 for a request body that says it is not JSON, on the routes that take a body.

The API's bodies are ``application/json`` (any parameters, such as ``charset``, allowed).
A body whose ``Content-Type`` names another media type gets a 415
``unsupported_media_type`` before the endpoint runs, so before authentication and faults,
as a 404 or 405 would. A body without a ``Content-Type`` is read as JSON, as most API
frameworks do (curl and the official client both send one).

Only a request that carries a body (a non-zero ``Content-Length``, or a
``Transfer-Encoding``), uses a method that sends one, and matches a route is checked: an
unknown path stays a 404 and a wrong method a 405.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Receive, Scope, Send

from ._errors import ApiError, error_response

__all__ = ["JSON_MEDIA_TYPE", "JsonBodiesOnly", "media_type"]

JSON_MEDIA_TYPE = "application/json"

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# A media type echoed in the message is cut to this length: it comes from the client.
_ECHO_LIMIT = 60


def media_type(content_type: str) -> str:
    """The media type of a ``Content-Type`` value, lower-cased, parameters dropped."""
    return content_type.split(";", 1)[0].strip().lower()


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def _has_body(scope: Scope) -> bool:
    length = _header(scope, b"content-length")
    if length is not None and length.strip() not in ("", "0"):
        return True
    return _header(scope, b"transfer-encoding") is not None


class JsonBodiesOnly:
    """ASGI middleware: a 415 for a non-JSON body sent to one of ``routes``."""

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse the request with a 415, or pass it on."""
        content_type = None
        if scope["type"] == "http" and scope["method"] in _BODY_METHODS:
            content_type = _header(scope, b"content-type")
        if (
            content_type is not None
            and media_type(content_type) != JSON_MEDIA_TYPE
            and _has_body(scope)
            and self._routed(scope)
        ):
            await self._refuse(content_type, scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _routed(self, scope: Scope) -> bool:
        return any(route.matches(scope)[0] is Match.FULL for route in self.routes)

    @staticmethod
    async def _refuse(content_type: str, scope: Scope, receive: Receive, send: Send) -> None:
        given = media_type(content_type)[:_ECHO_LIMIT] or "(empty)"
        error = ApiError(
            415,
            "unsupported_media_type",
            f"The body must be {JSON_MEDIA_TYPE}, not {given!r}.",
        )
        await error_response(error)(scope, receive, send)
