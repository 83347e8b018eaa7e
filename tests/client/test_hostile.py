"""Hostile servers on 127.0.0.1: answers without end, headers a byte at a time, a gzip bomb,
a certificate that does not verify.

Issue 12, items 1, 2 and 6. Each server stops by itself (a byte cap, a drip count), so a client
that does not stop them only makes the test fail, slowly. The memory tests run the client in
a child process and read its peak RSS (``VmHWM``, which ``exec`` resets, unlike
``ru_maxrss``): a bounded answer must keep it under the import baseline plus twice the limit.
"""

from __future__ import annotations

import io
import json
import pickle
import socket
import ssl
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

import riff_api
from riff_api.cli import Environment, main
from tests.client.servers import Answer, read_request, serve
from tests.conftest import Recorder, song_body

MiB = 1024 * 1024
#: The answer limit of the memory tests (the default, 128 MiB, would make them slow).
LIMIT = 16 * MiB
#: The most an endless server sends; a client that reads it all has failed the test.
CAP = 192 * MiB
B64 = b"QUJD" * 16384  # 64 KiB of base64 audio
HEAD = b'{"id":"x","audio_b64":"'
SONG = json.dumps(song_body()).encode()


class Sent:
    """What a hostile server managed to send before the client hung up (or it gave up)."""

    def __init__(self) -> None:
        self.bytes = 0
        self.done = threading.Event()


def endless(status_and_headers: bytes, sent: Sent, *, chunked: bool = False) -> Answer:
    """An answer whose base64 audio goes on until CAP, or until the client hangs up."""

    def answer(conn: socket.socket) -> None:
        try:
            read_request(conn)
            conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n")
            conn.sendall(status_and_headers + b"\r\n")
            data = HEAD
            while sent.bytes < CAP:
                conn.sendall(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
                sent.bytes += len(data)
                data = B64
        finally:
            sent.done.set()

    return answer


CHILD = """
import json, sys
import riff_api

def hwm():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024

url, limit, save_to = sys.argv[1], int(sys.argv[2]), sys.argv[3] or None
client = riff_api.Riffusion(
    api_key="k", base_url=url, max_retries=0, timeout=60, max_response_bytes=limit
)
# The import baseline: riff_api loads its parts on first use, so once a client is made and
# the modules a call reads with are in (the request itself adds only the answer).
import riff_api._receive, riff_api._models, riff_api.types  # noqa: E401
base = hwm()
try:
    song = client.riff(["x"], save_to=save_to)
    outcome = "song of %d bytes" % len(song.audio_bytes)
except riff_api.RiffusionError as error:
    outcome = type(error).__name__
print(json.dumps({"base_mib": base, "peak_mib": hwm(), "outcome": outcome}))
"""


def in_child(url: str, tmp_path: Path, save_to: str = "") -> dict[str, object]:
    """Make one call in a child process; its outcome and its peak RSS before and after."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, f"{url}/v1", str(LIMIT), save_to],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return found


def assert_bounded(found: dict[str, object]) -> None:
    assert found["outcome"] == "ResponseTooLargeError"
    grown = float(found["peak_mib"]) - float(found["base_mib"])  # type: ignore[arg-type]
    assert grown < 2 * LIMIT / MiB, found


def test_a_huge_content_length_is_refused_before_the_body(tmp_path: Path) -> None:
    sent = Sent()
    with serve(endless(b"content-length: 2000000000\r\n", sent)) as url:
        found = in_child(url, tmp_path)
        assert sent.done.wait(30)
    assert_bounded(found)
    assert sent.bytes < CAP  # the client hung up rather than take it all


def test_chunks_without_end_stop_at_the_limit(tmp_path: Path) -> None:
    sent = Sent()
    with serve(endless(b"transfer-encoding: chunked\r\n", sent, chunked=True)) as url:
        found = in_child(url, tmp_path)
        assert sent.done.wait(30)
    assert_bounded(found)
    assert sent.bytes < CAP


def gzip_song(audio_chars: int) -> bytes:
    """A gzip-coded song whose audio is ``audio_chars`` characters of base64 (zeros)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [packer.compress(HEAD)]
    block = b"A" * (16 * MiB)
    for _ in range(audio_chars // len(block)):
        parts.append(packer.compress(block))
    parts.append(packer.compress(b'","lyrics":null,"timestamped_lyrics":null,"prompts":[]}'))
    parts.append(packer.flush())
    return b"".join(parts)


def test_a_gzip_bomb_unpacks_no_further_than_the_limit(tmp_path: Path) -> None:
    bomb = gzip_song(4 * LIMIT)  # ~65 KB that unpack to 64 MiB of JSON
    assert len(bomb) < LIMIT // 128

    def answer(conn: socket.socket) -> None:
        read_request(conn)
        head = b"HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: %d\r\n\r\n"
        conn.sendall(head % len(bomb) + bomb)

    target = tmp_path / "bomb.wav"
    with serve(answer) as url:
        found = in_child(url, tmp_path, save_to=str(target))
    assert_bounded(found)
    assert not target.exists()
    assert not list(tmp_path.glob(".bomb.wav.*"))  # not even a partial file


# -- the limit, in process --------------------------------------------------------------------


def streamed(body: bytes, **headers: str) -> httpx.Response:
    """An answer that is not read beforehand, as one from the network."""
    return httpx.Response(200, stream=httpx.ByteStream(body), headers=headers)


def test_the_limit_is_the_body_size_accepted(
    make_client: Callable[..., riff_api.Riffusion],
) -> None:
    handler = Recorder(lambda r: streamed(SONG))  # no Content-Length: the bytes read count
    assert make_client(handler, max_response_bytes=len(SONG)).riff(["x"]).id
    with pytest.raises(riff_api.ResponseTooLargeError) as caught:
        make_client(handler, max_response_bytes=len(SONG) - 1).riff(["x"])
    assert caught.value.limit == len(SONG) - 1
    assert caught.value.status_code == 200
    assert "more arrived" in str(caught.value)
    assert isinstance(caught.value, riff_api.APIResponseValidationError)
    assert handler.calls == 2  # not retried


def test_a_failure_with_a_huge_body_is_refused_too(
    make_client: Callable[..., riff_api.Riffusion],
) -> None:
    handler = Recorder(lambda r: httpx.Response(503, stream=httpx.ByteStream(b"x" * 5000)))
    with pytest.raises(riff_api.ResponseTooLargeError, match=r"\(503\)"):
        make_client(handler, max_response_bytes=4096, max_retries=2).riff(["x"])
    assert handler.calls == 1


def test_an_error_body_is_kept_to_its_first_mebibyte(
    make_client: Callable[..., riff_api.Riffusion],
) -> None:
    page = b"<html>" + b"busy " * (3 * MiB // 5)
    handler = Recorder(lambda r: httpx.Response(503, stream=httpx.ByteStream(page)))
    with pytest.raises(riff_api.InternalServerError) as caught:
        make_client(handler, max_retries=0).riff(["x"])
    assert caught.value.body == page[:MiB].decode()


def test_the_default_limit_is_128_mib() -> None:
    assert 128 * MiB == riff_api.DEFAULT_MAX_RESPONSE_BYTES
    assert riff_api.Riffusion(api_key="k").max_response_bytes == 128 * MiB
    assert riff_api.AsyncRiffusion(api_key="k", max_response_bytes=10).max_response_bytes == 10


@pytest.mark.parametrize("bad", [0, -1, 1.5, "10", True, None])
def test_a_bad_limit_is_a_value_error(bad: object) -> None:
    with pytest.raises(ValueError, match="max_response_bytes"):
        riff_api.Riffusion(api_key="k", max_response_bytes=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [
        ("gzip", lambda data: zlib.compress(data, wbits=16 + zlib.MAX_WBITS)),
        ("x-gzip", lambda data: zlib.compress(data, wbits=16 + zlib.MAX_WBITS)),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data, wbits=-zlib.MAX_WBITS)),  # bare stream
    ],
    ids=["gzip", "x-gzip", "deflate", "raw deflate"],
)
def test_compressed_answers_are_unpacked_in_steps(
    make_client: Callable[..., riff_api.Riffusion],
    encoding: str,
    pack: Callable[[bytes], bytes],
) -> None:
    packed = pack(SONG)
    client = make_client(lambda r: streamed(packed, **{"content-encoding": encoding}))
    assert client.riff(["x"]) == riff_api.RiffResponse.model_validate_json(SONG)


def test_compressed_answers_count_unpacked_bytes(
    make_client: Callable[..., riff_api.Riffusion],
) -> None:
    packed = zlib.compress(SONG, wbits=16 + zlib.MAX_WBITS)
    client = make_client(
        lambda r: streamed(packed, **{"content-encoding": "gzip"}), max_response_bytes=len(SONG) - 1
    )
    assert len(packed) < len(SONG) - 1
    with pytest.raises(riff_api.ResponseTooLargeError):
        client.riff(["x"])


def test_only_codings_that_can_be_bounded_are_asked_for(
    make_client: Callable[..., riff_api.Riffusion],
) -> None:
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["accept-encoding"])
        return httpx.Response(200, json=song_body())

    make_client(handler).riff(["x"])
    assert seen == ["gzip, deflate"]


def test_another_coding_is_refused_unread(make_client: Callable[..., riff_api.Riffusion]) -> None:
    client = make_client(lambda r: streamed(b"\x1b\x00garbage", **{"content-encoding": "br"}))
    with pytest.raises(riff_api.APIResponseValidationError, match="'br' coding"):
        client.riff(["x"])
    failing = make_client(
        lambda r: httpx.Response(
            503, stream=httpx.ByteStream(b"\x1b"), headers={"content-encoding": "br"}
        ),
        max_retries=0,
    )
    with pytest.raises(riff_api.InternalServerError, match="br-coded body, not read"):
        failing.riff(["x"])


@pytest.mark.parametrize(
    "packed",
    [
        zlib.compress(SONG, wbits=16 + zlib.MAX_WBITS)[:-30],  # cut short
        b"\x1f\x8b" + b"not gzip at all" * 10,
    ],
    ids=["truncated", "corrupt"],
)
def test_a_broken_coding_is_a_validation_error(
    make_client: Callable[..., riff_api.Riffusion], packed: bytes
) -> None:
    client = make_client(lambda r: streamed(packed, **{"content-encoding": "gzip"}))
    with pytest.raises(riff_api.APIResponseValidationError, match="gzip coding"):
        client.riff(["x"])


# -- the deadline covers the headers ------------------------------------------------------------

#: A drip of header bytes, one every DRIP_S, that would last 8 s; the deadline is 0.5 s.
DRIPS, DRIP_S, DEADLINE_S = 160, 0.05, 0.5


class Drip:
    """Headers one byte at a time, then a song; how many bytes it got to drip."""

    def __init__(self) -> None:
        self.dripped = 0
        self.done = threading.Event()

    def __call__(self, conn: socket.socket) -> None:
        try:
            read_request(conn)
            conn.sendall(b"HTTP/1.1 200 OK\r\nx-drip: ")
            for _ in range(DRIPS):
                time.sleep(DRIP_S)
                conn.sendall(b"a")
                self.dripped += 1
            conn.sendall(b"\r\ncontent-length: %d\r\n\r\n%s" % (len(SONG), SONG))
        finally:
            self.done.set()


def test_the_deadline_covers_headers_dripped_a_byte_at_a_time() -> None:
    drip = Drip()
    with serve(drip) as url:
        client = riff_api.Riffusion(api_key="k", base_url=f"{url}/v1", max_retries=0)
        with pytest.raises(riff_api.APITimeoutError, match=r"longer than 0\.5 s"), client:
            client.riff(["x"], timeout=DEADLINE_S)
        assert drip.done.wait(DRIPS * DRIP_S + 5)
    assert drip.dripped < DRIPS  # the client hung up; the server did not finish first


async def test_the_async_deadline_covers_dripped_headers_too() -> None:
    drip = Drip()
    with serve(drip) as url:
        async with riff_api.AsyncRiffusion(
            api_key="k", base_url=f"{url}/v1", max_retries=0, timeout=DEADLINE_S
        ) as client:
            with pytest.raises(riff_api.APITimeoutError, match=r"longer than 0\.5 s"):
                await client.riff(["x"])
        assert drip.done.wait(DRIPS * DRIP_S + 5)
    assert drip.dripped < DRIPS


def test_the_cli_timeout_covers_dripped_headers(tmp_path: Path) -> None:
    drip = Drip()
    stderr = io.StringIO()
    with serve(drip) as url:
        env = Environment(
            stdin=io.StringIO(),
            stdout=io.StringIO(),
            stdout_bytes=io.BytesIO(),
            stderr=stderr,
            environ={"RIFFUSION_API_KEY": "k"},
            cwd=tmp_path,
        )
        argv = ["riff", "--prompt", "x", "-o", "song.wav", "--base-url", f"{url}/v1"]
        status = main([*argv, "--timeout", str(DEADLINE_S), "--max-retries", "0"], env)
        assert drip.done.wait(DRIPS * DRIP_S + 5)
    assert status == 7, stderr.getvalue()
    assert "in time" in stderr.getvalue()
    assert drip.dripped < DRIPS
    assert not (tmp_path / "song.wav").exists()


def test_a_fast_answer_is_within_the_deadline() -> None:
    def answer(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%s" % (len(SONG), SONG))

    with serve(answer) as url, riff_api.Riffusion(api_key="k", base_url=f"{url}/v1") as client:
        assert client.riff(["x"], timeout=30).id


def test_the_deadline_is_not_left_set_after_a_call() -> None:
    from riff_api._transport import DEADLINE

    def answer(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%s" % (len(SONG), SONG))

    with serve(answer) as url, riff_api.Riffusion(api_key="k", base_url=f"{url}/v1") as client:
        client.riff(["x"], timeout=30)
    assert DEADLINE.get() is None


# -- a certificate that does not verify ---------------------------------------------------------


def test_a_certificate_that_does_not_verify_is_not_retried(
    certificate: tuple[Path, Path],
) -> None:
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    accepted: list[int] = []

    def answer(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%s" % (len(SONG), SONG))

    with serve(answer, wrap=context, accepted=accepted) as url:
        # A client that does not trust the self-signed certificate: the system's CAs only.
        client = riff_api.Riffusion(api_key="k", base_url=f"{url}/v1", max_retries=2)
        with client, pytest.raises(riff_api.CertificateVerificationError) as caught:
            client.riff(["x"])
    assert accepted == [1]  # one handshake, not three
    assert caught.value.attempts == 1
    assert isinstance(caught.value, riff_api.APIConnectionError)
    assert "self-signed certificate" in str(caught.value)
    assert "not retried" in str(caught.value)


async def test_the_async_client_does_not_retry_it_either(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    accepted: list[int] = []
    with serve(lambda conn: None, wrap=context, accepted=accepted) as url:
        async with riff_api.AsyncRiffusion(
            api_key="k", base_url=f"{url}/v1", max_retries=2
        ) as client:
            with pytest.raises(riff_api.CertificateVerificationError):
                await client.riff(["x"])
    assert accepted == [1]


def test_other_connection_errors_are_still_retried(
    make_client: Callable[..., riff_api.Riffusion],
) -> None:
    refuse = Recorder(httpx.ConnectError("[Errno 111] Connection refused"))
    with pytest.raises(riff_api.APIConnectionError) as caught:
        make_client(refuse, max_retries=2).riff(["x"])
    assert not isinstance(caught.value, riff_api.CertificateVerificationError)
    assert refuse.calls == 3


# -- a server that echoes the key back ----------------------------------------------------------


def echo_key(conn: socket.socket) -> None:
    """Answers 401 with the request's own head as its message: the key among it."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    said = json.dumps({"message": data.split(b"\r\n\r\n")[0].decode("latin-1")}).encode()
    conn.sendall(b"HTTP/1.1 401 Unauthorized\r\ncontent-length: %d\r\n\r\n%s" % (len(said), said))


def test_a_key_echoed_over_the_wire_is_in_no_message_nor_pickle() -> None:
    key = "sk-echo-0123456789-SECRET"
    with (
        serve(echo_key) as url,
        riff_api.Riffusion(api_key=key, base_url=f"{url}/v1") as client,
        pytest.raises(riff_api.AuthenticationError) as caught,
    ):
        client.riff(["x"])
    error = caught.value
    assert "api-key: [secure]" in str(error).lower()  # the service's words, key replaced
    for text in (str(error), repr(error), repr(error.request.headers), repr(error.body)):
        assert key not in text
    assert key.encode() not in pickle.dumps(error)


def test_a_key_with_a_control_character_never_reaches_the_server() -> None:
    accepted: list[int] = []
    with (
        serve(echo_key, accepted=accepted) as url,
        pytest.raises(riff_api.MalformedAPIKeyError) as caught,
    ):
        riff_api.Riffusion(api_key="sk-\x0bsecret-part", base_url=f"{url}/v1").riff(["x"])
    assert accepted == []
    assert "secret-part" not in str(caught.value)
