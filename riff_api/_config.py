"""The checks made on the clients' settings before any request (the defaults and environment
variables themselves live in ``riff_api._defaults``, which imports nothing)."""

from __future__ import annotations

import ipaddress
import os
from typing import TYPE_CHECKING

import httpx

from riff_api._defaults import (
    API_KEY_ENV,
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT_S,
)
from riff_api._exceptions import InsecureTransportError, MalformedAPIKeyError, MissingAPIKeyError
from riff_api._types import TimeoutLike

if TYPE_CHECKING:
    from riff_api._operations import Service

__all__ = [
    "check_max_response_bytes",
    "check_secure",
    "is_loopback",
    "normalize_base_url",
    "resolve_api_key",
    "resolve_base_url",
    "resolve_service_url",
    "to_httpx_timeout",
]


def resolve_api_key(api_key: str | None) -> str:
    """The key to send: the argument, else RIFFUSION_API_KEY, read now (not at import)."""
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
    if key is None or not key.strip():
        raise MissingAPIKeyError(
            f"No API key: pass api_key=... or set the {API_KEY_ENV} environment variable."
        )
    problem = _key_problem(key)
    if problem:
        source = "api_key" if api_key is not None else API_KEY_ENV
        raise MalformedAPIKeyError(f"The API key ({source}) {problem}; check how it was copied.")
    return key


def _key_problem(key: str) -> str | None:
    """What makes ``key`` unsendable as a header value, never quoting any of it; or None.

    A header value is visible ASCII with inner spaces. A stray newline from a copy-paste
    would split the header; other control characters were refused by the HTTP layer with
    the whole value in its message; a non-ASCII character could not be encoded at all.
    """
    if key != key.strip():
        return "has blanks (spaces, tabs or line breaks) before or after it"
    for place, char in enumerate(key, start=1):
        if char == " ":
            continue
        if not char.isascii():
            return f"has a non-ASCII character (character {place} of {len(key)})"
        if not char.isprintable():
            return f"has a control character (character {place} of {len(key)})"
    return None


def check_max_response_bytes(value: int) -> int:
    """``value`` if it is a whole number of bytes >= 1, else a ValueError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"max_response_bytes must be a whole number >= 1, got {value!r}")
    return value


def resolve_base_url(base_url: str | httpx.URL | None) -> str:
    """The base URL: the argument, else RIFFUSION_BACKEND_URL, else the live service."""
    if base_url is None:
        base_url = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    return normalize_base_url(base_url)


def resolve_service_url(service: Service, url: str | httpx.URL | None) -> str:
    """A service's base URL: the argument, else its environment variable, else the live one."""
    if url is None:
        url = os.environ.get(service.env) or service.default_url
    return normalize_base_url(url)


def normalize_base_url(base_url: str | httpx.URL) -> str:
    """Check a base URL and drop its trailing slash, so paths join the same way every time."""
    url = httpx.URL(str(base_url).strip())
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url must be an http(s) URL with a host, got {str(base_url)!r}")
    return str(url).rstrip("/")


def is_loopback(host: str) -> bool:
    """Whether a URL's host is this machine: 127.0.0.0/8, ::1, or exactly ``localhost``.

    Decided from the text alone, before any lookup. Any other name, ``*.localhost``
    included, is resolved by whatever resolver the system has, which may answer with
    another machine's address.
    """
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        return address.scope_id is None and address == ipaddress.IPv6Address("::1")
    return address in _LOOPBACK_V4


_LOOPBACK_V4 = ipaddress.IPv4Network("127.0.0.0/8")


def check_secure(base_url: str, *, allow_insecure_http: bool) -> None:
    """Refuse to send the key in clear text to another machine, unless told to."""
    url = httpx.URL(base_url)
    if url.scheme == "http" and not allow_insecure_http and not is_loopback(url.host):
        raise InsecureTransportError(
            f"Refusing to send the API key over plain http to {url.host}; use https, "
            "or pass allow_insecure_http=True if this network is trusted."
        )


def to_httpx_timeout(timeout: TimeoutLike) -> tuple[httpx.Timeout, float | None]:
    """An httpx timeout and a whole-request deadline (seconds, or None) for a timeout setting.

    httpx limits each network operation; a number here is meant for the whole request, so it
    also becomes the deadline that the receive loop checks between chunks.
    """
    if timeout is None:
        return httpx.Timeout(None), None
    if isinstance(timeout, httpx.Timeout):
        return timeout, None
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    seconds = float(timeout)
    return httpx.Timeout(seconds, connect=min(DEFAULT_CONNECT_TIMEOUT_S, seconds)), seconds
