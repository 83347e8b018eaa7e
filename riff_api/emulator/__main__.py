"""``python -m riff_api.emulator``: serve the emulator (see ``--help``)."""

from __future__ import annotations

from ._server import main

raise SystemExit(main())
