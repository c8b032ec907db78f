"""``python -m microgradnn`` runs the same command as ``microgradnn``."""

import sys

from .cli import main

sys.exit(main())
