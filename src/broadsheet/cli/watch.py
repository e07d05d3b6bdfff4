"""`broadsheet watch`: rebuild an issue whenever a file it was made from changes.

One long-lived process with one `Session` (session.py): the engine, the
font configuration, the parsed stylesheets, the compiled templates and the
prepared pictures stay loaded, so a rebuild costs little more than the
layout itself. The files watched are exactly those the last good build read
(its depfile's list: the YAML, newsletter.yaml, pictures, templates,
stylesheets, fonts), plus the issue and newsletter.yaml; until a build has
succeeded, any change in the issue's folder or the project's `layout/` and
`styles/` starts a new one. A failed rebuild prints its located errors and
leaves the last good PDF in place (builds write atomically); the watcher
carries on.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import watchfiles

from broadsheet import limits
from broadsheet.cli.batch import Job, Outcome, Settings, build_one
from broadsheet.content.check import check
from broadsheet.content.slugs import default_output
from broadsheet.engine.session import Session, signature
from broadsheet.errors import BroadsheetError
from broadsheet.outputs import guards
from broadsheet.profiles import PROFILES
from broadsheet.source import display_path

SOURCES = (".yaml", ".yml", ".css", ".j2", ".png", ".jpg", ".jpeg", ".otf", ".ttf", ".woff2")
STEP_MS = 100  # changes this close together are one change (an editor's save)
CHECK_MS = 500  # how often the watched files are also looked at directly


def run(args, root: Path, stdin: TextIO, stdout: TextIO, report, environ: dict[str, str]) -> int:
    """The command: build, then rebuild on each change until Ctrl-C (exit 0)."""
    profile = PROFILES[args.profile]
    output = args.output or default_output(args.issue, root, profile.suffix)
    named = [("-o", output), ("--html", args.html)]
    guards.refuse_before_build(named, args.issue, root)
    try:
        issue = check(args.issue, root)
    except BroadsheetError:
        issue = None  # a broken issue is watched, and built once it is fixed
    if issue is not None:
        guards.refuse_unsafe(named, guards.issue_inputs(issue))
    seconds = limits.from_environment(environ, "BROADSHEET_BUILD_SECONDS", limits.BUILD_SECONDS)
    settings = Settings(root, profile, args.strict, seconds, args.debug)

    def show(outcome: Outcome, seconds: float, first: bool) -> None:
        if outcome.status:
            report.diagnostics(outcome.diagnostics)
            if not first:
                report.progress(f"kept the last good {display_path(output)}; waiting for changes")
            return
        report.diagnostics(outcome.diagnostics, summary=False)
        if not args.quiet:
            report.line(f"{display_path(args.issue)}: {outcome.fit}")
            done = "built" if first else "rebuilt"
            report.line(f"{done} {display_path(output)} in {seconds:.2f} s")
            print(output, file=stdout, flush=True)

    if not args.quiet:
        report.line(f"broadsheet: watching {display_path(args.issue)} (Ctrl-C stops)")
    try:
        watch(Job(args.issue, output, args.html), settings, show)
    except KeyboardInterrupt:
        if not args.quiet:
            report.line("broadsheet: stopped watching")
    return 0


def watch(
    job: Job,
    settings: Settings,
    show: Callable[[Outcome, float, bool], None],
    stop: threading.Event | None = None,
    max_builds: int | None = None,
) -> Outcome:
    """Build `job`, then again after each change, calling `show(outcome,
    seconds, first)` each time. Returns the last outcome once `stop` is set
    or after `max_builds` builds (for tests and scripts); otherwise runs
    until interrupted."""
    session = Session()
    builds = 0
    good: tuple[Path, ...] = ()  # what the last good build read
    seen: dict[Path, object] = {}  # each watched file as the last build found it

    def build() -> Outcome:
        nonlocal builds, good, seen
        before = {path: signature(path) for path in _watched(job, settings.root, good)[0]}
        started = time.perf_counter()
        outcome = build_one(job, settings, session)
        builds += 1
        if outcome.status == 0:
            good = tuple(path.resolve() for path in outcome.dependencies)
        seen = {path: signature(path) for path in _watched(job, settings.root, good)[0]}
        seen.update(before)  # a file changed while it was being read: build again
        show(outcome, time.perf_counter() - started, builds == 1)
        return outcome

    def changed(files: frozenset) -> bool:
        return any(signature(path) != seen.get(path, signature(path)) for path in files)

    last = build()
    while not _done(stop, builds, max_builds):
        files, folders = _watched(job, settings.root, good)
        if changed(files):
            last = build()  # changed while nothing watched it (between two watchers)
            continue
        for changes in watchfiles.watch(
            *folders,
            watch_filter=functools.partial(_relevant, files, not good),
            step=STEP_MS,
            recursive=False,  # the folders are listed: never all of a project's build/
            stop_event=stop,
            rust_timeout=CHECK_MS,
            yield_on_timeout=True,
        ):
            # The file system's word, or failing that a look at the files
            # themselves: a change the watcher drops (one made just as a build
            # ended) is still seen within CHECK_MS.
            if not changes and not changed(files):
                continue
            last = build()
            if _done(stop, builds, max_builds):
                break
            if _watched(job, settings.root, good) != (files, folders):
                break  # watch what the new build read
        else:
            break  # the stop event was set
    return last


def _done(stop: threading.Event | None, builds: int, max_builds: int | None) -> bool:
    return (stop is not None and stop.is_set()) or (max_builds is not None and builds >= max_builds)


def _watched(job: Job, root: Path, good: tuple[Path, ...]) -> tuple[frozenset, tuple]:
    """The files whose change starts a build, and the folders to watch for them."""
    issue = job.issue.resolve()
    files = frozenset({*good, issue, issue.parent / "newsletter.yaml"})
    folders = {path.parent for path in files}
    if not good:  # nothing built yet: the build may need any file of these
        styles = root / "styles"
        themes = [p for p in styles.iterdir() if p.is_dir()] if styles.is_dir() else []
        folders |= {issue.parent, issue.parent / "images", root / "layout", styles, *themes}
    existing = tuple(sorted(str(folder) for folder in folders if folder.is_dir()))
    return files, existing


def _relevant(files: frozenset, any_source: bool, change, name: str) -> bool:
    """A watched file, or, before the first good build, any file a build may read."""
    path = Path(name).resolve()
    return path in files or (any_source and path.suffix in SOURCES)
