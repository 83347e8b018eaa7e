"""generated/ is what the pinned generators make of the spec, and the check notices drift."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from riff_api_generated import gen1 as riff_api_generated

ROOT = Path(__file__).resolve().parents[2]


def run_regenerate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "regenerate"), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_generated_is_up_to_date() -> None:
    done = run_regenerate("--check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "matches" in done.stdout


def test_check_reports_a_stale_file(tmp_path: Path) -> None:
    copy = tmp_path / "riff_api_generated"
    shutil.copytree(ROOT / "generated" / "riff_api_generated", copy)
    models = copy / "gen1" / "models.py"
    models.write_text(models.read_text().replace("Field(4.0, ge=-3.0", "Field(5.0, ge=-3.0"))
    (copy / "gen1" / "client" / "stray.py").write_text("x = 1\n")
    done = run_regenerate("--check", "--target", str(copy))
    assert done.returncode == 1
    assert "-    strength: float = Field(5.0, ge=-3.0, le=12.0)" in done.stdout
    assert "+    strength: float = Field(4.0, ge=-3.0, le=12.0)" in done.stdout
    assert "gen1/client/stray.py" in done.stdout
    assert "2 file(s) differ" in done.stdout


def test_every_generated_file_has_the_header() -> None:
    for path in (ROOT / "generated").rglob("*.py"):
        head = path.read_text().splitlines()[0]
        assert head.startswith("# Generated from spec/openapi"), path
        assert "by `scripts/regenerate`" in head, path


def test_package_carries_the_spec_and_its_hash() -> None:
    shipped = Path(riff_api_generated.__file__).with_name("openapi.yaml").read_bytes()
    assert shipped == (ROOT / "spec" / "openapi.yaml").read_bytes()
    assert hashlib.sha256(shipped).hexdigest() == riff_api_generated.SPEC_SHA256
