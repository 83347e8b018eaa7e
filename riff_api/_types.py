"""Type aliases and the NOT_GIVEN sentinel shared by the public surface."""

from __future__ import annotations

import os
from typing import Any, Final, Literal, TypeAlias

import httpx

__all__ = [
    "NOT_GIVEN",
    "AudioFormat",
    "NotGiven",
    "PathLike",
    "PromptLike",
    "TimeoutLike",
]

#: The formats the service can answer in.
AudioFormat: TypeAlias = Literal["wav", "m4a", "mp3"]

#: A timeout: seconds for the whole request, an ``httpx.Timeout`` for fine control, or None
#: to wait forever.
TimeoutLike: TypeAlias = float | httpx.Timeout | None

PathLike: TypeAlias = str | os.PathLike[str]

#: A prompt as a model, as a plain dict of its fields, or just its text.
PromptLike: TypeAlias = Any


class NotGiven:
    """The type of NOT_GIVEN: "use the client's setting", which differs from passing None.

    ``timeout=None`` means "no timeout"; leaving ``timeout`` out means "the client's default".
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


#: "Not given": a per-call option left out takes the client's setting (see ``NotGiven``).
NOT_GIVEN: Final = NotGiven()
