"""``run_emulator`` / ``EmulatorServer``: a child process on a free port, stopped by pid."""

from __future__ import annotations

import os

import httpx
import pytest

from riff_api.testing import DEFAULT_API_KEY, EmulatorServer, RunningEmulator, run_emulator


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_run_emulator_serves_points_the_environment_and_stops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RIFFUSION_API_KEY", "the user's own key")
    monkeypatch.delenv("RIFFUSION_BACKEND_URL", raising=False)
    with run_emulator(duration_s=2.0) as running:
        assert isinstance(running, RunningEmulator)
        assert running.base_url.startswith("http://127.0.0.1:")
        assert running.base_url.endswith("/v1")
        assert running.api_key == DEFAULT_API_KEY
        assert os.environ["RIFFUSION_API_KEY"] == running.api_key
        assert os.environ["RIFFUSION_BACKEND_URL"] == running.base_url
        answer = httpx.post(
            f"{running.base_url}/riff",
            json={"prompts": [{"text": "folk"}], "lyrics": "hello there"},
            headers={"Api-Key": running.api_key},
            timeout=30,
        )
        assert answer.status_code == 200
        assert [w["text"] for w in answer.json()["timestamped_lyrics"]] == ["hello", "there"]
        spec = httpx.get(f"{running.root_url}/openapi.yaml", timeout=10)
        assert spec.status_code == 200
        pid = running.pid
        assert not gone(pid)
    assert gone(pid)
    assert os.environ["RIFFUSION_API_KEY"] == "the user's own key"
    assert "RIFFUSION_BACKEND_URL" not in os.environ


def test_the_child_is_stopped_when_the_block_fails() -> None:
    pids = []

    def failing_test() -> None:
        with run_emulator(set_env=False) as running:
            pids.append(running.pid)
            raise RuntimeError("test failed")

    with pytest.raises(RuntimeError, match="test failed"):
        failing_test()
    assert gone(pids[0])


def test_settings_reach_the_child() -> None:
    with run_emulator(api_keys=frozenset({"k2", "k1"}), rate_limit=2, set_env=False) as running:
        assert running.api_key == "k1"
        with httpx.Client(base_url=running.base_url, timeout=30) as client:
            assert client.post("/riff", json={}, headers={"Api-Key": "other"}).status_code == 401
            statuses = [
                client.post("/riff", content=b"{}", headers={"Api-Key": "k2"}).status_code
                for _ in range(4)
            ]
        assert statuses[:2] == [422, 422]
        assert 429 in statuses[2:]


def test_server_object_start_stop_is_idempotent() -> None:
    server = EmulatorServer(duration_s=1.0)
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.running
    first = server.start()
    assert server.start() is first
    server.stop()
    server.stop()
    assert gone(first.pid)


def test_running_emulator_env() -> None:
    running = RunningEmulator(base_url="http://127.0.0.1:9/v1", api_key="k", pid=1)
    assert running.env == {
        "RIFFUSION_API_KEY": "k",
        "RIFFUSION_BACKEND_URL": "http://127.0.0.1:9/v1",
        "RIFFUSION_API_URL": "http://127.0.0.1:9/api/v1",
    }
    assert running.root_url == "http://127.0.0.1:9"
    assert running.api_url == "http://127.0.0.1:9/api/v1"
