"""Moderation: a small, fixed blocklist, matched as whole words.

The live service's moderation is a model; the emulator's is a list, so tests can trigger
it on purpose and nothing else triggers it by accident. A text is refused when one of its
words, compared case-insensitively, is in :data:`MODERATION_BLOCKLIST`:

    fuck, fucker, fucking, motherfucker, shit, bullshit, cunt, nazi, heil

"Words" are runs of letters and digits (inner apostrophes kept, hyphens splitting), so
``"shitake"`` and ``"Nazareth"`` pass while ``"Shit!"`` and ``"shit-faced"`` do not.
``/riff`` checks every prompt's text and the lyrics when ``moderate_inputs`` is true;
``/topic`` always checks its topic. A refusal is a 400 with ``code: moderation``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from ._errors import ApiError

__all__ = ["MODERATION_BLOCKLIST", "WORD", "check_moderation", "flagged_word"]

MODERATION_BLOCKLIST: Final = frozenset(
    {"fuck", "fucker", "fucking", "motherfucker", "shit", "bullshit", "cunt", "nazi", "heil"}
)
"""Words that make moderation refuse a text."""

#: A word: letters and digits, with inner apostrophes ("don't"). Shared with _topic.
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def flagged_word(text: str) -> str | None:
    """The first blocklisted word of ``text``, or None when it passes."""
    for match in WORD.finditer(text.casefold()):
        if match.group() in MODERATION_BLOCKLIST:
            return match.group()
    return None


def check_moderation(what: str, texts: Iterable[str]) -> None:
    """Raise a 400 ``moderation`` error when any of ``texts`` holds a blocklisted word.

    ``what`` names the field for the message, e.g. "lyrics" or "prompt 2".
    """
    for text in texts:
        if flagged_word(text) is not None:
            raise ApiError(400, "moderation", f"The {what} did not pass moderation.")
