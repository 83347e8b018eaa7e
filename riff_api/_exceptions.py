"""Every error riff_api raises, in one tree.

    RiffusionError                     anything raised by riff_api on purpose
    ├── MissingAPIKeyError             no key given nor in RIFFUSION_API_KEY (also a ValueError)
    ├── InsecureTransportError         the key would travel over plain http (also a ValueError)
    ├── APIError                       something went wrong talking to the service
    │   ├── APIConnectionError         no answer: refused, reset, DNS, dropped mid-body
    │   │   └── APITimeoutError        no answer in time
    │   ├── APIResponseValidationError a 2xx whose body is not a valid song
    │   └── APIStatusError             a non-2xx answer; .status_code, .body, .request_id
    │       ├── BadRequestError             400 (malformed JSON, moderation)
    │       ├── AuthenticationError         401
    │       ├── PermissionDeniedError       403
    │       ├── NotFoundError               404
    │       ├── RequestTooLargeError        413
    │       ├── UnprocessableEntityError    422 (.detail lists the fields)
    │       ├── RateLimitError              429 (.retry_after in seconds, if given)
    │       └── InternalServerError         5xx, any of them
    ├── AudioSaveError                 the audio could not be written (also an OSError)
    └── JobFileError                   a line of a batch jobs file is not a job (also a ValueError)

Every ``APIError`` carries ``.request`` (an ``httpx.Request``); status errors also carry
``.response``. No message ever contains the API key: requests are described by method and
URL only, and bodies are the service's own words.
"""

from __future__ import annotations

from typing import Any

import httpx
import pydantic

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AudioSaveError",
    "AuthenticationError",
    "BadRequestError",
    "InsecureTransportError",
    "InternalServerError",
    "MissingAPIKeyError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTooLargeError",
    "RiffusionError",
    "UnprocessableEntityError",
    "status_error_for",
]


class RiffusionError(Exception):
    """Base class of every exception riff_api raises on purpose."""


class MissingAPIKeyError(RiffusionError, ValueError):
    """No API key was given and RIFFUSION_API_KEY is not set."""


class InsecureTransportError(RiffusionError, ValueError):
    """The API key would be sent over plain http to a host that is not this machine."""


class AudioSaveError(RiffusionError, OSError):
    """The audio could not be written; no partial file was left behind."""


class APIError(RiffusionError):
    """Something went wrong while talking to the service.

    ``attempts`` is how many times the request was sent, this error's answer included.
    """

    request: httpx.Request

    def __init__(self, message: str, *, request: httpx.Request) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.attempts = 1


class APIConnectionError(APIError):
    """The service could not be reached, or the connection broke before a full answer."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The service did not answer in time."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request) -> None:
        super().__init__(message, request=request)


class APIResponseValidationError(APIError):
    """The service answered 2xx, but the body is not a valid song (bad JSON, keys, base64)."""

    def __init__(self, message: str, *, request: httpx.Request, response: httpx.Response) -> None:
        super().__init__(message, request=request)
        self.response = response
        self.status_code = response.status_code


class APIStatusError(APIError):
    """The service answered with a non-2xx status."""

    status_code: int

    def __init__(
        self, message: str, *, request: httpx.Request, response: httpx.Response, body: Any
    ) -> None:
        super().__init__(message, request=request)
        self.response = response
        self.status_code = response.status_code
        #: The decoded JSON body when there was one, else the text (possibly empty).
        self.body = body
        self.request_id: str | None = response.headers.get("x-request-id")
        #: The service's machine-readable reason (``Error.code``), when it gave one.
        self.code: str | None = body.get("code") if isinstance(body, dict) else None


class BadRequestError(APIStatusError):
    """400: the body was malformed, or moderation refused the prompts or lyrics."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing or not accepted."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not do this."""


class NotFoundError(APIStatusError):
    """404: no such endpoint (check the base URL)."""


class RequestTooLargeError(APIStatusError):
    """413: the request body is larger than the service accepts."""


class UnprocessableEntityError(APIStatusError):
    """422: the body does not fit the schema; ``.detail`` names each field."""

    @property
    def detail(self) -> list[Any]:
        """The service's per-field details, or an empty list."""
        detail = self.body.get("detail") if isinstance(self.body, dict) else None
        return list(detail) if isinstance(detail, list) else []


class RateLimitError(APIStatusError):
    """429: too many requests; ``.retry_after`` says how long to wait, when known."""

    @property
    def retry_after(self) -> float | None:
        """Seconds the service asked us to wait, from ``Retry-After``; None if absent."""
        from riff_api._retry import parse_retry_after

        return parse_retry_after(self.response.headers.get("retry-after"))


class InternalServerError(APIStatusError):
    """5xx: the service failed; such requests are retried."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    413: RequestTooLargeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_for(status_code: int) -> type[APIStatusError]:
    """The exception class for an HTTP status; any unknown status maps to a sensible base."""
    if status_code >= 500:
        return InternalServerError
    return _BY_STATUS.get(status_code, APIStatusError)


def describe_validation(exc: pydantic.ValidationError, *, root: str, limit: int) -> str:
    """The first ``limit`` problems of a validation error, each as ``field.path: message``.

    ``root`` names a problem with the value as a whole (an empty location).
    """
    return "; ".join(
        f"{'.'.join(str(part) for part in err['loc']) or root}: {err['msg']}"
        for err in exc.errors(include_url=False)[:limit]
    )
