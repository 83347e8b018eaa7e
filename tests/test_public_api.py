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
    """Shown as riff_api.X; the second generation's models as riff_api.types.X (0.4.2's home)."""
    import riff_api.types

    for name in riff_api.__all__:
        obj = getattr(riff_api, name)
        if isinstance(obj, type):
            home = "riff_api.types" if getattr(riff_api.types, name, None) is obj else "riff_api"
            assert obj.__module__ == home, name
            assert obj.__doc__, name


def test_the_two_generations_timestamped_words_keep_their_homes() -> None:
    import riff_api.types

    assert set(riff_api.TimestampedWord.model_fields) == {"text", "start_s"}
    assert set(riff_api.types.TimestampedWord.model_fields) == {"text", "start"}


def test_public_functions_are_documented() -> None:
    for name in ("create", "create_from_request", "create_from_topic", "save_audio"):
        assert getattr(riff_api, name).__doc__


def test_version() -> None:
    assert riff_api.__version__.count(".") == 2
