"""`broadsheet mail --connections N` against a server that takes a while to answer.

The tests' SMTP server (tests/mail/smtp_sink.py) on 127.0.0.1, holding each
message `--hold` seconds before its 250, as a distant submission server or
one that scans each message does; the subscribers spread over `--domains`
domains. The same one-page issue as `make bench-relay`, sent to `--messages`
subscribers by the whole `broadsheet mail` command at `--rate 1000` (so the
rate is not what is measured) once for each number of connections.

    python -m benchmarks.connections [--messages 200] [--hold 0.1] [--domains 10]
                                     [--connections 1 2 4]

Prints one line per run (with the load average: the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from benchmarks.measure import run
from benchmarks.relay_rate import _project
from benchmarks.run import _child_environment
from tests.mail.smtp_sink import Faults, SmtpSink


def _subscribers(root: Path, count: int, domains: int) -> Path:
    path = root / f"subscribers-{count}.csv"
    rows = [f"reader{n}@domain{n % domains}.example,Reader {n}" for n in range(1, count + 1)]
    path.write_text("email,name\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--hold", type=float, default=0.1, help="seconds before each 250")
    parser.add_argument("--domains", type=int, default=10)
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    broadsheet = str(Path(sys.executable).parent / "broadsheet")
    work = Path(tempfile.mkdtemp(prefix="broadsheet-bench-connections-"))
    issue = _project(work)
    run([broadsheet, "build", str(issue), "--quiet"], work, _child_environment())
    subscribers = _subscribers(work, args.messages, args.domains)
    for connections in args.connections:
        (work / "build" / f"{issue.stem}.mail.sqlite").unlink(missing_ok=True)
        with SmtpSink(Faults(hold=args.hold)) as sink:
            argv = [broadsheet, "mail", str(issue), "--to", str(subscribers), "--root", str(work)]
            argv += ["--smtp", f"{sink.host}:{sink.port}", "--plain", "--yes", "--quiet"]
            argv += ["--rate", "1000", "--connections", str(connections)]
            sample = run(argv, work, _child_environment(), log=work / "mail.log")
            received = len(sink.received)
        print(
            f"--connections {connections}: {received} of {args.messages} messages in"
            f" {sample.wall:.1f} s ({received / sample.wall:.1f}/s, {sample.cpu:.1f} s CPU),"
            f" each held {args.hold:g} s; most sessions at once {sink.peak_sessions};"
            f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
