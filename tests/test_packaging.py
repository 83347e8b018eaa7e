"""The wheel carries the generated code and the spec, and works in a fresh venv."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("riff_api-*.whl")
    return built


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "riff_api/__init__.py",
        "riff_api/py.typed",
        "riff_api_generated/__init__.py",
        "riff_api_generated/gen1/models.py",
        "riff_api_generated/gen1/params.py",
        "riff_api_generated/gen1/openapi.yaml",
        "riff_api_generated/gen1/client/api/__init__.py",
        "riff_api_generated/gen1/client/api/music/create_riff.py",
    ):
        assert expected in names, expected
    assert not any("__pycache__" in n or n.startswith(("tests/", "spec/")) for n in names)


@pytest.mark.slow
def test_wheel_installs_and_imports_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            str(ROOT / "requirements.lock"),
            str(wheel),
        ],
        check=True,
        timeout=600,
    )
    code = (
        "import riff_api, riff_api_generated.gen1.client as c, riff_api_generated.gen1.models as m;"
        "print(riff_api.__version__, riff_api.Riffusion.__module__, m.RiffRequest.__name__,"
        " c.AuthenticatedClient.__name__)"
    )
    done = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert done.stdout.split() == ["1.0.0", "riff_api", "RiffRequest", "AuthenticatedClient"]
    # The plain client stays light: the emulator's extras are not pulled in.
    assert subprocess.run([str(python), "-c", "import numpy"], capture_output=True).returncode != 0
