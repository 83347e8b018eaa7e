"""pytest fixtures that run the Riffusion emulator for your tests (a ``pytest11`` plugin).

Installed with ``riff_api``, the plugin loads in every pytest session, so it imports
nothing heavy: the emulator starts only when a test asks for one of these fixtures.

``riff_emulator`` (session)
    A :class:`~riff_api.testing.RunningEmulator`: the emulator in a child process on a
    free 127.0.0.1 port, shared by the session and stopped by its pid at the end.
``riff_local`` (function)
    The same server, with ``RIFFUSION_API_KEY`` and ``RIFFUSION_BACKEND_URL`` pointing at
    it for the test (restored after), so ``riff_api.create(...)`` and clients built
    without arguments use it.
``riff_inprocess`` (function)
    A fresh :class:`~riff_api.testing.InProcessEmulator` (no socket): ``.client`` is an
    ``httpx.Client``, ``.async_client()`` makes ``httpx.AsyncClient`` s, and the module
    functions of ``riff_api`` use it for the test.
``riff_emulator_settings`` (session)
    The :class:`~riff_api.emulator.EmulatorSettings` of both emulators; None (the
    defaults) unless a ``conftest.py`` overrides it.

Example::

    import riff_api

    def test_song_has_words(riff_local):
        song = riff_api.create(prompts=[riff_api.Prompt(text="lo-fi piano")], lyrics="hi there")
        assert [w.text for w in song.timestamped_lyrics] == ["hi", "there"]

    def test_raw_http(riff_inprocess):
        answer = riff_inprocess.client.post(
            "/riff", json={"prompts": []}, headers=riff_inprocess.headers
        )
        assert answer.status_code == 200

    # conftest.py: shorter songs for a faster suite
    @pytest.fixture(scope="session")
    def riff_emulator_settings():
        from riff_api.emulator import EmulatorSettings
        return EmulatorSettings(duration_s=5.0)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from riff_api.emulator import EmulatorSettings
    from riff_api.testing import InProcessEmulator, RunningEmulator

__all__ = ["riff_emulator", "riff_emulator_settings", "riff_inprocess", "riff_local"]


@pytest.fixture(scope="session")
def riff_emulator_settings() -> EmulatorSettings | None:
    """Settings of the emulators the other fixtures start; override to change them."""
    return None


@pytest.fixture(scope="session")
def riff_emulator(riff_emulator_settings: EmulatorSettings | None) -> Iterator[RunningEmulator]:
    """The emulator in a child process for the whole session, stopped by its pid after."""
    from riff_api.testing import run_emulator

    with run_emulator(riff_emulator_settings, set_env=False) as running:
        yield running


@pytest.fixture
def riff_local(riff_emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch) -> RunningEmulator:
    """The session emulator, with the environment pointing the client at it for one test."""
    for name, value in riff_emulator.env.items():
        monkeypatch.setenv(name, value)
    return riff_emulator


@pytest.fixture
def riff_inprocess(
    riff_emulator_settings: EmulatorSettings | None,
) -> Iterator[InProcessEmulator]:
    """An in-process emulator that ``riff_api``'s module functions use for one test."""
    from riff_api.testing import in_process_emulator

    with in_process_emulator(riff_emulator_settings, point_module_api=True) as emulator:
        yield emulator
