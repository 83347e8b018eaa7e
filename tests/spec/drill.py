"""The drill both field tests run: in a copy of the project, one optional field is added to a
request model of a spec document and ``scripts/regenerate`` is run, nothing else.

``drill`` checks what must hold whatever the model: regenerate reports one non-breaking change,
no hand-written file differs from this tree, and mypy on the copy accepts the new keyword
argument and refuses a wrong type for it (line 6 of ``typed``). It returns what the ``child``
script (run after ``CHILD_TOOLS``, in a fresh interpreter on the copy) prints as its last line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
FIELD = "tempo_bpm"

# The child's shared tools, a prefix of each drill's CHILD script: what was sent, a CLI runner,
# and a spy on the in-process emulator that `riff ... --local` uses.
CHILD_TOOLS = textwrap.dedent(
    """
    import asyncio, base64, io, json, sys
    from pathlib import Path

    import httpx

    import riff_api
    from riff_api.cli import Environment, main
    from riff_api.cli import _environment

    sent = []
    seen = {}

    def record(name):
        seen[name] = sent.pop().get("tempo_bpm", "<missing>")

    def cli(environ, transport):
        cwd = Path(sys.argv[1])
        def riff(*argv):
            err = io.StringIO()
            env = Environment(stdout=io.StringIO(), stderr=err, cwd=cwd, transport=transport,
                              environ={"RIFFUSION_API_KEY": "k", **environ})
            status = main(list(argv), env)
            assert status == 0, err.getvalue()
        return riff

    def spy_on_the_emulator():
        real = _environment._emulator_transport
        class Spy(httpx.AsyncBaseTransport):
            def __init__(self):
                self.inner = real()
            async def handle_async_request(self, request):
                await request.aread()
                sent.append(json.loads(request.content))
                response = await self.inner.handle_async_request(request)
                seen["emulator status"] = response.status_code
                return response
        _environment._emulator_transport = Spy

    def refused_by_the_emulator(path, body):
        from riff_api.testing import in_process_emulator
        with in_process_emulator(duration_s=1.0) as emulator:
            refused = emulator.client.post(
                f"http://127.0.0.1{path}", headers=emulator.headers, json=body
            )
            return [refused.status_code, [d["loc"] for d in refused.json()["detail"]]]
    """
)


def _copy_project(into: Path) -> None:
    for name in ("riff_api", "generated", "spec", "scripts"):
        shutil.copytree(
            ROOT / name, into / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    shutil.copyfile(ROOT / "pyproject.toml", into / "pyproject.toml")


def _add_field(spec: Path, model: str) -> None:
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    properties = document["components"]["schemas"][model]["properties"]
    properties[FIELD] = {
        "type": ["integer", "null"],
        "default": None,
        "description": "Beats per minute of the song; null lets the service choose.",
    }
    spec.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))


def _run(cmd: list[str], env: dict[str, str], cwd: Path | None = None) -> str:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, cwd=cwd)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def drill(tmp_path: Path, spec: str, model: str, child: str, typed: str) -> dict[str, Any]:
    """Add ``FIELD`` to ``model`` of ``spec/<spec>``, regenerate, check, run ``child``."""
    project = tmp_path / "project"
    _copy_project(project)
    _add_field(project / "spec" / spec, model)
    env = {
        **os.environ,
        "RIFF_API_VENV": sys.prefix,  # the copy's scripts run in this venv, not a new one
        "PYTHONPATH": f"{project}{os.pathsep}{project / 'generated'}",
        "RIFFUSION_API_KEY": "",
    }
    regenerated = _run([sys.executable, str(project / "scripts" / "regenerate")], env)
    # regenerate says what changed, as scripts/spec-diff would: one field, breaking nothing.
    assert f"spec/{spec} since the generated code was made:" in regenerated
    report = [line for line in regenerated.splitlines() if FIELD in line]
    assert len(report) == 1, regenerated
    assert report[0].startswith("non-breaking"), report
    # Only the generated code changed, nothing hand-written.
    for name in ("riff_api", "scripts"):
        done = subprocess.run(
            ["diff", "-r", "-x", "__pycache__", str(ROOT / name), str(project / name)],
            capture_output=True,
        )
        assert done.returncode == 0, done.stdout.decode()

    work = tmp_path / "work"
    work.mkdir()
    script = CHILD_TOOLS + child
    seen: dict[str, Any] = json.loads(
        _run([sys.executable, "-c", script, str(work)], env, cwd=work).splitlines()[-1]
    )

    (work / "typed.py").write_text(typed)
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "typed.py"],
        env={**env, "MYPYPATH": env["PYTHONPATH"]},
        capture_output=True,
        text=True,
        timeout=300,
        cwd=work,
    )
    lines = [line for line in checked.stdout.splitlines() if "typed.py" in line]
    assert len(lines) == 1, checked.stdout
    assert "typed.py:6:" in lines[0], checked.stdout
    assert FIELD in lines[0], checked.stdout
    return seen
