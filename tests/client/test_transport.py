"""The clients' own transport: httpx's behaviour over real sockets, with bigger reads.

Each test serves a scripted answer from a thread on 127.0.0.1 and checks what httpx's own
transport would give: the same responses, the same httpx error types, TLS that verifies,
and the proxy settings of the environment still honoured (by falling back to httpx's).
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import sys
import threading
from pathlib import Path

import anyio
import h11
import httpx
import pybase64
import pytest

import riff_api
from riff_api import _transport
from riff_api._base_client import DEFAULT_LIMITS
from riff_api._transport import AsyncTransport, Transport, use_own_transport
from tests.client.servers import Answer, http_answer, read_request, serve
from tests.conftest import song_body, wav_bytes


def song_answer(conn: socket.socket, body: bytes) -> None:
    while True:
        read_request(conn)
        conn.sendall(http_answer(body))


SONG = json.dumps(song_body(audio_b64=pybase64.b64encode(wav_bytes(2.0)).decode())).encode()


def record_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the reads our network streams return, from now on."""
    sizes: list[int] = []
    original = _transport._Stream.read

    def recording_read(
        self: _transport._Stream, max_bytes: int, timeout: float | None = None
    ) -> bytes:
        data = original(self, max_bytes, timeout)
        sizes.append(len(data))
        return data

    monkeypatch.setattr(_transport._Stream, "read", recording_read)
    return sizes


def test_a_song_over_a_socket_is_read_in_big_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = record_reads(monkeypatch)
    with (
        serve(lambda conn: song_answer(conn, SONG)) as url,
        riff_api.Riffusion(api_key="k", base_url=f"{url}/v1") as client,
    ):
        assert isinstance(client._http._transport, Transport)
        for _ in range(3):
            assert client.topic("x").audio_bytes == wav_bytes(2.0)
    assert sum(asked) > 3 * len(SONG)
    assert max(asked) > 65536  # more than httpcore's own 64 KiB reads


def test_plain_http_never_loads_a_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[object] = []
    real = httpx.create_ssl_context
    monkeypatch.setattr(httpx, "create_ssl_context", lambda **kw: made.append(kw) or real(**kw))
    with serve(lambda conn: song_answer(conn, SONG)) as url:
        transport = Transport(limits=DEFAULT_LIMITS)
        with httpx.Client(transport=transport) as http:
            assert http.post(f"{url}/v1/topic", json={}).status_code == 200
            assert list(transport._pools) == [False]
    assert made == []


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (read_request, httpx.RemoteProtocolError),  # closed without a word
        (
            lambda conn: (
                read_request(conn),
                conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 99\r\n\r\nshort"),
            ),
            httpx.RemoteProtocolError,
        ),
        (
            lambda conn: (read_request(conn), conn.sendall(b"NOT HTTP AT ALL\r\n\r\n")),
            httpx.RemoteProtocolError,
        ),
        (lambda conn: (read_request(conn), threading.Event().wait(0.6)), httpx.ReadTimeout),
    ],
    ids=["closed", "short body", "not http", "silent"],
)
def test_errors_are_httpx_errors(answer: Answer, error: type[Exception]) -> None:
    expected = (
        riff_api.APITimeoutError if error is httpx.ReadTimeout else riff_api.APIConnectionError
    )
    with serve(answer) as url:
        with (
            httpx.Client(transport=Transport(limits=DEFAULT_LIMITS), timeout=0.3) as http,
            pytest.raises(error),
        ):
            http.post(f"{url}/v1/topic", json={}).read()
        with (
            riff_api.Riffusion(
                api_key="k", base_url=f"{url}/v1", timeout=0.3, max_retries=0
            ) as client,
            pytest.raises(expected),
        ):
            client.topic("x")


def test_connection_refused_is_a_connect_error() -> None:
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    with (
        httpx.Client(transport=Transport(limits=DEFAULT_LIMITS)) as http,
        pytest.raises(httpx.ConnectError),
    ):
        http.get(f"http://127.0.0.1:{port}/")


def test_async_transport_reads_songs_and_maps_errors() -> None:
    async def main(url: str) -> None:
        async with riff_api.AsyncRiffusion(api_key="k", base_url=f"{url}/v1") as client:
            assert isinstance(client._http._transport, AsyncTransport)
            songs = [await client.topic("x") for _ in range(2)]
            assert all(song.audio_bytes == wav_bytes(2.0) for song in songs)

    with serve(lambda conn: song_answer(conn, SONG)) as url:
        anyio.run(main, url)

    async def silent(url: str) -> None:
        async with httpx.AsyncClient(
            transport=AsyncTransport(limits=DEFAULT_LIMITS), timeout=0.3
        ) as http:
            with pytest.raises(httpx.ReadTimeout):
                await http.post(f"{url}/v1/topic", json={})

    with serve(lambda conn: (read_request(conn), threading.Event().wait(0.6))) as url:
        anyio.run(silent, url)


def test_a_proxy_in_the_environment_keeps_httpx_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("NO_PROXY", "localhost")  # exceptions alone set no proxy
    assert use_own_transport()
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    assert not use_own_transport()
    with riff_api.Riffusion(api_key="k", base_url="https://api.example.com/v1") as client:
        assert isinstance(client._http._transport, httpx.HTTPTransport)


def test_tls_verifies_and_reads_a_song(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes = record_reads(monkeypatch)
    cert, key = certificate
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))
    with serve(lambda conn: song_answer(conn, SONG), wrap=server) as url:
        transport = Transport(limits=DEFAULT_LIMITS, verify=trusting)
        with httpx.Client(transport=transport) as http:
            for _ in range(2):
                answer = http.post(f"{url}/v1/topic", json={})
                assert answer.content == SONG
            assert list(transport._pools) == [True]
        # TLS hands over one record (at most 16 KiB) a read: the records already there are
        # gathered into one read.
        assert max(sizes) > 16 * 1024
        # A client that does not trust the certificate refuses it.
        with (
            httpx.Client(transport=Transport(limits=DEFAULT_LIMITS)) as http,
            pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"),
        ):
            http.post(f"{url}/v1/topic", json={})


def test_tls_connection_cut_mid_body_is_an_error(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)

    def cut(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(http_answer(SONG)[: len(SONG) // 2])

    with (
        serve(cut, wrap=server) as url,
        httpx.Client(
            transport=Transport(
                limits=DEFAULT_LIMITS, verify=ssl.create_default_context(cafile=str(cert))
            )
        ) as http,
        pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)),
    ):
        http.post(f"{url}/v1/topic", json={}).read()


def test_async_tls_gathers_records(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = certificate
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    sizes: list[int] = []
    original = _transport._AsyncStream.read

    async def recording_read(
        self: _transport._AsyncStream, max_bytes: int, timeout: float | None = None
    ) -> bytes:
        data = await original(self, max_bytes, timeout)
        sizes.append(len(data))
        return data

    monkeypatch.setattr(_transport._AsyncStream, "read", recording_read)

    async def main(url: str) -> None:
        trusting = ssl.create_default_context(cafile=str(cert))
        transport = AsyncTransport(limits=DEFAULT_LIMITS, verify=trusting)
        async with httpx.AsyncClient(transport=transport) as http:
            for _ in range(2):
                answer = await http.post(f"{url}/v1/topic", json={})
                assert answer.content == SONG

    with serve(lambda conn: song_answer(conn, SONG), wrap=server) as url:
        anyio.run(main, url)
    assert max(sizes) > 16 * 1024


BIG_SONG = json.dumps(song_body(audio_b64=pybase64.b64encode(wav_bytes(20.0)).decode())).encode()


def count_h11_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the pieces of network data handed to h11 (sync and async alike)."""
    sizes: list[int] = []
    original = h11.Connection.receive_data

    def counting(self: h11.Connection, data: bytes) -> None:
        sizes.append(len(data))
        original(self, data)

    monkeypatch.setattr(h11.Connection, "receive_data", counting)
    return sizes


def test_async_reads_a_song_in_as_few_pieces_as_sync(monkeypatch: pytest.MonkeyPatch) -> None:
    # anyio's asyncio stream gave one piece of <= 256 KiB per loop turn (~1.3x sync's CPU).
    sizes = count_h11_reads(monkeypatch)

    async def main(url: str) -> None:
        async with riff_api.AsyncRiffusion(api_key="k", base_url=f"{url}/v1") as client:
            for _ in range(3):
                assert (await client.topic("x")).audio_bytes == wav_bytes(20.0)

    with serve(lambda conn: song_answer(conn, BIG_SONG)) as url:
        anyio.run(main, url)
        async_pieces = len(sizes)
        sizes.clear()
        with riff_api.Riffusion(api_key="k", base_url=f"{url}/v1") as client:
            for _ in range(3):
                assert client.topic("x").audio_bytes == wav_bytes(20.0)
    assert max(sizes) > 256 * 1024
    assert async_pieces <= len(sizes) * 1.25 + 3, (async_pieces, len(sizes))


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (read_request, httpx.RemoteProtocolError),
        (
            lambda conn: (
                read_request(conn),
                conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 99\r\n\r\nshort"),
            ),
            httpx.RemoteProtocolError,
        ),
        (lambda conn: (read_request(conn), threading.Event().wait(0.6)), httpx.ReadTimeout),
    ],
    ids=["closed", "short body", "silent"],
)
def test_async_plain_http_errors_are_httpx_errors(answer: Answer, error: type[Exception]) -> None:
    async def main(url: str) -> None:
        async with httpx.AsyncClient(
            transport=AsyncTransport(limits=DEFAULT_LIMITS), timeout=0.3
        ) as http:
            with pytest.raises(error):
                await http.post(f"{url}/v1/topic", json={})

    with serve(answer) as url:
        anyio.run(main, url)


def test_async_connection_refused_is_a_connect_error() -> None:
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]

    async def main() -> None:
        async with httpx.AsyncClient(transport=AsyncTransport(limits=DEFAULT_LIMITS)) as http:
            with pytest.raises(httpx.ConnectError):
                await http.get(f"http://127.0.0.1:{port}/")

    anyio.run(main)


def test_async_kept_alive_connection_closed_by_the_server_is_replaced() -> None:
    accepted: list[int] = []

    def one_answer_then_close(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(http_answer(SONG))  # keep-alive, then the server hangs up while idle

    async def main(url: str) -> None:
        async with riff_api.AsyncRiffusion(api_key="k", base_url=f"{url}/v1") as client:
            for _ in range(3):
                assert (await client.topic("x")).audio_bytes == wav_bytes(2.0)
                await anyio.sleep(0.05)

    with serve(one_answer_then_close, accepted=accepted) as url:
        anyio.run(main, url)
    assert len(accepted) == 3


class _RecordingFinder:
    """A meta path finder that finds nothing and records every module name asked for."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        self.asked.append(name)


def test_steady_calls_import_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpcore imports sniffio for each lock an async request makes: without it installed,
    # every request searched sys.path four times for it (~0.5 ms of CPU a call).
    finder = _RecordingFinder()

    async def main(url: str) -> None:
        async with riff_api.AsyncRiffusion(api_key="k", base_url=f"{url}/v1") as client:
            await client.topic("x", save_to=None)  # warm: whatever loads on first use
            monkeypatch.setattr(sys, "meta_path", [finder, *sys.meta_path])
            for _ in range(2):
                await client.topic("x")

    with serve(lambda conn: song_answer(conn, SONG)) as url:
        anyio.run(main, url)
        async_asked = list(finder.asked)
        with riff_api.Riffusion(api_key="k", base_url=f"{url}/v1") as client:
            client.topic("x")
            finder.asked.clear()
            client.topic("x")
    assert async_asked == []
    assert finder.asked == []


def test_tls_records_are_gathered_without_a_select_each(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A select() before each 16 KiB record was ~450 system calls a 7 MB song (~6 ms of CPU).
    import select

    cert, key = certificate
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))
    calls: list[int] = []
    real_select = select.select

    def counting_select(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real_select(*args, **kwargs)  # type: ignore[arg-type]

    with serve(lambda conn: song_answer(conn, BIG_SONG), wrap=server) as url:
        transport = Transport(limits=DEFAULT_LIMITS, verify=trusting)
        with httpx.Client(transport=transport) as http:
            assert http.post(f"{url}/v1/topic", json={}).content == BIG_SONG
            monkeypatch.setattr(select, "select", counting_select)
            for _ in range(2):
                assert http.post(f"{url}/v1/topic", json={}).content == BIG_SONG
    assert len(calls) <= 2 * 4, len(calls)  # httpcore's own check of a kept-alive connection
