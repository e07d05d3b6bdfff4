"""`make bench-planner`: what the page planner costs, against its engine.

`broadsheet build` of an issue in a fresh process, against WeasyPrint alone
laying out and writing the final HTML that build typeset (the planned one),
taking turns, at 4, 40 and 160 pages of the synthetic issue and on corpus
issues whose first layout left a page short (so that the planner set a
plan). A build runs twice in each turn: cold (no measure or plan kept, as
a first build) and with the measures and plan the last build kept (a
rebuild, as `make` runs it after a change elsewhere). Prints one line per issue: CPU of each,
peak memory of the cold build and the engine, and the ratios; medians of
the repetitions.

    python -m benchmarks.planner [--repetitions N] [--sizes 4,40,160] [--corpus N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks import machine
from benchmarks.measure import run
from benchmarks.run import _child_environment, _engine_environment
from benchmarks.synthetic import make_project
from broadsheet.engine.measurement import MEASURE_CACHE
from broadsheet.engine.plans import PLAN_CACHE
from tests.corpus.generate import corpus, write_project

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--sizes", default="4,40,160")
    parser.add_argument("--corpus", type=int, default=4, help="corpus issues that needed a plan")
    args = parser.parse_args()
    broadsheet = str(Path(sys.executable).parent / "broadsheet")
    env = _child_environment()
    work = Path(tempfile.mkdtemp(prefix="broadsheet-bench-planner-"))
    issues = []
    for pages in (int(size) for size in args.sizes.split(",") if size):
        project = make_project(work / f"p{pages}", pages)
        issues.append((f"synthetic, {pages} pages asked", project.root, project.issues[0]))
    if args.corpus:
        root = work / "corpus"
        cases = {case.name: case for case in corpus()}
        written = write_project(list(cases.values()), root)
        planned = 0
        for name, issue in written.items():
            if planned >= args.corpus:
                break
            log = root / f"{name}.log"
            run(
                [broadsheet, "build", str(issue), "-o", f"build/{name}.pdf", "--debug"],
                root,
                env,
                log,
            )
            if "plan: " in log.read_text() and "planned:" in log.read_text():
                issues.append((f"corpus {name}", root, issue))
                planned += 1
    heads = ("cold CPU", "kept CPU", "engine CPU", "cold", "kept")
    heads += ("cold MiB", "engine MiB", "ratio")
    print(f"{'issue':40} " + " ".join(f"{head:>10}" for head in heads))
    for label, root, issue in issues:
        html = root / "build" / f"{issue.stem}-final.html"
        run(
            [broadsheet, "build", str(issue), "-o", "build/x.pdf", "--html", str(html), "-q"],
            root,
            env,
        )
        css = [arg for path in machine.stylesheets_for(root, issue) for arg in ("--css", str(path))]
        build = [broadsheet, "build", str(issue), "-o", "build/a.pdf", "-q"]
        engine = [sys.executable, str(HERE / "raw_weasyprint.py"), str(html), "build/b.pdf", *css]
        samples = {"cold": [], "kept": [], "engine": []}
        for rep in range(args.repetitions):
            names = ("cold", "kept", "engine")
            for name in names[rep % 3 :] + names[: rep % 3]:
                if name == "cold":  # a first build: no measure or plan kept from the last one
                    shutil.rmtree(root / MEASURE_CACHE, ignore_errors=True)
                    shutil.rmtree(root / PLAN_CACHE, ignore_errors=True)
                argv = engine if name == "engine" else build
                child_env = _engine_environment(env) if name == "engine" else env
                samples[name].append(run(argv, root, child_env))
        cpu = {name: statistics.median(s.cpu for s in runs) for name, runs in samples.items()}
        mib = {name: statistics.median(s.peak_mb for s in runs) for name, runs in samples.items()}
        print(
            f"{label:40} {cpu['cold']:9.2f}s {cpu['kept']:9.2f}s {cpu['engine']:10.2f}s"
            f" {cpu['cold'] / cpu['engine']:9.2f}x {cpu['kept'] / cpu['engine']:9.2f}x"
            f" {mib['cold']:10.0f} {mib['engine']:10.0f} {mib['cold'] / mib['engine']:7.2f}x",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
