"""Test helpers: the Riffusion emulator standing in for the service, as moto does for AWS.

* :func:`run_emulator` / :class:`EmulatorServer`: the emulator in a child process on a
  free 127.0.0.1 port, stopped by its pid; :class:`RunningEmulator` says where it is.
* :func:`in_process_emulator`: the emulator's app in this process, with an ``httpx``
  sync client (Starlette's ``TestClient``) and async clients on it.
* The pytest plugin (:mod:`riff_api.testing.plugin`) wraps both as fixtures:
  ``riff_emulator``, ``riff_local`` and ``riff_inprocess``.

Importing this package loads nothing: the pytest plugin (a module of it) is loaded in every
pytest session of every project that has riff_api installed. Each name is imported on first
use, and the emulator and its dependencies when an emulator starts.
"""

from __future__ import annotations

import types
from typing import TYPE_CHECKING

from riff_api._lazy import lazy_namespace

if TYPE_CHECKING:
    from ._inprocess import (
        IN_PROCESS_API_URL,
        IN_PROCESS_BASE_URL,
        InProcessEmulator,
        in_process_emulator,
    )
    from ._subprocess import (
        DEFAULT_API_KEY,
        EmulatorServer,
        RunningEmulator,
        pointed_at,
        run_emulator,
    )

__all__ = [
    "DEFAULT_API_KEY",
    "IN_PROCESS_API_URL",
    "IN_PROCESS_BASE_URL",
    "EmulatorServer",
    "InProcessEmulator",
    "RunningEmulator",
    "in_process_emulator",
    "pointed_at",
    "run_emulator",
]

_HOMES = {
    "DEFAULT_API_KEY": "._subprocess",
    "EmulatorServer": "._subprocess",
    "RunningEmulator": "._subprocess",
    "pointed_at": "._subprocess",
    "run_emulator": "._subprocess",
    "IN_PROCESS_API_URL": "._inprocess",
    "IN_PROCESS_BASE_URL": "._inprocess",
    "InProcessEmulator": "._inprocess",
    "in_process_emulator": "._inprocess",
}


# Functions are shown as riff_api.testing's too: their home modules are private.
__getattr__, __dir__ = lazy_namespace(globals(), _HOMES, rename=(type, types.FunctionType))
