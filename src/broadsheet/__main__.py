"""Allow `python -m broadsheet`, the same entry point as the console script."""

import sys

from broadsheet.cli import entry

sys.exit(entry())
