"""Contender (a0), 4 pages only: `pipeline.build` with every stage in this one
process, no companion and no layout processes: how `broadsheet build` ran
before one-off builds forked. Beside (a), it shows what forking changed
(wall, CPU and peak memory of the same build in the same run).

    python build_alone.py ROOT ISSUE.yaml OUT.pdf
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> None:
    root, issue, output = (Path(arg) for arg in sys.argv[1:4])
    from broadsheet import pipeline

    pipeline.build(issue, output, root.resolve(), progress=lambda text: None)


if __name__ == "__main__":
    main()
