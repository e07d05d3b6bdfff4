"""Who is sent the issue next, and when: the pace of a send, overall and per domain.

Straight to a mail server (not a relay), `broadsheet mail` paces itself:

- overall, a pause of 1/`rate` seconds after each message before the next
  begins (`--rate`); with several connections, messages also begin at least
  that far apart;
- per recipient domain (the part of the address after the @), at most
  `domain_connections` messages to it under way at once, and the same kind
  of pause, 1/`domain_rate` seconds, after each message to it before the next
  to it begins (`mail: smtp: per_domain:`), as a mail server paces delivery
  to one destination.

Each connection, when free, asks for its next subscriber: the first one
still owed, in list order, whose domain has a free slot and whose pause is
over. So a domain that must wait never holds up the rest of the list, and
the list's order is kept wherever the limits allow. A 4xx about a recipient
halves the pace of that recipient's domain only; trouble with the server
itself (no connection, a 421 before a recipient is named) halves the pace
of the whole run. Neither ever goes below one message every 15 seconds (or
the pace asked for, when that is slower) and neither speeds up again
within the run.

Pure: no threads, no sockets and no clock of its own (every call is given
the time), so it is tested with made-up times. The workers that share it
hold a lock around every call (workers.py).

Domains in line are kept in two heaps rather than scanned: a list of
100,000 subscribers may hold 10,000 domains, and each message asks once.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass, field

from broadsheet.mail.subscribers import Subscriber

MIN_RATE = 1 / 15  # messages a second: the slowest that slowing down makes a run go


@dataclass(frozen=True)
class Limits:
    rate: float  # messages a second overall; math.inf: no pause (a relay)
    domain_connections: int = 1  # messages under way at once to one domain
    domain_rate: float = math.inf  # messages a second to one domain


@dataclass(frozen=True)
class Wait:
    """Nobody may be sent yet: ask again at `until` (a time of the clock
    given to `take`; the answer then may be to wait longer, when a pause
    was made longer meanwhile), or when a message under way ends (None)."""

    until: float | None


@dataclass
class _Domain:
    name: str
    rate: float
    owed: deque[tuple[int, Subscriber]] = field(default_factory=deque)  # (place, subscriber)
    under_way: int = 0
    next_at: float = -math.inf  # no message to it begins before this
    in_line: bool = False  # in one of the schedule's two heaps


def domain_of(subscriber: Subscriber) -> str:
    """The recipient's domain, as the pace counts it: in lower case, and in
    its xn-- form for an international one (subscribers.py checks it so)."""
    return subscriber.email.rpartition("@")[2].lower()


def slower(rate: float) -> float:
    """Half the rate, but not below MIN_RATE (unless it already was)."""
    return max(rate / 2, min(rate, MIN_RATE))


class Schedule:
    """Hands out each subscriber once, within the limits.

    `take(now)` gives the next subscriber (their message is then under way),
    a `Wait`, or None once everyone has been handed out; `finished` says a
    message has ended, however it went."""

    def __init__(self, subscribers: list[Subscriber], limits: Limits):
        self.limits = limits
        self.rate = limits.rate  # overall, after any slowing down
        self.next_at = -math.inf  # no message begins before this
        self.left = len(subscribers)  # not handed out yet
        self._domains: dict[str, _Domain] = {}
        for place, subscriber in enumerate(subscribers):
            name = domain_of(subscriber)
            domain = self._domains.get(name)
            if domain is None:
                domain = self._domains[name] = _Domain(name, limits.domain_rate)
            domain.owed.append((place, subscriber))
        # Domains with a subscriber owed and a free slot: `ready` by the
        # place of their first owed subscriber, `pausing` by the time their
        # pause ends. An entry can go stale (a pause made longer after it
        # was filed); it is checked, and filed again, when it comes up.
        self._ready: list[tuple[int, str]] = []
        self._pausing: list[tuple[float, str]] = []
        for domain in self._domains.values():
            self._line_up(domain, -math.inf)

    def take(self, now: float) -> Subscriber | Wait | None:
        if self.left == 0:
            return None
        domain = self._first_ready(now)
        if domain is None:
            if not self._pausing:
                return Wait(None)  # every domain owed is at its limit
            return Wait(max(self._pausing[0][0], self.next_at))
        if now < self.next_at:
            return Wait(self.next_at)
        heapq.heappop(self._ready)
        domain.in_line = False
        _, subscriber = domain.owed.popleft()
        self.left -= 1
        domain.under_way += 1
        domain.next_at = now + 1 / domain.rate
        self.next_at = now + 1 / self.rate
        self._line_up(domain, now)
        return subscriber

    def finished(self, subscriber: Subscriber, now: float) -> None:
        """The subscriber's message has ended: their domain's slot is free,
        and the pauses after it begin."""
        domain = self._domains[domain_of(subscriber)]
        domain.under_way -= 1
        domain.next_at = max(domain.next_at, now + 1 / domain.rate)
        self.next_at = max(self.next_at, now + 1 / self.rate)
        self._line_up(domain, now)

    def slow_down(self, subscriber: Subscriber | None = None) -> None:
        """Halve the pace of the subscriber's domain, or, with nobody named,
        of the whole run. A domain never goes faster than the run."""
        if subscriber is None:
            self.rate = slower(self.rate)
            return
        domain = self._domains[domain_of(subscriber)]
        domain.rate = slower(min(domain.rate, self.rate))

    def domain_rate(self, name: str) -> float:
        return self._domains[name].rate

    def _first_ready(self, now: float) -> _Domain | None:
        """The ready domain whose owed subscriber comes first in the list,
        after filing the domains whose pause is over as ready."""
        while self._pausing and self._pausing[0][0] <= now:
            _, name = heapq.heappop(self._pausing)
            domain = self._domains[name]
            domain.in_line = False
            self._line_up(domain, now)
        while self._ready:
            domain = self._domains[self._ready[0][1]]
            if domain.next_at <= now:
                return domain
            heapq.heappop(self._ready)  # its pause was made longer since it was filed
            domain.in_line = False
            self._line_up(domain, now)
        return None

    def _line_up(self, domain: _Domain, now: float) -> None:
        """File a domain that is owed a message and has a free slot, once."""
        if domain.in_line or not domain.owed:
            return
        if domain.under_way >= self.limits.domain_connections:
            return
        if domain.next_at <= now:
            heapq.heappush(self._ready, (domain.owed[0][0], domain.name))
        else:
            heapq.heappush(self._pausing, (domain.next_at, domain.name))
        domain.in_line = True
