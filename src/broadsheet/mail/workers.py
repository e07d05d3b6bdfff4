"""Several connections sending at once: the state they share, and their threads.

With `--connections N`, N connections send at once, each on a thread of its
own (this run's own thread being the first), so that one slow reply holds
up one message rather than the whole list. What they share is kept behind
one lock, `Shared.changed`: the schedule (who goes next, schedule.py), why
the run stopped, and the counts for the progress line. A thread waits on it
for its next subscriber, and is woken when a message ends (a domain's slot
is free) or the run stops. Messages are made one at a time (`making`):
making one is Python work that threads could not share out anyway, and a
personalised copy's stamper is not made to be used from two threads.

A stop (a message too large, the sender refused, a server that cannot be
reached, a run of permanent failures) lets every connection finish the
message it is sending, then none takes another. Ctrl-C reaches this run's
own thread: it stops at once, as a run with one connection always has,
and the other connections finish their messages before the process ends.
Either way each subscriber's state in the journal stays true (journal.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from broadsheet.mail.schedule import Schedule, Wait
from broadsheet.mail.subscribers import Subscriber


@dataclass
class Shared:
    """What the connections of one send share; change it only holding `changed`."""

    schedule: Schedule
    now: Callable[[], float]
    # wait(condition, seconds): wait on the condition (held) for at most
    # that long (None: until woken); the send's clock (send.Clock).
    wait: Callable[[threading.Condition, float | None], object]
    changed: threading.Condition = field(default_factory=threading.Condition)
    making: threading.Lock = field(default_factory=threading.Lock)
    stopped: str | None = None  # why the run stopped early
    error: BaseException | None = None  # what ended a connection's thread
    failed: int = 0
    failures_in_a_row: int = 0
    ended: int = 0  # messages ended, however

    def next_subscriber(self) -> Subscriber | None:
        """The next subscriber to send to, once the schedule allows it; None
        when nobody is left to hand out, or the run is stopping."""
        with self.changed:
            while self.stopped is None:
                now = self.now()
                taken = self.schedule.take(now)
                if not isinstance(taken, Wait):
                    return taken
                self.wait(self.changed, None if taken.until is None else taken.until - now)
            return None

    def pause(self, seconds: float) -> bool:
        """Wait `seconds` before trying a message again; False when the run
        stops meanwhile (then it is not tried again)."""
        with self.changed:
            until = self.now() + seconds
            while self.stopped is None and (left := until - self.now()) > 0:
                self.wait(self.changed, left)
            return self.stopped is None

    def stop(self, reason: str) -> None:
        """No connection takes another message; the first reason is the one kept."""
        with self.changed:
            if self.stopped is None:
                self.stopped = reason
            self.changed.notify_all()


def run_together(shared: Shared, connections: int, work: Callable[[], None]) -> None:
    """`work` on this thread and on `connections - 1` threads more, until
    all have ended. An exception on any of them stops the others after their
    message and is raised here; Ctrl-C (KeyboardInterrupt) included."""
    helpers = [
        threading.Thread(target=_helper, args=(shared, work), name=f"mail-{n}", daemon=True)
        for n in range(1, connections)
    ]
    for helper in helpers:
        helper.start()
    try:
        work()
    except BaseException as exc:
        shared.stop(f"stopped: {exc or type(exc).__name__}")
        raise
    finally:
        for helper in helpers:
            helper.join()
    if shared.error is not None:
        raise shared.error


def _helper(shared: Shared, work: Callable[[], None]) -> None:
    try:
        work()
    except BaseException as exc:  # raised again on the run's own thread
        with shared.changed:
            shared.error = shared.error or exc
        shared.stop(f"stopped: {exc or type(exc).__name__}")
