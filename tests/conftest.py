"""Fixtures shared by the facade tests: canned answers and clients on httpx.MockTransport."""

from __future__ import annotations

import fcntl
import io
import shutil
import subprocess
import venv
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pybase64
import pytest

import riff_api
from riff_api import _client

API_KEY = "sk-test-0123456789abcdef-SECRET"
BASE_URL = "https://api.riff.test/v1"

Handler = Callable[[httpx.Request], httpx.Response]


def wav_bytes(seconds: float = 0.05) -> bytes:
    """A real, tiny stereo 44.1 kHz wav file."""
    frames = int(44100 * seconds)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(bytes(range(256)) * (frames * 4 // 256) + b"\0" * (frames * 4 % 256))
    return buf.getvalue()


def song_body(**overrides: Any) -> dict[str, Any]:
    """A valid RiffResponse body; keyword arguments replace or (with None) null its fields."""
    body: dict[str, Any] = {
        "id": "2f1c8a7e-8a43-4c3e-9d7b-1f0e5b2a9c11",
        "audio_b64": pybase64.b64encode(wav_bytes()).decode(),
        "lyrics": "[Verse]\nHello Boris",
        "timestamped_lyrics": [
            {"text": "Hello", "start_s": 1.0},
            {"text": "Boris", "start_s": 1.5},
        ],
        "prompts": [{"text": "indie pop", "strength": 4.0, "start_s": 0.0, "end_s": 30.0}],
    }
    body.update(overrides)
    return body


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=song_body(), headers={"X-Request-Id": "req-ok"})


class Recorder:
    """A MockTransport handler that answers from a script and remembers every request."""

    def __init__(self, *answers: httpx.Response | Exception | Handler) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer) and not isinstance(answer, httpx.Response):
            return answer(request)
        return answer

    @property
    def calls(self) -> int:
        return len(self.requests)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record retry waits instead of sleeping them (sync and async)."""
    waited: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        waited.append(seconds)

    monkeypatch.setattr(_client, "_sleep", waited.append)
    monkeypatch.setattr(_client, "_async_sleep", fake_async_sleep)
    return waited


@pytest.fixture
def make_client(sleeps: list[float]) -> Iterator[Callable[..., riff_api.Riffusion]]:
    made: list[riff_api.Riffusion] = []

    def make(handler: Handler, **kwargs: Any) -> riff_api.Riffusion:
        http = httpx.Client(transport=httpx.MockTransport(handler))
        kwargs.setdefault("api_key", API_KEY)
        kwargs.setdefault("base_url", BASE_URL)
        client = riff_api.Riffusion(http_client=http, **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        client._http.close()


@pytest.fixture
def make_async_client(sleeps: list[float]) -> Callable[..., riff_api.AsyncRiffusion]:
    def make(handler: Handler, **kwargs: Any) -> riff_api.AsyncRiffusion:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        kwargs.setdefault("api_key", API_KEY)
        kwargs.setdefault("base_url", BASE_URL)
        return riff_api.AsyncRiffusion(http_client=http, **kwargs)

    return make


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's own key or backend by accident."""
    monkeypatch.delenv("RIFFUSION_API_KEY", raising=False)
    monkeypatch.delenv("RIFFUSION_BACKEND_URL", raising=False)


OFFICIAL_GEN2 = "riff-api==0.4.2"
OFFICIAL_GEN2_VENV = Path(__file__).resolve().parent.parent / ".cache" / "official-riff-api-0.4.2"


@pytest.fixture(scope="session")
def official_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Python with only the official riff-api 0.4.2 (and its dependencies) installed."""
    python = OFFICIAL_GEN2_VENV / "bin" / "python"
    stamp = OFFICIAL_GEN2_VENV / ".installed"
    OFFICIAL_GEN2_VENV.parent.mkdir(parents=True, exist_ok=True)
    # Parallel test workers share the venv: one makes it while the others wait.
    with (OFFICIAL_GEN2_VENV.parent / ".official-riff-api.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _make_official_venv(python, stamp)
    return _checked_official(python, tmp_path_factory)


def _make_official_venv(python: Path, stamp: Path) -> None:
    if not (stamp.exists() and stamp.read_text() == OFFICIAL_GEN2):
        shutil.rmtree(OFFICIAL_GEN2_VENV, ignore_errors=True)
        venv.EnvBuilder(with_pip=True).create(OFFICIAL_GEN2_VENV)
        done = subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                OFFICIAL_GEN2,
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, f"could not install {OFFICIAL_GEN2}: {done.stderr[-2000:]}"
        stamp.write_text(OFFICIAL_GEN2)


def _checked_official(python: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    shown = subprocess.run(
        [
            str(python),
            "-c",
            "import riff_api, importlib.metadata as m;"
            "print(m.version('riff-api'), riff_api.__file__)",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path_factory.mktemp("official"),  # away from this project's riff_api/ folder
    ).stdout.split()
    assert shown[0] == "0.4.2"
    assert str(OFFICIAL_GEN2_VENV) in shown[1]  # the official package, not this project's
    return python
