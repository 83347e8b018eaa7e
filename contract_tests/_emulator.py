"""The emulator as the suite runs it: one accepted key, short songs."""

from __future__ import annotations

from typing import Any

from contract_tests._profiles import DEFAULT_SEED
from contract_tests._spec import SpecDocument

__all__ = ["CONTRACT_KEY", "emulator_app", "emulator_settings", "served_url"]

#: The key the emulators started by the suite accept (and the only one).
CONTRACT_KEY = "contract-suite-key"


def emulator_settings(duration_s: float, **overrides: Any) -> Any:
    """Settings of an emulator that accepts only CONTRACT_KEY and renders short songs.

    Its own randomness (unseeded songs, the styles /topic picks) is seeded too, so a run
    meets the same answers every time.
    """
    from riff_api.emulator import EmulatorSettings

    options: dict[str, Any] = {"seed": DEFAULT_SEED, **overrides}
    return EmulatorSettings(api_keys=frozenset({CONTRACT_KEY}), duration_s=duration_s, **options)


def emulator_app(duration_s: float, **overrides: Any) -> Any:
    """A fresh emulator ASGI app with those settings."""
    from riff_api.emulator import create_app

    return create_app(emulator_settings(duration_s, **overrides))


def served_url(running: Any, document: SpecDocument) -> str:
    """Where a running emulator (``riff_api.testing.run_emulator``) serves ``document``.

    One server serves every document, each below its live server's path (``/v1``,
    ``/api/v1``), the way the services do.
    """
    return str(running.root_url) + document.base_path
