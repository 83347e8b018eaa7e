"""Helpers of the CLI tests: a fake service behind httpx.MockTransport, songs, replies."""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

API_KEY = "sk-test-0123456789-secret"


def make_wav(samples: int = 64) -> bytes:
    """A small but well-formed stereo 16-bit wav file."""
    data = bytes(range(256)) * (samples * 4 // 256 + 1)
    data = data[: samples * 4]
    header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVE"
    fmt = b"fmt " + struct.pack("<IHHIIHH", 16, 1, 2, 44100, 44100 * 4, 4, 16)
    return header + fmt + b"data" + struct.pack("<I", len(data)) + data


WAV = make_wav()


def song_body(request: httpx.Request, song_id: str = "0b5a3f3e-6d7c-4a53") -> dict[str, Any]:
    """A plausible answer to a /topic or /riff request."""
    sent = json.loads(request.content)
    lyrics = sent.get("lyrics") if "prompts" in sent else "[Verse]\nHello outer space\nbye now"
    words = None
    if lyrics:
        sung = [w for line in lyrics.splitlines() if not line.startswith("[") for w in line.split()]
        words = [{"text": w, "start_s": 1.0 + 0.5 * i} for i, w in enumerate(sung)]
    return {
        "id": song_id,
        "audio_b64": base64.b64encode(WAV).decode(),
        "lyrics": lyrics,
        "timestamped_lyrics": words,
        "prompts": sent.get("prompts") or [{"text": "indie pop", "strength": 4.0}],
    }


Reply = Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeService:
    """Answers each request with the next queued reply, else with a song; records requests."""

    requests: list[httpx.Request] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.replies:
            return self.replies.pop(0)(request)
        return httpx.Response(200, json=song_body(request))

    def then(self, reply: Reply, times: int = 1) -> FakeService:
        self.replies.extend([reply] * times)
        return self

    def sent(self, index: int = -1) -> dict[str, Any]:
        body: dict[str, Any] = json.loads(self.requests[index].content)
        return body


def status(code: int, body: Any = None, headers: dict[str, str] | None = None) -> Reply:
    """A reply with this status and JSON body."""
    return lambda request: httpx.Response(code, json=body or {"message": "nope"}, headers=headers)


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str
    audio: bytes
