"""The official clients' surfaces, with the same names, arguments and defaults.

``create``, ``create_from_request``, ``create_from_topic`` and ``save_audio`` are riff-api
0.1.5's module functions (the first generation); ``RiffAPIClient`` is riff-api 0.4.2's client
(the second). Code written for either runs unchanged. Behind the functions is one lazily built
``Riffusion`` client, so calls share a pooled connection; RIFFUSION_API_KEY and
RIFFUSION_BACKEND_URL are read at every call, and a change of either gets a fresh client.
"""

from __future__ import annotations

import threading
from typing import Any, Literal

from riff_api._audio import decode_audio, write_atomic
from riff_api._base_client import check_send
from riff_api._client import Riffusion
from riff_api._config import (
    resolve_api_key,
    resolve_base_url,
    resolve_service_url,
)
from riff_api._defaults import DEFAULT_API_URL, DEFAULT_BASE_URL
from riff_api._models import Prompt, RiffRequest, RiffResponse, TopicRequest
from riff_api._operations import SERVICES
from riff_api._types import AudioFormat, PathLike
from riff_api.types import (
    ComposeRequest,
    ComposeResponse,
    PromptRequest,
    PromptResponse,
    SoundPrompt,
)

__all__ = [
    "RiffAPIClient",
    "create",
    "create_from_request",
    "create_from_topic",
    "save_audio",
    "use_default_client",
]

_lock = threading.Lock()
_default: Riffusion | None = None
_default_key: tuple[str, str] | None = None
_override: Riffusion | None = None


def use_default_client(client: Riffusion | None) -> Riffusion | None:
    """Make the module functions use ``client`` (None: back to the environment's settings).

    Returns the client it replaces, so a test fixture can put it back. riff_api.testing uses
    this to point code written against the module API at the emulator.
    """
    global _override
    with _lock:
        previous, _override = _override, client
    return previous


def _client(api_key: str | None) -> Riffusion:
    global _default, _default_key
    with _lock:
        if _override is not None:
            return _override
        wanted = (resolve_api_key(api_key), resolve_base_url(None))
        if _default is None or _default_key != wanted:
            if _default is not None:
                _default.close()
            _default = Riffusion(api_key=wanted[0], base_url=wanted[1])
            _default_key = wanted
        return _default


def create(
    prompts: list[Prompt],
    lyrics: str | None = None,
    seed: int | None = None,
    audio_format: AudioFormat = "wav",
    moderate_inputs: bool = False,
    api_key: str | None = None,
    save_to: str | None = None,
) -> RiffResponse:
    """Make a song from sound prompts and optional lyrics (``POST /riff``).

    As in the official client, ``moderate_inputs`` defaults to False here (True on
    RiffRequest). ``save_to``, when given, must end in ``.{audio_format}``; a mismatch is a
    ValueError raised before anything is sent.
    """
    request = RiffRequest(
        prompts=prompts,
        lyrics=lyrics,
        seed=seed,
        audio_format=audio_format,
        moderate_inputs=moderate_inputs,
    )
    return create_from_request(request, api_key=api_key, save_to=save_to)


def create_from_request(
    request: RiffRequest | TopicRequest,
    api_key: str | None = None,
    save_to: str | None = None,
) -> RiffResponse:
    """Send a ready-made ``RiffRequest`` (or ``TopicRequest``) and return the song.

    Every field of the request model is sent as set, new fields of the spec included.
    """
    check_send(request)  # before the key is looked for: the first mistake is named first
    song: RiffResponse = _client(api_key).send(request, save_to=save_to)
    return song


def create_from_topic(
    topic: str,
    audio_format: AudioFormat = "wav",
    api_key: str | None = None,
    save_to: str | None = None,
) -> RiffResponse:
    """Make a song from one sentence (``POST /topic``): lyrics and sound chosen for you."""
    client = _client(api_key)
    return client.topic(topic, audio_format=audio_format, save_to=save_to)


def save_audio(response: Any, filename: PathLike) -> None:
    """Decode a response's audio and write it to ``filename``, atomically.

    Accepts this package's RiffResponse or any object with an ``audio_b64`` string (such as
    the official client's response).
    """
    if isinstance(response, RiffResponse):
        response.save(filename)
        return
    audio_b64 = getattr(response, "audio_b64", None)
    if not isinstance(audio_b64, str):
        raise TypeError("save_audio needs a response with an audio_b64 string")
    write_atomic(filename, decode_audio(audio_b64))


class RiffAPIClient:
    """The official riff-api 0.4.2 client of the API's second generation, drop-in.

    The same constructor, methods, argument names, order and defaults, and attributes
    (``api_url``, ``api_key``); behind them, a ``riff_api.Riffusion`` with timeouts, retries,
    typed errors, the streamed decode and atomic saves. ``api_url`` defaults to
    RIFFUSION_API_URL, else the live service (a trailing ``/`` dropped); ``api_key`` to
    RIFFUSION_API_KEY. No key is a ValueError here, when the client is made. Every field is
    sent as these methods set it, as the official client does.
    """

    def __init__(self, api_url: str | None = None, api_key: str | None = None) -> None:
        self.api_key = resolve_api_key(api_key)
        self.api_url = resolve_service_url(SERVICES[DEFAULT_API_URL], api_url)
        # The first generation's URL is pinned: this client never uses it, so no
        # RIFFUSION_BACKEND_URL in the environment can make it refuse to start.
        self._client = Riffusion(
            api_key=self.api_key, api_url=self.api_url, base_url=DEFAULT_BASE_URL
        )

    def __repr__(self) -> str:
        return f"RiffAPIClient(api_url={self.api_url!r})"  # never the key

    def close(self) -> None:
        """Close the connection pool (an addition: the official client keeps none open)."""
        self._client.close()

    def __enter__(self) -> RiffAPIClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def prompt(
        self,
        prompt: str,
        instrumental: bool = False,
        audio_format: Literal["m4a"] = "m4a",
        save_to: str | None = None,
        moderate_inputs: bool = True,
        model: str = "FUZZ-2.0",
    ) -> PromptResponse:
        """Make a song from one prompt (``POST /prompt``); save it to ``save_to`` if given."""
        request = PromptRequest(
            prompt=prompt,
            instrumental=instrumental,
            audio_format=audio_format,
            moderate_inputs=moderate_inputs,
            model=model,
        )
        song: PromptResponse = self._client.send(request, save_to=save_to)
        return song

    def compose(
        self,
        sound_prompts: list[SoundPrompt],
        lyrics: str | None = None,
        lyrics_strength: float = 0.5,
        seed: int | None = None,
        audio_format: Literal["m4a"] = "m4a",
        moderate_inputs: bool = True,
        weirdness: float = 0.5,
        save_to: str | None = None,
        model: str = "FUZZ-2.0",
    ) -> ComposeResponse:
        """Compose a song (``POST /compose``); save it to ``save_to`` if given."""
        request = ComposeRequest(
            sound_prompts=sound_prompts,
            lyrics=lyrics,
            lyrics_strength=lyrics_strength,
            seed=seed,
            audio_format=audio_format,
            moderate_inputs=moderate_inputs,
            weirdness=weirdness,
            model=model,
        )
        song: ComposeResponse = self._client.send(request, save_to=save_to)
        return song

    def models(self) -> list[str]:
        """The names of the models the key may use (``GET /models``)."""
        return self._client.models()

    @staticmethod
    def save_audio(audio_b64: str, filename: str) -> None:
        """Decode base64 audio and write it to ``filename``, atomically."""
        write_atomic(filename, decode_audio(audio_b64))
