"""scripts/bench runs end to end and prints its table (a smoke run: no figure is checked)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_bench_prints_a_markdown_table(tmp_path: Path) -> None:
    out = tmp_path / "bench.md"
    sections = {"client", "rss", "batch", "emulator"}
    if shutil.which("openssl"):  # the tls section makes its certificate with it
        sections.add("tls")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench"),
            "--quick",
            "--skip-official",
            "--only",
            ",".join(sorted(sections)),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    table = done.stdout
    assert "| section | measure | ours | official 0.1.5 | raw httpx | ours / official |" in table
    seen = {line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ")}
    assert sections <= seen
    assert out.read_text(encoding="utf-8") == table


def test_unknown_sections_are_refused() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench"), "--only", "client,nonsense"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "unknown section(s) ['nonsense']" in done.stderr
