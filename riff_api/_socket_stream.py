"""Plain TCP for the async client under asyncio: the socket read by the loop itself.

anyio's asyncio streams sit on an ``asyncio.Protocol``: every read resumes the transport,
waits for one ``data_received`` (256 KiB at most), pauses it again and returns that one
piece, so a 7 MB song costs ~30 pairs of epoll changes and loop turns. Measured over
loopback (scripts/bench), that made an async call cost ~1.3x the CPU of a blocking one.
``loop.sock_recv`` reads the socket straight away when data is waiting and registers with
the selector only when it is not, so a read here costs what a blocking read costs.

Used only for plain http under asyncio; TLS, and every other event loop (trio), keep
anyio's streams. A connection made here never starts TLS: the transport gives https its
own pool, whose connections come from anyio.
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import socket
import ssl
import typing
from collections.abc import Iterable, Iterator

import anyio
import httpcore

__all__ = ["asyncio_running", "connect_tcp"]


def asyncio_running() -> bool:
    """Whether the running event loop is asyncio's (not trio's)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@contextlib.contextmanager
def _mapped(late: type[Exception], failed: type[Exception]) -> Iterator[None]:
    # httpcore's own backends raise these for the same failures; httpx maps them in turn.
    try:
        yield
    except TimeoutError as exc:
        raise late(str(exc) or "timed out") from exc
    except OSError as exc:
        raise failed(str(exc) or type(exc).__name__) from exc


class SocketStream(httpcore.AsyncNetworkStream):
    """A connected non-blocking TCP socket, read and written by the running asyncio loop."""

    def __init__(self, sock: socket.socket, read_size: int) -> None:
        self._sock = sock
        self._read_size = read_size
        self._loop = asyncio.get_running_loop()

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        size = max(max_bytes, self._read_size)
        with _mapped(httpcore.ReadTimeout, httpcore.ReadError):
            # Data already waiting is taken at once, as loop.sock_recv would, but without
            # setting up a timer that would not be needed: most reads of a song are these.
            try:
                return self._sock.recv(size)
            except (BlockingIOError, InterruptedError):
                pass
            with anyio.fail_after(timeout):
                return await self._loop.sock_recv(self._sock, size)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        with _mapped(httpcore.WriteTimeout, httpcore.WriteError), anyio.fail_after(timeout):
            await self._loop.sock_sendall(self._sock, buffer)

    async def aclose(self) -> None:
        self._sock.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        # Never asked for: https has a pool of its own, whose connections are anyio's.
        raise httpcore.ConnectError("TLS over this stream is not supported")

    def get_extra_info(self, info: str) -> typing.Any:
        sock = self._sock
        if info == "socket":
            return sock
        if info == "client_addr":
            return sock.getsockname()
        if info == "server_addr":
            return sock.getpeername()
        if info == "is_readable":
            # An idle kept-alive connection with data waiting has been closed (or broken)
            # by the server: the pool then opens a new one instead.
            return sock.fileno() < 0 or bool(select.select([sock], [], [], 0)[0])
        return None


async def connect_tcp(
    host: str,
    port: int,
    *,
    read_size: int,
    timeout: float | None = None,
    local_address: str | None = None,
    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
) -> SocketStream:
    """A TCP connection to ``host``, trying each of its addresses in turn, as a SocketStream."""
    loop = asyncio.get_running_loop()
    with _mapped(httpcore.ConnectTimeout, httpcore.ConnectError), anyio.fail_after(timeout):
        found = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        failure: OSError | None = None
        for family, kind, proto, _name, address in found:
            sock = socket.socket(family, kind, proto)
            try:
                sock.setblocking(False)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                for option in socket_options or ():
                    sock.setsockopt(*option)
                if local_address is not None:
                    sock.bind((local_address, 0))
                await loop.sock_connect(sock, address)
            except OSError as exc:
                sock.close()
                failure = exc
                continue
            except BaseException:  # cancelled or timed out: no socket left open
                sock.close()
                raise
            return SocketStream(sock, read_size)
        raise failure or OSError(f"no address found for {host!r}")
