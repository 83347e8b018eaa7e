"""``python -m riff_api.cli``: the same as the ``riff`` console script."""

from __future__ import annotations

from riff_api.cli import main

raise SystemExit(main())
