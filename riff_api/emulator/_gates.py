"""Which prompts are heard, when, and how loud: the gain of each layer over time.

Rules (the ones a caller can rely on):

* ``strength`` is clamped to ``[0, 12]`` (the documented range; negative strengths, which
  the official demo offers, count as 0) and gives a weight ``strength / 4``: the default
  4.0 makes a prompt carry the sound alone.
* ``start_s`` and ``end_s`` are clamped to the song. A prompt whose range is then empty,
  or whose weight is 0, contributes nothing. Inside its range a prompt fades in and out
  linearly over ``min(2 s, a third of its range)``, except at the song's own start and end,
  so two prompts whose ranges overlap cross-fade.
* Prompts with the same text (case and spacing aside) are one layer. At most
  :data:`MAX_LAYERS` layers are rendered: those with the most weight x audible time.
* Where the weights sum above 1 the layers share the mix in proportion; where they sum
  below 1 the neutral style fills the rest, so no prompt (or an empty list) gives the
  neutral sound, never silence.

Gains are computed at a control rate of 100 Hz with second-difference accumulation, so
any number of prompts costs one vector pass, not one pass per prompt.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Protocol

import numpy as np
import numpy.typing as npt

from ._instruments import SAMPLE_RATE
from ._styles import normalise_text

__all__ = ["CONTROL_HOP", "MAX_LAYERS", "LayerPlan", "PromptLike", "audible_span", "plan_layers"]

CONTROL_HOP: Final = SAMPLE_RATE // 100
"""Samples per control point (10 ms)."""
MAX_LAYERS: Final = 6
"""Most prompt texts rendered in one song."""
MAX_STRENGTH: Final = 12.0
_FULL_STRENGTH: Final = 4.0
_MAX_FADE_S: Final = 2.0

F64Array = npt.NDArray[np.float64]


class PromptLike(Protocol):
    """What the mixer reads from a prompt (the generated ``Prompt`` model fits)."""

    @property
    def text(self) -> str: ...
    @property
    def strength(self) -> float: ...
    @property
    def start_s(self) -> float: ...
    @property
    def end_s(self) -> float: ...


@dataclass(frozen=True, slots=True)
class LayerPlan:
    """Gains at the control rate: one row per layer text, plus the neutral filler."""

    texts: list[str]
    gains: F64Array  # shape (layers, points)
    neutral: F64Array  # shape (points,)

    def span(self, row: int) -> tuple[int, int]:
        """First and last-plus-one control point where layer ``row`` is audible."""
        return audible_span(self.gains[row])


def audible_span(gains: F64Array) -> tuple[int, int]:
    """First and last-plus-one control point where ``gains`` is audible; (0, 0) if never."""
    audible = np.flatnonzero(gains > 1e-6)
    if not len(audible):
        return 0, 0
    return int(audible[0]), int(audible[-1]) + 1


def _clamp(value: float, low: float, high: float) -> float:
    # min/max keep infinities in range; NaN (never produced by the JSON parser) becomes low.
    if math.isnan(value):
        return low
    return min(max(value, low), high)


def _ramps(points: int, xs: F64Array, slopes: F64Array) -> F64Array:
    """Sum of ``slope * max(0, k - x)`` over the given breakpoints, at k = 0..points-1."""
    # relu(k - x) has second difference (c - x) at c = ceil(x) and 1 - (c - x) at c + 1.
    pad = 2
    ceil = np.ceil(xs)
    frac = ceil - xs
    first = np.clip(ceil.astype(np.int64) + pad, 0, points + pad + 1)
    second = np.clip(first + 1, 0, points + pad + 1)
    size = points + pad + 2
    d2: F64Array = np.bincount(first, weights=slopes * frac, minlength=size).astype(np.float64)
    d2 += np.bincount(second, weights=slopes * (1.0 - frac), minlength=size)
    out: F64Array = np.cumsum(np.cumsum(d2))[pad : pad + points]
    return out


def plan_layers(prompts: Sequence[PromptLike], duration_s: float) -> LayerPlan:
    """Gains of the audible layers of ``prompts`` over a song of ``duration_s`` seconds."""
    points = math.ceil(duration_s * SAMPLE_RATE / CONTROL_HOP) + 1
    step_s = CONTROL_HOP / SAMPLE_RATE
    groups: dict[str, list[tuple[float, float, float]]] = {}
    presence: dict[str, float] = {}
    for prompt in prompts:
        weight = _clamp(prompt.strength, 0.0, MAX_STRENGTH) / _FULL_STRENGTH
        start = _clamp(prompt.start_s, 0.0, duration_s)
        end = _clamp(prompt.end_s, 0.0, duration_s)
        if weight <= 0.0 or end <= start:
            continue
        key = normalise_text(prompt.text)
        groups.setdefault(key, []).append((weight, start, end))
        presence[key] = presence.get(key, 0.0) + weight * (end - start)
    order = {key: i for i, key in enumerate(groups)}
    chosen = sorted(presence, key=lambda k: (-presence[k], order[k]))[:MAX_LAYERS]
    rows = []
    for key in chosen:
        spans = np.asarray(groups[key], dtype=np.float64)
        weights, first, last = spans[:, 0], spans[:, 1] / step_s, spans[:, 2] / step_s
        opens, closes = spans[:, 1] > 0.0, spans[:, 2] < duration_s
        fade = np.maximum(np.minimum(_MAX_FADE_S / step_s, (last - first) / 3.0), 1.0)
        # At the song's own start and end a prompt is full at once: no fade there.
        fade_in = np.where(opens, fade, 1.0)
        fade_out = np.where(closes, fade, 1.0)
        rise_from = np.where(opens, first, -1.0)
        fall_from = np.where(closes, last - fade_out, float(points + 1))
        xs = np.concatenate([rise_from, rise_from + fade_in, fall_from, fall_from + fade_out])
        slopes = np.concatenate(
            [weights / fade_in, -weights / fade_in, -weights / fade_out, weights / fade_out]
        )
        rows.append(np.maximum(_ramps(points, xs, slopes), 0.0))
    gains = np.stack(rows) if rows else np.zeros((0, points), dtype=np.float64)
    total = gains.sum(axis=0)
    gains = gains / np.maximum(total, 1.0)
    neutral = np.clip(1.0 - total, 0.0, 1.0)
    return LayerPlan(texts=chosen, gains=gains, neutral=neutral)
