"""One child process, measured the way `/usr/bin/time -v` does: its wall
clock, and its CPU seconds and peak memory from the kernel's rusage of that
child alone (`os.wait4`), so the bench's own work never counts.

Every command is started through `launch.py`, a small process that spawns
it and reports its rusage: on Linux a child's `ru_maxrss` starts at the
resident size of whoever forked it, so a command forked straight from the
bench (which holds PDFs it has read) would be charged with the bench's
memory. The launcher's own few MiB are the floor instead (`launcher_floor`).

Peak memory is `ru_maxrss` of the command and every descendant it waited
for: the largest single process, not a sum (a multi-process browser is
therefore shown by its largest process).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parent / "launch.py"


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


def _launched(argv: list[str], report: Path) -> list[str]:
    return [sys.executable, "-S", str(LAUNCHER), str(report), *argv]


def _sample(report: Path) -> Sample:
    said = json.loads(report.read_text())
    report.unlink()
    return Sample(said["wall"], said["cpu"], said["peak_kib"] / 1024)


def run(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None, log: Path | None = None
) -> Sample:
    """Run `argv` in `cwd` to completion; raise Failed on a non-zero exit."""
    log = log or cwd / "bench-child.log"
    report = log.with_suffix(".rusage.json")
    with log.open("wb") as out:
        child = subprocess.run(
            _launched(argv, report), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    if child.returncode != 0:
        report.unlink(missing_ok=True)
        tail = log.read_text(errors="replace").strip().splitlines()[-5:]
        raise Failed(f"{Path(argv[0]).name} exited {child.returncode}: {' | '.join(tail)}")
    return _sample(report)


def run_all(
    commands: list[list[str]], cwd: Path, env: dict[str, str] | None = None, parallel: int = 1
) -> Sample:
    """Several commands as one measurement, `parallel` at a time (1: one after
    another, as a shell loop; 2: as `make -j2`): wall clock of the whole,
    CPU summed, peak the largest of any one process."""
    started = time.perf_counter()
    cpu = peak = 0.0
    pending = list(enumerate(commands))
    running: list[tuple[subprocess.Popen, Path, object]] = []
    while pending or running:
        while pending and len(running) < parallel:
            n, argv = pending.pop(0)
            out = (cwd / f"bench-child-{n}.log").open("wb")
            report = cwd / f"bench-child-{n}.rusage.json"
            child = subprocess.Popen(
                _launched(argv, report), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT
            )
            running.append((child, report, out))
        time.sleep(0.005)
        for entry in [e for e in running if e[0].poll() is not None]:
            child, report, out = entry
            running.remove(entry)
            out.close()
            if child.returncode != 0:
                raise Failed(f"{Path(child.args[4]).name} exited {child.returncode} ({out.name})")
            sample = _sample(report)
            cpu += sample.cpu
            peak = max(peak, sample.peak_mb)
    return Sample(time.perf_counter() - started, cpu, peak)


def launcher_floor() -> float:
    """MiB the launcher itself puts under every peak (its resident size at spawn)."""
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as folder:
        return run(["true"], Path(folder)).peak_mb


def with_pdf(sample: Sample, pdf: Path) -> Sample:
    """The sample with its PDF's size and page count (read after timing)."""
    from pypdf import PdfReader

    pages = len(PdfReader(pdf).pages)
    return Sample(sample.wall, sample.cpu, sample.peak_mb, pdf.stat().st_size, pages)
