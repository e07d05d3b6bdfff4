"""What the libraries log while broadsheet works, collected instead of
printed; and each stage's time, reported as it ends.

WeasyPrint, the fetcher and pypdf report problems through `logging`. The
library side of broadsheet never configures handlers (the CLI decides what
to show), but a logger with no handler at all makes Python print the bare
message on standard error, outside the `file:line:col: warning:` form. So
each stage that calls such a library collects what it logs and turns it
into diagnostics or findings of its own.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def collected(*names: str) -> Iterator[list[str]]:
    """The warnings the named loggers log meanwhile, as a list of messages."""
    collect = _Collect()
    loggers = [logging.getLogger(name) for name in names]
    for logger in loggers:
        logger.addHandler(collect)
    try:
        yield collect.messages
    finally:
        for logger in loggers:
            logger.removeHandler(collect)


def stage(name: str, progress: Callable[[str], None], function, *args):
    """`function(*args)`, with its seconds reported as `name` (shown by --debug)."""
    started = time.perf_counter()
    value = function(*args)
    progress(f"{name}: {time.perf_counter() - started:.2f} s")
    return value
