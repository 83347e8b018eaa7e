"""Fixtures of the batch tests: retries without waits, and the fake async service."""

from __future__ import annotations

import asyncio

import pytest
from batch_helpers import AsyncService

from riff_api import _client


@pytest.fixture(autouse=True)
def _no_retry_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    async def no_sleep(seconds: float) -> None:
        await asyncio.sleep(0)

    monkeypatch.setattr(_client, "_async_sleep", no_sleep)


@pytest.fixture
def service() -> AsyncService:
    return AsyncService()
