"""The client classes: ``Riffusion`` (blocking) and ``AsyncRiffusion`` (asyncio/trio)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from types import TracebackType
from typing import Self

import anyio
import anyio.to_thread
import httpx

from riff_api._base_client import DEFAULT_LIMITS, BaseClient, SongRequest
from riff_api._config import DEFAULT_MAX_RETRIES
from riff_api._exceptions import APIError
from riff_api._models import RiffResponse
from riff_api._transport import AsyncTransport, Transport, use_own_transport
from riff_api._types import NOT_GIVEN, AudioFormat, NotGiven, PathLike, PromptLike, TimeoutLike

__all__ = ["AsyncRiffusion", "Riffusion"]

# Module-level so tests can replace them and retries take no wall time.
_sleep = time.sleep
_async_sleep = anyio.sleep


class Riffusion(BaseClient):
    """A client for the Riffusion API that keeps one pooled connection across calls.

    ``api_key`` defaults to RIFFUSION_API_KEY and ``base_url`` to RIFFUSION_BACKEND_URL (else
    the live service), both read when the client is made. ``timeout`` is seconds for a whole
    request (default 300, with 5 to connect) or an ``httpx.Timeout``; ``max_retries`` (default
    2) retries connection errors, timeouts, 408, 409, 429 and 5xx with backoff, honouring
    ``Retry-After``. Pass ``http_client`` to bring your own ``httpx.Client`` (proxies,
    transports, tests); it is then yours to close.

        with riff_api.Riffusion() as client:
            song = client.topic("Indie pop banger about my dog Boris", save_to="boris.wav")
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        super().__init__(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
        )
        self._owns_http = http_client is None
        if http_client is None:
            own = Transport(limits=DEFAULT_LIMITS) if use_own_transport() else None
            http_client = httpx.Client(limits=DEFAULT_LIMITS, follow_redirects=False, transport=own)
        self._http = http_client

    def topic(
        self,
        topic: str,
        *,
        audio_format: AudioFormat = "wav",
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RiffResponse:
        """Make a song from one sentence (``POST /topic``): lyrics and sound are chosen for you."""
        request = self._topic_request(topic, audio_format=audio_format)
        return self.send(request, save_to=save_to, timeout=timeout, max_retries=max_retries)

    def riff(
        self,
        prompts: Sequence[PromptLike],
        *,
        lyrics: str | None = None,
        seed: int | None = None,
        audio_format: AudioFormat = "wav",
        moderate_inputs: bool = True,
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RiffResponse:
        """Make a song from sound prompts and, optionally, lyrics (``POST /riff``).

        A prompt is a ``Prompt``, a dict of its fields, or just its text.
        """
        request = self._riff_request(
            prompts,
            lyrics=lyrics,
            seed=seed,
            audio_format=audio_format,
            moderate_inputs=moderate_inputs,
        )
        return self.send(request, save_to=save_to, timeout=timeout, max_retries=max_retries)

    def send(
        self,
        request: SongRequest,
        *,
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RiffResponse:
        """Send a ready-made ``RiffRequest`` or ``TopicRequest`` and return the song."""
        path, http_request, deadline, retries = self._prepare(
            self._http, request, save_to, timeout, max_retries
        )
        song, _ = self._send_with_retries(http_request, deadline, retries)
        if path is not None:
            song.save(path)
        return song

    def _send_with_retries(
        self, http_request: httpx.Request, deadline: float | None, retries: int
    ) -> tuple[RiffResponse, int]:
        """The song and how many sends it took; a final error carries ``attempts``."""
        attempts = 0
        while True:
            attempts += 1
            try:
                return self._send_once(http_request, deadline), attempts
            except APIError as error:
                error.attempts = attempts
                wait = self._retry_wait(error, attempts - 1, retries)
                if wait is None:
                    raise
                self._log_retry(http_request, error, wait, attempts)
                _sleep(wait)

    def _send_once(self, request: httpx.Request, deadline: float | None) -> RiffResponse:
        started = time.monotonic()
        try:
            response = self._http.send(request, stream=True)
            try:
                reader = self._reader(response)
                for chunk in response.iter_bytes():
                    reader.feed(chunk)
                    self._past_deadline(request, started, deadline)
            finally:
                response.close()
        except httpx.TransportError as exc:
            raise self._connection_error(exc, request) from exc
        return self._answer(response, reader, started)

    def close(self) -> None:
        """Close the connection pool (unless it was passed in as ``http_client``)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncRiffusion(BaseClient):
    """The asynchronous twin of ``Riffusion``: same arguments, methods to ``await``.

    async with riff_api.AsyncRiffusion() as client:
        songs = await asyncio.gather(*(client.topic(t) for t in topics))
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        super().__init__(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
        )
        self._owns_http = http_client is None
        if http_client is None:
            own = AsyncTransport(limits=DEFAULT_LIMITS) if use_own_transport() else None
            http_client = httpx.AsyncClient(
                limits=DEFAULT_LIMITS, follow_redirects=False, transport=own
            )
        self._http = http_client

    async def topic(
        self,
        topic: str,
        *,
        audio_format: AudioFormat = "wav",
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RiffResponse:
        """Make a song from one sentence (``POST /topic``): lyrics and sound are chosen for you."""
        request = self._topic_request(topic, audio_format=audio_format)
        return await self.send(request, save_to=save_to, timeout=timeout, max_retries=max_retries)

    async def riff(
        self,
        prompts: Sequence[PromptLike],
        *,
        lyrics: str | None = None,
        seed: int | None = None,
        audio_format: AudioFormat = "wav",
        moderate_inputs: bool = True,
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RiffResponse:
        """Make a song from sound prompts and, optionally, lyrics (``POST /riff``)."""
        request = self._riff_request(
            prompts,
            lyrics=lyrics,
            seed=seed,
            audio_format=audio_format,
            moderate_inputs=moderate_inputs,
        )
        return await self.send(request, save_to=save_to, timeout=timeout, max_retries=max_retries)

    async def send(
        self,
        request: SongRequest,
        *,
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RiffResponse:
        """Send a ready-made ``RiffRequest`` or ``TopicRequest`` and return the song."""
        path, http_request, deadline, retries = self._prepare(
            self._http, request, save_to, timeout, max_retries
        )
        song, _ = await self._send_with_retries(http_request, deadline, retries)
        if path is not None:
            # In a worker thread: an fsync of megabytes would stall every other task.
            await anyio.to_thread.run_sync(song.save, path)
        return song

    async def _send_counted(self, request: SongRequest) -> tuple[RiffResponse, int]:
        """``send`` without saving, also saying how many sends it took (for ``batch``)."""
        _, http_request, deadline, retries = self._prepare(
            self._http, request, None, NOT_GIVEN, NOT_GIVEN
        )
        return await self._send_with_retries(http_request, deadline, retries)

    async def _send_with_retries(
        self, http_request: httpx.Request, deadline: float | None, retries: int
    ) -> tuple[RiffResponse, int]:
        """The song and how many sends it took; a final error carries ``attempts``."""
        attempts = 0
        while True:
            attempts += 1
            try:
                return await self._send_once(http_request, deadline), attempts
            except APIError as error:
                error.attempts = attempts
                wait = self._retry_wait(error, attempts - 1, retries)
                if wait is None:
                    raise
                self._log_retry(http_request, error, wait, attempts)
                await _async_sleep(wait)

    async def _send_once(self, request: httpx.Request, deadline: float | None) -> RiffResponse:
        started = time.monotonic()
        try:
            response = await self._http.send(request, stream=True)
            try:
                reader = self._reader(response)
                async for chunk in response.aiter_bytes():
                    reader.feed(chunk)
                    self._past_deadline(request, started, deadline)
            finally:
                await response.aclose()
        except httpx.TransportError as exc:
            raise self._connection_error(exc, request) from exc
        return self._answer(response, reader, started)

    async def aclose(self) -> None:
        """Close the connection pool (unless it was passed in as ``http_client``)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
