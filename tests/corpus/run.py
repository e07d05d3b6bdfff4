"""`make corpus`: build every corpus issue through the real pipeline and
report how full its pages are against the planner's targets.

    .venv/bin/python -m tests.corpus.run [--cases N] [--only TEXT ...] [--sheet FILE]

Writes build/corpus/<case>.pdf and build/corpus/report.json. The exit status
is 0 whatever the targets say, and a case that fails to build is a row of
the report, not a stop: the report is the point, and the planner that should
meet the targets is written against it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from broadsheet.engine import Session

from .builds import build_case
from .generate import DEFAULT_COUNT, REPO, corpus, write_project
from .report import HEADER, row_line, summary, summary_lines, write_json
from .sheet import contact_sheet

OUT = REPO / "build" / "corpus"


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.corpus.run", description=__doc__)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="cases in the corpus")
    parser.add_argument("--cases", type=int, help="build only the first N (after --only)")
    parser.add_argument(
        "--only", action="append", default=[], help="cases whose name contains TEXT (repeatable)"
    )
    parser.add_argument("--sheet", type=Path, help="also write a PNG contact sheet here")
    parser.add_argument("--out", type=Path, default=OUT, help="where the PDFs and report go")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    cases = [c for c in corpus(args.count) if not args.only or any(t in c.name for t in args.only)]
    cases = cases[: args.cases] if args.cases is not None else cases
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows = []
    print(HEADER, flush=True)  # then a row as each case is built
    with tempfile.TemporaryDirectory(prefix="broadsheet-corpus-") as folder:
        root = Path(folder)
        issues = write_project(cases, root)
        session = Session()  # fonts and stylesheets load once per theme
        for case in cases:
            output = args.out / f"{case.name}.pdf"
            row = build_case(case, issues[case.name], root, output, session)
            rows.append(row)
            print(row_line(row), flush=True)
    facts = summary(rows, time.perf_counter() - started)
    print("\n".join(summary_lines(facts)))
    write_json(args.out / "report.json", rows, facts)
    print(f"report: {args.out / 'report.json'}")
    if args.sheet:
        print(f"contact sheet: {contact_sheet(rows, args.sheet)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
