"""Allow `python -m broadsheet`, the same entry point as the console script."""

import sys

from broadsheet.cli.main import entry

sys.exit(entry())
