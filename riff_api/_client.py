"""The client classes: ``Riffusion`` (blocking) and ``AsyncRiffusion`` (asyncio/trio)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any, Self, TypeVar, Unpack, cast

import anyio
import anyio.to_thread
import httpx
import pydantic

from riff_api._audio import write_atomic
from riff_api._base_client import DEFAULT_LIMITS, BaseClient, Prepared, check_send
from riff_api._defaults import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES
from riff_api._exceptions import APIError
from riff_api._fields import build_request
from riff_api._models import RiffResponse
from riff_api._operations import Operation, endpoint
from riff_api._transport import DEADLINE, AsyncTransport, Transport, use_own_transport
from riff_api._types import NOT_GIVEN, NotGiven, PathLike, PromptLike, TimeoutLike
from riff_api.types import ComposeResponse, PromptResponse
from riff_api_generated.gen1 import params as gen1
from riff_api_generated.gen1.client.api import CREATE_FROM_TOPIC, CREATE_RIFF
from riff_api_generated.gen2 import params as gen2
from riff_api_generated.gen2.client.api import COMPOSE, LIST_MODELS, PROMPT

__all__ = ["AsyncRiffusion", "Riffusion"]

# Module-level so tests can replace them and retries take no wall time.
_sleep = time.sleep
_async_sleep = anyio.sleep

ResponseT = TypeVar("ResponseT")


def _body(
    operation: Operation[Any, Any], caller: str, first: tuple[str, Any], fields: dict[str, Any]
) -> pydantic.BaseModel:
    """The request model of an endpoint method's call: its positional value, then the rest.

    The positional value may also come as a keyword (``riff(prompts=[...])``), not both.
    """
    name, value = first
    if not isinstance(value, NotGiven):
        if name in fields:
            raise TypeError(f"{caller}() got {name!r} both by position and by keyword")
        fields = {name: value, **fields}
    elif name not in fields:
        raise TypeError(f"{caller}() missing its {name!r} argument")
    assert operation.request_model is not None
    return build_request(operation.request_model, fields, caller=caller)


class Riffusion(BaseClient):
    """A client for the Riffusion API that keeps one pooled connection across calls.

    ``api_key`` defaults to RIFFUSION_API_KEY; ``base_url`` (the first generation: ``topic``,
    ``riff``) to RIFFUSION_BACKEND_URL and ``api_url`` (the second: ``prompt``, ``compose``,
    ``models``) to RIFFUSION_API_URL, else the live services; all read when the client is made.
    ``timeout`` is seconds for a whole request (default 300, with 5 to connect), from its
    first byte sent to its last byte read, headers included; or an ``httpx.Timeout``.
    ``max_retries`` (default 2) retries connection errors, timeouts, 408, 409, 429 and 5xx
    with backoff, honouring ``Retry-After``. ``max_response_bytes`` (default 128 MiB) is the
    largest answer read: a larger one is a ``ResponseTooLargeError``, with nothing kept.
    Pass ``http_client`` to bring your own ``httpx.Client`` (proxies, transports, tests);
    it is then yours to close.

        with riff_api.Riffusion() as client:
            song = client.topic("Indie pop banger about my dog Boris", save_to="boris.wav")
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        api_url: str | httpx.URL | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        allow_insecure_http: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        super().__init__(
            api_key=api_key,
            urls={"base_url": base_url, "api_url": api_url},
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
            max_response_bytes=max_response_bytes,
        )
        self._owns_http = http_client is None
        if http_client is None:
            own = Transport(limits=DEFAULT_LIMITS) if use_own_transport() else None
            http_client = httpx.Client(limits=DEFAULT_LIMITS, follow_redirects=False, transport=own)
        self._http = http_client

    @endpoint(CREATE_FROM_TOPIC)
    def topic(
        self,
        topic: str | NotGiven = NOT_GIVEN,
        /,
        *,
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        **fields: Unpack[gen1.TopicRequest],
    ) -> RiffResponse:
        """Make a song from one sentence (``POST /topic``): lyrics and sound are chosen for you.

        Every field of ``TopicRequest`` (``audio_format``, ...) is a keyword argument.
        """
        body = _body(CREATE_FROM_TOPIC, "topic", ("topic", topic), dict(fields))
        song = self.request(
            CREATE_FROM_TOPIC, body, save_to=save_to, timeout=timeout, max_retries=max_retries
        )
        return cast(RiffResponse, song)

    @endpoint(CREATE_RIFF)
    def riff(
        self,
        prompts: Sequence[PromptLike] | NotGiven = NOT_GIVEN,
        /,
        *,
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        **fields: Unpack[gen1.RiffRequest],
    ) -> RiffResponse:
        """Make a song from sound prompts and, optionally, lyrics (``POST /riff``).

        A prompt is a ``Prompt``, a dict of its fields, or just its text. Every other field of
        ``RiffRequest`` (``lyrics``, ``seed``, ``audio_format``, ...) is a keyword argument.
        """
        body = _body(CREATE_RIFF, "riff", ("prompts", prompts), dict(fields))
        song = self.request(
            CREATE_RIFF, body, save_to=save_to, timeout=timeout, max_retries=max_retries
        )
        return cast(RiffResponse, song)

    @endpoint(PROMPT)
    def prompt(
        self,
        prompt: str | NotGiven = NOT_GIVEN,
        /,
        *,
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        **fields: Unpack[gen2.PromptRequest],
    ) -> PromptResponse:
        """Make a song from one prompt (``POST /prompt``): lyrics, sound and title chosen for you.

        Every field of ``PromptRequest`` (``instrumental``, ``model``, ...) is a keyword argument.
        """
        body = _body(PROMPT, "prompt", ("prompt", prompt), dict(fields))
        song = self.request(PROMPT, body, save_to=save_to, timeout=timeout, max_retries=max_retries)
        return cast(PromptResponse, song)

    @endpoint(COMPOSE)
    def compose(
        self,
        sound_prompts: Sequence[PromptLike] | NotGiven = NOT_GIVEN,
        /,
        *,
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        **fields: Unpack[gen2.ComposeRequest],
    ) -> ComposeResponse:
        """Compose a song from sound prompts and, optionally, lyrics (``POST /compose``).

        A sound prompt is a ``SoundPrompt``, a dict of its fields, or just its text. Every other
        field of ``ComposeRequest`` (``lyrics``, ``weirdness``, ``seed``, ...) is a keyword.
        """
        body = _body(COMPOSE, "compose", ("sound_prompts", sound_prompts), dict(fields))
        song = self.request(
            COMPOSE, body, save_to=save_to, timeout=timeout, max_retries=max_retries
        )
        return cast(ComposeResponse, song)

    @endpoint(LIST_MODELS)
    def models(
        self,
        *,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> list[str]:
        """The names of the models the key may use (``GET /models``)."""
        return self.request(LIST_MODELS, timeout=timeout, max_retries=max_retries)

    def send(
        self,
        request: pydantic.BaseModel,
        *,
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Any:
        """Send a ready-made request model (``RiffRequest``, ``TopicRequest``, ...)."""
        operation = check_send(request)
        return self.request(
            operation, request, save_to=save_to, timeout=timeout, max_retries=max_retries
        )

    def request(
        self,
        operation: Operation[Any, ResponseT],
        body: pydantic.BaseModel | None = None,
        *,
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> ResponseT:
        """Send any operation of ``riff_api.OPERATIONS`` with its request model as ``body``.

        What every endpoint method calls: the key, timeouts, retries and typed errors apply,
        and an answer carrying audio comes back decoded (``audio_bytes``, ``save``).
        """
        prepared = self._prepare(self._http, operation, body, save_to, timeout, max_retries)
        answer, _ = self._send_with_retries(prepared)
        if prepared.save_to is not None:  # its name was checked against the format asked for
            write_atomic(prepared.save_to, answer.audio_bytes)
        return cast(ResponseT, answer)

    def _send_with_retries(self, prepared: Prepared) -> tuple[Any, int]:
        """The answer and how many sends it took; a final error carries ``attempts``."""
        attempts = 0
        while True:
            attempts += 1
            try:
                return self._send_once(prepared), attempts
            except APIError as error:
                error.attempts = attempts
                wait = self._retry_wait(error, attempts - 1, prepared.retries)
                if wait is None:
                    raise
                self._log_retry(prepared.request, error, wait, attempts)
                _sleep(wait)

    def _send_once(self, prepared: Prepared) -> Any:
        request, deadline = prepared.request, prepared.deadline
        started = time.monotonic()
        # Our transport cuts every network wait to what is left until then (headers too).
        token = DEADLINE.set(None if deadline is None else started + deadline)
        try:
            response = self._http.send(request, stream=True)
            try:
                reader = self._reader(prepared.operation, response)
                for chunk in self._chunks(response):
                    reader.feed(chunk)
                    self._past_deadline(request, started, deadline)
            finally:
                response.close()
        except httpx.TransportError as exc:
            raise self._connection_error(exc, request, started, deadline) from exc
        finally:
            DEADLINE.reset(token)
        return self._answer(prepared.operation, response, reader, started)

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

    Calls run concurrently in one pool, on asyncio or trio:

        async with riff_api.AsyncRiffusion() as client:
            songs = await asyncio.gather(*(client.topic(t) for t in topics))
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        api_url: str | httpx.URL | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        allow_insecure_http: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        super().__init__(
            api_key=api_key,
            urls={"base_url": base_url, "api_url": api_url},
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
            max_response_bytes=max_response_bytes,
        )
        self._owns_http = http_client is None
        if http_client is None:
            own = AsyncTransport(limits=DEFAULT_LIMITS) if use_own_transport() else None
            http_client = httpx.AsyncClient(
                limits=DEFAULT_LIMITS, follow_redirects=False, transport=own
            )
        self._http = http_client

    @endpoint(CREATE_FROM_TOPIC)
    async def topic(
        self,
        topic: str | NotGiven = NOT_GIVEN,
        /,
        *,
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        **fields: Unpack[gen1.TopicRequest],
    ) -> RiffResponse:
        """Make a song from one sentence (``POST /topic``): lyrics and sound are chosen for you."""
        body = _body(CREATE_FROM_TOPIC, "topic", ("topic", topic), dict(fields))
        song = await self.request(
            CREATE_FROM_TOPIC, body, save_to=save_to, timeout=timeout, max_retries=max_retries
        )
        return cast(RiffResponse, song)

    @endpoint(CREATE_RIFF)
    async def riff(
        self,
        prompts: Sequence[PromptLike] | NotGiven = NOT_GIVEN,
        /,
        *,
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        **fields: Unpack[gen1.RiffRequest],
    ) -> RiffResponse:
        """Make a song from sound prompts and, optionally, lyrics (``POST /riff``)."""
        body = _body(CREATE_RIFF, "riff", ("prompts", prompts), dict(fields))
        song = await self.request(
            CREATE_RIFF, body, save_to=save_to, timeout=timeout, max_retries=max_retries
        )
        return cast(RiffResponse, song)

    @endpoint(PROMPT)
    async def prompt(
        self,
        prompt: str | NotGiven = NOT_GIVEN,
        /,
        *,
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        **fields: Unpack[gen2.PromptRequest],
    ) -> PromptResponse:
        """Make a song from one prompt (``POST /prompt``): lyrics, sound and title chosen for you.

        Every field of ``PromptRequest`` (``instrumental``, ``model``, ...) is a keyword argument.
        """
        body = _body(PROMPT, "prompt", ("prompt", prompt), dict(fields))
        song = await self.request(
            PROMPT, body, save_to=save_to, timeout=timeout, max_retries=max_retries
        )
        return cast(PromptResponse, song)

    @endpoint(COMPOSE)
    async def compose(
        self,
        sound_prompts: Sequence[PromptLike] | NotGiven = NOT_GIVEN,
        /,
        *,
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        **fields: Unpack[gen2.ComposeRequest],
    ) -> ComposeResponse:
        """Compose a song from sound prompts and, optionally, lyrics (``POST /compose``).

        A sound prompt is a ``SoundPrompt``, a dict of its fields, or just its text. Every other
        field of ``ComposeRequest`` (``lyrics``, ``weirdness``, ``seed``, ...) is a keyword.
        """
        body = _body(COMPOSE, "compose", ("sound_prompts", sound_prompts), dict(fields))
        song = await self.request(
            COMPOSE, body, save_to=save_to, timeout=timeout, max_retries=max_retries
        )
        return cast(ComposeResponse, song)

    @endpoint(LIST_MODELS)
    async def models(
        self,
        *,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> list[str]:
        """The names of the models the key may use (``GET /models``)."""
        return await self.request(LIST_MODELS, timeout=timeout, max_retries=max_retries)

    async def send(
        self,
        request: pydantic.BaseModel,
        *,
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Any:
        """Send a ready-made request model (``RiffRequest``, ``TopicRequest``, ...)."""
        operation = check_send(request)
        return await self.request(
            operation, request, save_to=save_to, timeout=timeout, max_retries=max_retries
        )

    async def request(
        self,
        operation: Operation[Any, ResponseT],
        body: pydantic.BaseModel | None = None,
        *,
        save_to: PathLike | None = None,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> ResponseT:
        """Send any operation of ``riff_api.OPERATIONS``; see ``Riffusion.request``."""
        prepared = self._prepare(self._http, operation, body, save_to, timeout, max_retries)
        answer, _ = await self._send_with_retries(prepared)
        if prepared.save_to is not None:
            # In a worker thread: an fsync of megabytes would stall every other task.
            await anyio.to_thread.run_sync(write_atomic, prepared.save_to, answer.audio_bytes)
        return cast(ResponseT, answer)

    async def _send_counted(self, request: pydantic.BaseModel) -> tuple[Any, int]:
        """``send`` without saving, also saying how many sends it took (for ``batch``)."""
        prepared = self._prepare(
            self._http, check_send(request), request, None, NOT_GIVEN, NOT_GIVEN
        )
        return await self._send_with_retries(prepared)

    async def _send_with_retries(self, prepared: Prepared) -> tuple[Any, int]:
        """The answer and how many sends it took; a final error carries ``attempts``."""
        attempts = 0
        while True:
            attempts += 1
            try:
                return await self._send_once(prepared), attempts
            except APIError as error:
                error.attempts = attempts
                wait = self._retry_wait(error, attempts - 1, prepared.retries)
                if wait is None:
                    raise
                self._log_retry(prepared.request, error, wait, attempts)
                await _async_sleep(wait)

    async def _send_once(self, prepared: Prepared) -> Any:
        request, deadline = prepared.request, prepared.deadline
        started = time.monotonic()
        try:
            # The whole request, headers included, whatever the transport: a cancel scope.
            with anyio.fail_after(deadline):
                response = await self._http.send(request, stream=True)
                try:
                    reader = self._reader(prepared.operation, response)
                    async for chunk in self._async_chunks(response):
                        reader.feed(chunk)
                        self._past_deadline(request, started, deadline)
                finally:
                    await response.aclose()
        except httpx.TransportError as exc:
            raise self._connection_error(exc, request) from exc
        except TimeoutError:
            if deadline is None:
                raise
            raise self._deadline_error(request, deadline) from None
        return self._answer(prepared.operation, response, reader, started)

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
