"""``/topic``: lyrics and a sound prompt written from one sentence.

The sentence's style words (see :mod:`._styles`) become the sound prompt, in the order
written, e.g. ``"indie pop banger"``; a sentence naming none gets a style picked at random
(from the seed) out of :data:`RANDOM_STYLES`. Its other content words (not stop words,
names first) are the song's subject: a ``[Verse]`` and a ``[Chorus]`` are filled from
line templates with them, so "Indie pop banger about my dog Boris" gives lyrics about
Boris and the dog.
"""

from __future__ import annotations

import re
from typing import Final

from ._moderation import WORD
from ._structure import seed_rng
from ._styles import find_style_words

__all__ = ["RANDOM_STYLES", "topic_keywords", "write_song"]

RANDOM_STYLES: Final = (
    "chillstep pop",
    "lo-fi piano",
    "synthwave",
    "acoustic folk",
    "house",
    "smooth jazz",
    "reggae",
    "orchestral cellos",
    "punk rock",
    "country",
    "ambient",
    "rap",
    "blues",
    "metal",
    "disco",
    "soul",
    "tribal drums",
    "indie rock",
    "christmas",
    "techno",
)
"""Styles ``/topic`` picks from when the sentence names none."""

_STOP_WORDS = """
a an the and or but if of to in on at by for from with about into over under my your his
her its our their me you him them us we they i it is are was were be been being am do does
did have has had this that these those there here what which who whom whose when where why
how all any some no not so very just than too can could should would will shall may might
must song songs track tune tunes music sing sings singing write make makes explain
explaining concept story tell tells let lets please like something someone thing things
way one really
"""
_STOP: Final = frozenset(_STOP_WORDS.split())
_POSSESSIVES: Final = frozenset({"my", "your", "our", "his", "her", "their"})


_VERSE: Final = (
    "Tell me 'bout {a}, tell me true",
    "Every day with {a} feels brand new",
    "{A} on my mind when the night comes in",
    "Talking 'bout {b} and the shape we're in",
    "I keep on thinking of {a} and {b}",
    "Here comes {b}, here comes the sun",
    "All my days are made of {c}",
    "Write it down, {a}, {b} and {c}",
    "Walking down the road with {b} by my side",
    "Nothing in the world like {c} tonight",
)
_CHORUS: Final = (
    "Oh {a}, oh {a}",
    "We sing for {b} tonight",
    "Na na na, {c}",
    "Hey hey {b}, never let go",
    "{A} forever, {b} forever",
    "Turn it up for {a}",
    "Don't you know it's all about {c}",
)
_CARRIERS: Final = (
    "All my days are made of {}",
    "Nothing in the world like {} tonight",
    "Singing about {} till the morning light",
)
_DEFAULT_WORDS: Final = ("the music", "tonight", "you")
_MAX_STYLE_WORDS: Final = 6


def topic_keywords(topic: str, limit: int = 3) -> list[str]:
    """The content words of ``topic``: names (capitalised mid-sentence) first, at most ``limit``.

    A common noun keeps a possessive written before it ("my dog").
    """
    styled = {phrase for phrase, _ in find_style_words(topic)}
    # "lo-fi" is a style, and so are its "lo" and "fi" as the word pattern cuts them.
    styled |= {part for phrase in styled for part in re.split(r"[\s\-]+", phrase)}
    seen: set[str] = set()
    found: list[tuple[bool, int, str]] = []
    previous = ""
    for index, match in enumerate(WORD.finditer(topic)):
        word, before = match.group(), previous
        folded = previous = word.casefold()
        if folded in _STOP or folded in styled or folded in seen or len(folded) < 2:
            continue
        seen.add(folded)
        is_name = word[0].isupper() and index > 0
        if is_name:
            found.append((False, index, word))
        else:
            # "my dog" sings better than "dog": keep the topic's own possessive.
            found.append((True, index, f"{before} {folded}" if before in _POSSESSIVES else folded))
    found.sort()
    return [word for _, _, word in found[:limit]]


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


def write_song(topic: str, seed: int) -> tuple[str, str]:
    """``(lyrics, sound prompt text)`` for ``topic``; ``seed`` picks lines and style."""
    rng = seed_rng(seed, "topic")
    words = topic_keywords(topic, limit=4) or list(_DEFAULT_WORDS)
    a, b, c = (words * 3)[:3]
    slots = {"a": a, "b": b, "c": c, "A": _capital(a), "B": _capital(b), "C": _capital(c)}
    verse = [_VERSE[int(i)].format(**slots) for i in rng.choice(len(_VERSE), size=4, replace=False)]
    chorus = [
        _CHORUS[int(i)].format(**slots) for i in rng.choice(len(_CHORUS), size=3, replace=False)
    ]
    chorus.insert(
        0,
        f"{_capital(a)} and {b}, singing out loud"
        if b != a
        else f"{_capital(a)}, singing out loud",
    )
    # Every keyword is sung at least once, whatever lines were drawn.
    for slot, word in enumerate(reversed(words)):
        if not any(word in line for line in verse + chorus):
            verse[-1 - slot % len(verse)] = _CARRIERS[slot % len(_CARRIERS)].format(word)
    lyrics = "\n".join(["[Verse]", *verse, "", "[Chorus]", *chorus])
    styles = find_style_words(topic)[:_MAX_STYLE_WORDS]
    if styles:
        prompt = " ".join(phrase for phrase, _ in styles)
    else:
        prompt = RANDOM_STYLES[int(rng.integers(len(RANDOM_STYLES)))]
    return lyrics, prompt
