"""A function run in a forked child process, asked and answered over a pipe.

A one-off build uses two kinds (pipeline.py): the companion that loads,
renders and verifies while the engine works (companion.py), and one process
per layout, whose memory all goes back to the system when it ends (the
engine keeps caches and a fragmented heap after a layout is let go: about
160 MB after a 160-page one).

A fork is cheap and safe only on Linux and from a process with one thread
(no other thread can hold a lock the child would inherit held); elsewhere
`start` gives None and the caller does the work itself. The child ignores
Ctrl-C (the parent handles it and ends its children), ends when the
parent closes its end of the pipe, and ends quietly when anything fails:
the parent then does that work itself, where a fault is reported.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

# The parent's ends of the pipes of every child alive. A child inherits them
# all and closes them first: else a child would keep another child's pipe
# open, and that one would never see its end of file when the parent closes.
_OPEN: weakref.WeakSet[Connection] = weakref.WeakSet()


def can_fork() -> bool:
    """Whether this process may fork a helper now: Linux, and one thread
    (counted by the kernel, so threads of C libraries count too)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


class Forked:
    """The parent's end: send, receive (None once the child is gone), close."""

    def __init__(self, process: BaseProcess, connection: Connection) -> None:
        self._process = process
        self._connection = connection

    @classmethod
    def start(cls, serve: Callable[[Connection], None], name: str) -> Forked | None:
        """Fork a child that runs `serve` with its end of the pipe; None when
        a fork is not safe or not possible here."""
        if not can_fork():
            return None
        import multiprocessing

        context = multiprocessing.get_context("fork")
        parent_end, child_end = context.Pipe()
        process = context.Process(
            target=_child, args=(serve, child_end, parent_end), daemon=True, name=name
        )
        try:
            process.start()
        except OSError:  # no process left to fork (a limit)
            parent_end.close()
            child_end.close()
            return None
        child_end.close()
        _OPEN.add(parent_end)
        return cls(process, parent_end)

    def send(self, message: object) -> bool:
        try:
            self._connection.send(message)
        except OSError:  # the child is gone
            return False
        return True

    def send_bytes(self, data: bytes) -> bool:
        try:
            self._connection.send_bytes(data)
        except OSError:
            return False
        return True

    def receive(self) -> object | None:
        try:
            return self._connection.recv()
        except (EOFError, OSError):  # the child died: killed, out of memory
            return None

    @property
    def exit_code(self) -> int | None:
        """The child's exit status once it has ended (negative: the signal that ended it)."""
        return self._process.exitcode

    def close(self) -> None:
        """End the child (it ends when its pipe closes; killed if it does not)."""
        if self._connection.closed:
            return
        self._connection.close()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


def _child(serve: Callable[[Connection], None], connection: Connection, parent_end) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    parent_end.close()
    for inherited in list(_OPEN):
        inherited.close()
    # Never a traceback from here: a child that fails ends quietly, and the
    # parent, finding the pipe closed, does the work itself and reports it.
    with contextlib.suppress(Exception):
        serve(connection)
