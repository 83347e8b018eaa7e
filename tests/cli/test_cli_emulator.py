"""``riff`` against the real emulator: ``--local`` in-process, ``riff serve`` over a socket, and
a batch interrupted by Ctrl-C and resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Run

from riff_api import Riffusion
from riff_api._audio import sniff_format
from riff_api._batch import read_manifest
from riff_api.cli import ExitStatus
from riff_api.testing import run_emulator

pytest.importorskip("riff_api.emulator")


def test_local_topic_needs_no_key_nor_network(riff: Callable[..., Run], tmp_path: Path) -> None:
    run = riff("topic", "lo-fi rain on a tin roof", "--local", "-o", "rain.mp3", environ={})
    assert run.status == ExitStatus.OK, run.stderr
    assert sniff_format((tmp_path / "rain.mp3").read_bytes()) == "mp3"
    assert "[Verse]" in run.stdout


def test_local_riff_sings_the_lyrics(riff: Callable[..., Run], tmp_path: Path) -> None:
    run = riff(
        "riff",
        "--local",
        "-p",
        "chillstep pop",
        "-p",
        "orchestral cellos:3:0:10",
        "--lyrics",
        "Hello from outer space\nCan you hear me",
        "--seed",
        "42",
        "--json",
        "-o",
        "song.wav",
        environ={},
    )
    assert run.status == ExitStatus.OK, run.stderr
    data = json.loads(run.stdout)
    assert [w["text"] for w in data["timestamped_lyrics"]][:3] == ["Hello", "from", "outer"]
    assert [p["text"] for p in data["prompts"]] == ["chillstep pop", "orchestral cellos"]
    assert sniff_format((tmp_path / "song.wav").read_bytes()) == "wav"


def test_local_batch(riff: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "jobs.jsonl").write_text(
        '{"id": "a", "topic": "jazz about cats"}\n{"id": "b", "prompts": ["ambient"]}\n'
    )
    run = riff("batch", "jobs.jsonl", "-d", "out", "--local", "--format", "m4a", environ={})
    assert run.status == ExitStatus.OK, run.stderr
    assert sniff_format((tmp_path / "out" / "a.m4a").read_bytes()) == "m4a"
    assert sniff_format((tmp_path / "out" / "b.m4a").read_bytes()) == "m4a"


def _default_sigint() -> None:
    # A suite started in the background by a non-interactive shell (as CI may do) inherits
    # SIGINT ignored, and so would the child: give it Ctrl-C back, as a terminal would.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _riff_process(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "riff_api.cli", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,  # noqa: PLW1509  the child runs nothing before exec
    )


def test_serve_answers_over_http(tmp_path: Path) -> None:
    server = _riff_process(
        "serve", "--port", "0", "--no-access-log", "--duration", "2", "--exit-with-parent",
        cwd=tmp_path,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert url.endswith("/v1")
        with Riffusion(api_key="any", base_url=url) as client:
            song = client.topic("punk about a bicycle", audio_format="mp3", max_retries=5)
        assert song.audio_format == "mp3"
    finally:
        os.kill(server.pid, signal.SIGINT)  # Ctrl-C: uvicorn shuts down gracefully
        server.communicate(timeout=20)
    assert server.returncode == ExitStatus.OK


def test_ctrl_c_mid_batch_leaves_a_resumable_folder(tmp_path: Path) -> None:
    # 40 jobs two at a time at 0.5 s each: a 10 s window for the Ctrl-C even on a busy machine.
    total = 40
    jobs = "".join(
        json.dumps({"id": f"j{i:02d}", "topic": f"song {i}"}) + "\n" for i in range(total)
    )
    (tmp_path / "jobs.jsonl").write_text(jobs)
    out = tmp_path / "out"
    with run_emulator(latency_s=0.5, duration_s=1.0, set_env=False) as emulator:
        env = {"RIFFUSION_API_KEY": emulator.api_key, "RIFFUSION_BACKEND_URL": emulator.base_url}
        args = ("batch", "jobs.jsonl", "-d", "out", "-j", "2")
        first = _riff_process(*args, cwd=tmp_path, env=env)
        deadline = time.monotonic() + 60
        while len(read_manifest(out / "manifest.jsonl")) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(first.pid, signal.SIGINT)
        _, stderr = first.communicate(timeout=30)
        assert first.returncode == ExitStatus.INTERRUPTED, stderr
        assert "interrupted" in stderr
        assert [p.name for p in out.iterdir() if p.name.endswith(".part")] == []
        done = read_manifest(out / "manifest.jsonl")
        assert 2 <= len(done) < total
        for result in done.values():
            assert result.status == "ok"
            assert result.file is not None
            assert (out / result.file).stat().st_size == result.audio_bytes

        second = _riff_process(*args[:-1], "20", "--json", cwd=tmp_path, env=env)
        stdout, stderr = second.communicate(timeout=120)
    assert second.returncode == ExitStatus.OK, stderr
    report = json.loads(stdout)
    assert report["skipped"] == len(done)
    assert report["ok"] == total - len(done)
    assert {r["job_id"] for r in report["results"] if r["status"] == "skipped"} == set(done)
