"""`make bench`: every contender on the same synthetic issues, alternated,
with repetitions, and the report written to docs/performance.md.

Contenders (see docs/performance.md for what each one is):
  (a) build     `broadsheet build` in a fresh process: one process, every stage
  (b) weasy     WeasyPrint alone on the HTML broadsheet typeset
  (c) typst     Typst (PyPI `typst`) on the same content
  (d) chromium  headless Chromium printing the same HTML
  (e) warm      rebuilds in one long-lived process (`warm.py`)
  (f) batch     ten issues in one `broadsheet build` call against ten processes
Also `broadsheet --help` and `broadsheet check`, the CSS experiments, a
profile of one build, and `broadsheet mail`'s messages a second.

Within a size the contenders take turns, in an order rotated every
repetition, so a busy minute on a shared machine hurts them all alike and
ratios stay comparable. BENCH_QUICK=1 runs a short smoke version (no
160-page issue, fewer repetitions); the report says which it was.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from benchmarks import chromium, experiments, machine, mail_rate, report, stamping
from benchmarks.measure import Failed, Sample, launcher_floor, run, run_all, with_pdf
from benchmarks.synthetic import make_project
from benchmarks.typst_source import typst_document

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
# Repetitions per size: enough for a median, few enough for 15 minutes on 2 cores.
REPETITIONS = {4: 2, 40: 1} if QUICK else {4: 5, 40: 3, 160: 2}
WARM_REBUILDS = 3 if QUICK else 6
BATCH = 4 if QUICK else 10
BATCH_REPETITIONS = 1 if QUICK else 2
EXPERIMENT_PAGES, EXPERIMENT_REPETITIONS = (4, 1) if QUICK else (40, 2)
# Sizes profiled, each in these ways (profile_build.py): a cold build, and a warm rebuild.
PROFILED = {4: ("cold", "warm")} | ({} if QUICK else {40: ("cold",)})
SUBSCRIBERS = 50 if QUICK else 200
BUILD_SECONDS = 3600  # each build's time limit in the bench (the command's default: 300)


def main() -> int:
    started = time.perf_counter()
    python = Path(sys.executable)
    broadsheet = str(python.parent / "broadsheet")
    work = Path(os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix="broadsheet-bench-"))
    output = REPOSITORY / "build" / "bench"
    output.mkdir(parents=True, exist_ok=True)
    browser = chromium.find()
    env = _child_environment()
    results: dict = {
        "quick": QUICK,
        "machine": machine.describe(browser),
        "load_before": os.getloadavg(),
        "launcher_floor_mb": launcher_floor(),
        "repetitions": {str(k): v for k, v in REPETITIONS.items()},
        "sizes": {},
    }
    fonts = machine.bundled_fonts()
    projects = {}
    for pages, repetitions in REPETITIONS.items():
        _say(f"{pages} pages: preparing")
        project = make_project(work / f"p{pages}", pages)
        projects[pages] = project
        issue = project.issues[0]
        root = project.root
        html = root / "build" / "issue.html"
        first = with_pdf(
            run(
                [
                    broadsheet,
                    "build",
                    str(issue),
                    "--html",
                    str(html),
                    "-o",
                    "build/first.pdf",
                    "--depfile",
                    f"build/{issue.stem}.d",
                    "-q",
                ],
                root,
                env,
            ),
            root / "build" / "first.pdf",
        )
        stylesheets = machine.stylesheets(root)
        page = chromium.standalone(html, stylesheets, root / "build" / "standalone.html")
        (root / "typst").mkdir(exist_ok=True)
        typ = root / "typst" / "main.typ"
        typ.write_text(
            typst_document(issue, issue.parent / "newsletter.yaml", root), encoding="utf-8"
        )
        css = [arg for path in stylesheets for arg in ("--css", str(path))]
        contenders = {
            "build": ([broadsheet, "build", str(issue), "-o", "build/a.pdf", "-q"], "build/a.pdf"),
            "weasy": (
                [str(python), str(HERE / "raw_weasyprint.py"), str(html), "build/b.pdf", *css],
                "build/b.pdf",
            ),
            "typst": (
                [
                    str(python),
                    str(HERE / "typst_compile.py"),
                    str(typ),
                    "build/c.pdf",
                    str(root),
                    str(fonts),
                ],
                "build/c.pdf",
            ),
        }
        if browser:
            contenders["chromium"] = (None, "build/d.pdf")
        if pages == 4:
            contenders["help"] = ([broadsheet, "--help"], None)
            contenders["check"] = ([broadsheet, "check", str(issue), "-q"], None)
        samples: dict[str, list] = {name: [] for name in contenders}
        names = list(contenders)
        for rep in range(repetitions):
            order = names[rep % len(names) :] + names[: rep % len(names)]
            for name in order:
                _say(f"{pages} pages: {name} ({rep + 1}/{repetitions})")
                argv, pdf = contenders[name]
                profile_dir = None
                if name == "chromium":
                    profile_dir = Path(tempfile.mkdtemp(prefix="bench-chromium-", dir=work))
                    argv = chromium.command(browser, page, root / pdf, profile_dir)
                child_env = _engine_environment(env) if name == "weasy" else env
                try:
                    sample = run(argv, root, child_env, log=root / f"{name}.log")
                    samples[name].append(asdict(with_pdf(sample, root / pdf) if pdf else sample))
                except Failed as exc:
                    samples[name].append(asdict(Sample(0, 0, 0, failed=str(exc))))
                finally:
                    if profile_dir:
                        shutil.rmtree(profile_dir, ignore_errors=True)
        results["sizes"][str(pages)] = {"first": asdict(first), "samples": samples}
    results["warm"] = _warm(python, projects[4], env)
    results["batch"] = _batch(broadsheet, work, env)
    results["experiments"] = _experiments(python, projects[EXPERIMENT_PAGES], env)
    results["profiles"] = {
        str(pages): _profiles(python, projects[pages], output, env, modes)
        for pages, modes in PROFILED.items()
    }
    results["mail"] = _mail(broadsheet, projects[4])
    results["stamping"] = _stamping(broadsheet)
    results["load_after"] = os.getloadavg()
    results["seconds"] = time.perf_counter() - started
    (output / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    document = REPOSITORY / "docs" / "performance.md"
    document.write_text(report.markdown(results), encoding="utf-8")
    _say(f"wrote {document.relative_to(REPOSITORY)} in {results['seconds']:.0f} s")
    if not os.environ.get("BENCH_DIR"):
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _warm(python: Path, project, env) -> dict:
    _say(f"warm rebuilds ({WARM_REBUILDS})")
    root, issue = project.root, project.issues[0]
    argv = [
        str(python),
        str(HERE / "warm.py"),
        str(root),
        str(issue),
        "build/e.pdf",
        str(WARM_REBUILDS),
    ]
    try:
        sample = run(argv, root, env, log=root / "warm.log")
    except Failed as exc:
        return {"failed": str(exc)}
    said = json.loads((root / "warm.log").read_text().strip().splitlines()[-1])
    return {
        **said,
        "process": asdict(with_pdf(sample, root / "build" / "e.pdf")),
        "engine_again": _engine_again(python, project, env),
    }


def _engine_again(python: Path, project, env) -> list | dict:
    """The engine's floor for a warm rebuild: WeasyPrint alone laying out and
    writing the same HTML again in one process, stylesheets and fonts loaded."""
    root = project.root
    css = [arg for path in machine.stylesheets(root) for arg in ("--css", str(path))]
    argv = [
        str(python),
        str(HERE / "raw_weasyprint.py"),
        str(root / "build" / "issue.html"),
        "build/e-engine.pdf",
        *css,
        "--again",
        str(WARM_REBUILDS),
    ]
    try:
        run(argv, root, _engine_environment(env), log=root / "warm-engine.log")
    except Failed as exc:
        return {"failed": str(exc)}
    return json.loads((root / "warm-engine.log").read_text().strip().splitlines()[-1])["again"]


def _batch(broadsheet: str, work: Path, env) -> dict:
    """(f): one call with BATCH issues against BATCH processes, one at a time and two at a time."""
    project = make_project(work / "batch", 4, copies=BATCH)
    root = project.root
    issues = [str(path) for path in project.issues]
    jobs = (
        "--jobs"
        in subprocess.run([broadsheet, "build", "--help"], capture_output=True, text=True).stdout
    )
    ways = {"one call": [[broadsheet, "build", *issues, "-q"]]}
    if jobs:
        ways["one call --jobs 2"] = [[broadsheet, "build", *issues, "-q", "--jobs", "2"]]
    ways["separate processes, one at a time"] = [
        [broadsheet, "build", path, "-q"] for path in issues
    ]
    ways["separate processes, two at a time"] = ways["separate processes, one at a time"]
    run([broadsheet, "build", issues[0], "-q"], root, env)  # picture cache, as for the others
    samples: dict[str, list] = {way: [] for way in ways}
    names = list(ways)
    for rep in range(BATCH_REPETITIONS):
        for name in names[rep % len(names) :] + names[: rep % len(names)]:
            _say(f"{BATCH} issues: {name} ({rep + 1}/{BATCH_REPETITIONS})")
            parallel = 2 if "two at a time" in name else 1
            try:
                samples[name].append(asdict(run_all(ways[name], root, env, parallel)))
            except Failed as exc:
                samples[name].append(asdict(Sample(0, 0, 0, failed=str(exc))))
    return {"issues": BATCH, "jobs_option": jobs, "samples": samples}


def _experiments(python: Path, project, env) -> dict:
    root = project.root
    html = root / "build" / "issue.html"
    css = [arg for path in machine.stylesheets(root) for arg in ("--css", str(path))]
    found: dict[str, list] = {key: [] for key, _, _ in experiments.VARIANTS}
    for rep in range(EXPERIMENT_REPETITIONS):
        variants = experiments.VARIANTS if rep % 2 == 0 else experiments.VARIANTS[::-1]
        for key, _, extra in variants:
            _say(f"CSS experiment {key} ({rep + 1}/{EXPERIMENT_REPETITIONS})")
            argv = [
                str(python),
                str(HERE / "raw_weasyprint.py"),
                str(html),
                "build/x.pdf",
                *css,
                "--layout-only",
                "--extra-css",
                extra,
            ]
            log = root / f"experiment-{key}.log"
            try:
                run(argv, root, _engine_environment(env), log=log)
            except Failed as exc:
                found[key].append({"failed": str(exc)})
                continue
            found[key].append(json.loads(log.read_text().strip().splitlines()[-1]))
    return {
        "pages": project.issues[0].stem,
        "variants": [
            {"key": key, "change": change, "css": extra, "runs": found[key]}
            for key, change, extra in experiments.VARIANTS
        ],
    }


def _profiles(python: Path, project, output: Path, env, modes: tuple[str, ...]) -> dict:
    return {mode: _profile(python, project, output, env, mode) for mode in modes}


def _profile(python: Path, project, output: Path, env, mode: str) -> dict:
    root, issue = project.root, project.issues[0]
    _say(f"profile of {issue.stem}, {mode}")
    text = output / f"profile-{issue.stem}-{mode}.txt"
    argv = [
        str(python),
        str(HERE / "profile_build.py"),
        str(root),
        str(issue),
        "build/p.pdf",
        str(text),
        mode,
    ]
    log = root / "profile.log"
    try:
        run(argv, root, env, log=log)
    except Failed as exc:
        return {"failed": str(exc)}
    return json.loads(log.read_text().strip().splitlines()[-1])


def _mail(broadsheet: str, project) -> dict:
    _say(f"mail to {SUBSCRIBERS} subscribers on loopback")
    try:
        found = mail_rate.measure(broadsheet, project.root, project.issues[0], SUBSCRIBERS)
    except (Failed, OSError) as exc:
        return {"failed": str(exc)}
    return {
        "messages": found.messages,
        "accepted": found.accepted,
        "message_bytes": found.message_bytes,
        "per_second": found.per_second,
        "process": asdict(found.sample),
    }


def _stamping(broadsheet: str) -> dict:
    _say(f"personalised copies: {stamping.COPIES} stamped, {stamping.SENT} sent each way")
    try:
        return stamping.measure(broadsheet)
    except (Failed, OSError, RuntimeError) as exc:
        return {"failed": str(exc)}


def _child_environment() -> dict[str, str]:
    """The bench's environment without broadsheet's own settings, but for a time
    limit that measures instead of guarding: on a machine shared with other work a
    160-page build can pass the default 300 s of wall clock it is allowed."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith("BROADSHEET_")}
    return {**kept, "BROADSHEET_BUILD_SECONDS": str(BUILD_SECONDS)}


def _engine_environment(env: dict[str, str]) -> dict[str, str]:
    """For raw WeasyPrint: broadsheet's font configuration, so it sees the same fonts."""
    return {**env, "FONTCONFIG_FILE": str(machine.fontconfig_file())}


def _say(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
