"""The defaults and environment variables of the clients, in a module that imports nothing.

``riff --help`` and the pytest plugin read these without loading httpx or pydantic;
``riff_api._config`` (which checks the values) re-exports them.
"""

from __future__ import annotations

from typing import Final

from riff_api_generated import gen1, gen2

__all__ = [
    "API_KEY_ENV",
    "API_URL_ENV",
    "BASE_URL_ENV",
    "DEFAULT_API_URL",
    "DEFAULT_BASE_URL",
    "DEFAULT_CONNECT_TIMEOUT_S",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT_S",
    "FORMATS",
]

#: The first generation's live service: the first server of spec/openapi.yaml.
DEFAULT_BASE_URL: Final = gen1.SERVERS[0]
#: The second generation's live service: the first server of spec/openapi-gen2.yaml.
DEFAULT_API_URL: Final = gen2.SERVERS[0]
API_KEY_ENV: Final = "RIFFUSION_API_KEY"
BASE_URL_ENV: Final = "RIFFUSION_BACKEND_URL"
#: The second generation's override, as riff-api 0.2-0.4.2 reads it.
API_URL_ENV: Final = "RIFFUSION_API_URL"
#: Generation takes tens of seconds; a whole request may take this long before we give up.
DEFAULT_TIMEOUT_S: Final = 300.0
#: A server that does not accept a connection in this time is not going to.
DEFAULT_CONNECT_TIMEOUT_S: Final = 5.0
DEFAULT_MAX_RETRIES: Final = 2
#: The largest answer read (its body as received): a 30 s wav song is ~7 MB of JSON, a
#: 5-minute one ~70 MB. A server that claims or sends more is refused (ResponseTooLargeError)
#: before it can fill the memory, or the disk through ``save_to``.
DEFAULT_MAX_RESPONSE_BYTES: Final = 128 * 1024 * 1024
#: The audio formats of the first generation (the second makes m4a only).
FORMATS: Final = ("wav", "m4a", "mp3")
