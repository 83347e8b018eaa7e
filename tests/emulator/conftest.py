"""Fixtures of the emulator tests: apps with short songs, driven through TestClient."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from riff_api.emulator import EmulatorSettings, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette would rather its TestClient ran on httpx2
    from starlette.testclient import TestClient

KEY = {"Api-Key": "test-key"}
BASE_URL = "http://127.0.0.1/v1"

MakeClient = Callable[..., TestClient]


@pytest.fixture
def make_client() -> Iterator[MakeClient]:
    """Build a TestClient on an emulator with the given settings (closed after the test)."""
    clients: list[TestClient] = []

    def make(**settings: Any) -> TestClient:
        settings.setdefault("duration_s", 4.0)
        client = TestClient(create_app(EmulatorSettings(**settings)), base_url=BASE_URL)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    """A client on an emulator making 4 s songs, no faults."""
    return make_client()
