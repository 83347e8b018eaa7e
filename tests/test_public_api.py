"""The public surface: one sorted __all__, every name documented and shown as riff_api.X."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

from packaging.version import Version

import riff_api

ROOT = Path(__file__).resolve().parents[1]


def test_all_is_unique_and_resolves() -> None:
    # Its order (constants, classes, functions) is kept by ruff's RUF022 in scripts/check.
    names = riff_api.__all__
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(riff_api, name), name


def test_public_classes_live_in_riff_api() -> None:
    """Shown as riff_api.X; the second generation's models as riff_api.types.X (0.4.2's home)."""
    import riff_api.types

    for name in riff_api.__all__:
        obj = getattr(riff_api, name)
        if isinstance(obj, type):
            in_types = name in riff_api.types.__all__ and getattr(riff_api.types, name) is obj
            home = "riff_api.types" if in_types else "riff_api"
            assert obj.__module__ == home, name
            assert obj.__doc__, name


def test_the_two_generations_timestamped_words_keep_their_homes() -> None:
    import riff_api.types

    assert set(riff_api.TimestampedWord.model_fields) == {"text", "start_s"}
    assert set(riff_api.types.TimestampedWord.model_fields) == {"text", "start"}


def test_public_functions_are_documented() -> None:
    for name in ("create", "create_from_request", "create_from_topic", "save_audio"):
        assert getattr(riff_api, name).__doc__


def test_version() -> None:
    """__version__ is a PEP 440 version, the installed distribution's, and the newest release
    in CHANGELOG.md."""
    version = riff_api.__version__
    assert str(Version(version)) == version  # valid, and written in its normal form
    distribution = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]
    installed = importlib.metadata.version(distribution)
    assert installed == version, f"installed {installed}: reinstall (python3 scripts/test does)"
    releases = re.findall(r"^## \[(\d[^\]]*)\]", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert releases, "CHANGELOG.md lists no release"
    assert releases[0] == version, f"CHANGELOG.md's newest release is {releases[0]}"


def test_import_riff_api_loads_nothing_heavy() -> None:
    """``import riff_api`` is cheap: httpx, pydantic and the generated models load on first use."""
    import subprocess
    import sys

    code = (
        "import sys, riff_api;"
        "print(sorted(m for m in ('httpx', 'pydantic', 'riff_api_generated', 'anyio', 'logging')"
        " if m in sys.modules));"
        "riff_api.Riffusion;"
        "print('httpx' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={}
    )
    assert done.stdout.split("\n")[:2] == ["[]", "True"]


def test_the_plugin_and_riff_help_load_nothing_heavy() -> None:
    """The pytest plugin loads in every session of every project with riff_api installed, and
    ``riff --help`` should answer at once: neither may load httpx, pydantic or the models."""
    import subprocess
    import sys

    heavy = "('httpx', 'pydantic', 'riff_api_generated.gen1.models', 'numpy')"
    for setup in (
        "import riff_api.testing.plugin",
        "from riff_api.cli import main; main(['--help'])",
        "from riff_api.cli import main; main(['--version'])",
    ):
        code = f"import sys; {setup}\nprint(sorted(m for m in {heavy} if m in sys.modules))"
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env={}, check=False
        )
        assert done.stdout.strip().splitlines()[-1] == "[]", (setup, done.stdout, done.stderr)


def test_the_blocking_client_never_loads_asyncio() -> None:
    """asyncio is 1.8 MiB that a script using ``Riffusion`` alone never needs."""
    import subprocess
    import sys

    code = (
        "import sys, riff_api\n"
        "url = 'http://127.0.0.1:9/v1'\n"
        "client = riff_api.Riffusion(api_key='k', base_url=url, max_retries=0)\n"
        "try:\n    client.topic('x')\nexcept riff_api.APIConnectionError:\n    pass\n"
        "print('asyncio' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={}, check=False
    )
    assert done.stdout.strip().splitlines()[-1:] == ["False"], done.stderr[-600:]
