"""What the libraries log while broadsheet works, collected instead of printed.

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
from collections.abc import Iterator


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
