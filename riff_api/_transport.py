"""The HTTP transport of the clients we make: httpx's, reading the network in bigger gulps.

httpcore reads a response 64 KiB at a time, and every read goes through h11's buffer and a
few layers of Python before a chunk reaches us. For a 7 MB song that was about 110 reads
and, measured, half of a call's CPU (scripts/bench). These transports are httpx's default
one rebuilt from public parts (``httpx.BaseTransport`` over an ``httpcore.ConnectionPool``)
with one change: the pool's network streams read up to ``READ_SIZE`` when asked for less.
That is safe for HTTP/1.1, where a read's size is only a buffer size; h11 keeps whatever
follows. Over TLS a read returns one record (16 KiB) at most, so the streams also gather
the records that have already arrived into one read, without blocking: over TLS to
127.0.0.1, a song took ~27-32 ms of CPU with the blocking client, ~34-39 when a select()
came before each record, ~40-55 with one read a record (the official client: ~95-120).
Plain http under asyncio reads through the loop itself (``_socket_stream``).

The blocking streams also keep the whole-request deadline: the client sets ``DEADLINE``
around each send, and every network wait (connect, TLS handshake, each write and read) is
given only what is left of it, so a server dripping its headers a byte at a time is cut off
when the request's time is up, not when it stops. The async client needs no such help: it
waits for a request inside a cancel scope of its own.

They are used only when no proxy is configured in the environment: httpx applies
``HTTP(S)_PROXY`` only to its own transports, and a user behind a proxy keeps them.
"""

from __future__ import annotations

import contextlib
import ssl
import sys
import threading
import time
import typing
import urllib.request
from collections.abc import AsyncIterator, Iterable, Iterator
from contextvars import ContextVar

import httpcore
import httpx

__all__ = ["DEADLINE", "READ_SIZE", "AsyncTransport", "Transport", "use_own_transport"]

#: The most a single network read asks for. Each read's data is copied a few times on its
#: way through h11, so a bigger read costs memory while it lasts. Measured on a 7 MB song
#: over loopback (median CPU of 40 calls; peak RSS; five runs each, alternated): 256 KiB
#: 22-23 ms, 44 MiB; 384 KiB 20-21 ms, 45 MiB. One run each: 64 KiB 28 ms, 42 MiB; 512 KiB
#: 16 ms, 46 MiB; 1 MiB 13 ms, 50 MiB. Over 2,000 calls, 384 KiB settled at 40.8-42.5 MiB.
READ_SIZE = 384 * 1024

#: When the request under way must be done (``time.monotonic()``), or None: set by the
#: blocking client around each send, read by the blocking streams before each wait.
DEADLINE: ContextVar[float | None] = ContextVar("riff_api_deadline", default=None)

#: httpcore's errors and httpx's of the same names: what httpx's own transport raises.
_ERRORS: dict[type[Exception], type[httpx.TransportError]] = {
    getattr(httpcore, name): getattr(httpx, name)
    for name in (
        "TimeoutException",
        "ConnectTimeout",
        "ReadTimeout",
        "WriteTimeout",
        "PoolTimeout",
        "NetworkError",
        "ConnectError",
        "ReadError",
        "WriteError",
        "ProxyError",
        "UnsupportedProtocol",
        "ProtocolError",
        "LocalProtocolError",
        "RemoteProtocolError",
    )
}


def use_own_transport() -> bool:
    """Whether our transport may replace httpx's: not when the environment sets a proxy."""
    proxies = urllib.request.getproxies()
    proxies.pop("no", None)  # NO_PROXY lists exceptions; it sets no proxy
    return not proxies


@contextlib.contextmanager
def _httpx_errors() -> Iterator[None]:
    """Raise httpcore's errors as httpx's, the most specific match first."""
    try:
        yield
    except Exception as exc:
        for cls in type(exc).__mro__:
            mapped = _ERRORS.get(cls)
            if mapped is not None:
                raise mapped(str(exc)) from exc
        raise


def _left(timeout: float | None, late: type[Exception]) -> float | None:
    """``timeout`` cut to what is left of the request's deadline; ``late`` once it is past."""
    until = DEADLINE.get()
    if until is None:
        return timeout
    left = until - time.monotonic()
    if left <= 0:
        raise late("the whole request's deadline has passed")
    return left if timeout is None or left < timeout else timeout


def _response(
    answer: httpcore.Response, stream: httpx.SyncByteStream | httpx.AsyncByteStream
) -> httpx.Response:
    return httpx.Response(
        status_code=answer.status,
        headers=answer.headers,
        stream=stream,
        extensions=answer.extensions,
    )


def _core_request(request: httpx.Request) -> httpcore.Request:
    return httpcore.Request(
        method=request.method,
        url=httpcore.URL(
            scheme=request.url.raw_scheme,
            host=request.url.raw_host,
            port=request.url.port,
            target=request.url.raw_path,
        ),
        headers=request.headers.raw,
        content=typing.cast("typing.Any", request.stream),  # sync or async, as the client's
        extensions=request.extensions,
    )


def _pool_options(
    limits: httpx.Limits, verify: ssl.SSLContext | bool | None
) -> dict[str, typing.Any]:
    return {
        # None: a pool for plain http, which never makes a TLS connection.
        "ssl_context": None if verify is None else httpx.create_ssl_context(verify=verify),
        "max_connections": limits.max_connections,
        "max_keepalive_connections": limits.max_keepalive_connections,
        "keepalive_expiry": limits.keepalive_expiry,
    }


# -- blocking ------------------------------------------------------------------------------


class _Stream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream
        sock = stream.get_extra_info("socket")
        self._tls = sock if isinstance(sock, ssl.SSLSocket) else None

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        timeout = _left(timeout, httpcore.ReadTimeout)
        data = self._stream.read(max(max_bytes, READ_SIZE), timeout)
        if self._tls is None or not data:
            return data
        # TLS gives one record (16 KiB at most) a read: gather the records already here,
        # reading without blocking (one SSL_read a record, no select() between them).
        parts = [data]
        size = len(data)
        tls = self._tls
        was = tls.gettimeout()
        tls.setblocking(False)
        try:
            while size < READ_SIZE:
                more = tls.recv(READ_SIZE - size)
                if not more:
                    break
                parts.append(more)
                size += len(more)
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
            pass  # nothing more has arrived yet
        except OSError:
            pass  # what was read is good; the next read meets the error again
        finally:
            tls.settimeout(was)
        return b"".join(parts)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(
            self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        )

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        return _Stream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _httpx_errors():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class Transport(httpx.BaseTransport):
    """httpx's default transport, with bigger network reads (see the module's docstring)."""

    def __init__(self, *, limits: httpx.Limits, verify: ssl.SSLContext | bool = True) -> None:
        self._limits = limits
        self._verify = verify
        self._pools: dict[bool, httpcore.ConnectionPool] = {}
        self._lock = threading.Lock()

    def _pool(self, request: httpx.Request) -> httpcore.ConnectionPool:
        # One pool for TLS and one without, each made on first use: the TLS context (the CA
        # bundle, ~3 MiB) is only loaded once an https URL is asked for.
        tls = request.url.scheme == "https"
        with self._lock:
            pool = self._pools.get(tls)
            if pool is None:
                options = _pool_options(self._limits, self._verify if tls else None)
                pool = self._pools[tls] = httpcore.ConnectionPool(
                    **options, network_backend=_Backend()
                )
        return pool

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with _httpx_errors():
            answer = self._pool(request).handle_request(_core_request(request))
        return _response(answer, _ResponseStream(typing.cast("Iterable[bytes]", answer.stream)))

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()


# -- async ---------------------------------------------------------------------------------


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream
        tls = stream.get_extra_info("ssl_object")
        self._tls = tls if isinstance(tls, ssl.SSLObject) else None

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = await self._stream.read(max(max_bytes, READ_SIZE), timeout)
        if self._tls is None or not data:
            return data
        # anyio's TLS stream decrypts one record a read, from what the network already gave
        # it: the records left there are read here, without waiting for the network.
        parts = [data]
        size = len(data)
        while size < READ_SIZE:
            try:
                more = self._tls.read(READ_SIZE - size)
            except ssl.SSLError:  # no whole record left (SSLWantReadError), or the end
                break
            if not more:
                break
            parts.append(more)
            size += len(more)
        return b"".join(parts)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _AsyncStream(await self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class _AsyncBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, *, tls: bool) -> None:
        # anyio's backend: it runs under asyncio and trio alike.
        self._backend = httpcore.AnyIOBackend()
        self._tls = tls

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        # Plain http under asyncio: the loop reads the socket itself (_socket_stream). Under
        # any other loop asyncio is not even imported (1.8 MiB the blocking client never needs).
        if not self._tls and "asyncio" in sys.modules:
            from riff_api._socket_stream import asyncio_running, connect_tcp

            if asyncio_running():
                return await connect_tcp(
                    host,
                    port,
                    read_size=READ_SIZE,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
        stream = await self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        return _AsyncStream(stream)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._backend.connect_unix_socket(path, timeout, socket_options)
        return _AsyncStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


class _AsyncResponseStream(httpx.AsyncByteStream):
    def __init__(self, stream: typing.AsyncIterable[bytes]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _httpx_errors():
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        aclose = getattr(self._stream, "aclose", None)
        if aclose is not None:
            await aclose()


class AsyncTransport(httpx.AsyncBaseTransport):
    """The asynchronous twin of ``Transport``."""

    def __init__(self, *, limits: httpx.Limits, verify: ssl.SSLContext | bool = True) -> None:
        self._limits = limits
        self._verify = verify
        self._pools: dict[bool, httpcore.AsyncConnectionPool] = {}

    def _pool(self, request: httpx.Request) -> httpcore.AsyncConnectionPool:
        # As Transport's; no lock needed: nothing here awaits, so no other task runs.
        tls = request.url.scheme == "https"
        pool = self._pools.get(tls)
        if pool is None:
            options = _pool_options(self._limits, self._verify if tls else None)
            pool = self._pools[tls] = httpcore.AsyncConnectionPool(
                **options, network_backend=_AsyncBackend(tls=tls)
            )
        return pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        with _httpx_errors():
            answer = await self._pool(request).handle_async_request(_core_request(request))
        stream = typing.cast("typing.AsyncIterable[bytes]", answer.stream)
        return _response(answer, _AsyncResponseStream(stream))

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.aclose()
