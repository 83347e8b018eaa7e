"""Helpers of the batch tests: a fake async service, distinct audio per job, jobs."""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from riff_api import AsyncRiffusion, TopicRequest
from riff_api._batch import Job


def audio_for(topic: str) -> bytes:
    """Distinct, well-formed wav bytes per topic, so a mixed-up file would show."""
    data = (topic.encode() * 200)[:4000]
    data += b"\0" * (len(data) % 4)
    fmt = struct.pack("<IHHIIHH", 16, 1, 2, 44100, 176400, 4, 16)
    return (
        b"RIFF"
        + struct.pack("<I", 36 + len(data))
        + b"WAVE"
        + b"fmt "
        + fmt
        + b"data"
        + struct.pack("<I", len(data))
        + data
    )


def song_for(request: httpx.Request, song_id: str) -> httpx.Response:
    sent = json.loads(request.content)
    topic = sent.get("topic") or sent["prompts"][0]["text"]
    return httpx.Response(
        200,
        json={
            "id": song_id,
            "audio_b64": base64.b64encode(audio_for(topic)).decode(),
            "lyrics": f"[Verse]\n{topic}",
            "timestamped_lyrics": [
                {"text": w, "start_s": float(i)} for i, w in enumerate(topic.split())
            ],
            "prompts": sent.get("prompts") or [{"text": "pop"}],
        },
    )


Handler = Callable[[httpx.Request, str], Awaitable[httpx.Response | None]]


@dataclass
class AsyncService:
    """Answers with a song per topic unless ``handler`` returns something else."""

    handler: Handler | None = None
    topics: list[str] = field(default_factory=list)

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        topic = json.loads(request.content).get("topic", "")
        self.topics.append(topic)
        if self.handler is not None:
            answer = await self.handler(request, topic)
            if answer is not None:
                return answer
        return song_for(request, f"song-{len(self.topics)}")

    def client(self, max_retries: int = 2) -> AsyncRiffusion:
        http = httpx.AsyncClient(transport=httpx.MockTransport(self))
        return AsyncRiffusion(
            api_key="k", base_url="http://127.0.0.1/v1", http_client=http, max_retries=max_retries
        )


def topic_jobs(n: int) -> list[Job]:
    return [
        Job(id=f"job-{i:02d}", request=TopicRequest(topic=f"song number {i}")) for i in range(n)
    ]


def manifest_lines(path: Any) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]
