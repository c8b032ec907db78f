"""``python -m microgradnn`` runs the same command as ``microgradnn``."""

import sys

from .app.cli import main

sys.exit(main())
