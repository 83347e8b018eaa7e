"""The exit statuses of ``riff`` and its usage error: what even ``riff --help`` needs.

Kept apart from ``_status`` (which explains errors, and so knows every exception class), so
that parsing a command line loads neither httpx nor pydantic.
"""

from __future__ import annotations

import enum

__all__ = ["ExitStatus", "UsageError"]


class ExitStatus(enum.IntEnum):
    """What ``riff`` exits with; each failure cause has its own code so scripts can react."""

    OK = 0
    #: Anything not covered below, e.g. a file that could not be written, or failed batch jobs.
    ERROR = 1
    #: Bad command line or input file, found before any request was sent.
    USAGE = 2
    #: No API key, or the service refused it (401/403).
    AUTH = 3
    #: The service refused the request's content (400/413/422) or answered with an invalid song.
    VALIDATION = 4
    #: Too many requests (429), still so after the retries.
    RATE_LIMIT = 5
    #: The service failed (5xx), still so after the retries.
    SERVER = 6
    #: No answer: refused, reset, DNS, or timed out.
    CONNECTION = 7
    #: Ctrl-C, as shells report SIGINT (128 + 2).
    INTERRUPTED = 130


class UsageError(Exception):
    """A mistake on the command line or in an input file; nothing was sent."""
