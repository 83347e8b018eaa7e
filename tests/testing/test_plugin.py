"""The pytest plugin: its fixtures in a fresh pytest session, and its cheap import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CONFTEST = """
import pytest

@pytest.fixture(scope="session")
def riff_emulator_settings():
    from riff_api.emulator import EmulatorSettings
    return EmulatorSettings(duration_s=2.0)
"""

TESTS = """
import os

import httpx


def test_session_server(riff_emulator):
    answer = httpx.post(
        riff_emulator.base_url + "/riff",
        json={"prompts": []},
        headers={"Api-Key": riff_emulator.api_key},
        timeout=30,
    )
    assert answer.status_code == 200


def test_local_points_the_environment(riff_local, riff_emulator):
    assert riff_local is riff_emulator
    assert os.environ["RIFFUSION_BACKEND_URL"] == riff_local.base_url
    assert os.environ["RIFFUSION_API_KEY"] == riff_local.api_key


def test_environment_is_restored():
    assert os.environ.get("RIFFUSION_BACKEND_URL") is None


def test_inprocess(riff_inprocess):
    client, headers = riff_inprocess.client, riff_inprocess.headers
    answer = client.post("/topic", json={"topic": "reggae"}, headers=headers)
    assert answer.status_code == 200
    assert len(answer.json()["audio_b64"]) < 1_000_000  # the 2 s songs of the conftest
"""


def test_fixtures_work_in_a_fresh_session(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_uses_fixtures.py").write_text(TESTS)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RIFFUSION_")}
    # A new interpreter: the plugin must load from its pytest11 entry point alone.
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "."],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 passed" in run.stdout


HEAVY = ("numpy", "av", "starlette", "uvicorn", "riff_api.emulator")


def test_plugin_import_is_light() -> None:
    probe = (
        f"import sys, riff_api.testing.plugin; print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert run.stdout.strip() == "[]"


def test_the_readme_fixtures_block_runs_as_pasted(tmp_path: Path) -> None:
    """The README's block of tests with the fixtures, pasted into a file of a new project."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    start = readme.index("```python\n", readme.index("In your own test suite")) + len("```python\n")
    block = readme[start : readme.index("```", start)]
    (tmp_path / "test_from_readme.py").write_text(block)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RIFFUSION_")}
    run = subprocess.run(
        # without pytest-asyncio, as a project that has only riff_api would be
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:asyncio", "."],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 passed" in run.stdout, run.stdout
    assert "skipped" not in run.stdout, run.stdout
    assert "warning" not in run.stdout.lower(), run.stdout
