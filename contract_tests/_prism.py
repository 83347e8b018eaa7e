"""Prism (Stoplight's OpenAPI mock and validating proxy): installed on demand, run on loopback.

Prism is a second, independent reading of the spec. As a mock it validates every request
against the spec before answering (a 4xx and an ``sl-violations`` header mean our client sent
something the spec forbids); as a proxy in front of a backend it validates every answer.

Installation: ``npm ci`` of ``contract_tests/prism/package-lock.json`` (an exact Prism version
and its whole dependency tree) into the git-ignored ``.cache/prism``, done once and redone only
when the lock file changes. No install script runs (``--ignore-scripts``: Prism needs none, and
one of its dependencies would otherwise send usage analytics). ``RIFF_CONTRACT_PRISM`` may name
an existing ``prism`` executable instead.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contract_tests._servers import (
    LOOPBACK,
    ServerProcess,
    free_port,
    start_process,
    stop_process,
    wait_until,
)
from contract_tests._spec import ROOT, SpecDocument

__all__ = [
    "PRISM_VERSION",
    "PrismServer",
    "PrismUnavailable",
    "Violation",
    "ensure_prism",
    "parse_violations",
    "prism_server",
]

_PACKAGE_DIR = Path(__file__).resolve().parent / "prism"
CACHE_DIR = Path(os.environ.get("RIFF_CONTRACT_PRISM_DIR", ROOT / ".cache" / "prism"))
PRISM_VERSION = json.loads((_PACKAGE_DIR / "package.json").read_text())["dependencies"][
    "@stoplight/prism-cli"
]
_MIN_NODE = (18, 20, 1)
_INSTALL_TIMEOUT_S = 600.0
_READY = "Prism is listening"
_VIOLATION = re.compile(r"Violation: (\S+) (.*)")


class PrismUnavailable(RuntimeError):
    """Prism cannot be installed or started here; the message says why."""


def _npm_env() -> dict[str, str]:
    return {
        **os.environ,
        "SCARF_ANALYTICS": "false",
        "npm_config_fund": "false",
        "npm_config_audit": "false",
        "npm_config_update_notifier": "false",
    }


def _node_version(node: str) -> tuple[int, ...]:
    result = subprocess.run(
        [node, "--version"], capture_output=True, text=True, check=True, timeout=30
    )
    return tuple(int(part) for part in result.stdout.strip().lstrip("v").split(".")[:3])


def _stamp() -> str:
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((_PACKAGE_DIR / name).read_bytes())
    return digest.hexdigest()


def ensure_prism() -> list[str]:
    """The command that runs Prism (``[node, prism.js]``), installing it first if needed."""
    explicit = os.environ.get("RIFF_CONTRACT_PRISM")
    if explicit:
        if not Path(explicit).is_file():
            raise PrismUnavailable(f"RIFF_CONTRACT_PRISM={explicit} is not a file")
        return [explicit]
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise PrismUnavailable("Prism needs Node.js and npm on PATH (https://nodejs.org)")
    version = _node_version(node)
    if version < _MIN_NODE:
        raise PrismUnavailable(
            f"Prism {PRISM_VERSION} needs Node.js >= {'.'.join(map(str, _MIN_NODE))}, "
            f"found {'.'.join(map(str, version))}"
        )
    entry = CACHE_DIR / "node_modules" / "@stoplight" / "prism-cli" / "dist" / "index.js"
    stamp_file = CACHE_DIR / ".installed"
    wanted = _stamp()
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    # One install at a time, even with several test processes (pytest-xdist) or runs at once.
    with (CACHE_DIR.parent / "prism.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (entry.is_file() and stamp_file.is_file() and stamp_file.read_text() == wanted):
            _install(npm, stamp_file, wanted)
    if not entry.is_file():
        raise PrismUnavailable(f"npm ci finished but {entry} is missing")
    return [node, str(entry)]


def _install(npm: str, stamp_file: Path, wanted: str) -> None:
    stamp_file.unlink(missing_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(_PACKAGE_DIR / name, CACHE_DIR / name)
    command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", str(CACHE_DIR)]
    try:
        result = subprocess.run(
            command,
            cwd=CACHE_DIR,
            env=_npm_env(),
            capture_output=True,
            text=True,
            timeout=_INSTALL_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PrismUnavailable(
            f"`npm ci` of Prism took longer than {_INSTALL_TIMEOUT_S:g} s"
        ) from None
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()[-15:]
        raise PrismUnavailable(
            f"`{' '.join(command)}` failed ({result.returncode}); is the npm registry reachable?\n"
            + "\n".join(output)
        )
    stamp_file.write_text(wanted)


@dataclass(frozen=True)
class Violation:
    """One thing Prism found against the spec: where (``request.body.x``, ``response``...), what."""

    location: str
    message: str

    @property
    def in_response(self) -> bool:
        return self.location.startswith("response")


def parse_violations(header: str | None) -> list[Violation]:
    """The violations of an ``sl-violations`` header (a JSON list), if any."""
    if not header:
        return []
    items: list[dict[str, Any]] = json.loads(header)
    return [
        Violation(
            ".".join(str(part) for part in item.get("location", [])), str(item.get("message", ""))
        )
        for item in items
    ]


@dataclass
class PrismServer:
    """A running Prism of one document; ``url`` takes its paths as the spec writes them
    (``/compose``, without the server's ``/api/v1``)."""

    server: ServerProcess
    url: str
    document: SpecDocument

    @property
    def pid(self) -> int:
        return self.server.pid

    def log_offset(self) -> int:
        return self.server.log_size()

    def violations_since(self, offset: int) -> list[Violation]:
        """Violations Prism logged after byte ``offset`` of its log."""
        found = []
        for line in self.server.log(offset).splitlines():
            match = _VIOLATION.search(line)
            if match:
                found.append(Violation(match.group(1), match.group(2).strip()))
        return found


@contextlib.contextmanager
def prism_server(
    mode: str, document: SpecDocument, *extra: str, upstream: str | None = None
) -> Iterator[PrismServer]:
    """``prism mock`` (or ``prism proxy`` to ``upstream``) of ``document`` on a free loopback
    port."""
    command = ensure_prism()
    attempts = 3
    for attempt in range(attempts):
        port = free_port()
        args = [*command, mode, str(document.path)]
        if upstream is not None:
            args.append(upstream)
        args += ["--port", str(port), "--host", LOOPBACK, *extra]
        server = start_process(args, name=f"prism-{mode}", env=_npm_env())
        try:
            wait_until(server, _READY)
        except RuntimeError as exc:
            stop_process(server)
            # Another process may have taken the port between free_port() and Prism's bind.
            if "EADDRINUSE" in str(exc) and attempt + 1 < attempts:
                continue
            raise PrismUnavailable(f"Prism did not start: {exc}") from None
        try:
            yield PrismServer(server=server, url=f"http://{LOOPBACK}:{port}", document=document)
        finally:
            stop_process(server)
        return
