"""``python -m fosi`` is the ``fosi`` command."""

import sys

from fosi.cli import main

sys.exit(main())
