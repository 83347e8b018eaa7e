"""Faults: latency, 500/503, 429 with Retry-After, dropped connections; all seeded."""

from __future__ import annotations

import time

import httpx
import pytest
from starlette.testclient import TestClient

from riff_api.emulator import DroppedConnection, EmulatorSettings, create_app
from riff_api.emulator._faults import Faults

from .conftest import KEY, MakeClient
from .test_app import assert_error


def outcomes(client: TestClient, count: int) -> list[int | str]:
    """Status of ``count`` requests (invalid bodies: fast), or "drop"."""
    seen: list[int | str] = []
    for _ in range(count):
        try:
            seen.append(client.post("/riff", content=b"{}", headers=KEY).status_code)
        except DroppedConnection:
            seen.append("drop")
    return seen


def test_faults_are_off_by_default(client: TestClient) -> None:
    assert set(outcomes(client, 30)) == {422}


def test_error_rate_is_deterministic_under_the_seed(make_client: MakeClient) -> None:
    runs = [outcomes(make_client(error_rate=0.5, fault_seed=4), 40) for _ in range(2)]
    assert runs[0] == runs[1]
    assert {422, 500, 503} <= set(runs[0])
    assert 8 <= sum(s in (500, 503) for s in runs[0]) <= 32
    other = outcomes(make_client(error_rate=0.5, fault_seed=5), 40)
    assert other != runs[0]


def test_error_answers_follow_the_spec(make_client: MakeClient) -> None:
    client = make_client(error_rate=1.0, fault_seed=0)
    answers = [client.post("/riff", json={"prompts": []}, headers=KEY) for _ in range(12)]
    for answer in answers:
        if answer.status_code == 503:
            assert_error(answer, 503, "unavailable")
            assert answer.headers["retry-after"] == "1"
        else:
            assert_error(answer, 500, "internal_error")
    assert {a.status_code for a in answers} == {500, 503}


def test_faults_come_after_authentication(make_client: MakeClient) -> None:
    client = make_client(error_rate=1.0, drop_rate=0.0, rate_limit=1)
    for _ in range(3):
        assert_error(client.post("/riff", json={}), 401, "unauthorized")


def test_latency_delays_answers(make_client: MakeClient) -> None:
    client = make_client(latency_s=0.2)
    started = time.perf_counter()
    client.post("/riff", content=b"{}", headers=KEY)
    assert time.perf_counter() - started >= 0.2


def test_jitter_is_bounded_and_seeded() -> None:
    settings = EmulatorSettings(latency_s=0.5, latency_jitter_s=0.25, fault_seed=9)
    runs = [
        [faults.decide().delay_s for _ in range(50)]
        for faults in (Faults(settings), Faults(settings))
    ]
    assert runs[0] == runs[1]
    assert all(0.5 <= d <= 0.75 for d in runs[0])
    assert len(set(runs[0])) == 50


def test_rate_limit_answers_429_with_retry_after(make_client: MakeClient) -> None:
    client = make_client(rate_limit=3)
    answers = [client.post("/riff", content=b"{}", headers=KEY) for _ in range(5)]
    assert [a.status_code for a in answers[:3]] == [422] * 3
    for answer in answers[3:]:
        assert_error(answer, 429, "rate_limited")
        assert answer.headers["retry-after"].isdigit()
        assert int(answer.headers["retry-after"]) >= 1


def test_rate_limit_window_slides() -> None:
    now = [100.0]
    faults = Faults(EmulatorSettings(rate_limit=2), clock=lambda: now[0])
    assert [faults.decide().outcome for _ in range(3)] == ["proceed", "proceed", "rate_limited"]
    now[0] += 0.5
    refused = faults.decide()
    assert refused.outcome == "rate_limited"
    assert refused.retry_after_s == 1
    now[0] += 0.6  # the first two have left the one-second window
    assert [faults.decide().outcome for _ in range(3)] == ["proceed", "proceed", "rate_limited"]


def test_dropped_connections_in_process_are_transport_errors(make_client: MakeClient) -> None:
    client = make_client(drop_rate=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/riff", json={"prompts": []}, headers=KEY)


def test_drop_rate_is_deterministic_under_the_seed(make_client: MakeClient) -> None:
    runs = [outcomes(make_client(drop_rate=0.3, fault_seed=2), 30) for _ in range(2)]
    assert runs[0] == runs[1]
    assert {"drop", 422} == set(runs[0])


async def test_dropped_connections_reach_async_clients() -> None:
    app = create_app(EmulatorSettings(drop_rate=1.0, duration_s=2.0))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1/v1") as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post("/riff", json={"prompts": []}, headers=KEY)
