"""The drill of the project's promise: a field added to the spec reaches every front door.

In a copy of the project, one optional field is added to ``RiffRequest`` in
``spec/openapi.yaml`` and ``scripts/regenerate`` is run; nothing else is touched. Then, in a
fresh interpreter on that copy, the field is sent on the wire by ``Riffusion.riff``,
``AsyncRiffusion.riff``, ``create_from_request``, ``riff riff --tempo-bpm``, a job line of
``riff batch`` and ``riff riff --local`` (the emulator, which also refuses a wrong value
for it); and mypy, on the copy, accepts the new keyword argument and refuses a wrong type.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FIELD = "tempo_bpm"

CHILD = textwrap.dedent(
    """
    import asyncio, io, json, sys
    from pathlib import Path

    import httpx

    import riff_api
    from riff_api import _module_api
    from riff_api.cli import Environment, main
    from riff_api.cli import _environment

    BASE = "https://api.drill.test/v1"
    sent = []

    def answer(request):
        body = json.loads(request.content)
        sent.append(body)
        wav = "UklGRiQAAABXQVZFZm10IBAAAAABAAIARKwAABCxAgAEABAAZGF0YQAAAAA="
        return httpx.Response(200, json={
            "id": "drill", "audio_b64": wav, "lyrics": None, "timestamped_lyrics": None,
            "prompts": body["prompts"],
        })

    mock = httpx.MockTransport(answer)
    seen = {}

    def record(name):
        seen[name] = sent.pop().get("tempo_bpm", "<missing>")

    http = httpx.Client(transport=mock)
    client = riff_api.Riffusion(api_key="k", base_url=BASE, http_client=http)
    client.riff(["lo-fi"], tempo_bpm=120)
    record("Riffusion.riff")

    async def run_async():
        async with httpx.AsyncClient(transport=mock) as http:
            async with riff_api.AsyncRiffusion(api_key="k", base_url=BASE, http_client=http) as c:
                await c.riff(["lo-fi"], tempo_bpm=121)
    asyncio.run(run_async())
    record("AsyncRiffusion.riff")

    _module_api.use_default_client(client)
    request = riff_api.RiffRequest(prompts=[riff_api.Prompt(text="lo-fi")], tempo_bpm=122)
    riff_api.create_from_request(request, api_key="k")
    record("create_from_request")

    cwd = Path(sys.argv[1])
    def riff(*argv, transport=mock):
        err = io.StringIO()
        env = Environment(stdout=io.StringIO(), stderr=err, cwd=cwd, transport=transport,
                          environ={"RIFFUSION_API_KEY": "k", "RIFFUSION_BACKEND_URL": BASE})
        status = main(list(argv), env)
        assert status == 0, err.getvalue()

    riff("riff", "--prompt", "lo-fi", "--tempo-bpm", "123", "-o", "a.wav")
    record("riff riff --tempo-bpm")
    (cwd / "jobs.jsonl").write_text('{"prompts": ["lo-fi"], "tempo_bpm": 124}\\n')
    riff("batch", "jobs.jsonl", "--out-dir", "songs")
    record("riff batch")

    # riff riff --local: the in-process emulator, behind a transport that notes each body
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
    riff("riff", "--local", "--prompt", "lo-fi", "--tempo-bpm", "125", "-o", "b.wav")
    record("riff riff --local")

    from riff_api.testing import in_process_emulator
    with in_process_emulator(duration_s=1.0) as emulator:
        refused = emulator.client.post(
            "http://127.0.0.1/v1/riff", headers=emulator.headers,
            json={"prompts": [{"text": "x"}], "tempo_bpm": "fast"},
        )
        where = [d["loc"] for d in refused.json()["detail"]]
        seen["emulator refuses"] = [refused.status_code, where]
    print(json.dumps(seen))
    """
)

TYPED = textwrap.dedent(
    """
    import riff_api

    def make(client: riff_api.Riffusion) -> None:
        client.riff(["lo-fi"], tempo_bpm=120)
        client.riff(["lo-fi"], tempo_bpm="fast")
    """
)


def _copy_project(into: Path) -> None:
    for name in ("riff_api", "generated", "spec", "scripts"):
        shutil.copytree(
            ROOT / name, into / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    shutil.copyfile(ROOT / "pyproject.toml", into / "pyproject.toml")


def _add_field(spec: Path) -> None:
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    properties = document["components"]["schemas"]["RiffRequest"]["properties"]
    properties[FIELD] = {
        "type": ["integer", "null"],
        "default": None,
        "description": "Beats per minute of the song; null lets the service choose.",
    }
    spec.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))


@pytest.mark.slow
def test_a_new_spec_field_reaches_every_front_door(tmp_path: Path) -> None:
    project = tmp_path / "project"
    _copy_project(project)
    _add_field(project / "spec" / "openapi.yaml")
    env = {
        **os.environ,
        "RIFF_API_VENV": sys.prefix,  # the copy's scripts run in this venv, not a new one
        "PYTHONPATH": f"{project}{os.pathsep}{project / 'generated'}",
        "RIFFUSION_API_KEY": "",
    }
    regenerated = subprocess.run(
        [sys.executable, str(project / "scripts" / "regenerate")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert regenerated.returncode == 0, regenerated.stdout + regenerated.stderr
    # regenerate says what changed, as scripts/spec-diff would: one field, breaking nothing.
    assert "spec/openapi.yaml since the generated code was made:" in regenerated.stdout
    report = [line for line in regenerated.stdout.splitlines() if FIELD in line]
    assert len(report) == 1, regenerated.stdout
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
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(work)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=work,
    )
    assert child.returncode == 0, child.stdout + child.stderr
    seen = json.loads(child.stdout.splitlines()[-1])
    assert seen == {
        "Riffusion.riff": 120,
        "AsyncRiffusion.riff": 121,
        "create_from_request": 122,
        "riff riff --tempo-bpm": 123,
        "riff batch": 124,
        "emulator status": 200,
        "riff riff --local": 125,
        "emulator refuses": [422, [["body", FIELD]]],
    }

    (work / "typed.py").write_text(TYPED)
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
