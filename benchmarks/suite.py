"""The benchmark suite behind ``scripts/bench``: runs the sections, prints one markdown table.

Every figure is a median, set against the official client (riff-api 0.1.5) measured in the
same run, next to the goal it is held to. Goals are reported, never asserted.

Sections (``--only``):
  client    CPU and wall time per call and peak RSS: ours, official, raw httpx, each in a
            subprocess of its own against a local server answering a fixed 30 s wav song;
            the async client's CPU per call against the sync one's; 16 songs in flight
  rss       RSS growth over many consecutive calls with one client
  batch     64 songs from the emulator at 1 s latency: ours 16 in flight vs official
  emulator  the emulator's synthesis + encoding of a 30 s song, per format, and one
            riff serve under load (songs/s one at a time and 16 in flight, its memory)
  startup   import riff_api, the pytest plugin's toll and riff --help, on compiled installs
            (benchmarks/startup.py)
  gen2      a second-generation song (RiffAPIClient.compose + save): ours against riff-api
            0.4.2, the same code in both

The official client runs in ``.cache/bench-venv``; ours and raw httpx run in
``.cache/bench-venv-start``: a compiled wheel of this tree with only its runtime dependencies
(the project's dev venv also has rich and click, which httpx imports when present, adding
~6 MiB that a user's install would not have). The venvs are made on first use; when the wheel
cannot be built, ours falls back to an editable venv, or to the dev venv, and the table says
so. ``floor`` rows show what the least a call can cost would score, next to missed goals.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import startup

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
CACHE = ROOT / ".cache"
OFFICIAL_VERSION = "0.1.5"
SECTIONS = ("client", "tls", "rss", "batch", "emulator", "startup", "gen2")


@dataclass
class Row:
    """One line of the table; numbers are already medians."""

    section: str
    measure: str
    ours: float | None
    official: float | None = None
    raw: float | None = None
    goal: str = "—"
    #: Whether the goal is met, from ours and official; None when there is no goal.
    met: bool | None = None
    ratio: float | None = None
    #: Decimals of ``ours`` in the table (a ratio next to its goal needs two).
    digits: int = 1


@dataclass
class Plan:
    """How much to measure: the full run, or ``--quick`` for a smoke test."""

    reps: int = 3
    calls: int = 10
    warmup: int = 2
    growth_calls: int = 200
    songs: int = 64
    official_songs: int = 64
    concurrency: int = 16
    latency_s: float = 1.0
    emulator_repeats: int = 5
    serve_repeats: int = 3
    #: Run ours and raw httpx in the running interpreter rather than a clean venv.
    dev_venv: bool = False
    #: Processes per start-up measure.
    startup_runs: int = 15
    notes: list[str] = field(default_factory=list)
    #: Figures one section leaves for another (ours' CPU per call over http, for tls).
    measured: dict[str, float] = field(default_factory=dict)

    @classmethod
    def quick(cls) -> Plan:
        return cls(
            reps=1,
            calls=3,
            warmup=1,
            growth_calls=6,
            songs=8,
            official_songs=2,
            concurrency=4,
            latency_s=0.2,
            emulator_repeats=1,
            serve_repeats=1,
            dev_venv=True,
            startup_runs=2,
        )


# -- interpreters ------------------------------------------------------------------------------


def _run_quiet(cmd: Sequence[str]) -> bool:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        print(f"[bench] {' '.join(cmd[:4])}... failed: {' | '.join(tail)}", file=sys.stderr)
    return done.returncode == 0


def _venv(path: Path, stamp: str, install: Sequence[str]) -> Path | None:
    """A venv at ``path`` with ``install`` (pip arguments) done; redone when ``stamp`` changes."""
    python = path / "bin" / "python"
    marker = path / ".bench-stamp"
    if python.exists() and marker.exists() and marker.read_text() == stamp:
        return python
    print(f"[bench] preparing {path.relative_to(ROOT)} (once)", file=sys.stderr, flush=True)
    if not python.exists() and not _run_quiet([sys.executable, "-m", "venv", str(path)]):
        return None
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if not _run_quiet([*pip, *install]):
        return None
    marker.write_text(stamp)
    return python


def official_python() -> Path | None:
    """The interpreter of the side venv holding riff-api 0.1.5 from PyPI (made on first use)."""
    return _venv(CACHE / "bench-venv", OFFICIAL_VERSION, [f"riff-api=={OFFICIAL_VERSION}"])


def ours_python(plan: Plan) -> Path:
    """An interpreter with riff_api installed as a user installs it: a wheel of this tree,
    compiled, with only its runtime dependencies (``startup.ours_installed``).

    An editable install is not compiled here (PYTHONDONTWRITEBYTECODE=1), and compiling
    riff_api on every start added ~2 MiB to a call's peak RSS. ``--quick`` uses the running
    interpreter instead: a smoke run should not install anything.
    """
    if plan.dev_venv:
        return Path(sys.executable)
    try:
        return startup.ours_installed()
    except (OSError, subprocess.CalledProcessError):
        pass
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "requirements.lock"):
        digest.update((ROOT / name).read_bytes())
    python = _venv(
        CACHE / "bench-venv-ours",
        digest.hexdigest(),
        ["-c", str(ROOT / "requirements.lock"), "-e", str(ROOT)],
    )
    if python is None:
        plan.notes.append(
            "ours and raw httpx ran in the dev venv (the clean venv could not be made)"
        )
        return Path(sys.executable)
    plan.notes.append("ours ran from an editable install (a wheel could not be built)")
    return python


# -- processes ---------------------------------------------------------------------------------


@contextlib.contextmanager
def started_process(
    cmd: Sequence[str], env: dict[str, str] | None = None
) -> Iterator[tuple[str, int]]:
    """Start a server whose first stdout line is its URL; yield (URL, pid); stop it by pid."""
    process = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env, start_new_session=True
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http"):
            raise RuntimeError(f"{cmd[1]} did not print its URL (got {url!r})")
        yield url, process.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


@contextlib.contextmanager
def started(cmd: Sequence[str], env: dict[str, str] | None = None) -> Iterator[str]:
    """:func:`started_process`, yielding only the URL."""
    with started_process(cmd, env) as (url, _):
        yield url


def worker(
    python: Path,
    kind: str,
    url: str,
    *args: str,
    key: str = "bench-key",
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run benchmarks/client_worker.py in a fresh process and return its JSON result."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "RIFF_API_LOG")},
        **(env or {}),
    }
    env["BENCH_API_KEY"] = key
    cmd = [str(python), str(HERE / "client_worker.py"), kind, "--url", url, *args]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env, cwd="/")
    if done.returncode != 0:
        raise RuntimeError(f"{kind} worker failed: {done.stderr.strip()[-400:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- sections ----------------------------------------------------------------------------------


Pythons = dict[str, Path | None]
_SERVER = [sys.executable, str(HERE / "fixed_server.py"), "--port", "0", "--seconds", "30"]


def _per_call(
    plan: Plan, pythons: Pythons, url: str, env: dict[str, str] | None = None
) -> dict[str, dict[str, float | None]]:
    """Each client's median CPU and wall per call and median peak RSS, against ``url``."""
    found: dict[str, dict[str, float | None]] = {"cpu": {}, "wall": {}, "peak": {}}
    args = ("--calls", str(plan.calls), "--warmup", str(plan.warmup))
    for kind, python in pythons.items():
        if python is None:
            for values in found.values():
                values[kind] = None
            continue
        runs = [worker(python, kind, url, *args, env=env) for _ in range(plan.reps)]
        found["cpu"][kind] = statistics.median(ms for run in runs for ms in run["cpu_ms"])
        found["wall"][kind] = statistics.median(ms for run in runs for ms in run["wall_ms"])
        found["peak"][kind] = statistics.median(run["peak_rss_mib"] for run in runs)
    return found


def section_client(plan: Plan, pythons: Pythons) -> list[Row]:
    """CPU and wall per call (medians over all calls) and peak RSS (median over processes);
    the async client's CPU per call against the sync one's; 16 songs in flight at once."""
    ours = pythons["ours"]
    with started(_SERVER) as url:
        found = _per_call(plan, pythons, url)
        args = ("--calls", str(plan.calls), "--warmup", str(plan.warmup))
        extra: list[Row] = []
        sync_cpu = found["cpu"].get("ours")
        n_calls = plan.reps * plan.calls
        if ours is not None and sync_cpu:
            plan.measured["ours_http_cpu"] = sync_cpu
            runs = [worker(ours, "ours-async", url, *args) for _ in range(plan.reps)]
            async_cpu = statistics.median(ms for run in runs for ms in run["cpu_ms"])
            paired_sync = statistics.median(ms for run in runs for ms in run["sync_cpu_ms"])
            ratio = async_cpu / paired_sync
            extra.append(
                Row(
                    "client",
                    f"async CPU per call / sync CPU per call, in turns in one process (async "
                    f"{async_cpu:.1f} ms, sync {paired_sync:.1f} ms; medians of {n_calls})",
                    ratio,
                    goal="<= 1.15x",
                    met=ratio <= 1.15,
                    digits=2,
                )
            )
            inflight = [
                worker(ours, "ours-inflight", url, "--concurrency", str(plan.concurrency))
                for _ in range(plan.reps)
            ]
            grown = statistics.median(r["peak_rss_mib"] - r["baseline_mib"] for r in inflight)
            audio_mib = inflight[0]["audio_bytes"] / (1024 * 1024)
            limit = plan.concurrency * 1.5 * audio_mib
            extra.append(
                Row(
                    "client",
                    f"{plan.concurrency} songs in flight (async): peak RSS above the import "
                    f"baseline, MiB (median of {plan.reps}; audio {audio_mib:.1f} MiB each)",
                    grown,
                    goal=f"<= {limit:.0f} MiB",
                    met=grown <= limit,
                )
            )
        extra += _floor_rows(plan, ours, url, "client", found, memory=True)
    n = plan.reps * plan.calls
    return [
        _versus("client", f"CPU per create+save, ms (median of {n})", found["cpu"], 0.4, "ms"),
        _versus("client", f"wall per create+save, ms (median of {n})", found["wall"], None, "ms"),
        _versus(
            "client", f"peak RSS, MiB (median of {plan.reps} processes)", found["peak"], 0.65, "MiB"
        ),
        *extra,
    ]


def section_tls(plan: Plan, pythons: Pythons) -> list[Row]:
    """CPU and wall per call over https to 127.0.0.1: TLS hands the body over in 16 KiB records."""
    if shutil.which("openssl") is None:
        raise RuntimeError("needs the openssl command to make a self-signed certificate")
    with tempfile.TemporaryDirectory(prefix="riff-bench-tls-") as folder:
        cert, key = Path(folder) / "cert.pem", Path(folder) / "key.pem"
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
                *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
                *("-keyout", str(key), "-out", str(cert)),
            ],
            check=True,
            capture_output=True,
        )
        # Each client trusts the certificate through its library's own variable.
        trust = {"SSL_CERT_FILE": str(cert), "REQUESTS_CA_BUNDLE": str(cert)}
        with started([*_SERVER, "--tls", str(cert), str(key)]) as url:
            found = _per_call(plan, pythons, url, env=trust)
            floor = _floor_rows(plan, pythons["ours"], url, "tls", found, env=trust)
    n = plan.reps * plan.calls
    cpu, wall = found["cpu"], found["wall"]
    rows = [
        _versus("tls", f"CPU per create+save over https, ms (median of {n})", cpu, 0.2, "ms"),
        _versus("tls", f"wall per create+save over https, ms (median of {n})", wall, None, "ms"),
    ]
    http, https = plan.measured.get("ours_http_cpu"), cpu.get("ours")
    if http and https:
        ratio = https / http
        rows.append(
            Row(
                "tls",
                f"ours: CPU per call over https / over http ({https:.1f} / {http:.1f} ms)",
                ratio,
                goal="<= 1.5x",
                met=ratio <= 1.5,
                digits=2,
            )
        )
    return rows + floor


def _floor_rows(
    plan: Plan,
    python: Path | None,
    url: str,
    section: str,
    found: dict[str, dict[str, float | None]],
    *,
    memory: bool = False,
    env: dict[str, str] | None = None,
) -> list[Row]:
    """What the least a call can cost would score, for the goals a row may miss: the
    ``floor`` worker's CPU (a raw socket into one buffer, one decode, one write), and its
    memory floor (our dependencies' import baseline plus the audio, which a call returns)."""
    if python is None:
        return []
    args = ("--calls", str(plan.calls), "--warmup", str(plan.warmup))
    runs = [worker(python, "floor", url, *args, env=env) for _ in range(plan.reps)]
    cpu = statistics.median(ms for run in runs for ms in run["cpu_ms"])
    over = "over https " if section == "tls" else ""
    rows = [
        _versus(
            section,
            f"floor: CPU per call {over}(raw socket into one buffer, one pybase64 decode, one "
            "write), ms",
            {"ours": cpu, "official": found["cpu"].get("official")},
            None,
            "ms",
        )
    ]
    if memory:
        base = statistics.median(run["baseline_rss_mib"] for run in runs)
        audio = runs[0]["audio_bytes"] / (1024 * 1024)
        rows.append(
            _versus(
                section,
                f"floor: peak RSS = our dependencies' imports ({base:.1f}) + the audio "
                f"({audio:.1f}), MiB",
                {"ours": base + audio, "official": found["peak"].get("official")},
                None,
                "MiB",
            )
        )
    return rows


def section_rss(plan: Plan, pythons: Pythons) -> list[Row]:
    """RSS after the last of N calls minus RSS after the first, one process per client."""
    growth: dict[str, float | None] = {}
    with started(_SERVER) as url:
        for kind, python in pythons.items():
            if python is None:
                growth[kind] = None
                continue
            run = worker(python, kind, url, "--calls", str(plan.growth_calls), "--warmup", "0")
            growth[kind] = run["rss_mib"][-1] - run["rss_mib"][0]
    ours = growth["ours"]
    return [
        Row(
            "rss",
            f"RSS growth over {plan.growth_calls} calls, MiB (last minus first call)",
            ours,
            growth["official"],
            growth["raw"],
            goal="<= 5 MiB",
            met=None if ours is None else ours <= 5.0,
        )
    ]


@contextlib.contextmanager
def emulator(latency_s: float) -> Iterator[tuple[str, str]]:
    """The emulator in a subprocess on a free port: (base URL, API key)."""
    from riff_api.testing import run_emulator

    with run_emulator(latency_s=latency_s, duration_s=1.0, set_env=False) as server:
        yield server.base_url, server.api_key


def section_batch(plan: Plan, pythons: Pythons) -> list[Row]:
    """Songs per second for a batch at fixed latency: ours concurrent vs official sequential."""
    ours_py, official = pythons["ours"], pythons["official"]
    if ours_py is None:
        raise RuntimeError("no interpreter for ours")
    with emulator(plan.latency_s) as (url, key):
        walls = [
            worker(
                ours_py,
                "ours-batch",
                url,
                "--calls",
                str(plan.songs),
                "--concurrency",
                str(plan.concurrency),
                key=key,
            )["wall_s"]
            for _ in range(plan.reps)
        ]
        ours = plan.songs / statistics.median(walls)
        theirs = None
        if official is not None:
            run = worker(
                official,
                "official",
                url,
                "--calls",
                str(plan.official_songs),
                "--warmup",
                "0",
                key=key,
            )
            theirs = plan.official_songs / (sum(run["wall_ms"]) / 1000)
    measure = (
        f"{plan.songs} songs at {plan.latency_s:g} s latency, songs/s "
        f"(ours {plan.concurrency} in flight, median of {plan.reps}; official sequential)"
    )
    return [_versus("batch", measure, {"ours": ours, "official": theirs}, 12.0, "songs/s")]


def section_emulator(plan: Plan) -> list[Row]:
    """The emulator's synthesis + encoding of a 30 s song per format (benchmarks/emulator.py)."""
    try:
        from benchmarks.emulator import run
    except ImportError as exc:
        raise RuntimeError(f"benchmarks/emulator.py cannot run here ({exc})") from None
    rows = []
    for item in run(plan.emulator_repeats):
        total, goal = float(item["total_ms"]), float(item["goal_ms"])  # type: ignore[arg-type]
        measure = (
            f"synthesis + encode of a 30 s {item['format']}, ms (median of "
            f"{plan.emulator_repeats}: synth {item['synth_ms']} + encode {item['encode_ms']})"
        )
        rows.append(Row("emulator", measure, total, goal=f"<= {goal:g} ms", met=total <= goal))
    return rows + _serve_rows(plan)


def _serve_rows(plan: Plan) -> list[Row]:
    """One ``riff serve`` under load (benchmarks/serve.py): songs/s, their ratio, memory."""
    from benchmarks import serve

    found = serve.run(plan.serve_repeats)
    runs = f"median of {plan.serve_repeats}"
    workers = int(found["processes"]) - 1
    where = f"riff serve, {workers} render workers"
    ratio = found["ratio"]
    rss = found["rss_mib"]
    return [
        Row(
            "emulator",
            f"30 s wav songs/s one at a time ({where}; {runs} runs of {serve.SINGLE_SONGS}, "
            f"spread {found['single_spread']:.1f})",
            found["single_songs_s"],
        ),
        Row(
            "emulator",
            f"30 s wav songs/s, {serve.IN_FLIGHT} in flight ({runs} runs of "
            f"{serve.PARALLEL_SONGS}, spread {found['parallel_spread']:.1f})",
            found["parallel_songs_s"],
        ),
        Row(
            "emulator",
            f"30 s wav songs: {serve.IN_FLIGHT} in flight / one at a time (ratio of the medians)",
            ratio,
            goal=f">= {serve.GOAL_RATIO:g}x",
            met=ratio >= serve.GOAL_RATIO,
            digits=2,
        ),
        Row(
            "emulator",
            f"RSS of the server and its {workers} workers, MiB, settled after "
            f"{serve.PARALLEL_SONGS} songs at {serve.IN_FLIGHT} in flight (PSS "
            f"{found['pss_mib']:.0f})",
            rss,
            goal=f"<= {serve.GOAL_RSS_MIB:g} MiB",
            met=rss <= serve.GOAL_RSS_MIB,
        ),
    ]


def _row(
    section: str,
    measure: str,
    values: dict[str, float | None],
    ratio_goal: float | None,
    *,
    goal: str | None = None,
    met: bool | None = None,
) -> Row:
    """A row of another module's section: against the official client, or with its own goal."""
    if "official" in values:
        return _versus(section, measure, values, ratio_goal, "ms")
    return Row(section, measure, values.get("ours"), goal=goal or "—", met=met)


def _versus(
    section: str,
    measure: str,
    values: dict[str, float | None],
    goal: float | None,
    unit: str,
) -> Row:
    """A row whose goal is a ratio to the official client (at most, or at least for rates)."""
    ours, official = values.get("ours"), values.get("official")
    ratio = ours / official if ours is not None and official else None
    higher_is_better = unit.endswith("/s")
    row = Row(section, measure, ours, official, values.get("raw"), ratio=ratio)
    if goal is not None:
        row.goal = f">= {goal:g}x" if higher_is_better else f"<= {goal:g}x"
        if ratio is not None:
            row.met = ratio >= goal if higher_is_better else ratio <= goal
    return row


# -- output ------------------------------------------------------------------------------------


def _number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}" if abs(value) < 1000 else f"{value:.0f}"


def render(rows: Sequence[Row], plan: Plan, errors: Sequence[str], elapsed_s: float) -> str:
    """The markdown table, with what was measured where."""
    lines = [
        f"riff_api benchmarks, {time.strftime('%Y-%m-%d %H:%M')} — Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}",
        "",
        "| section | measure | ours | official 0.1.5 | raw httpx | ours / official | goal | met |",
        "|---|---|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "—"
        met = {True: "yes", False: "**no**", None: "—"}[row.met]
        lines.append(
            f"| {row.section} | {row.measure} | {_number(row.ours, row.digits)} "
            f"| {_number(row.official)} "
            f"| {_number(row.raw)} | {ratio} | {row.goal} | {met} |"
        )
    lines.append("")
    lines.extend(f"- {note}" for note in plan.notes)
    lines.extend(f"- section failed: {error}" for error in errors)
    lines.append(f"- whole run: {elapsed_s:.0f} s")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen sections and print the table; 1 if any section failed to run."""
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"sections, comma-separated: {SECTIONS}"
    )
    parser.add_argument("--quick", action="store_true", help="a fast smoke run (few calls)")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument(
        "--skip-official",
        action="store_true",
        help="do not install or run the official client (no ratios then)",
    )
    options = parser.parse_args(argv)
    chosen = [s.strip() for s in options.only.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {unknown}; choose from {SECTIONS}")
    plan = Plan.quick() if options.quick else Plan()
    if options.quick:
        plan.notes.append("--quick: a smoke run with few calls; the figures are not meaningful")
    official: Path | None = None
    if not options.skip_official and set(chosen) & {"client", "tls", "rss", "batch"}:
        official = official_python()
        if official is None:
            plan.notes.append(f"riff-api {OFFICIAL_VERSION} could not be installed: no ratios")
    elif options.skip_official:
        plan.notes.append("--skip-official: the official client was not run")

    pythons: Pythons = {}
    if set(chosen) & {"client", "tls", "rss", "batch"}:
        ours = ours_python(plan)  # once: each section would hash the lock and retry the venv
        pythons = {"ours": ours, "official": official, "raw": ours}
    runners: dict[str, Callable[[], list[Row]]] = {
        "client": lambda: section_client(plan, pythons),
        "tls": lambda: section_tls(plan, pythons),
        "rss": lambda: section_rss(plan, pythons),
        "batch": lambda: section_batch(plan, pythons),
        "emulator": lambda: section_emulator(plan),
        "startup": lambda: startup.section_startup(plan.startup_runs, _row),
        "gen2": lambda: startup.section_gen2(
            plan.reps, plan.calls, plan.warmup, ours_python(plan), worker, started, _row
        ),
    }
    started_at = time.monotonic()
    rows: list[Row] = []
    errors: list[str] = []
    for name in chosen:
        print(f"[bench] {name}...", file=sys.stderr, flush=True)
        try:
            rows.extend(runners[name]())
        except Exception as exc:  # one broken section must not hide the others' figures
            errors.append(f"{name}: {type(exc).__name__}: {exc}")
    table = render(rows, plan, errors, time.monotonic() - started_at)
    sys.stdout.write(table)
    if options.out is not None:
        options.out.write_text(table, encoding="utf-8")
    return 1 if errors else 0
