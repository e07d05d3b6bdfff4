"""Many issues in one `broadsheet build`: worker processes, each warmed once.

Building ten issues as ten processes pays ten times for what a build spends
before its layout starts (the engine's import, the fonts, the stylesheets,
the templates). Here each worker process imports the engine once and keeps
one `Session` (engine/session.py) for every issue it builds, and the workers share
the cores. Processes, not threads: the layout is Python and holds the GIL,
and the engine's objects are not made to be shared.

Results come back in the order the issues were given, whatever order they
finish in, so the output reads the same with one worker or many. A failure
is an `Outcome` with its exit status and located diagnostics, never an
exception out of a worker: one bad issue does not stop the others.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from broadsheet import limits, pipeline
from broadsheet.engine import Session
from broadsheet.errors import BroadsheetError, Diagnostic, UsageError, error
from broadsheet.pdf.sizes import human
from broadsheet.pipeline import Job, Settings
from broadsheet.source import display_path

__all__ = ["Job", "Outcome", "Settings", "build_all", "build_one", "summary"]


@dataclass(frozen=True)
class Outcome:
    """What became of one job: exit status 0 with its warnings, or the
    status of its failure with its errors."""

    job: Job
    status: int
    diagnostics: tuple[Diagnostic, ...]
    fit: str = ""  # the copy-fit summary line
    pages: int = 0
    size: int = 0  # bytes
    dependencies: tuple[Path, ...] = ()  # every file the build read (its depfile's list)


def refuse_shared_outputs(jobs: Sequence[Job]) -> None:
    """Two issues of one run that would write the same file are a usage error,
    raised before anything is built: otherwise the second PDF silently
    replaces the first, and the run still says it built both."""
    writers: dict[Path, int] = {}  # each file: the first job to write it
    problems = []
    for index, job in enumerate(jobs):
        for _, path in job.targets:
            if path is None:
                continue
            where = path.resolve()
            if writers.setdefault(where, index) == index:
                continue  # a job naming one file twice is targets.py's to refuse
            earlier = jobs[writers[where]].issue
            first, second = display_path(earlier), display_path(job.issue)
            hint = (
                "it is one issue given twice"
                if earlier.resolve() == job.issue.resolve()
                else "build one of them in a run of its own, with -o"
            )
            message = f"{first} and {second} would both write {path}: {hint}; nothing was built"
            problems.append(error(None, message))
    if problems:
        raise UsageError(problems)


def cpu_count() -> int:
    """The cores this process may use: the default number of workers."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build_one(
    job: Job,
    settings: Settings,
    session: Session | None,
    progress: Callable[[str], None] = lambda text: None,
) -> Outcome:
    """Build one issue with `session`, within the time limit; a
    BroadsheetError becomes an Outcome."""
    try:
        with limits.time_limit(settings.seconds, display_path(job.issue)):
            result = pipeline.build(job, settings, session, progress)
    except BroadsheetError as exc:
        return Outcome(job, exc.exit_code, exc.diagnostics)
    return Outcome(
        job,
        0,
        result.warnings,
        result.fit.summary() if result.fit else "",
        result.pages,
        result.size,
        result.dependencies,
    )


def build_all(
    jobs: Sequence[Job],
    settings: Settings,
    workers: int,
    report: Callable[[Outcome], None],
    finished: Callable[[], None] = lambda: None,
    progress: Callable[[str], None] = lambda text: None,
    session: Session | None = None,
) -> list[Outcome]:
    """Build every job, `workers` at a time, and call `report` with each
    outcome in the order of `jobs`; `finished` is called as each one ends,
    in any order (for a progress bar).

    One worker, or one job, builds in this process with `session` (a new one
    when None), and `progress` shows each stage's time (--debug); an
    unexpected exception then reaches the caller as usual.
    """
    if workers <= 1 or len(jobs) <= 1:
        session = session or Session()
        outcomes = []
        for job in jobs:
            outcome = build_one(job, settings, session, progress)
            finished()
            report(outcome)
            outcomes.append(outcome)
        return outcomes
    return _in_workers(jobs, settings, min(workers, len(jobs)), report, finished)


def _in_workers(jobs, settings, workers, report, finished) -> list[Outcome]:
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    )
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(dict(os.environ),),
    )
    outcomes: list[Outcome | None] = [None] * len(jobs)
    try:
        pending: dict[Future, int] = {
            pool.submit(_work, job, settings): index for index, job in enumerate(jobs)
        }
        shown = 0
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                outcomes[index] = _outcome(future, jobs[index])
                finished()
            while shown < len(jobs) and outcomes[shown] is not None:
                report(outcomes[shown])  # type: ignore[arg-type]
                shown += 1
    except BaseException:  # Ctrl-C: stop the workers now, not after their issues
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return [outcome for outcome in outcomes if outcome is not None]


def _outcome(future: Future, job: Job) -> Outcome:
    try:
        return future.result()
    except Exception as exc:  # the worker process died (killed, out of memory)
        message = f"internal error: a worker process failed: {type(exc).__name__}: {exc}"
        return Outcome(job, 3, (error(None, message),))


_SESSION: Session | None = None  # the worker's own, made by _start_worker


def _start_worker(environ: dict[str, str]) -> None:
    """Once per worker: the parent's environment (SOURCE_DATE_EPOCH...), Ctrl-C
    left to the parent (which ends the workers), and the engine imported."""
    global _SESSION
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.clear()
    os.environ.update(environ)
    _SESSION = Session()


def _work(job: Job, settings: Settings) -> Outcome:
    """One job in a worker; anything unexpected becomes an internal error
    (exit status 3), as the command line reports it."""
    try:
        return build_one(job, settings, _SESSION)
    except MemoryError:
        status, message = 1, "out of memory (BROADSHEET_MEMORY_MB)"
    except Exception as exc:
        status, message = (
            3,
            f"internal error: {type(exc).__name__}: {exc}"
            + (
                "\n" + traceback.format_exc()
                if settings.debug
                else " (rerun with --debug for the traceback)"
            ),
        )
    return Outcome(job, status, (error(None, f"{display_path(job.issue)}: {message}"),))


def summary(outcomes: Sequence[Outcome], seconds: float) -> str:
    """`built 10 issues (34 pages, 2.1 MB) in 6.2 s`, and how many failed."""
    built = [outcome for outcome in outcomes if outcome.status == 0]
    count = f"{len(built)}" if len(built) == len(outcomes) else f"{len(built)} of {len(outcomes)}"
    pages = sum(outcome.pages for outcome in built)
    size = human(sum(outcome.size for outcome in built))
    line = (
        f"built {count} issue{'s' * (len(outcomes) != 1)}"
        f" ({pages} page{'s' * (pages != 1)}, {size}) in {seconds:.1f} s"
    )
    failed = len(outcomes) - len(built)
    return line + (f"; {failed} failed" if failed else "")
