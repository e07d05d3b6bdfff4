"""One child process, measured the way `/usr/bin/time -v` does: wall clock
around it, and CPU seconds and peak memory from the kernel's rusage of that
child alone (`os.wait4`), so the bench's own work never counts.

Peak memory is `ru_maxrss` of the child and every descendant it waited for:
the largest single process, not a sum (a multi-process browser is therefore
shown by its largest process).
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    """One timed run of one contender."""

    wall: float  # seconds
    cpu: float  # user + system seconds of the child and its waited-for descendants
    peak_mb: float  # largest resident set, MiB
    pdf_bytes: int = 0
    pages: int = 0
    failed: str = ""  # why the run failed, when it did


class Failed(Exception):
    """A child exited with a non-zero status; the message holds its last words."""


def run(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None, log: Path | None = None
) -> Sample:
    """Run `argv` in `cwd` to completion; raise Failed on a non-zero exit."""
    log = log or cwd / "bench-child.log"
    with log.open("wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if child.returncode != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-5:]
        raise Failed(f"{Path(argv[0]).name} exited {child.returncode}: {' | '.join(tail)}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def run_all(
    commands: list[list[str]], cwd: Path, env: dict[str, str] | None = None, parallel: int = 1
) -> Sample:
    """Several commands as one measurement, `parallel` at a time (1: one after
    another, as a shell loop; 2: as `make -j2`): wall clock of the whole,
    CPU summed, peak the largest of any one process."""
    started = time.perf_counter()
    cpu = peak = 0.0
    pending = list(commands)
    running: dict[int, tuple[subprocess.Popen, object]] = {}
    while pending or running:
        while pending and len(running) < parallel:
            argv = pending.pop(0)
            out = (cwd / f"bench-child-{len(pending)}.log").open("wb")
            child = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
            running[child.pid] = (child, out)
        pid, status, usage = os.wait4(-1, 0)
        if pid not in running:
            continue
        child, out = running.pop(pid)
        out.close()
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise Failed(f"{Path(child.args[0]).name} exited {child.returncode} ({out.name})")
        cpu += usage.ru_utime + usage.ru_stime
        peak = max(peak, usage.ru_maxrss / 1024)
    return Sample(time.perf_counter() - started, cpu, peak)


def with_pdf(sample: Sample, pdf: Path) -> Sample:
    """The sample with its PDF's size and page count (read after timing)."""
    from pypdf import PdfReader

    pages = len(PdfReader(pdf).pages)
    return Sample(sample.wall, sample.cpu, sample.peak_mb, pdf.stat().st_size, pages)
