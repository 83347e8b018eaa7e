"""Test helpers: the Riffusion emulator standing in for the service, as moto does for AWS.

* :func:`run_emulator` / :class:`EmulatorServer`: the emulator in a child process on a
  free 127.0.0.1 port, stopped by its pid; :class:`RunningEmulator` says where it is.
* :func:`in_process_emulator`: the emulator's app in this process, with an ``httpx``
  sync client (Starlette's ``TestClient``) and async clients on it.
* The pytest plugin (:mod:`riff_api.testing.plugin`) wraps both as fixtures:
  ``riff_emulator``, ``riff_local`` and ``riff_inprocess``.

Importing this package loads only the standard library; the emulator and its
dependencies load when an emulator starts.
"""

from __future__ import annotations

from ._inprocess import (
    IN_PROCESS_API_URL,
    IN_PROCESS_BASE_URL,
    InProcessEmulator,
    in_process_emulator,
)
from ._subprocess import DEFAULT_API_KEY, EmulatorServer, RunningEmulator, pointed_at, run_emulator

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

for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type) or callable(_obj):
        _obj.__module__ = __name__
del _name, _obj
