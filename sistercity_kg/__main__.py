"""``python -m sistercity_kg`` runs the same command line as ``sistercity-kg``."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
