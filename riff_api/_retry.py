"""When to retry a request, and how long to wait before the next try."""

from __future__ import annotations

import email.utils
import math
import random
import time

__all__ = [
    "INITIAL_BACKOFF_S",
    "MAX_BACKOFF_S",
    "MAX_RETRY_AFTER_S",
    "RETRYABLE_STATUSES",
    "backoff_delay",
    "is_retryable_status",
    "parse_retry_after",
    "retry_delay",
]

INITIAL_BACKOFF_S = 0.5
MAX_BACKOFF_S = 8.0
#: A Retry-After longer than this is not waited for: the backoff applies instead, so a
#: misconfigured server cannot park a caller for an hour.
MAX_RETRY_AFTER_S = 60.0
#: 408 and 409 are transient on most HTTP stacks (a slow client, a lock); 429 and 5xx are load.
RETRYABLE_STATUSES = frozenset({408, 409, 429})


def is_retryable_status(status_code: int) -> bool:
    """Whether an answer with this status is worth another try."""
    return status_code in RETRYABLE_STATUSES or status_code >= 500


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date).

    Returns None when the header is absent or unreadable; never a negative number.
    """
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # an HTTP date is always GMT, even when it fails to say so
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def backoff_delay(retries_done: int, *, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter: 0.5 s x 2^n capped at 8 s, less up to a quarter.

    The jitter spreads the retries of many clients that failed together.
    """
    base = min(INITIAL_BACKOFF_S * 2.0**retries_done, MAX_BACKOFF_S)
    jitter = (rng or random).random() * 0.25
    return base * (1.0 - jitter)


def retry_delay(retries_done: int, retry_after: str | None) -> float:
    """How long to sleep before the next try, honouring the server's Retry-After when sane."""
    asked = parse_retry_after(retry_after)
    if asked is not None and asked <= MAX_RETRY_AFTER_S:
        return asked
    return backoff_delay(retries_done)
