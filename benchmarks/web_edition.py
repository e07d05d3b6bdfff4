"""Seconds of the web edition of one issue: load, validate and render the page
with its stylesheet, fonts and pictures, in this process, warm (the fonts
already cut, the pictures prepared and the templates compiled, as on every
build after the first), writing nothing. Wall and CPU time are both shown:
on a shared machine the wall time says more about the neighbours.

    .venv/bin/python -m benchmarks.web_edition [issues/2026-10.yaml] [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from broadsheet.content.check import check
from broadsheet.html.web import web_page
from broadsheet.theme import Theme


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("issue", nargs="?", type=Path, default=Path("issues/2026-10.yaml"))
    options.add_argument("--root", type=Path, default=Path.cwd())
    options.add_argument("--runs", type=int, default=20)
    args = options.parse_args()

    def once() -> int:
        issue = check(args.issue, args.root)
        return len(web_page(issue, Theme(issue.theme, args.root)).files)

    files = once()  # the first: cuts fonts and prepares pictures when the caches are cold
    walls, cpus = [], []
    for _ in range(args.runs):
        wall, cpu = time.perf_counter(), time.process_time()
        once()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(f"{args.issue}: {files} files, {args.runs} warm runs")
    print(f"  wall: best {min(walls):.3f} s, median {statistics.median(walls):.3f} s")
    print(f"  CPU:  best {min(cpus):.3f} s, median {statistics.median(cpus):.3f} s")
    print(f"  engine imported: {'weasyprint' in sys.modules}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
