"""A progress bar on standard error while several issues build, on a terminal only.

Standard error carries the diagnostics too, so every line written while
the bar shows goes through `writing()`, which takes the bar off the screen,
lets the line out and draws the bar again beneath it. Off a terminal (make,
CI, a pipe) or with --quiet there is no bar at all, and tqdm is not imported.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TextIO

from tqdm import tqdm


class Bar:
    def __init__(self, total: int, stream: TextIO, enabled: bool):
        self.stream = stream
        self._bar = None
        if enabled:
            self._bar = tqdm(
                total=total, file=stream, unit="issue", leave=False, dynamic_ncols=True
            )

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.update(1)

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        if self._bar is None:
            yield
            return
        with self._bar.external_write_mode(file=self.stream):
            yield

    def __enter__(self) -> Bar:
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.close()
