"""What the sync and async clients share: settings, building requests, reading answers.

The clients differ only in how they wait (``time.sleep`` vs ``await``); everything that
decides something lives here, once.
"""

from __future__ import annotations

import copy
import json
import logging
import ssl
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path
from typing import Any, Self

import httpx
import pydantic

from riff_api._audio import check_save_to
from riff_api._config import (
    check_max_response_bytes,
    check_secure,
    resolve_api_key,
    resolve_service_url,
    to_httpx_timeout,
)
from riff_api._defaults import DEFAULT_TIMEOUT_S
from riff_api._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    CertificateVerificationError,
    ResponseTooLargeError,
    describe_validation,
    status_error_for,
)
from riff_api._models import AudioResponse, song_class
from riff_api._operations import SERVICES, Operation, operation_for_request
from riff_api._receive import ENCODINGS, BodyReader, Inflating, SongReader
from riff_api._retry import is_retryable_status, retry_delay
from riff_api._types import NOT_GIVEN, NotGiven, PathLike, TimeoutLike
from riff_api._version import __version__

__all__ = ["DEFAULT_LIMITS", "BaseClient", "Prepared", "check_request"]

log = logging.getLogger("riff_api")

#: One connection is reused across calls; a few more serve concurrent async calls.
DEFAULT_LIMITS = httpx.Limits(max_connections=64, max_keepalive_connections=16)
#: Enough of an error body to explain it; the rest stays available on the exception.
_MESSAGE_BODY_CHARS = 300


class BaseClient:
    """Settings and request/response logic shared by Riffusion and AsyncRiffusion."""

    base_url: str
    max_retries: int
    max_response_bytes: int
    timeout: TimeoutLike
    _owns_http: bool

    def __init__(
        self,
        *,
        api_key: str | None,
        urls: Mapping[str, str | httpx.URL | None],
        timeout: TimeoutLike | NotGiven,
        max_retries: int,
        allow_insecure_http: bool,
        max_response_bytes: int,
    ) -> None:
        """``urls`` holds each service's constructor argument (``base_url``, ...) by name."""
        self._api_key = resolve_api_key(api_key)
        #: Each service's base URL, by its live URL (an operation's ``server``).
        self._urls: dict[str, str] = {}
        for server, service in SERVICES.items():
            url = resolve_service_url(service, urls.get(service.argument))
            check_secure(url, allow_insecure_http=allow_insecure_http)
            self._urls[server] = url
            setattr(self, service.argument, url)
        self.timeout = DEFAULT_TIMEOUT_S if isinstance(timeout, NotGiven) else timeout
        to_httpx_timeout(self.timeout)  # fail now, not on the first call
        self.max_retries = _check_retries(max_retries)
        self.max_response_bytes = check_max_response_bytes(max_response_bytes)

    def __repr__(self) -> str:
        # The key is deliberately absent, not even masked: reprs end up in logs and tracebacks.
        urls = "".join(
            f"{service.argument}={self._urls[server]!r}, " for server, service in SERVICES.items()
        )
        return (
            f"{type(self).__name__}({urls}timeout={self.timeout!r}, max_retries={self.max_retries})"
        )

    def with_options(
        self,
        *,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Self:
        """A copy of this client with other defaults, sharing its connection pool."""
        self._options(timeout, max_retries)  # check both before copying anything
        clone = copy.copy(self)
        clone._owns_http = False  # the original still owns, and closes, the shared pool
        if not isinstance(timeout, NotGiven):
            clone.timeout = timeout
        if not isinstance(max_retries, NotGiven):
            clone.max_retries = max_retries
        return clone

    # -- building ---------------------------------------------------------------------------

    def _options(
        self, timeout: TimeoutLike | NotGiven, max_retries: int | NotGiven
    ) -> tuple[httpx.Timeout, float | None, int]:
        """Per-call settings, falling back on the client's."""
        http_timeout, deadline = to_httpx_timeout(
            self.timeout if isinstance(timeout, NotGiven) else timeout
        )
        retries = self.max_retries if isinstance(max_retries, NotGiven) else max_retries
        return http_timeout, deadline, _check_retries(retries)

    def _prepare(
        self,
        http: httpx.Client | httpx.AsyncClient,
        operation: Operation[Any, Any],
        body: pydantic.BaseModel | None,
        save_to: PathLike | None,
        timeout: TimeoutLike | NotGiven,
        max_retries: int | NotGiven,
    ) -> Prepared:
        """Check every argument of a call, then build its HTTP request: all before sending."""
        check_request(operation, body)
        path = None
        if save_to is not None:
            if not operation.carries_audio:
                raise ValueError(f"{operation.id} answers no audio: there is nothing to save_to")
            path = check_save_to(save_to, getattr(body, "audio_format", None) or "")
        http_timeout, deadline, retries = self._options(timeout, max_retries)
        request = self._build_request(http, operation, body, http_timeout)
        return Prepared(operation, request, path, deadline, retries)

    def _build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        operation: Operation[Any, Any],
        body: pydantic.BaseModel | None,
        timeout: httpx.Timeout,
    ) -> httpx.Request:
        """The HTTP request of ``operation``, its method, path and body from the generated client.

        Only the fields the caller set are sent (the service applies its own defaults to the
        rest), so a field added to the spec before the service knows it cannot break a call
        that does not use it. The generated attrs body does the wire encoding; the body is a
        few hundred bytes, so the detour through it costs nothing measurable.
        """
        if body is None:
            kwargs = operation.build_kwargs()
        else:
            wire = operation.request_body.from_dict(
                body.model_dump(mode="json", exclude_unset=True)
            )
            kwargs = operation.build_kwargs(body=wire)
        headers = {
            **kwargs.get("headers", {}),
            "Api-Key": self._api_key,
            "Accept": "application/json",
            # Only codings whose unpacking can be bounded (0.97 MB of gzip unpacked whole
            # made a 750 MB song): httpx would also offer br and zstd when installed.
            "Accept-Encoding": "gzip, deflate",
            "User-Agent": f"riff_api/{__version__} httpx/{httpx.__version__}",
        }
        content = None
        if "json" in kwargs:
            content = json.dumps(kwargs["json"], separators=(",", ":"), ensure_ascii=False).encode()
        return http.build_request(
            kwargs["method"].upper(),
            self._urls[operation.server] + kwargs["url"],
            content=content,
            headers=headers,
            timeout=timeout,
        )

    # -- reading ---------------------------------------------------------------------------

    @staticmethod
    def _connection_error(
        exc: httpx.TransportError,
        request: httpx.Request,
        started: float | None = None,
        deadline: float | None = None,
    ) -> APIError:
        if isinstance(exc, httpx.TimeoutException):
            # Our transport gives each network wait only what is left of the deadline.
            if (
                started is not None
                and deadline is not None
                and time.monotonic() - started >= deadline - _DEADLINE_SLACK_S
            ):
                return BaseClient._deadline_error(request, deadline)
            return APITimeoutError(
                f"No answer from {request.url.host} in time ({type(exc).__name__}).",
                request=request,
            )
        refused = _certificate_error(exc)
        if refused is not None:
            return CertificateVerificationError(
                f"The TLS certificate of {request.url.host} did not verify "
                f"({refused.verify_message or refused.reason}); not retried.",
                request=request,
            )
        return APIConnectionError(
            f"Could not reach {request.url.host}: {type(exc).__name__}: {exc}", request=request
        )

    @staticmethod
    def _deadline_error(request: httpx.Request, deadline: float) -> APITimeoutError:
        return APITimeoutError(
            f"The whole request took longer than {deadline:g} s.", request=request
        )

    @staticmethod
    def _past_deadline(request: httpx.Request, started: float, deadline: float | None) -> None:
        if deadline is not None and time.monotonic() - started > deadline:
            raise BaseClient._deadline_error(request, deadline)

    @staticmethod
    def _status_error(response: httpx.Response, body: bytes) -> APIStatusError:
        text = body.decode("utf-8", errors="replace")
        try:
            decoded: Any = json.loads(text)
        except ValueError:
            decoded = text
        detail = decoded.get("message") if isinstance(decoded, dict) else None
        if not isinstance(detail, str):
            detail = text.strip()[:_MESSAGE_BODY_CHARS] or "(empty body)"
        request_id = response.headers.get("x-request-id")
        message = f"{response.status_code} {response.reason_phrase or 'error'}: {detail}"
        if request_id:
            message += f" (request id {request_id})"
        cls = status_error_for(response.status_code)
        return cls(message, request=response.request, response=response, body=decoded)

    @staticmethod
    def _chunks(response: httpx.Response) -> Iterator[bytes]:
        """The body's chunks as received, for ``_reader``'s reader to unpack if need be.

        A response made whole beforehand (``httpx.Response(content=...)``, as in tests on
        ``httpx.MockTransport``) has its body only as httpx already decoded it.
        """
        return response.iter_bytes() if response.is_stream_consumed else response.iter_raw()

    @staticmethod
    def _async_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
        """``_chunks`` for the async client."""
        return response.aiter_bytes() if response.is_stream_consumed else response.aiter_raw()

    def _reader(self, operation: Operation[Any, Any], response: httpx.Response) -> BodyReader:
        """Where the body (as ``_chunks`` gives it) goes: a song's is decoded as it
        arrives, any other kept whole; a gzip or deflate one is unpacked on the way.

        Both stop at ``max_response_bytes``, received or unpacked; an answer whose headers
        say it is larger, or in a coding not asked for, is refused before its body is read.
        """
        limit = self.max_response_bytes
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise _too_large(response, limit, f"its Content-Length says {int(length):,} bytes")
        encoding = response.headers.get("content-encoding", "").strip().lower()
        plain = encoding in ("", "identity") or response.is_stream_consumed
        if not plain and encoding not in ENCODINGS:
            raise self._unknown_coding(response, encoding)

        def too_large() -> ResponseTooLargeError:
            return _too_large(response, limit, "more arrived")

        if not response.is_success:  # its status says what happened; its words are a bonus
            reader = SongReader(
                AudioResponse, whole=True, limit=limit, too_large=too_large, keep=_ERROR_BODY_KEEP
            )
        elif not operation.carries_audio:
            reader = SongReader(AudioResponse, whole=True, limit=limit, too_large=too_large)
        else:
            model = song_class(operation.response_type)
            # A compressed body's length says little about the decoded audio's size.
            hint = int(length) if plain and length.isdigit() else None
            reader = SongReader(model, hint, limit=limit, too_large=too_large)
        return reader if plain else Inflating(reader, encoding)

    def _unknown_coding(self, response: httpx.Response, encoding: str) -> APIError:
        """The error for an answer in a coding not asked for, unread; a failure keeps its class."""
        if not response.is_success:
            return self._status_error(response, f"({encoding}-coded body, not read)".encode())
        return APIResponseValidationError(
            f"The service sent its answer in the {encoding!r} coding, which was not asked for "
            "(Accept-Encoding: gzip, deflate); it was not read.",
            request=response.request,
            response=response,
        )

    def _answer(
        self,
        operation: Operation[Any, Any],
        response: httpx.Response,
        reader: BodyReader,
        started: float,
    ) -> Any:
        """The answer of a whole response read by ``reader``; a typed error for a failure."""
        self._log_done(response, started, reader.size)
        if not response.is_success:
            raise self._status_error(response, reader.body())
        try:
            if operation.carries_audio:
                return reader.finish()
            return _adapter(operation).validate_json(reader.body())
        except pydantic.ValidationError as exc:
            problems = describe_validation(exc, root="body", limit=5)
            raise APIResponseValidationError(
                f"The service's answer to {operation.id} is not valid: {problems}",
                request=response.request,
                response=response,
            ) from None
        except ValueError as exc:
            raise APIResponseValidationError(
                f"The service's answer has unusable audio: {exc}",
                request=response.request,
                response=response,
            ) from None

    def _retry_wait(self, error: APIError, retries_done: int, max_retries: int) -> float | None:
        """Seconds to wait before trying again after ``error``, or None to give up."""
        if retries_done >= max_retries or isinstance(error, CertificateVerificationError):
            return None
        if isinstance(error, APIConnectionError):
            return retry_delay(retries_done, None)
        if isinstance(error, APIStatusError) and is_retryable_status(error.status_code):
            return retry_delay(retries_done, error.response.headers.get("retry-after"))
        return None

    @staticmethod
    def _log_retry(request: httpx.Request, error: APIError, wait: float, attempt: int) -> None:
        log.info(
            "%s %s failed (%s); retry %d in %.2f s",
            request.method,
            request.url,
            type(error).__name__,
            attempt,
            wait,
        )

    @staticmethod
    def _log_done(response: httpx.Response, started: float, size: int) -> None:
        log.debug(
            "%s %s -> %d, %d bytes in %.3f s (request id %s)",
            response.request.method,
            response.request.url,
            response.status_code,
            size,
            time.monotonic() - started,
            response.headers.get("x-request-id"),
        )


class Prepared:
    """A call checked and built, ready to send (and to send again)."""

    __slots__ = ("deadline", "operation", "request", "retries", "save_to")

    def __init__(
        self,
        operation: Operation[Any, Any],
        request: httpx.Request,
        save_to: Path | None,
        deadline: float | None,
        retries: int,
    ) -> None:
        self.operation = operation
        self.request = request
        self.save_to = save_to
        self.deadline = deadline
        self.retries = retries


def check_request(operation: Operation[Any, Any], body: object) -> None:
    """Refuse a body that is not the operation's, before any key or network is looked at."""
    model = operation.request_model
    if model is None:
        if body is not None:
            raise TypeError(f"{operation.id} takes no body; got {type(body).__name__}")
    elif not isinstance(body, model):
        raise TypeError(f"{operation.id} takes a {model.__name__}; got {type(body).__name__}")


def check_send(request: object) -> Operation[Any, Any]:
    """The operation a ready-made request model is for; TypeError for anything else."""
    return operation_for_request(request)


_ADAPTERS: dict[str, pydantic.TypeAdapter[Any]] = {}


def _adapter(operation: Operation[Any, Any]) -> pydantic.TypeAdapter[Any]:
    """The validator of an operation's answer (made once: building one costs ~100 us)."""
    adapter = _ADAPTERS.get(operation.id)
    if adapter is None:
        adapter = _ADAPTERS[operation.id] = pydantic.TypeAdapter(operation.response_type)
    return adapter


#: The most kept of an error's body: ``.body``, and the words of the message, come from it.
_ERROR_BODY_KEEP = 1024 * 1024
#: How early a clamped network wait may end and still be the whole-request deadline's doing.
_DEADLINE_SLACK_S = 0.05


def _too_large(response: httpx.Response, limit: int, why: str) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"The answer ({response.status_code}) is larger than max_response_bytes={limit:,}: "
        f"{why}; nothing of it was kept.",
        request=response.request,
        response=response,
        limit=limit,
    )


def _certificate_error(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate check that failed somewhere in ``exc``'s chain of causes, if one did."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _check_retries(max_retries: int) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValueError(f"max_retries must be a whole number >= 0, got {max_retries!r}")
    return max_retries
