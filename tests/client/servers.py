"""Servers for the client tests: scripted answers from a thread on 127.0.0.1 (only there).

``serve`` runs an ``Answer`` (a function of the accepted socket) for each connection in turn
and counts the connections it accepted, TLS handshakes that failed included.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["Answer", "http_answer", "read_request", "receive", "serve"]

Answer = Callable[[socket.socket], None]


def http_answer(body: bytes, *, status: str = "200 OK") -> bytes:
    head = f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n"
    return (head + f"content-length: {len(body)}\r\n\r\n").encode() + body


def receive(conn: socket.socket) -> bytes:
    data = conn.recv(65536)
    if not data:
        raise ConnectionResetError("the client closed the connection")
    return data


def read_request(conn: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        data += receive(conn)
    head, _, rest = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        ),
        0,
    )
    while len(rest) < length:
        rest += receive(conn)


@contextmanager
def serve(
    answer: Answer, *, wrap: ssl.SSLContext | None = None, accepted: list[int] | None = None
) -> Iterator[str]:
    """A one-thread server on 127.0.0.1 that runs ``answer`` for each connection.

    ``accepted``, when given, gets one item per connection accepted (before any handshake).
    """
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def loop() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            if accepted is not None:
                accepted.append(len(accepted) + 1)
            try:
                if wrap is not None:
                    conn = wrap.wrap_socket(conn, server_side=True)
                answer(conn)
            except OSError:
                pass
            finally:
                conn.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"{'https' if wrap else 'http'}://127.0.0.1:{port}"
    finally:
        stop.set()
        thread.join(5)
        listener.close()
