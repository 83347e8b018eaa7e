"""The public surface: one sorted __all__, every name documented and shown as riff_api.X."""

from __future__ import annotations

import riff_api


def test_all_is_unique_and_resolves() -> None:
    # Its order (constants, classes, functions) is kept by ruff's RUF022 in scripts/check.
    names = riff_api.__all__
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(riff_api, name), name


def test_public_classes_live_in_riff_api() -> None:
    for name in riff_api.__all__:
        obj = getattr(riff_api, name)
        if isinstance(obj, type):
            assert obj.__module__ == "riff_api", name
            assert obj.__doc__, name


def test_public_functions_are_documented() -> None:
    for name in ("create", "create_from_request", "create_from_topic", "save_audio"):
        assert getattr(riff_api, name).__doc__


def test_version() -> None:
    assert riff_api.__version__.count(".") == 2
