"""List the models the API key may use (``GET /models``), for the ``model`` argument.

Runs on the official client (riff-api 0.4.2) and on this project's ``riff_api`` unchanged;
RIFFUSION_API_URL picks another service than the live one (such as the emulator):

    export RIFFUSION_API_KEY=...
    python examples/compose/2_models.py
"""

from __future__ import annotations

from riff_api import RiffAPIClient

for name in RiffAPIClient().models():
    print(name)
