"""The API reference builds with no warning, covers the public surface, and the check can fail.

``scripts/docs`` runs mkdocs with ``--strict``, so any warning fails the build. These tests
run it as a developer or CI would, read the inventory mkdocstrings writes (``objects.inv``,
one line per documented object) to see that every public name is there, and build a copy
of the project whose one docstring names nothing, which must fail.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: The public modules whose ``__all__`` the reference must document, every name of it.
PUBLIC = ("riff_api", "riff_api.testing", "riff_api.emulator", "riff_api.cli")

pytestmark = pytest.mark.slow


def build(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """``scripts/docs --out OUT`` run in ``root`` (the project, or a copy of it), in this venv."""
    return subprocess.run(
        [sys.executable, str(root / "scripts" / "docs"), "--out", str(out)],
        cwd=root,
        env={**os.environ, "RIFF_API_VENV": sys.prefix},
        capture_output=True,
        text=True,
        timeout=600,
    )


def inventory(site: Path) -> set[str]:
    """The names in a site's ``objects.inv`` (a four-line header, then zlib-packed lines)."""
    packed = (site / "objects.inv").read_bytes().split(b"\n", 4)[4]
    return {line.split(" ", 1)[0] for line in zlib.decompress(packed).decode().splitlines()}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = build(ROOT, out)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def test_the_reference_builds_without_a_warning(site: Path) -> None:
    assert (site / "index.html").is_file()
    for page in ("riff_api", "testing", "emulator", "cli"):
        assert (site / "reference" / page / "index.html").is_file(), page


@pytest.mark.parametrize("module_name", PUBLIC)
def test_every_public_name_is_documented(site: Path, module_name: str) -> None:
    documented = inventory(site)
    module = importlib.import_module(module_name)
    # __version__ and the like are shown in the text, not as entries.
    names = [name for name in module.__all__ if not name.startswith("__")]
    assert names
    missing = [name for name in names if f"{module_name}.{name}" not in documented]
    assert not missing, f"not in the API reference: {missing}"


def test_the_cli_page_has_each_commands_help(site: Path) -> None:
    page = (site / "reference" / "cli" / "index.html").read_text()
    top = subprocess.run(
        [sys.executable, "-m", "riff_api.cli", "--help"], capture_output=True, text=True
    )
    assert "usage: riff [-h]" in page
    for command in ("topic", "riff", "batch", "serve"):
        assert command in top.stdout
        assert f"usage: riff {command} " in page, command


def test_the_changelog_is_on_the_site(site: Path) -> None:
    page = (site / "changelog" / "index.html").read_text()
    first_release = next(
        line for line in (ROOT / "CHANGELOG.md").read_text().splitlines() if line.startswith("## [")
    )
    assert first_release.removeprefix("## ") in page


def test_a_docstring_naming_nothing_fails_the_build(tmp_path: Path) -> None:
    """The strict build is a real check: one broken reference in a docstring fails it."""
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", ".venv", "site", ".cache")
    for name in ("mkdocs.yml", "CHANGELOG.md"):
        copy.mkdir(exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    for folder in ("docs", "riff_api", "generated", "scripts"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=ignore)
    testing = copy / "riff_api" / "testing" / "__init__.py"
    text = testing.read_text()
    assert ":func:`run_emulator`" in text
    testing.write_text(text.replace(":func:`run_emulator`", ":func:`run_the_emulator`", 1))

    done = build(copy, tmp_path / "site")
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "run_the_emulator" in output
    assert "strict mode" in output
