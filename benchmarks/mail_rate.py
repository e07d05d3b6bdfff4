"""Messages a second of `broadsheet mail` against an SMTP server on loopback.

An aiosmtpd server in a thread of the bench (it accepts and counts, nothing
more) and `broadsheet mail` in its own process, sending the 4-page issue to
synthetic subscribers with `--rate 1000` so that the rate limit is not what
is measured. The PDF is built first, with its depfile, so the command sends
rather than builds. The number is the ceiling of one sender holding one SMTP
connection: what a real relay or MTA queue accepts from us, not delivery.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import Sample, run


@dataclass(frozen=True)
class MailRate:
    messages: int
    sample: Sample
    accepted: int
    message_bytes: int

    @property
    def per_second(self) -> float:
        return self.messages / self.sample.wall


class _Counter:
    """aiosmtpd handler: accept every message, count it and its size."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.size = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            self.count += 1
            self.size = len(envelope.original_content or b"")
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def measure(broadsheet: str, root: Path, issue: Path, messages: int) -> MailRate:
    """Send the built `issue` to `messages` subscribers; time the whole command."""
    from aiosmtpd.controller import Controller

    slug = issue.stem
    subscribers = root / "subscribers.csv"
    rows = [f"reader{n}@example.org,Reader {n}" for n in range(1, messages + 1)]
    subscribers.write_text("email,name\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (root / "build" / f"{slug}.mail.sqlite").unlink(missing_ok=True)
    counter = _Counter()
    port = _free_port()
    server = Controller(counter, hostname="127.0.0.1", port=port, server_hostname="localhost")
    server.start()
    try:
        argv = [broadsheet, "mail", str(issue), "--to", str(subscribers), "--root", str(root)]
        argv += ["--smtp", f"127.0.0.1:{port}", "--plain", "--yes", "--rate", "1000", "--quiet"]
        sample = run(argv, root, log=root / "mail.log")
    finally:
        server.stop()
    return MailRate(messages, sample, counter.count, counter.size)
