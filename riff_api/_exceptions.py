"""Every error riff_api raises, in one tree.

    RiffusionError                     anything raised by riff_api on purpose
    ├── MissingAPIKeyError             no key given nor in RIFFUSION_API_KEY (also a ValueError)
    │   └── MalformedAPIKeyError       a key that cannot be sent (control or non-ASCII characters)
    ├── InsecureTransportError         the key would travel over plain http (also a ValueError)
    ├── APIError                       something went wrong talking to the service
    │   ├── APIConnectionError         no answer: refused, reset, DNS, dropped mid-body
    │   │   ├── APITimeoutError        no answer in time
    │   │   └── CertificateVerificationError  the TLS certificate did not verify (not retried)
    │   ├── APIResponseValidationError a 2xx whose body is not a valid song
    │   │   └── ResponseTooLargeError  an answer larger than the client's max_response_bytes
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
    ├── JobFileError                   a line of a batch jobs file is not a job (also a ValueError)
    └── BatchStorageError              a batch's results can no longer be kept (also an OSError)

Every ``APIError`` carries ``.request`` (an ``httpx.Request``); status errors also carry
``.response``. No error holds the API key: its ``.request`` (and its response's) is a copy
whose credential headers read ``[secure]``, so neither its repr nor a pickle of the error
holds the key, and any trace of the key in a message is replaced the same way. Errors
survive ``pickle`` (error trackers store them so).
"""

from __future__ import annotations

import copy
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
    "BatchStorageError",
    "CertificateVerificationError",
    "InsecureTransportError",
    "InternalServerError",
    "MalformedAPIKeyError",
    "MissingAPIKeyError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTooLargeError",
    "ResponseTooLargeError",
    "RiffusionError",
    "UnprocessableEntityError",
    "redacted",
    "status_error_for",
]

#: Request headers that carry a credential. httpx hides Authorization in reprs only; an
#: error keeps none of these values at all, so that a pickled error holds no key either.
SECRET_HEADERS = frozenset({"api-key", "authorization", "proxy-authorization", "x-api-key"})
REDACTED = "[secure]"


class RiffusionError(Exception):
    """Base class of every exception riff_api raises on purpose."""


class MissingAPIKeyError(RiffusionError, ValueError):
    """No API key was given and RIFFUSION_API_KEY is not set."""


class MalformedAPIKeyError(MissingAPIKeyError):
    """The key given cannot be sent as it is: it has blanks around it, a control character
    or a non-ASCII one. The message says which, and where, never the key itself."""


class InsecureTransportError(RiffusionError, ValueError):
    """The API key would be sent over plain http to a host that is not this machine."""


class AudioSaveError(RiffusionError, OSError):
    """The audio could not be written; no partial file was left behind."""


class BatchStorageError(RiffusionError, OSError):
    """A batch's results could no longer be kept (disk full, read-only folder): it stopped.

    No new request was sent after it; every result kept so far is in the manifest, which has
    no torn line, so a new run resumes once there is room. ``report`` is the batch's report
    up to then (None when it failed before the first request).
    """

    report: Any = None


class APIError(RiffusionError):
    """Something went wrong while talking to the service.

    ``attempts`` is how many times the request was sent, this error's answer included.
    ``request`` is the request sent, its credential headers replaced by ``[secure]``.
    """

    request: httpx.Request

    def __init__(self, message: str, *, request: httpx.Request) -> None:
        request, secrets = redacted(request)
        message = _scrub(message, secrets)
        super().__init__(message)
        self.message = message
        self.request = request
        self.attempts = 1

    def __reduce__(self) -> tuple[Any, ...]:
        # The default rebuilds an exception as cls(*args), which these keyword-only
        # constructors refuse: the state is put back as it was instead.
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[APIError], args: tuple[Any, ...], state: dict[str, Any]) -> APIError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


def redacted(request: httpx.Request) -> tuple[httpx.Request, list[str]]:
    """A copy of ``request`` whose credential headers read ``[secure]``, and their values."""
    secrets = [v for k, v in request.headers.items() if k.lower() in SECRET_HEADERS]
    if not secrets:
        return request, []
    clone = copy.copy(request)
    clone.headers = httpx.Headers(
        [
            (k, REDACTED if k.lower() in SECRET_HEADERS else v)
            for k, v in request.headers.multi_items()
        ]
    )
    return clone, secrets


def _scrub_json(value: Any, secrets: list[str]) -> Any:
    """``value`` (decoded JSON) with every string scrubbed of ``secrets``."""
    if not secrets:
        return value
    if isinstance(value, str):
        return _scrub(value, secrets)
    if isinstance(value, list):
        return [_scrub_json(item, secrets) for item in value]
    if isinstance(value, dict):
        return {_scrub(k, secrets): _scrub_json(v, secrets) for k, v in value.items()}
    return value


def _scrub(message: str, secrets: list[str]) -> str:
    """``message`` without any of ``secrets``, as written or as Python would quote it."""
    for secret in secrets:
        if len(secret) < 4 or secret == REDACTED:  # too short to hide anything but noise
            continue
        for form in {secret, repr(secret)[1:-1], repr(secret.encode())[2:-1]}:
            message = message.replace(form, REDACTED)
    return message


class APIConnectionError(APIError):
    """The service could not be reached, or the connection broke before a full answer."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The service did not answer in time."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request) -> None:
        super().__init__(message, request=request)


class CertificateVerificationError(APIConnectionError):
    """The service's TLS certificate did not verify (untrusted, expired, another host's).

    Never retried: another handshake meets the same certificate.
    """


class APIResponseValidationError(APIError):
    """The service answered 2xx, but the body is not a valid song (bad JSON, keys, base64)."""

    def __init__(self, message: str, *, request: httpx.Request, response: httpx.Response) -> None:
        super().__init__(message, request=request)
        response.request = self.request  # the response's own copy would keep the key
        self.response = response
        self.status_code = response.status_code


class ResponseTooLargeError(APIResponseValidationError):
    """An answer (of any status) was larger than the client's ``max_response_bytes``.

    Raised as soon as its ``Content-Length`` says so, or once that many bytes have arrived;
    nothing of it is kept or saved. ``limit`` is the bound, in bytes.
    """

    def __init__(
        self, message: str, *, request: httpx.Request, response: httpx.Response, limit: int
    ) -> None:
        super().__init__(message, request=request, response=response)
        self.limit = limit


class APIStatusError(APIError):
    """The service answered with a non-2xx status."""

    status_code: int

    def __init__(
        self, message: str, *, request: httpx.Request, response: httpx.Response, body: Any
    ) -> None:
        super().__init__(message, request=request)
        response.request = self.request  # the response's own copy would keep the key
        self.response = response
        self.status_code = response.status_code
        #: The decoded JSON body when there was one, else the text (possibly empty); a key
        #: the service echoed back reads ``[secure]`` there too.
        self.body = _scrub_json(body, redacted(request)[1])
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
