"""Everything ``riff`` takes from the outside world, and the client it reaches the service with.

The commands never touch ``sys.stdout``, ``os.environ`` or the network stack directly: they
go through an ``Environment``, so a test can hand in string buffers, a made-up environment
and an ``httpx.MockTransport`` and watch exactly what a run prints and sends. The key and
base URL come from the command line or the Environment's variables, never from
``os.environ`` behind its back.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO
from urllib.parse import urlsplit

from riff_api._defaults import API_KEY_ENV
from riff_api.cli._exit import UsageError

if TYPE_CHECKING:
    import httpx

    from riff_api._client import AsyncRiffusion

# httpx and the client load when a client is opened, not when a command line is parsed.

__all__ = ["Environment", "missing_emulator", "open_client"]


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):  # a closed or detached stream is no terminal
        return False


@dataclass
class Environment:
    """Streams, variables, working folder and (for tests) transport of one ``riff`` run.

    ``Environment()`` describes the real process; tests pass their own fields, e.g.
    ``Environment(stdout=io.StringIO(), environ={}, transport=httpx.MockTransport(handler))``.
    """

    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    #: Where ``-o -`` writes audio; the real stdout's byte stream by default.
    stdout_bytes: BinaryIO | None = None
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    cwd: Path = field(default_factory=Path.cwd)
    #: Whether stderr is a terminal: spinners and progress bars are drawn only then.
    stderr_isatty: bool | None = None
    #: Whether stdout is a terminal: ``-o -`` refuses to write audio onto one.
    stdout_isatty: bool | None = None
    #: The HTTP transport of the clients (e.g. ``httpx.MockTransport``); None: the network.
    transport: httpx.AsyncBaseTransport | None = None

    def __post_init__(self) -> None:
        if self.stderr_isatty is None:
            self.stderr_isatty = _isatty(self.stderr)
        if self.stdout_isatty is None:
            self.stdout_isatty = _isatty(self.stdout_bytes or self.stdout)

    @property
    def draws_progress(self) -> bool:
        """Whether to animate progress on stderr (a terminal, and the user did not opt out)."""
        return bool(self.stderr_isatty) and self.environ.get("TERM") != "dumb"

    def binary_stdout(self) -> BinaryIO:
        """The byte stream behind stdout, for audio written with ``-o -``."""
        if self.stdout_bytes is not None:
            return self.stdout_bytes
        buffer = getattr(self.stdout, "buffer", None)
        if buffer is None:
            raise OSError("stdout cannot take binary data here")
        self.stdout.flush()
        return buffer  # type: ignore[no-any-return]


#: The in-process emulator takes any key; this one never leaves the process.
_LOCAL_KEY = "local"
_LOCAL_ORIGIN = "http://127.0.0.1"


def _client_options(args: argparse.Namespace, env: Environment) -> dict[str, Any]:
    """Keyword arguments for a client from ``--api-key``, ``--base-url``, ``--timeout``..."""
    from riff_api._exceptions import MissingAPIKeyError
    from riff_api._operations import SERVICES

    options: dict[str, Any] = {"allow_insecure_http": args.allow_insecure_http}
    if args.timeout is not None:
        options["timeout"] = args.timeout
    if args.max_retries is not None:
        options["max_retries"] = args.max_retries
    if args.local:
        given = [
            o
            for o, v in (
                ("--api-key", args.api_key),
                ("--base-url", args.base_url),
                ("--api-url", args.api_url),
            )
            if v is not None
        ]
        if given:
            raise UsageError(f"--local runs without a service: leave out {' and '.join(given)}")
        options.update(api_key=_LOCAL_KEY)
        for service in SERVICES.values():
            options[service.argument] = _LOCAL_ORIGIN + urlsplit(service.default_url).path
        return options
    api_key = args.api_key if args.api_key is not None else env.environ.get(API_KEY_ENV)
    if not api_key:
        # Raised here rather than by the client, which would look at os.environ instead.
        raise MissingAPIKeyError("No API key")
    options["api_key"] = api_key
    for service in SERVICES.values():  # --base-url, --api-url
        given = getattr(args, service.argument)
        options[service.argument] = given or env.environ.get(service.env) or service.default_url
    return options


def missing_emulator(what: str, exc: ImportError) -> str:
    """One line for a missing extra: the module that is missing, and the install command once."""
    missing = exc.name or getattr(exc.__cause__, "name", None) or "a module of the extra"
    return f"{what} needs the emulator's dependencies ({missing} is missing): {_INSTALL_EMULATOR}"


_INSTALL_EMULATOR = "pip install 'riffusion-client[emulator]'"


def _emulator_transport() -> httpx.AsyncBaseTransport:
    """The emulator's ASGI app, called in-process (the ``emulator`` extra is needed).

    httpx's own ASGITransport rather than Starlette's TestClient: TestClient is moving to
    the httpx2 fork, whose client our httpx-typed clients could not take.
    """
    import httpx

    try:
        from riff_api.emulator import EmulatorSettings, create_app
    except ImportError as exc:
        raise UsageError(missing_emulator("--local", exc)) from None
    return httpx.ASGITransport(app=create_app(EmulatorSettings()))


@contextlib.asynccontextmanager
async def open_client(args: argparse.Namespace, env: Environment) -> AsyncIterator[AsyncRiffusion]:
    """The client for this command line (service, emulator or test transport), closed on exit."""
    import httpx

    from riff_api._base_client import DEFAULT_LIMITS
    from riff_api._client import AsyncRiffusion

    options = _client_options(args, env)
    transport = _emulator_transport() if args.local else env.transport
    if transport is not None:
        async with httpx.AsyncClient(transport=transport, limits=DEFAULT_LIMITS) as http:
            yield AsyncRiffusion(**options, http_client=http)
        return
    async with AsyncRiffusion(**options) as client:
        yield client
