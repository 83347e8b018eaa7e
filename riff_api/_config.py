"""Defaults, environment variables, and the checks made on them before any request."""

from __future__ import annotations

import ipaddress
import os
from typing import TYPE_CHECKING

import httpx

from riff_api._defaults import (
    API_KEY_ENV,
    API_URL_ENV,
    BASE_URL_ENV,
    DEFAULT_API_URL,
    DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT_S,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT_S,
)
from riff_api._exceptions import InsecureTransportError, MissingAPIKeyError
from riff_api._types import TimeoutLike

if TYPE_CHECKING:
    from riff_api._operations import Service

__all__ = [
    "API_KEY_ENV",
    "API_URL_ENV",
    "BASE_URL_ENV",
    "DEFAULT_API_URL",
    "DEFAULT_BASE_URL",
    "DEFAULT_CONNECT_TIMEOUT_S",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT_S",
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
    if key != key.strip() or any(c in key for c in "\r\n"):
        # A stray newline from a copy-paste would make an invalid header, or worse, a split one.
        raise MissingAPIKeyError("The API key has leading/trailing whitespace or a line break.")
    return key


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
    """Whether a host name is this machine (127.0.0.0/8, ::1 or localhost)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
