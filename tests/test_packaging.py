"""The wheel carries the generated code and the spec, under the project's own distribution name,
and works in a fresh venv."""

from __future__ import annotations

import email.parser
import re
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

import riff_api

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
DISTRIBUTION = PYPROJECT["project"]["name"]
#: The official client's distribution on PyPI: never ours (see pyproject.toml).
OFFICIAL = "riff-api"


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
    (built,) = out.glob(f"{DISTRIBUTION.replace('-', '_')}-*.whl")
    return built


def wheel_metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.parser.Parser().parsestr(archive.read(name).decode())


def _requirement_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group()).lower()


def test_the_distribution_is_ours_not_the_official_clients() -> None:
    assert DISTRIBUTION != OFFICIAL
    project = PYPROJECT["project"]
    extras = [r for reqs in project["optional-dependencies"].values() for r in reqs]
    names = {_requirement_name(r) for r in [*project["dependencies"], *extras]}
    # An extra naming riff-api would install the official client, not our other extras.
    assert OFFICIAL not in names
    assert DISTRIBUTION in names


#: Files that still name the old distribution in an install hint: the lead's, changed on merge.
_HINTS_TO_CHANGE: set[str] = set()


def test_install_hints_name_this_distribution_and_its_extras() -> None:
    extras = set(PYPROJECT["project"]["optional-dependencies"])
    hint = re.compile(r"pip install ['\"]?([A-Za-z0-9._-]+)\[([\w,]+)\]")
    stale, checked = set(), 0
    for path in [ROOT / "demo_app.py", *(ROOT / "riff_api").rglob("*.py")]:
        for name, wanted in hint.findall(path.read_text()):
            checked += 1
            if _requirement_name(name) != DISTRIBUTION:
                stale.add(str(path.relative_to(ROOT)))
            assert set(wanted.split(",")) <= extras, (path, wanted)
    assert checked >= 2  # the emulator's and the demo's hints at least
    assert stale <= _HINTS_TO_CHANGE, stale


def test_wheel_metadata_is_this_version_of_this_distribution(wheel: Path) -> None:
    metadata = wheel_metadata(wheel)
    assert metadata["Name"] == DISTRIBUTION
    # The version is the package's own (hatch reads riff_api/_version.py), not a copy.
    assert metadata["Version"] == riff_api.__version__
    assert wheel.name.startswith(f"{DISTRIBUTION.replace('-', '_')}-{riff_api.__version__}-")
    assert metadata["License-Expression"] == "MIT"


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
    # The license travels with the wheel (PEP 639: dist-info/licenses/).
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
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
        "import importlib.metadata as md, riff_api, riff_api_generated.gen1.client as c,"
        " riff_api_generated.gen1.models as m;"
        f"print(riff_api.__version__, md.version({DISTRIBUTION!r}), riff_api.Riffusion.__module__,"
        " m.RiffRequest.__name__, c.AuthenticatedClient.__name__)"
    )
    done = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    # The version of this source tree, installed, under the distribution's name.
    version = riff_api.__version__
    assert done.stdout.split() == [
        version,
        version,
        "riff_api",
        "RiffRequest",
        "AuthenticatedClient",
    ]
    # The plain client stays light: the emulator's extras are not pulled in.
    assert subprocess.run([str(python), "-c", "import numpy"], capture_output=True).returncode != 0
