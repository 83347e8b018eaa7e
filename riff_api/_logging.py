"""The ``riff_api`` logger, switched on by RIFF_API_LOG=debug|info."""

from __future__ import annotations

import os

__all__ = ["LOG_ENV", "setup_logging"]

LOG_ENV = "RIFF_API_LOG"


def setup_logging() -> None:
    """Attach a stderr handler to the ``riff_api`` logger when RIFF_API_LOG asks for one.

    Libraries should not configure logging; this only acts when the user set the variable,
    and never twice. Log lines name method, URL, status and request id: never headers, so
    never the API key.
    """
    level = os.environ.get(LOG_ENV, "").strip().lower()
    if level not in ("debug", "info"):
        return
    import logging  # only now: ``import riff_api`` stays light when nobody asked for logs

    logger = logging.getLogger("riff_api")
    if any(getattr(h, "_riff_api", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("[%(asctime)s %(levelname)s %(name)s] %(message)s", "%H:%M:%S")
    )
    handler._riff_api = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if level == "debug" else logging.INFO)
