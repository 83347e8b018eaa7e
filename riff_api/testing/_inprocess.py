"""The emulator inside the test process: no socket, no child, clients on its ASGI app.

The emulator (numpy, PyAV) and Starlette are imported when an emulator is made, never at
module load; riff_api's client is loaded already (riff_api is the parent package).
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from riff_api._client import AsyncRiffusion, Riffusion
from riff_api._module_api import use_default_client

from ._subprocess import ENV_API_KEY, environ_set, settings_and_key

if TYPE_CHECKING:
    import httpx
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from riff_api.emulator import EmulatorSettings

__all__ = ["IN_PROCESS_API_URL", "IN_PROCESS_BASE_URL", "InProcessEmulator", "in_process_emulator"]

IN_PROCESS_BASE_URL = "http://127.0.0.1/v1"
"""The base URL the in-process clients use (nothing listens there: no socket is opened)."""
IN_PROCESS_API_URL = "http://127.0.0.1/api/v1"
"""The second generation's base URL in-process (``/prompt``, ``/compose``, ``/models``)."""


@dataclass
class InProcessEmulator:
    """An emulator app and clients bound to it.

    ``client`` is a Starlette ``TestClient``, a subclass of ``httpx.Client``; async code
    gets an ``httpx.AsyncClient`` on ``httpx.ASGITransport`` from :meth:`async_client`.
    Unpacking gives ``(client, async_client)``.
    """

    app: Starlette
    client: TestClient
    api_key: str
    base_url: str = IN_PROCESS_BASE_URL
    api_url: str = IN_PROCESS_API_URL

    def async_client(self, **kwargs: Any) -> httpx.AsyncClient:
        """A new ``httpx.AsyncClient`` on the app; close it (``async with``) when done."""
        import httpx

        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url=self.base_url, **kwargs
        )

    def riffusion(self, **kwargs: Any) -> Riffusion:
        """A ``riff_api.Riffusion`` on the app, both generations' URLs set (close it after)."""
        return Riffusion(
            api_key=self.api_key,
            base_url=self.base_url,
            api_url=self.api_url,
            http_client=self.client,
            **kwargs,
        )

    def async_riffusion(self, **kwargs: Any) -> AsyncRiffusion:
        """A ``riff_api.AsyncRiffusion`` on the app (``async with`` it: that closes all)."""
        client = AsyncRiffusion(
            api_key=self.api_key,
            base_url=self.base_url,
            api_url=self.api_url,
            http_client=self.async_client(),
            **kwargs,
        )
        client._owns_http = True  # the httpx client was made for it alone
        return client

    @property
    def headers(self) -> dict[str, str]:
        """The ``Api-Key`` header to send."""
        return {"Api-Key": self.api_key}

    def __iter__(self) -> Iterator[Any]:
        yield self.client
        yield self.async_client


@contextlib.contextmanager
def _module_api_on(emulator: InProcessEmulator) -> Iterator[None]:
    client = emulator.riffusion()
    previous = use_default_client(client)
    try:
        with environ_set({ENV_API_KEY: emulator.api_key}):
            yield
    finally:
        use_default_client(previous)  # nested emulators unwind in order
        client.close()


@contextlib.contextmanager
def in_process_emulator(
    settings: EmulatorSettings | None = None,
    *,
    api_key: str | None = None,
    point_module_api: bool = False,
    **settings_kwargs: Any,
) -> Iterator[InProcessEmulator]:
    """An emulator app in this process, with a sync and an async client on it.

    ``settings`` (or keyword arguments of :class:`~riff_api.emulator.EmulatorSettings`,
    applied on top) configure it. With ``point_module_api``, ``riff_api``'s module-level
    functions (``riff_api.create`` and friends) use it for the ``with`` block: a
    ``riff_api.Riffusion`` on the test client becomes their default client and
    ``RIFFUSION_API_KEY`` is set; both are restored after.
    """
    from riff_api.emulator import create_app

    with warnings.catch_warnings():
        # Starlette prefers httpx2 for its TestClient; httpx is what riff_api speaks.
        warnings.filterwarnings("ignore", message=".*httpx2.*")
        from starlette.testclient import TestClient

    base, key = settings_and_key(settings, api_key, settings_kwargs)
    app = create_app(base)
    with TestClient(app, base_url=IN_PROCESS_BASE_URL) as client:
        emulator = InProcessEmulator(app=app, client=client, api_key=key)
        if point_module_api:
            with _module_api_on(emulator):
                yield emulator
        else:
            yield emulator
