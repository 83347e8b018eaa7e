"""A minimal HTTP/1.1 server answering every POST with the same song, for client benchmarks.

The body is what the service sends for a 30 s stereo 44.1 kHz wav: about 7 MB of JSON, most
of it base64. It is built once and written from memory, so the server costs the clients'
measurements as little as possible. Keep-alive is honoured; the first stdout line is the
base URL (``--port 0`` picks a free port). Stdlib only: it runs under any interpreter.

    python benchmarks/fixed_server.py --port 0 --seconds 30 [--tls CERT KEY]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import random
import signal
import ssl
import struct
import sys

__all__ = ["compose_body", "song_body", "wav_bytes"]

RATE = 44_100
CHANNELS = 2
SAMPLE_BYTES = 2


def wav_bytes(seconds: float) -> bytes:
    """A wav file of noise: noise, so that nothing downstream can take a shortcut on zeros."""
    frames = int(seconds * RATE)
    data = random.Random(0).randbytes(frames * CHANNELS * SAMPLE_BYTES)
    fmt = struct.pack(
        "<IHHIIHH",
        16,
        1,
        CHANNELS,
        RATE,
        RATE * CHANNELS * SAMPLE_BYTES,
        CHANNELS * SAMPLE_BYTES,
        8 * SAMPLE_BYTES,
    )
    header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVE" + b"fmt " + fmt
    return header + b"data" + struct.pack("<I", len(data)) + data


def song_body(seconds: float) -> bytes:
    """The JSON of a RiffResponse carrying ``seconds`` of wav audio."""
    words = ["Hello", "from", "the", "benchmark", "server", "can", "you", "hear", "me"]
    return json.dumps(
        {
            "id": "0b5a3f3e-6d7c-4a53-9f0e-2f1f8f1c2a11",
            "audio_b64": base64.b64encode(wav_bytes(seconds)).decode(),
            "lyrics": "[Verse]\n" + " ".join(words),
            "timestamped_lyrics": [
                {"text": w, "start_s": 1.0 + 0.4 * i} for i, w in enumerate(words)
            ],
            "prompts": [{"text": "indie pop", "strength": 4.0, "start_s": 0.0, "end_s": 30.0}],
        }
    ).encode()


def compose_body(seconds: float) -> bytes:
    """The JSON of a second-generation ComposeResponse: ``seconds`` of m4a-sized audio.

    128 kbit/s of noise bytes behind an MP4 ``ftyp`` box: the clients only decode the
    base64 and save the file, they never play it.
    """
    audio = b"\x00\x00\x00\x18ftypM4A \x00\x00\x02\x00M4A isom" + random.Random(1).randbytes(
        int(seconds * 16_000)
    )
    words = ["Hello", "from", "the", "benchmark", "server"]
    return json.dumps(
        {
            "id": "0b5a3f3e-6d7c-4a53-9f0e-2f1f8f1c2a12",
            "lyrics": " ".join(words),
            "timestamped_lyrics": [
                {"text": w, "start": 1.0 + 0.4 * i} for i, w in enumerate(words)
            ],
            "sound_prompts": [{"text": "indie pop", "strength": 0.5}],
            "audio_b64": base64.b64encode(audio).decode(),
            "audio_format": "m4a",
            "title": "Hello From The Benchmark Server",
        }
    ).encode()


async def _serve_connection(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, response: bytes
) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length:
                await reader.readexactly(length)
            writer.write(response)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _main(
    port: int, seconds: float, tls: ssl.SSLContext | None = None, gen2: bool = False
) -> None:
    body = compose_body(seconds) if gen2 else song_body(seconds)
    response = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
        + f"content-length: {len(body)}\r\nx-request-id: bench\r\n\r\n".encode()
        + body
    )
    server = await asyncio.start_server(
        lambda r, w: _serve_connection(r, w, response), "127.0.0.1", port, ssl=tls
    )
    bound = server.sockets[0].getsockname()[1]
    path = "/api/v1" if gen2 else "/v1"
    print(f"{'https' if tls else 'http'}://127.0.0.1:{bound}{path}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="serve https")
    parser.add_argument("--gen2", action="store_true", help="answer second-generation songs")
    options = parser.parse_args()
    context = None
    if options.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*options.tls)
    asyncio.run(_main(options.port, options.seconds, context, options.gen2))
    sys.exit(0)
