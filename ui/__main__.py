"""``python -m ui`` is the same as the ``konferenz`` command."""

import sys

from ui.commands.cli import main

sys.exit(main())
