"""Serving the emulator over HTTP with uvicorn, and its command line.

:func:`serve` binds the socket itself (port 0 picks a free one), prints the base URL
(``http://127.0.0.1:PORT/v1``) as the first line of stdout, flushed, and then runs
uvicorn on that socket until it is stopped (SIGINT or SIGTERM). A parent process can
thus start ``python -m riff_api.emulator --port 0`` and read where it listens.

Each connection runs :class:`~._protocol.GuardedH11Protocol` (request deadlines, a
connection bound, JSON errors, the drop fault's abort), and songs are rendered by a
:class:`~._pool.RenderPool` of ``workers`` processes, started on demand and stopped with
the server. While the server is idle, it hands freed memory back (``_memory``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import sys
import threading
from collections.abc import Iterator, Sequence
from types import FrameType

import uvicorn

from . import _memory
from ._app import create_app
from ._pool import RenderPool
from ._protocol import protocol_class
from ._settings import EmulatorSettings, ServerSettings
from ._songs import use_pool

__all__ = [
    "add_serve_arguments",
    "main",
    "serve",
    "serve_from_args",
    "server_settings_from_args",
    "settings_from_args",
    "settings_to_args",
]

#: The options' defaults are the settings' own.
_DEFAULTS = EmulatorSettings()
_SERVER_DEFAULTS = ServerSettings()
# How often the idle server looks whether there is memory to hand back.
_TRIM_EVERY_S = 1.0


def _display_host(host: str) -> str:
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


async def _watch_parent(server: uvicorn.Server, parent: int) -> None:
    # When the process that started us dies, we are re-parented: stop instead of leaking.
    while not server.should_exit:
        if os.getppid() != parent:
            server.should_exit = True
            return
        await asyncio.sleep(0.5)


class _Terminated(Exception):
    """SIGTERM arrived: unwind, so that the render workers are stopped on the way out."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


@contextlib.contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    # uvicorn shuts down gracefully on SIGTERM, then raises it again under the handler it
    # found: with the default one the process would die there, skipping clean-up.
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    except _Terminated:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)


async def _trim_when_idle(server: uvicorn.Server) -> None:
    # After a burst, the freed song buffers stay mapped until someone trims the heap.
    trimmed_at = 0
    while not server.should_exit:
        await asyncio.sleep(_TRIM_EVERY_S)
        state = server.server_state
        if state.total_requests != trimmed_at and not state.tasks:
            trimmed_at = state.total_requests
            _memory.trim()


async def _run(server: uvicorn.Server, sock: socket.socket, exit_with_parent: bool) -> None:
    helpers = [asyncio.create_task(_trim_when_idle(server))]
    if exit_with_parent:
        helpers.append(asyncio.create_task(_watch_parent(server, os.getppid())))
    try:
        await server.serve(sockets=[sock])
    finally:
        for helper in helpers:
            helper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await helper


def serve(
    settings: EmulatorSettings | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    log_level: str = "info",
    access_log: bool = True,
    exit_with_parent: bool = False,
    server_settings: ServerSettings | None = None,
) -> None:
    """Run the emulator on ``host``:``port`` until interrupted (blocking).

    ``port=0`` picks a free port. The first line on stdout is the base URL, e.g.
    ``http://127.0.0.1:8000/v1``. With ``exit_with_parent`` the server stops when the
    process that started it exits. ``server_settings`` bound the connections and set the
    number of render processes (:class:`ServerSettings`).
    """
    limits = server_settings or ServerSettings()
    app = create_app(settings)
    # Before any thread exists, so that every thread allocates from the one arena that
    # malloc_trim can shrink whole (see _memory).
    _memory.limit_arenas(1)
    sock = _bind(host, port)
    bound_port = sock.getsockname()[1]
    root = f"http://{_display_host(host)}:{bound_port}"
    print(f"{root}/v1", flush=True)
    # The first line is read by programs; people also want the second generation's URL.
    print(f"emulator: first generation at {root}/v1, second at {root}/api/v1", file=sys.stderr)
    config = uvicorn.Config(
        app,
        http=protocol_class(limits),
        log_level=log_level,
        access_log=access_log,
        lifespan="off",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    pool = RenderPool(limits.workers) if limits.workers else None
    try:
        with _sigterm_unwinds(), use_pool(pool):
            asyncio.run(_run(server, sock, exit_with_parent))
    finally:
        if pool is not None:
            pool.close()
        sock.close()


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the emulator's options (``--host``, ``--port``, faults...) to ``parser``."""
    net = parser.add_argument_group("server")
    net.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    net.add_argument(
        "--port", type=int, default=8000, help="port; 0 picks a free one (default: %(default)s)"
    )
    net.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug"],
        help="uvicorn log level (default: %(default)s)",
    )
    net.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="log every request (default: on)",
    )
    net.add_argument(
        "--exit-with-parent", action="store_true", help="stop when the parent process exits"
    )
    net.add_argument(
        "--header-timeout",
        type=float,
        default=_SERVER_DEFAULTS.header_timeout_s,
        metavar="S",
        help="seconds a connection has to send a request head (default: %(default)s)",
    )
    net.add_argument(
        "--body-timeout",
        type=float,
        default=_SERVER_DEFAULTS.body_timeout_s,
        metavar="S",
        help="seconds a request has to send its body once its head is in (default: %(default)s)",
    )
    net.add_argument(
        "--max-connections",
        type=int,
        default=_SERVER_DEFAULTS.max_connections,
        metavar="N",
        help="open connections served at once; more get 503 (default: %(default)s)",
    )
    net.add_argument(
        "--workers",
        type=int,
        default=_SERVER_DEFAULTS.workers,
        metavar="N",
        help="processes rendering songs, 0: in the server process (default: %(default)s, "
        "one per core up to 4)",
    )
    api = parser.add_argument_group("service")
    api.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        metavar="KEY",
        help="accept only this key (repeatable; default: any non-empty key)",
    )
    api.add_argument(
        "--duration",
        type=float,
        default=_DEFAULTS.duration_s,
        metavar="S",
        help="song length in seconds (default: %(default)s)",
    )
    api.add_argument(
        "--max-body-bytes",
        type=int,
        default=_DEFAULTS.max_body_bytes,
        metavar="N",
        help="largest accepted body (default: %(default)s)",
    )
    api.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="N",
        help="seed the emulator's own randomness (unseeded songs, /topic choices)",
    )
    api.add_argument(
        "--model",
        action="append",
        dest="models",
        metavar="NAME",
        help="a model /api/v1/models lists and /prompt, /compose accept (repeatable; "
        f"default: {', '.join(_DEFAULTS.models)})",
    )
    faults = parser.add_argument_group("faults (all off by default)")
    faults.add_argument(
        "--latency",
        type=float,
        default=_DEFAULTS.latency_s,
        metavar="S",
        help="delay added to every API answer",
    )
    faults.add_argument(
        "--latency-jitter",
        type=float,
        default=_DEFAULTS.latency_jitter_s,
        metavar="S",
        help="extra delay drawn from [0, S]",
    )
    faults.add_argument(
        "--error-rate",
        type=float,
        default=_DEFAULTS.error_rate,
        metavar="R",
        help="share of 500/503 answers",
    )
    faults.add_argument(
        "--rate-limit",
        type=int,
        default=None,
        metavar="N",
        help="requests per second; more get 429",
    )
    faults.add_argument(
        "--drop-rate",
        type=float,
        default=_DEFAULTS.drop_rate,
        metavar="R",
        help="share of connections closed without an answer",
    )
    faults.add_argument(
        "--fault-seed", type=int, default=None, metavar="N", help="seed for the fault draws"
    )


def settings_from_args(args: argparse.Namespace) -> EmulatorSettings:
    """The :class:`EmulatorSettings` of parsed :func:`add_serve_arguments` options."""
    return EmulatorSettings(
        api_keys=frozenset(args.api_keys) if args.api_keys else None,
        duration_s=args.duration,
        max_body_bytes=args.max_body_bytes,
        seed=args.seed,
        latency_s=args.latency,
        latency_jitter_s=args.latency_jitter,
        error_rate=args.error_rate,
        rate_limit=args.rate_limit,
        drop_rate=args.drop_rate,
        fault_seed=args.fault_seed,
        models=tuple(args.models) if args.models else _DEFAULTS.models,
    )


def server_settings_from_args(args: argparse.Namespace) -> ServerSettings:
    """The :class:`ServerSettings` of parsed :func:`add_serve_arguments` options."""
    return ServerSettings(
        header_timeout_s=args.header_timeout,
        body_timeout_s=args.body_timeout,
        max_connections=args.max_connections,
        workers=args.workers,
    )


def settings_to_args(settings: EmulatorSettings) -> list[str]:
    """Command-line options that rebuild ``settings`` (the inverse of the parser)."""
    args = [
        "--duration", repr(settings.duration_s),
        "--max-body-bytes", str(settings.max_body_bytes),
        "--latency", repr(settings.latency_s),
        "--latency-jitter", repr(settings.latency_jitter_s),
        "--error-rate", repr(settings.error_rate),
        "--drop-rate", repr(settings.drop_rate),
    ]  # fmt: skip
    for key in sorted(settings.api_keys or ()):
        args += ["--api-key", key]
    for model in settings.models:
        args += ["--model", model]
    for flag, value in (
        ("--seed", settings.seed),
        ("--rate-limit", settings.rate_limit),
        ("--fault-seed", settings.fault_seed),
    ):
        if value is not None:
            args += [flag, str(value)]
    return args


def serve_from_args(args: argparse.Namespace) -> int:
    """Run :func:`serve` with parsed :func:`add_serve_arguments` options; the exit status."""
    try:
        settings = settings_from_args(args)
        server_settings = server_settings_from_args(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        serve(
            settings,
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            access_log=args.access_log,
            exit_with_parent=args.exit_with_parent,
            server_settings=server_settings,
        )
    except OSError as exc:
        print(f"error: cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m riff_api.emulator``: run the emulator."""
    parser = argparse.ArgumentParser(
        prog="python -m riff_api.emulator",
        description="Run the local Riffusion emulator: the spec's API, making music offline.",
    )
    add_serve_arguments(parser)
    return serve_from_args(parser.parse_args(argv))
