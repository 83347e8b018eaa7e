"""The second generation's flows, on the official riff-api 0.4.2 and on riff_api, unchanged.

The official client's wheel from PyPI, installed unchanged into a venv of its own under
``.cache/`` (the ``official_python`` fixture of tests/conftest.py), runs each client example
of ``examples/prompt`` and ``examples/compose`` against the emulator
(``RIFFUSION_API_URL=http://127.0.0.1:PORT/api/v1``); then the same scripts run on this
project's ``riff_api``. The plain-HTTP and curl flows need no client. Every m4a written is
decoded with PyAV: AAC, stereo, 44.1 kHz, about 30 s.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import av
import pytest

from riff_api.testing import RunningEmulator, run_emulator

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SONG_S = 30.0

#: Each client example and what it writes (or, for models, prints).
CLIENT_FLOWS = {
    "prompt/1_prompt_client.py": ["chill.m4a"],
    "compose/1_compose.py": ["compose.m4a"],
    "compose/2_models.py": [],
}


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with run_emulator(duration_s=SONG_S, set_env=False) as running:
        yield running


def _run(command: list[str], emulator: RunningEmulator, cwd: Path) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RIFFUSION_", "PYTHON"))  # nothing of this project leaks in
    }
    env.update(RIFFUSION_API_URL=emulator.api_url, RIFFUSION_API_KEY=emulator.api_key)
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _assert_song(path: Path) -> None:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        samples = sum(frame.samples for frame in container.decode(stream))
        assert stream.codec_context.name == "aac"
        assert stream.codec_context.channels == 2
        assert stream.codec_context.sample_rate == 44100
        assert samples / 44100 == pytest.approx(SONG_S, abs=0.1)


@pytest.mark.slow
@pytest.mark.parametrize("flow", CLIENT_FLOWS)
@pytest.mark.parametrize("client", ["official riff-api 0.4.2", "riff_api"])
def test_a_client_flow_runs_unchanged_on_both_clients(
    flow: str, client: str, official_python: Path, emulator: RunningEmulator, tmp_path: Path
) -> None:
    python = official_python if client.startswith("official") else Path(sys.executable)
    out = tmp_path / "out"
    printed = _run(
        [str(python), str(EXAMPLES / flow), "--out-dir", str(out)]
        if CLIENT_FLOWS[flow]
        else [str(python), str(EXAMPLES / flow)],
        emulator,
        tmp_path,
    )
    for name in CLIENT_FLOWS[flow]:
        _assert_song(out / name)
    if flow.endswith("models.py"):
        assert printed.split() == ["FUZZ-2.0"]
    if flow.endswith("compose.py"):
        assert "0.7  synthwave, driving bass" in printed  # the strengths, echoed
        assert "s  Neon" in printed  # a timed word


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "writes"),
    [
        (
            [sys.executable, str(EXAMPLES / "prompt" / "2_prompt_http.py"), "--out-dir"],
            "prompt_http.m4a",
        ),
        (["sh", str(EXAMPLES / "prompt" / "3_prompt_curl.sh")], "prompt_curl.m4a"),
    ],
    ids=["plain-http", "curl"],
)
def test_the_http_flows(
    command: list[str], writes: str, emulator: RunningEmulator, tmp_path: Path
) -> None:
    if command[0] == "sh" and shutil.which("curl") is None:
        pytest.skip("curl is not installed here")
    out = tmp_path / "out"
    _run([*command, str(out)], emulator, tmp_path)
    _assert_song(out / writes)


def test_every_second_generation_example_is_covered() -> None:
    found = {
        str(path.relative_to(EXAMPLES))
        for folder in ("prompt", "compose")
        for path in (EXAMPLES / folder).iterdir()
        if path.suffix in (".py", ".sh")
    }
    assert found == {*CLIENT_FLOWS, "prompt/2_prompt_http.py", "prompt/3_prompt_curl.sh"}
