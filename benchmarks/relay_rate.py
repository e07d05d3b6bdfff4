"""`make bench-relay`: `broadsheet mail --relay` through a real Postfix, 10,000 messages.

A private Postfix instance on 127.0.0.1 (tests/mail/postfix.py: its own
configuration, queue and Maildir in a temporary folder; it needs root) takes
the messages and delivers them into one Maildir. A one-page issue with one
short article is the PDF, so that the measure is of the mail path (compose,
journal, SMTP, Postfix's queue) rather than of the attachment's bytes.

Two numbers: messages a second handed to the relay (the whole `broadsheet
mail` command, from start to exit: reading the list, composing each message,
the journal's two commits per message, the SMTP hand-off), and the time from
the command's start until the last message is in the Maildir (Postfix's own
queue and delivery, running alongside). Then the hand-off alone: one
message composed once (the dry run's .eml) given to the relay as many times
through broadsheet's own SMTP connection (transport.py, pipelined), with no
composing and no journal, for what the relay and the wire cost apart from
broadsheet's work per message. With `--direct N`, the same relay is also
sent N messages without `--relay` (one reply waited for per command, `--rate
1000`), for the difference the relay mode makes.

    python -m benchmarks.relay_rate [--hand-off 10000] [--messages 10000] [--direct 1000]

Prints one line per run (with the load average: the machine may be shared)
and writes build/bench/relay.json after each.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.measure import run
from benchmarks.run import _child_environment
from broadsheet.mail.transport import Connection, Server
from tests.mail.postfix import Postfix, skip_reason

REPOSITORY = Path(__file__).resolve().parents[1]
OUTPUT = REPOSITORY / "build" / "bench" / "relay.json"

NEWSLETTER = """\
name: The Relay Bench
lang: en
mail:
  from: news@bench.example
  subject: "{name} No. {number}: {date}"
  smtp:
    host: 127.0.0.1
    port: 25
    security: none
"""

ISSUE = """\
issue:
  number: 1
  volume: 1
  date: 2026-12-01
articles:
  - title: One page for the mail path
    body: |
      A short article, so that the attachment is small and what is measured is
      the mail: composing each message, the journal and the hand-off to Postfix.
"""


def _project(root: Path) -> Path:
    (root / "issues").mkdir(parents=True)
    (root / "issues" / "newsletter.yaml").write_text(NEWSLETTER, encoding="utf-8")
    issue = root / "issues" / "relay-1.yaml"
    issue.write_text(ISSUE, encoding="utf-8")
    return issue


def _subscribers(root: Path, count: int, domain: str) -> Path:
    path = root / f"subscribers-{count}-{domain}.csv"
    rows = [f"reader{n}@{domain},Reader {n}" for n in range(1, count + 1)]
    path.write_text("email,name\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _send(broadsheet: str, root: Path, issue: Path, relay: Postfix, count: int, mode: str) -> dict:
    """One `broadsheet mail` run of `count` messages; the delivery watched alongside."""
    domain = {"relay": "example.org", "direct": "example.com"}[mode]
    subscribers = _subscribers(root, count, domain)
    (root / "build" / f"{issue.stem}.mail.sqlite").unlink(missing_ok=True)
    already = relay.count()
    argv = [broadsheet, "mail", str(issue), "--to", str(subscribers), "--root", str(root)]
    argv += ["--smtp", f"{relay.host}:{relay.port}", "--plain", "--yes", "--quiet"]
    argv += ["--relay"] if mode == "relay" else ["--rate", "1000"]
    delivered_at: list[float] = []

    def watch() -> None:
        relay.wait_for(already + count, seconds=3600)
        delivered_at.append(time.perf_counter())

    started = time.perf_counter()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    sample = run(argv, root, _child_environment(), log=root / f"mail-{mode}.log")
    watcher.join()
    return {
        "mode": mode,
        "messages": count,
        "delivered": relay.count() - already,
        "handed_over_seconds": sample.wall,
        "per_second": count / sample.wall,
        "cpu_seconds": sample.cpu,
        "peak_mb": sample.peak_mb,
        "all_delivered_seconds": delivered_at[0] - started,
    }


def _hand_off_alone(broadsheet: str, root: Path, issue: Path, relay: Postfix, count: int) -> dict:
    """One composed message handed to the relay `count` times, in this process."""
    subscribers = _subscribers(root, 1, "example.net")
    outbox = root / "outbox"
    argv = [broadsheet, "mail", str(issue), "--to", str(subscribers), "--root", str(root)]
    run([*argv, "--dry-run", str(outbox), "--quiet"], root, _child_environment())
    data = next(outbox.iterdir()).read_bytes()
    already = relay.count()
    server = Server(relay.host, relay.port, "none", relay=True)
    connection = Connection(server)
    started = time.perf_counter()
    cpu = time.process_time()
    try:
        for _ in range(count):
            outcome = connection.send("news@bench.example", "reader1@example.net", data, _nothing)
            if outcome.kind != "sent":
                raise RuntimeError(f"the relay answered {outcome}")
    finally:
        connection.close()
    handed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    relay.wait_for(already + count, seconds=3600)
    return {
        "mode": "hand-off alone",
        "messages": count,
        "delivered": relay.count() - already,
        "handed_over_seconds": handed,
        "per_second": count / handed,
        "cpu_seconds": cpu,
        "peak_mb": 0.0,
        "all_delivered_seconds": time.perf_counter() - started,
    }


def _nothing() -> None:
    """No journal to tell: the hand-off alone."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--hand-off", type=int, default=10_000, help="N composed once, sent alone")
    parser.add_argument("--direct", type=int, default=0, help="also N messages without --relay")
    args = parser.parse_args()
    if (reason := skip_reason()) is not None:
        print(f"bench-relay: cannot run: {reason}", file=sys.stderr)
        return 1
    broadsheet = str(Path(sys.executable).parent / "broadsheet")
    work = Path(tempfile.mkdtemp(prefix="broadsheet-bench-relay-"))
    issue = _project(work)
    run([broadsheet, "build", str(issue), "--quiet"], work, _child_environment())
    pdf = work / "build" / f"{issue.stem}.pdf"
    results = []
    with Postfix() as relay:
        runs = (
            ("hand-off alone", args.hand_off),
            ("relay", args.messages),
            ("direct", args.direct),
        )
        for mode, count in runs:
            if count:
                if mode == "hand-off alone":
                    found = _hand_off_alone(broadsheet, work, issue, relay, count)
                else:
                    found = _send(broadsheet, work, issue, relay, count, mode)
                found["pdf_bytes"] = pdf.stat().st_size
                found["message_bytes"] = _one_message_size(relay)
                found["load_average"] = os.getloadavg()[0]
                results.append(found)
                _write(results)
                print(
                    f"{mode}: {count} messages handed over in {found['handed_over_seconds']:.1f} s"
                    f" ({found['per_second']:.0f}/s, {found['cpu_seconds']:.1f} s CPU);"
                    f" all {found['delivered']} in the Maildir after"
                    f" {found['all_delivered_seconds']:.1f} s;"
                    f" {found['message_bytes']:,} bytes a message, PDF {found['pdf_bytes']:,};"
                    f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
                    flush=True,
                )
    print(f"written: {OUTPUT.relative_to(REPOSITORY)}")
    return 0


def _write(results: list[dict]) -> None:
    """After every run, so that a long run stopped half way keeps what it measured."""
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    machine = {"cores": os.cpu_count(), "load": os.getloadavg()}
    OUTPUT.write_text(json.dumps({"machine": machine, "runs": results}, indent=2) + "\n")


def _one_message_size(relay: Postfix) -> int:
    first = next((relay.maildir / "new").iterdir())
    return first.stat().st_size


if __name__ == "__main__":
    raise SystemExit(main())
