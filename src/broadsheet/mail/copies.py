"""The PDF each subscriber is sent, and its hash for the journal.

Without `mail.personalise` every subscriber gets the issue's own PDF; with
it, their stamped copy (stamp.py). Either way `of` is what goes into the
message, for a dry run and a send alike, so the two carry the same bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from broadsheet.content.model import Issue
from broadsheet.mail.subscribers import Subscriber


class Copies:
    def __init__(self, issue: Issue, pdf: bytes, subscribers: list[Subscriber], csv_path: Path):
        self.pdf = pdf
        self.stamper = None
        if issue.mail.personalise:
            # Only then: pikepdf, fontTools and HarfBuzz cost a plain send's start-up nothing.
            from broadsheet.mail.stamp import Stamper

            self.stamper = Stamper(issue, pdf, subscribers, csv_path)
        self._plain_sha256 = hashlib.sha256(pdf).hexdigest()
        self._last: tuple[str, bytes, str] | None = None  # key, copy, its hash

    def of(self, subscriber: Subscriber) -> bytes:
        return self._made(subscriber)[0]

    def sha256(self, subscriber: Subscriber) -> str:
        return self._made(subscriber)[1]

    def _made(self, subscriber: Subscriber) -> tuple[bytes, str]:
        """The copy and its hash, made once for the subscriber being sent
        (the message and the journal ask for it one after the other)."""
        if self.stamper is None:
            return self.pdf, self._plain_sha256
        if self._last is None or self._last[0] != subscriber.key:
            copy = self.stamper.copy(subscriber)
            self._last = (subscriber.key, copy, hashlib.sha256(copy).hexdigest())
        return self._last[1], self._last[2]
