"""What the sync and async clients share: settings, building requests, reading answers.

The clients differ only in how they wait (``time.sleep`` vs ``await``); everything that
decides something lives here, once.
"""

from __future__ import annotations

import copy
import json
import logging
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Self

import httpx
import pydantic

from riff_api._audio import check_save_to
from riff_api._config import (
    DEFAULT_TIMEOUT_S,
    check_secure,
    resolve_api_key,
    resolve_base_url,
    to_httpx_timeout,
)
from riff_api._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    describe_validation,
    status_error_for,
)
from riff_api._models import Prompt, RiffRequest, RiffResponse, TopicRequest
from riff_api._receive import SongReader
from riff_api._retry import is_retryable_status, retry_delay
from riff_api._types import (
    NOT_GIVEN,
    AudioFormat,
    NotGiven,
    PathLike,
    PromptLike,
    TimeoutLike,
)
from riff_api._version import __version__
from riff_api_generated.client.api.music import create_from_topic as _topic_operation
from riff_api_generated.client.api.music import create_riff as _riff_operation
from riff_api_generated.client.models import RiffRequest as _WireRiffRequest
from riff_api_generated.client.models import TopicRequest as _WireTopicRequest

__all__ = ["DEFAULT_LIMITS", "BaseClient", "SongRequest", "check_request"]

log = logging.getLogger("riff_api")

SongRequest = RiffRequest | TopicRequest

#: One connection is reused across calls; a few more serve concurrent async calls.
DEFAULT_LIMITS = httpx.Limits(max_connections=64, max_keepalive_connections=16)
#: Enough of an error body to explain it; the rest stays available on the exception.
_MESSAGE_BODY_CHARS = 300


class BaseClient:
    """Settings and request/response logic shared by Riffusion and AsyncRiffusion."""

    base_url: str
    max_retries: int
    timeout: TimeoutLike
    _owns_http: bool

    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str | httpx.URL | None,
        timeout: TimeoutLike | NotGiven,
        max_retries: int,
        allow_insecure_http: bool,
    ) -> None:
        self._api_key = resolve_api_key(api_key)
        self.base_url = resolve_base_url(base_url)
        check_secure(self.base_url, allow_insecure_http=allow_insecure_http)
        self.timeout = DEFAULT_TIMEOUT_S if isinstance(timeout, NotGiven) else timeout
        to_httpx_timeout(self.timeout)  # fail now, not on the first call
        self.max_retries = _check_retries(max_retries)

    def __repr__(self) -> str:
        # The key is deliberately absent, not even masked: reprs end up in logs and tracebacks.
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, timeout={self.timeout!r}, "
            f"max_retries={self.max_retries})"
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

    # -- building --------------------------------------------------------------------------

    @staticmethod
    def _riff_request(
        prompts: Sequence[PromptLike],
        *,
        lyrics: str | None,
        seed: int | None,
        audio_format: AudioFormat,
        moderate_inputs: bool,
    ) -> RiffRequest:
        if isinstance(prompts, str | bytes | Mapping | Prompt):
            raise TypeError("prompts must be a list of prompts, e.g. [Prompt(text='lo-fi')]")
        return RiffRequest(
            prompts=[Prompt(text=p) if isinstance(p, str) else p for p in prompts],
            lyrics=lyrics,
            seed=seed,
            audio_format=audio_format,
            moderate_inputs=moderate_inputs,
        )

    @staticmethod
    def _topic_request(topic: str, *, audio_format: AudioFormat) -> TopicRequest:
        if not isinstance(topic, str) or not topic.strip():
            raise ValueError("topic must be a non-empty sentence, e.g. 'Indie pop about my dog'")
        return TopicRequest(topic=topic, audio_format=audio_format)

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
        request: SongRequest,
        save_to: PathLike | None,
        timeout: TimeoutLike | NotGiven,
        max_retries: int | NotGiven,
    ) -> tuple[Path | None, httpx.Request, float | None, int]:
        """Check every argument of a call, then build its HTTP request: all before sending."""
        check_request(request)
        path = check_save_to(save_to, request.audio_format)
        http_timeout, deadline, retries = self._options(timeout, max_retries)
        return path, self._build_request(http, request, http_timeout), deadline, retries

    def _build_request(
        self, http: httpx.Client | httpx.AsyncClient, body: SongRequest, timeout: httpx.Timeout
    ) -> httpx.Request:
        """The HTTP request for a song request, with method, path and body from the spec.

        The generated operation is the one place that knows each endpoint's method, path and
        wire format; the request is a few hundred bytes, so the detour through its attrs
        model costs nothing measurable.
        """
        wire: dict[str, Any] = body.model_dump(mode="json")
        if isinstance(body, RiffRequest):
            kwargs = _riff_operation._get_kwargs(body=_WireRiffRequest.from_dict(wire))
        else:
            kwargs = _topic_operation._get_kwargs(body=_WireTopicRequest.from_dict(wire))
        headers = {
            **kwargs["headers"],
            "Api-Key": self._api_key,
            "Accept": "application/json",
            "User-Agent": f"riff_api/{__version__} httpx/{httpx.__version__}",
        }
        content = json.dumps(kwargs["json"], separators=(",", ":"), ensure_ascii=False)
        return http.build_request(
            kwargs["method"].upper(),
            self.base_url + kwargs["url"],
            content=content.encode(),
            headers=headers,
            timeout=timeout,
        )

    # -- reading ---------------------------------------------------------------------------

    @staticmethod
    def _connection_error(exc: httpx.TransportError, request: httpx.Request) -> APIError:
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(
                f"No answer from {request.url.host} in time ({type(exc).__name__}).",
                request=request,
            )
        return APIConnectionError(
            f"Could not reach {request.url.host}: {type(exc).__name__}: {exc}", request=request
        )

    @staticmethod
    def _past_deadline(request: httpx.Request, started: float, deadline: float | None) -> None:
        if deadline is not None and time.monotonic() - started > deadline:
            raise APITimeoutError(
                f"The whole request took longer than {deadline:g} s.", request=request
            )

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
    def _reader(response: httpx.Response) -> SongReader:
        """Where the body goes: a song's is decoded as it arrives, an error's kept whole."""
        if not response.is_success:
            return SongReader(whole=True)
        length = response.headers.get("content-length", "")
        # A compressed body's length says little about the decoded audio's size.
        exact = length.isdigit() and "content-encoding" not in response.headers
        return SongReader(int(length) if exact else None)

    def _answer(self, response: httpx.Response, reader: SongReader, started: float) -> RiffResponse:
        """The song from a whole answer read by ``reader``; a typed error for any other answer."""
        self._log_done(response, started, reader.size)
        if not response.is_success:
            raise self._status_error(response, reader.body())
        return self._song(response, reader)

    @staticmethod
    def _song(response: httpx.Response, reader: SongReader) -> RiffResponse:
        """The song from a 2xx body read by ``reader``, its audio decoded (and so checked)."""
        request = response.request
        try:
            return reader.finish()
        except pydantic.ValidationError as exc:
            problems = describe_validation(exc, root="body", limit=5)
            raise APIResponseValidationError(
                f"The service's answer is not a valid song: {problems}",
                request=request,
                response=response,
            ) from None
        except ValueError as exc:
            raise APIResponseValidationError(
                f"The service's answer has unusable audio: {exc}",
                request=request,
                response=response,
            ) from None

    def _retry_wait(self, error: APIError, retries_done: int, max_retries: int) -> float | None:
        """Seconds to wait before trying again after ``error``, or None to give up."""
        if retries_done >= max_retries:
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


def check_request(request: object) -> None:
    """Refuse anything but a song request, before any key or network is looked at."""
    if not isinstance(request, RiffRequest | TopicRequest):
        raise TypeError(
            f"request must be a RiffRequest or TopicRequest, got {type(request).__name__}"
        )


def _check_retries(max_retries: int) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValueError(f"max_retries must be a whole number >= 0, got {max_retries!r}")
    return max_retries
