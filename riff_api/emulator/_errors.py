"""Error answers: one exception type, rendered as the spec's ``Error`` body.

Every error the emulator gives is an :class:`ApiError` with a stable ``code`` (the spec's
list: invalid_json, moderation, unauthorized, not_found, method_not_allowed,
request_too_large, validation_error, rate_limited, internal_error, unavailable), a
message for people, and for validation errors one ``ErrorDetail`` per offending field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from starlette.responses import Response

from riff_api_generated.gen1.models import Error, ErrorDetail

__all__ = ["ApiError", "error_response", "validation_error"]


class ApiError(Exception):
    """An error answer: status, ``code``, message, optional detail and headers."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        detail: Sequence[ErrorDetail] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = list(detail) if detail is not None else None
        self.headers = dict(headers or {})


def error_response(error: ApiError) -> Response:
    """The JSON response of ``error``."""
    body = Error(code=error.code, message=error.message, detail=error.detail)
    return Response(
        body.model_dump_json().encode("utf-8"),
        status_code=error.status,
        headers=error.headers,
        media_type="application/json",
    )


def _loc(parts: Sequence[Any]) -> list[str | int]:
    return ["body", *(p if isinstance(p, int) else str(p) for p in parts)]


def validation_error(exc: ValidationError) -> ApiError:
    """A 422 ``validation_error`` naming every field pydantic refused."""
    detail = [
        ErrorDetail(loc=_loc(err["loc"]), msg=err["msg"], type=err["type"])
        for err in exc.errors(include_url=False, include_input=False)
    ]
    return ApiError(
        422,
        "validation_error",
        "The request body does not match the schema.",
        detail=detail,
    )
