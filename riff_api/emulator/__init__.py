"""A local emulator of the Riffusion API that makes real music offline.

Build the ASGI app with :func:`create_app`, or run it over HTTP with :func:`serve`
(``python -m riff_api.emulator --port 0``). It serves ``POST /v1/topic`` and
``POST /v1/riff`` exactly as ``spec/openapi.yaml`` describes them, plus the spec itself
at ``GET /openapi.yaml``. Songs are synthesized with numpy: the seed fixes the structure,
the prompts the sound, and lyrics are sung one note per word. Faults (latency, errors,
rate limits, dropped connections) can be switched on to test clients.

Needs the ``emulator`` extra: ``pip install 'riffusion-client[emulator]'``.
"""

from __future__ import annotations

from importlib.util import find_spec

# Found, not imported: PyAV loads on the first mp3 or m4a, so a process that never encodes
# one (a server whose workers do) is ~18 MiB smaller (78 -> 60 MiB at import, measured).
if any(find_spec(name) is None for name in ("av", "numpy", "starlette", "uvicorn")):
    raise ImportError("the emulator needs the extra: pip install 'riffusion-client[emulator]'")

from ._app import SpecMismatchError, create_app
from ._faults import DroppedConnection
from ._moderation import MODERATION_BLOCKLIST
from ._server import add_serve_arguments, main, serve, serve_from_args, settings_to_args
from ._settings import EmulatorSettings, ServerSettings
from ._styles import STYLE_WORDS

__all__ = [
    "MODERATION_BLOCKLIST",
    "STYLE_WORDS",
    "DroppedConnection",
    "EmulatorSettings",
    "ServerSettings",
    "SpecMismatchError",
    "add_serve_arguments",
    "create_app",
    "main",
    "serve",
    "serve_from_args",
    "settings_to_args",
]

for _name in __all__:
    _obj = globals()[_name]
    if hasattr(_obj, "__module__") and callable(_obj):
        _obj.__module__ = __name__
del _name, _obj
