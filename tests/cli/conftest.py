"""Fixtures of the CLI tests: no retry waits, the fake service, and ``riff`` to run commands."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from cli_helpers import API_KEY, FakeService, Run

from riff_api import _client
from riff_api.cli import Environment, main


@pytest.fixture(autouse=True)
def _no_retry_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries take no wall time (their delays are the client's business, tested there)."""

    async def no_async_sleep(seconds: float) -> None:
        return None

    monkeypatch.setattr(_client, "_sleep", lambda seconds: None)
    monkeypatch.setattr(_client, "_async_sleep", no_async_sleep)


@pytest.fixture
def service() -> FakeService:
    return FakeService()


@pytest.fixture
def riff(tmp_path: Path, service: FakeService) -> Callable[..., Run]:
    """Run ``riff ARGS`` in tmp_path against the fake service; returns what it printed."""

    def run(
        *args: str,
        stdin: str = "",
        environ: dict[str, str] | None = None,
        tty: bool = False,
        stdout_tty: bool = False,
    ) -> Run:
        stdout, stderr, audio = io.StringIO(), io.StringIO(), io.BytesIO()
        transport = httpx.MockTransport(service)
        env = Environment(
            stdin=io.StringIO(stdin),
            stdout=stdout,
            stdout_bytes=audio,
            stderr=stderr,
            environ={"RIFFUSION_API_KEY": API_KEY} if environ is None else environ,
            cwd=tmp_path,
            stderr_isatty=tty,
            stdout_isatty=stdout_tty,
            transport=transport,
        )
        code = main(list(args), env)
        return Run(code, stdout.getvalue(), stderr.getvalue(), audio.getvalue())

    return run
