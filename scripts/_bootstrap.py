"""Shared start-up of the scripts in this folder: make sure they run inside the project's venv.

Every script starts with ``import _bootstrap; _bootstrap.ensure_venv()``. On a fresh machine
(Python 3.11+ and pip, nothing else) this creates ``.venv`` beside the project, installs the
project with its ``dev`` extra pinned by ``requirements.lock``, and re-runs the script under
that interpreter. The install is redone only when ``pyproject.toml``, the lock file or the
version change.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("RIFF_API_VENV", ROOT / ".venv"))
VENV_PYTHON = VENV / "bin" / "python"
#: The project's distribution name (its import name is riff_api).
DISTRIBUTION = "riffusion-client"
#: The name it had until 1.0.0, which is the official client's on PyPI.
_OLD_DISTRIBUTION = "riff-api"
STAMP = VENV / f".{DISTRIBUTION}-installed"


def _wanted_stamp() -> str:
    digest = hashlib.sha256()
    # The version file too: the installed metadata (importlib.metadata) holds the version.
    for name in ("pyproject.toml", "requirements.lock", "riff_api/_version.py"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def _old_editable_install() -> bool:
    """Whether this venv still holds the project under its old distribution name."""
    for record in VENV.glob("lib/python3.*/site-packages/riff_api-*.dist-info/direct_url.json"):
        if json.loads(record.read_text()).get("url") == ROOT.as_uri():
            return True
    return False


def _in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def install(quiet: bool = True) -> None:
    """Create the venv if needed and install the project into it when stale."""
    if sys.version_info < (3, 11):  # noqa: UP036  the check is for whoever runs it by hand
        sys.exit(f"riff_api needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not VENV_PYTHON.exists():
        print(f"[setup] creating {VENV}", file=sys.stderr, flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = _wanted_stamp()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    pip = [str(VENV_PYTHON), "-m", "pip"]
    options = ["--disable-pip-version-check", *(["--quiet"] if quiet else [])]
    if _old_editable_install():
        # Both names would own riff_api/ and the riff command: drop the old one first.
        print(f"[setup] uninstalling the old name {_OLD_DISTRIBUTION}", file=sys.stderr, flush=True)
        subprocess.run([*pip, "uninstall", *options, "-y", _OLD_DISTRIBUTION], check=True)
    print(
        f"[setup] installing {DISTRIBUTION}[dev] pinned by requirements.lock",
        file=sys.stderr,
        flush=True,
    )
    subprocess.run(
        [*pip, "install", *options, "-c", str(ROOT / "requirements.lock"), "-e", f"{ROOT}[dev]"],
        check=True,
        cwd=ROOT,
    )
    STAMP.write_text(wanted)


def ensure_venv() -> None:
    """Re-run the calling script under the project's venv, installing it first if needed."""
    if _in_venv():
        return
    install()
    os.execv(VENV_PYTHON, [str(VENV_PYTHON), sys.argv[0], *sys.argv[1:]])


def tool(name: str) -> str:
    """Path of a console script installed in the project's venv."""
    return str(VENV / "bin" / name)
