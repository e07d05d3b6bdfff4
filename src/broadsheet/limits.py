"""How much one build may take: time, memory and pages.

A stylesheet can ask the engine for a layout that never ends (a font size
of 1e9px, a page a kilometre wide, a table nested a thousand deep), and an
issue can be long. Rather than hang or swap, a build stops with a clear
message when it passes one of these limits, each of which an editor can
read in docs/format.md and raise for one run from the environment:

- BROADSHEET_BUILD_SECONDS: wall-clock time for one issue (default 300);
- BROADSHEET_MEMORY_MB: the process's address space (default 4096), set by
  the command-line program only, never inside a library caller;
- pages: at most MAX_PAGES, checked after each layout;
- the loader's and validator's own limits (file size, nesting, articles,
  picture pixels) are in load.py, schema.py and paths.py.
"""

from __future__ import annotations

import contextlib
import resource
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from broadsheet.errors import ContentError, Diagnostic, UsageError, error

BUILD_SECONDS = 300
MEMORY_MB = 4096
MAX_PAGES = 500
MAX_PAGE_MM = 5080  # 200 inches: the largest page PDF viewers show (PDF 1.7, annex C)


# What each variable may be raised to: far past any newsletter, short of the
# values the operating system's timers and limits cannot represent.
ENVIRONMENT_RANGES = {
    "BROADSHEET_BUILD_SECONDS": (1, 7 * 24 * 3600),
    "BROADSHEET_MEMORY_MB": (1, 16 * 1024 * 1024),
}


def from_environment(environ: dict[str, str], name: str, default: int) -> int:
    """The variable's value, or `default` when it is unset or empty. Anything
    else but a whole number in its range is a usage error naming it: quietly
    building with the default would hide the typo, and a huge number would
    reach the operating system's timers and limits, which refuse it."""
    value = environ.get(name, "").strip()
    if not value:
        return default
    low, high = ENVIRONMENT_RANGES[name]
    if value.isascii() and value.isdigit() and low <= int(value) <= high:
        return int(value)
    raise UsageError(
        [
            Diagnostic(
                None,
                "error",
                f"{name}: expected a whole number from {low} to {high:,}, got {value[:40]!r}",
            )
        ]
    )


class TooLong(ContentError):
    """The build passed its wall-clock limit."""


@contextlib.contextmanager
def alarm(seconds: float, expired: Callable[[], BaseException]) -> Iterator[None]:
    """Raise `expired()` in the work inside after `seconds`. Uses SIGALRM, so it
    only acts in the main thread of a process (elsewhere the work runs unlimited)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def ring(signum, frame):
        raise expired()

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def time_limit(seconds: int, what: str) -> contextlib.AbstractContextManager[None]:
    """Stop the build inside after `seconds`, with TooLong."""
    message = (
        f"{what}: stopped after {seconds} s (BROADSHEET_BUILD_SECONDS); a stylesheet"
        " or the issue asks for more layout than any newsletter needs"
    )
    return alarm(seconds, lambda: TooLong([error(None, message)]))


def near_memory_cap(margin_mb: int = 64) -> bool:
    """Whether the address space is within `margin_mb` of its cap: then a
    native library that will not load (the engine's Pango, pikepdf's qpdf)
    failed for want of memory, whatever the loader's message says."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return False
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return False
    for line in status.splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024 > soft - margin_mb * 1024 * 1024
    return False


def limit_memory(megabytes: int) -> None:
    """Cap the process's address space, so a runaway layout fails with
    MemoryError instead of taking the machine down. Never raises the cap."""
    wanted = megabytes * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft > wanted:
        limit = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
