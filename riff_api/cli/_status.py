"""Exit statuses of ``riff``, and the one place that turns an exception into a status and a line.

Scripts branch on the status, people read the line: both are decided here so that every
command fails the same way for the same cause.
"""

from __future__ import annotations

import pydantic

from riff_api._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AudioSaveError,
    AuthenticationError,
    BadRequestError,
    BatchStorageError,
    CertificateVerificationError,
    InsecureTransportError,
    InternalServerError,
    MissingAPIKeyError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    UnprocessableEntityError,
    describe_validation,
)
from riff_api.cli._exit import ExitStatus, UsageError

__all__ = ["ExitStatus", "UsageError", "connection_reason", "describe_error"]


def connection_reason(error: APIConnectionError) -> str:
    """What went wrong below HTTP (``ConnectError: [Errno 111] Connection refused``), once."""
    cause = error.__cause__
    return f"{type(cause).__name__}: {cause}" if cause is not None else error.message


def _tries(error: APIError) -> str:
    """ "; tried 3 times" when the client retried, so a user knows it already did."""
    return f"; tried {error.attempts} times" if error.attempts > 1 else ""


def describe_error(error: BaseException, command: str | None = None) -> tuple[ExitStatus, str]:
    """The exit status and a one-line, key-free explanation for an error ending a command.

    ``command`` (``batch``, ``topic``...) lets the advice name only options it has.
    """
    if isinstance(error, KeyboardInterrupt):
        return ExitStatus.INTERRUPTED, "interrupted"
    if isinstance(error, UsageError):
        return ExitStatus.USAGE, str(error)
    if isinstance(error, MissingAPIKeyError):
        return ExitStatus.AUTH, (
            "no API key: set RIFFUSION_API_KEY or pass --api-key (or try --local)"
            if "No API key" in str(error)
            else f"unusable API key: {error}"
        )
    if isinstance(error, InsecureTransportError):
        return ExitStatus.USAGE, f"{error} (on the command line: --allow-insecure-http)"
    if isinstance(error, APIStatusError):
        return _describe_status(error, command)
    if isinstance(error, APIResponseValidationError):
        return ExitStatus.VALIDATION, f"the service answered with an unusable song: {error}"
    if isinstance(error, CertificateVerificationError):
        return ExitStatus.CONNECTION, (
            f"{error.message} Check --base-url: this machine does not trust that certificate"
        )
    if isinstance(error, APITimeoutError):
        return ExitStatus.CONNECTION, (
            f"no answer from {error.request.url.host} in time{_tries(error)}; "
            "raise --timeout or retry later"
        )
    if isinstance(error, APIConnectionError):
        return ExitStatus.CONNECTION, (
            f"could not reach {error.request.url.host} ({connection_reason(error)})"
            f"{_tries(error)}; check the URL (--base-url, --api-url) and your network"
        )
    if isinstance(error, BatchStorageError):
        kept = error.report.count("ok") if error.report is not None else 0
        return ExitStatus.ERROR, (
            f"{error.strerror or error}, no new request sent ({kept} song(s) made and recorded)."
            " Make room (or choose another --out-dir), then run the same command to resume"
        )
    if isinstance(error, AudioSaveError):
        return ExitStatus.ERROR, f"could not save the audio: {error.strerror or error}"
    if isinstance(error, pydantic.ValidationError):
        return ExitStatus.USAGE, (
            f"invalid request: {describe_validation(error, root='value', limit=3)}"
        )
    if isinstance(error, ValueError):
        # The client checks its arguments before sending; its messages are written for people.
        return ExitStatus.USAGE, str(error)
    if isinstance(error, OSError):
        return ExitStatus.ERROR, f"{error.strerror or error}: {error.filename or ''}".rstrip(": ")
    return ExitStatus.ERROR, f"{type(error).__name__}: {error}"


def _describe_status(error: APIStatusError, command: str | None) -> tuple[ExitStatus, str]:
    said = _service_words(error)
    if isinstance(error, AuthenticationError):
        return (
            ExitStatus.AUTH,
            "the service refused the API key; check RIFFUSION_API_KEY or --api-key",
        )
    if isinstance(error, PermissionDeniedError):
        return ExitStatus.AUTH, f"the API key may not do this (403){said}"
    if isinstance(error, UnprocessableEntityError):
        fields = "; ".join(_field_problem(item) for item in error.detail[:3])
        return ExitStatus.VALIDATION, (
            f"the service rejected the request (422): {fields or error.message}"
        )
    if isinstance(error, BadRequestError):
        what = (
            "moderation refused the prompts or lyrics"
            if error.code == "moderation"
            else "bad request"
        )
        return ExitStatus.VALIDATION, f"the service refused the request (400, {what}){said}"
    if isinstance(error, RequestTooLargeError):
        return ExitStatus.VALIDATION, f"the request is too large for the service (413){said}"
    if isinstance(error, RateLimitError):
        after = error.retry_after
        wait = f" (it asks to wait {after:g} s)" if after is not None else ""
        lower = " or lower --concurrency" if command == "batch" else ""
        return ExitStatus.RATE_LIMIT, (
            f"the service is rate limiting us (429){wait}{_tries(error)}; try again later{lower}"
        )
    if isinstance(error, InternalServerError):
        return ExitStatus.SERVER, (
            f"the service failed ({error.status_code}){said}{_tries(error)}; try again later"
        )
    if isinstance(error, NotFoundError):
        return ExitStatus.ERROR, (
            f"no such endpoint: {error.request.url} (404); check --base-url (it ends in /v1)"
        )
    return ExitStatus.ERROR, f"the service answered {error.status_code}{said}"


def _service_words(error: APIStatusError) -> str:
    """The service's own explanation and request id, as a suffix, when it gave them."""
    body = error.body
    message = body.get("message") if isinstance(body, dict) else None
    text = f": {message}" if isinstance(message, str) and message.strip() else ""
    if error.request_id:
        text += f" [request id {error.request_id}]"
    return text


def _field_problem(item: object) -> str:
    if not isinstance(item, dict):
        return str(item)
    loc = item.get("loc")
    where = ".".join(str(p) for p in loc if p != "body") if isinstance(loc, list) else ""
    msg = item.get("msg", "invalid")
    return f"{where}: {msg}" if where else str(msg)
