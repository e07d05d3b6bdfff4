"""A function run in a forked child process, asked and answered over a pipe.

A one-off build uses them (pipeline.py): a companion that loads, renders and
verifies while the engine works (companion.py, which forks a second verifier
of its own), and one process per layout (layouts.py), whose memory all goes
back to the system when it ends (the engine keeps caches and a fragmented
heap after a layout is let go: about 160 MB after a 160-page one).

A plain `os.fork`, not multiprocessing's processes: a child may fork its own
helper, and no exit handler waits for a child. A fork is cheap and safe only
on Linux and from a process with one thread (no other thread can hold a lock
the child would inherit held); elsewhere `start` gives None and the caller
does the work itself. The child ignores Ctrl-C (the parent handles it and
kills its children), is killed by the kernel if the parent dies, ends when
the parent closes its end of the pipe, and ends quietly when anything
fails: the parent then does that work itself, where a fault is reported.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a child gets when its parent dies
# The parent's ends of the pipes of every child alive. A child inherits them
# all and closes them first: else a child would keep another child's pipe
# open, and that one would never see its end of file when the parent closes.
_OPEN: weakref.WeakSet[Connection] = weakref.WeakSet()
# Children let go (done, ending by themselves), waited for by `wait_for_ended`.
_ENDING: set[int] = set()


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
    """The parent's end: send, receive (None once the child is gone), let go, close, kill."""

    def __init__(self, pid: int, connection: Connection) -> None:
        self._pid = pid
        self._connection = connection
        self._status: int | None = None

    @classmethod
    def start(cls, serve: Callable[[Connection], None]) -> Forked | None:
        """Fork a child that runs `serve` with its end of the pipe; None when
        a fork is not safe or not possible here."""
        if not can_fork():
            return None
        from multiprocessing import Pipe

        parent_end, child_end = Pipe()
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:  # no process left to fork (a limit)
            parent_end.close()
            child_end.close()
            return None
        if pid == 0:
            code = 1
            try:
                _child(serve, child_end, parent_end, parent)
                code = 0
            finally:
                os._exit(code)  # no exit handlers, no buffers of the parent's flushed twice
        child_end.close()
        _OPEN.add(parent_end)
        return cls(pid, parent_end)

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
        self._wait(block=False)
        return self._status

    def let_go(self) -> None:
        """Close the pipe without waiting: the child, done with its work, is
        ending by itself (its exit, giving back its memory, is off the
        parent's path; `wait_for_ended` reaps it)."""
        self._connection.close()
        if self._status is None:
            _ENDING.add(self._pid)

    def close(self) -> None:
        """End the child: it ends by itself when its pipe closes (killed if it
        has not within a second); one let go is left to end by itself."""
        if self._pid in _ENDING:
            return
        self._connection.close()
        deadline = time.monotonic() + 1
        while not self._wait(block=False) and time.monotonic() < deadline:
            time.sleep(0.002)
        self.kill()

    def kill(self) -> None:
        """End the child now, whatever it is doing (the parent is stopping:
        Ctrl-C, a time limit, an error)."""
        self._connection.close()
        if self._status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._wait(block=True)

    def _wait(self, block: bool) -> bool:
        if self._status is not None:
            return True
        try:
            pid, status = os.waitpid(self._pid, 0 if block else os.WNOHANG)
        except ChildProcessError:  # reaped already
            self._status = self._status if self._status is not None else 0
            return True
        if pid == 0:
            return False
        _ENDING.discard(self._pid)
        self._status = os.waitstatus_to_exitcode(status)
        return True


def wait_for_ended() -> None:
    """Wait for every child let go to end: called when a build is done, so
    the process never ends before its children (their time and memory then
    count in its own, for whoever measures it) and leaves none behind."""
    for pid in list(_ENDING):
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        _ENDING.discard(pid)


def _child(
    serve: Callable[[Connection], None], connection: Connection, parent_end, parent: int
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _end_with_parent(parent)
    parent_end.close()
    for inherited in list(_OPEN):
        inherited.close()
    _OPEN.add(connection)  # a child of this child closes it in turn
    _ENDING.clear()  # the parent's children are not this one's to reap
    # Never a traceback from here: a child that fails ends quietly, and the
    # parent, finding the pipe closed, does the work itself and reports it.
    with contextlib.suppress(Exception):
        serve(connection)


def _end_with_parent(parent: int) -> None:
    """Have the kernel kill this child when its parent dies (a build killed
    with `kill -9` leaves no layout running on), and end now if it already has."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(0)
