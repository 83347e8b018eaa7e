"""Start-up and the second generation, for ``scripts/bench`` (sections ``startup`` and ``gen2``).

Start-up is measured as users meet it: real installs (a wheel of this tree, not the editable
dev install) with their bytecode compiled, runtime dependencies only, each client in a venv
of its own. The machines here set PYTHONDONTWRITEBYTECODE=1, so an install without compiled
bytecode would measure the compiler on every import. Every figure is the median over
processes started one after the other, ours and the official client's taking turns.

- ``import riff_api``: wall time and peak RSS of ``python -c "import riff_api"``, against
  riff-api 0.1.5 (whose ``import riff_api`` loads requests and pydantic);
- the pytest plugin's toll: a one-test pytest session with the plugin minus without it
  (``-p no:riff_api``);
- ``riff --help``;
- ``gen2``: CPU per ``RiffAPIClient.compose`` + save against a local server answering a 30 s
  second-generation song, the same code run on riff_api and on the official riff-api 0.4.2.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["section_gen2", "section_startup"]

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"
OFFICIAL_START = "0.1.5"
OFFICIAL_GEN2 = "0.4.2"
GOAL_IMPORT_TIME = 0.7
GOAL_IMPORT_RSS = 0.85
GOAL_PLUGIN_S = 0.03
GOAL_HELP_S = 0.15

# The peak RSS is VmHWM, not ru_maxrss: Linux carries ru_maxrss through fork and exec, so a
# process started by a big parent reported the parent's size (169 MiB for both clients, once).
_IMPORT = (
    "import riff_api; print(next(int(l.split()[1]) / 1024 for l in open('/proc/self/status')"
    " if l.startswith('VmHWM:')))"
)
# What the lazy package defers is paid on first use: a client made, every module a call needs.
_FIRST_USE = (
    "import time; t = time.perf_counter(); import riff_api; riff_api.Riffusion(api_key='k'); "
    "ms = (time.perf_counter() - t) * 1000; print(ms, next(int(l.split()[1]) / 1024 for l in "
    "open('/proc/self/status') if l.startswith('VmHWM:')))"
)
# All the plugin does when a session starts is to be imported; pytest's own modules are in.
_PLUGIN = (
    "import time, pytest, _pytest.fixtures, _pytest.python; t = time.perf_counter(); "
    "import riff_api.testing.plugin; print((time.perf_counter() - t) * 1000)"
)


def _install_env() -> dict[str, str]:
    # pip compiles what it installs unless bytecode writing is switched off, as it is here.
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}


def _venv(path: Path, stamp: str, install: Sequence[str]) -> Path:
    python = path / "bin" / "python"
    marker = path / ".bench-stamp"
    if python.exists() and marker.exists() and marker.read_text() == stamp:
        return python
    print(f"[bench] preparing {path.relative_to(ROOT)} (once)", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(path)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--compile", *install], check=True, env=_install_env(), cwd=ROOT)
    marker.write_text(stamp)
    return python


def _tree_digest() -> str:
    digest = hashlib.sha256()
    for folder in ("riff_api", "generated"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    for name in ("pyproject.toml", "requirements.lock"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ours_installed() -> Path:
    """A venv with a wheel of this tree, its runtime dependencies and pytest, compiled."""
    stamp = _tree_digest()
    path = CACHE / "bench-venv-start"
    python = path / "bin" / "python"
    marker = path / ".bench-stamp"
    if python.exists() and marker.exists() and marker.read_text() == stamp:
        return python
    with tempfile.TemporaryDirectory(prefix="riff-bench-wheel-") as folder:
        subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", folder],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        (wheel,) = Path(folder).glob("*.whl")
        pytest_pin = next(
            line.strip()
            for line in (ROOT / "requirements.lock").read_text().splitlines()
            if line.startswith("pytest==")
        )
        lock = ["-c", str(ROOT / "requirements.lock")]
        return _venv(path, stamp, [*lock, str(wheel), pytest_pin])


def official_installed(version: str) -> Path:
    """A venv with the official riff-api ``version`` from PyPI, compiled."""
    return _venv(CACHE / f"bench-venv-official-{version}", version, [f"riff-api=={version}"])


def _timed(cmd: Sequence[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} failed: {done.stderr.strip()[-300:]}")
    return elapsed, done.stdout


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RIFF", "PYTHONPATH"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # as these machines run; the bytecode is installed
    return env


def _fields(output: str) -> list[str]:
    return output.split()


def _alternating(runs: int, measures: dict[str, Callable[[], Any]]) -> dict[str, list[Any]]:
    """Each measure ``runs`` times, taking turns, so that load drifts hit them alike."""
    found: dict[str, list[Any]] = {name: [] for name in measures}
    for _ in range(runs):
        for name, measure in measures.items():
            found[name].append(measure())
    return found


def section_startup(runs: int, row: Callable[..., Any]) -> list[Any]:
    """Rows for ``import riff_api``, the pytest plugin's toll and ``riff --help``."""
    ours, official = ours_installed(), official_installed(OFFICIAL_START)
    env = _clean_env()
    with tempfile.TemporaryDirectory(prefix="riff-bench-start-") as folder:
        work = Path(folder)
        (work / "test_one.py").write_text("def test_one():\n    assert True\n")
        session = [str(ours), "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_one.py"]
        riff = str(ours.parent / "riff")
        found = _alternating(
            runs,
            {
                "ours": lambda: _timed([str(ours), "-c", _IMPORT], work, env),
                "official": lambda: _timed([str(official), "-c", _IMPORT], work, env),
                "with": lambda: _timed(session, work, env)[0],
                "without": lambda: _timed([*session, "-p", "no:riff_api"], work, env)[0],
                "first": lambda: _fields(_timed([str(ours), "-c", _FIRST_USE], work, env)[1]),
                "plugin": lambda: float(_timed([str(ours), "-c", _PLUGIN], work, env)[1]),
                "help": lambda: _timed([riff, "--help"], work, env)[0],
            },
        )
    times = {k: statistics.median(t for t, _ in found[k]) * 1000 for k in ("ours", "official")}
    rss = {k: statistics.median(float(out) for _, out in found[k]) for k in ("ours", "official")}
    toll = statistics.median(a - b for a, b in zip(found["with"], found["without"], strict=True))
    first_ms = statistics.median(float(ms) for ms, _ in found["first"])
    first_rss = statistics.median(float(mib) for _, mib in found["first"])
    plugin_ms = statistics.median(found["plugin"])
    quartiles = statistics.quantiles(found["without"], n=4) if runs > 1 else [0.0, 0.0, 0.0]
    spread_ms = (quartiles[2] - quartiles[0]) * 1000
    help_s = statistics.median(found["help"])
    n = f"median of {runs} processes"
    return [
        row("startup", f"import riff_api, ms ({n}; compiled installs)", times, GOAL_IMPORT_TIME),
        row("startup", f"import riff_api, peak RSS MiB ({n})", rss, GOAL_IMPORT_RSS),
        # Against the official import, which loads everything a call needs up front.
        row(
            "startup",
            f"import riff_api + make a client (its first use), ms ({n})",
            {"ours": first_ms, "official": times["official"]},
            None,
        ),
        row(
            "startup",
            f"import riff_api + make a client, peak RSS MiB ({n})",
            {"ours": first_rss, "official": rss["official"]},
            None,
        ),
        row(
            "startup",
            f"the plugin's toll on a pytest session: its import, pytest loaded, ms ({n})",
            {"ours": plugin_ms},
            None,
            goal=f"<= {GOAL_PLUGIN_S * 1000:g} ms",
            met=plugin_ms <= GOAL_PLUGIN_S * 1000,
        ),
        row(
            "startup",
            f"a one-test pytest session, with the plugin minus without, ms ({n}; the "
            f"sessions' own spread, interquartile: {spread_ms:.0f} ms)",
            {"ours": toll * 1000},
            None,
        ),
        row(
            "startup",
            f"riff --help, ms ({n})",
            {"ours": help_s * 1000},
            None,
            goal=f"<= {GOAL_HELP_S * 1000:g} ms",
            met=help_s <= GOAL_HELP_S,
        ),
    ]


def section_gen2(
    reps: int,
    calls: int,
    warmup: int,
    ours_python: Path,
    worker: Callable[..., dict[str, Any]],
    started: Callable[..., Any],
    row: Callable[..., Any],
) -> list[Any]:
    """CPU, wall and peak RSS per compose + save: riff_api against the official riff-api 0.4.2."""
    official = official_installed(OFFICIAL_GEN2)
    server = [
        sys.executable,
        str(Path(__file__).with_name("fixed_server.py")),
        *("--port", "0", "--seconds", "30", "--gen2"),
    ]
    args = ("--calls", str(calls), "--warmup", str(warmup))
    found: dict[str, dict[str, float]] = {"cpu": {}, "wall": {}, "peak": {}}
    with started(server) as url:
        for kind, python in (("ours", ours_python), ("official", official)):
            runs = [worker(python, "compose", url, *args) for _ in range(reps)]
            found["cpu"][kind] = statistics.median(ms for r in runs for ms in r["cpu_ms"])
            found["wall"][kind] = statistics.median(ms for r in runs for ms in r["wall_ms"])
            found["peak"][kind] = statistics.median(r["peak_rss_mib"] for r in runs)
    n = reps * calls
    against = f"official: riff-api {OFFICIAL_GEN2}"
    return [
        row("gen2", f"CPU per compose+save, ms (median of {n}; {against})", found["cpu"], None),
        row("gen2", f"wall per compose+save, ms (median of {n}; {against})", found["wall"], None),
        row("gen2", f"peak RSS, MiB (median of {reps}; {against})", found["peak"], None),
    ]
