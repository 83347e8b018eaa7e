"""Serving over HTTP: the command line, the printed URL, uvicorn on a real socket."""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys

import httpx
import pytest

from riff_api.emulator import (
    EmulatorSettings,
    ServerSettings,
    add_serve_arguments,
    serve_from_args,
    settings_to_args,
)
from riff_api.emulator._server import server_settings_from_args, settings_from_args

from ._audio import decode
from .conftest import KEY


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    return parser.parse_args(argv)


def test_defaults_are_the_default_settings() -> None:
    args = parse([])
    assert (args.host, args.port, args.access_log) == ("127.0.0.1", 8000, True)
    assert settings_from_args(args) == EmulatorSettings()


def test_settings_survive_the_command_line() -> None:
    settings = EmulatorSettings(
        api_keys=frozenset({"a", "b"}),
        duration_s=12.5,
        max_body_bytes=2048,
        seed=-3,
        latency_s=0.25,
        latency_jitter_s=0.5,
        error_rate=0.1,
        rate_limit=7,
        drop_rate=0.2,
        fault_seed=11,
        models=("FUZZ-2.0", "FUZZ-lab"),
    )
    assert settings_from_args(parse(settings_to_args(settings))) == settings
    assert settings_from_args(parse([])).models == ("FUZZ-2.0",)


def test_bad_settings_exit_with_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert serve_from_args(parse(["--error-rate", "2"])) == 2
    assert "error_rate" in capsys.readouterr().err
    assert serve_from_args(parse(["--max-connections", "0"])) == 2
    assert "max_connections" in capsys.readouterr().err


def test_server_options_are_the_server_settings() -> None:
    assert server_settings_from_args(parse([])) == ServerSettings()
    argv = ["--header-timeout", "2.5", "--body-timeout", "4", "--max-connections", "9"]
    assert server_settings_from_args(parse([*argv, "--workers", "0"])) == ServerSettings(
        header_timeout_s=2.5, body_timeout_s=4.0, max_connections=9, workers=0
    )


def test_default_workers_are_the_cores_up_to_four() -> None:
    cores = len(os.sched_getaffinity(0))
    assert ServerSettings().workers == max(1, min(cores, 4))


@pytest.mark.parametrize(
    "bad",
    [
        {"header_timeout_s": 0.0},
        {"body_timeout_s": -1.0},
        {"body_timeout_s": float("nan")},
        {"max_connections": 0},
        {"max_connections": True},
        {"max_connections": 2.5},
        {"workers": -1},
        {"workers": 65},
    ],
)
def test_server_settings_refuse_nonsense(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(bad))):
        ServerSettings(**bad)  # type: ignore[arg-type]


def test_a_taken_port_exits_with_status_1(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve_from_args(parse(["--port", str(port)])) == 1
    assert "cannot serve" in capsys.readouterr().err


def test_module_serves_over_a_socket_and_prints_its_url_first() -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "riff_api.emulator", "--port", "0", "--duration", "2",
         "--log-level", "warning", "--drop-rate", "0.5", "--fault-seed", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        url = child.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1", url), url
        seen: list[int | str] = []
        with httpx.Client(base_url=url, headers=KEY, timeout=30) as client:
            for _ in range(8):
                try:
                    answer = client.post("/riff", json={"prompts": [{"text": "house"}]})
                except httpx.TransportError:
                    seen.append("drop")
                    continue
                seen.append(answer.status_code)
                assert answer.headers["x-request-id"]
                assert decode(answer.json()["audio_b64"]).duration_s == pytest.approx(2.0, abs=0.01)
            missing = client.post("/nope")
            assert missing.status_code == 404
            assert missing.headers["x-request-id"]
        # A drop over a socket is a connection error for the client, not an answer.
        assert set(seen) == {200, "drop"}
    finally:
        os.kill(child.pid, signal.SIGTERM)
        _, errors = child.communicate(timeout=10)
    assert child.returncode is not None
    assert "Traceback" not in errors, errors
    assert "ASGI" not in errors, errors
