"""Contender (e): rebuilds in one long-lived process, the `watch` path.

Run as a script in a fresh process. It builds the issue once (cold: imports,
fonts, caches), then edits the issue's YAML and rebuilds it `N` times, the
way `broadsheet watch` does after each save: `pipeline.build` with one
`Session` that keeps the font configuration, parsed stylesheets, compiled
templates and prepared pictures. Each rebuild is timed alone, wall and CPU
(user + system of this process: a build is one process).

    python warm.py ROOT ISSUE.yaml OUT.pdf N

Prints one JSON object: the label, the cold build's seconds, and each
rebuild's wall and CPU seconds.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path


def builder(root: Path) -> tuple[str, Callable[[Path, Path], object]]:
    """The warm build to time, and its label for the report."""
    from broadsheet import pipeline
    from broadsheet.engine.session import Session

    session = Session()
    settings = pipeline.Settings(root.resolve())

    def build(issue: Path, out: Path) -> object:
        return pipeline.build(pipeline.Job(issue, out), settings, session, lambda text: None)

    return "pipeline.build with one Session (the watch path)", build


def main() -> None:
    root, issue, output, count = (
        Path(sys.argv[1]),
        Path(sys.argv[2]),
        Path(sys.argv[3]),
        int(sys.argv[4]),
    )
    original = issue.read_text(encoding="utf-8")
    started, cpu = time.perf_counter(), time.process_time()
    label, build = builder(root)
    build(issue, output)
    cold = (time.perf_counter() - started, time.process_time() - cpu)
    rebuilds = []
    try:
        for n in range(count):
            issue.write_text(original + f"# edit {n}\n", encoding="utf-8")  # a save in the editor
            started, cpu = time.perf_counter(), time.process_time()
            build(issue, output)
            rebuilds.append((time.perf_counter() - started, time.process_time() - cpu))
    finally:
        issue.write_text(original, encoding="utf-8")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"label": label, "cold": cold, "rebuilds": rebuilds, "peak_mb": peak}))


if __name__ == "__main__":
    main()
