"""The `broadsheet mail` subcommand: its options, the question before a real
send, the progress line and the summary. The work is `send.mail`."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TextIO

from broadsheet import pipeline
from broadsheet.clock import source_date
from broadsheet.content.check import check
from broadsheet.content.slugs import default_output
from broadsheet.errors import Diagnostic, UsageError, warning
from broadsheet.mail import prepare, send
from broadsheet.outputs import guards


def run(args, root: Path, stdin: TextIO, stdout: TextIO, report, environ: dict[str, str]) -> int:
    host, port = _host_and_port(args.smtp)
    issue = check(args.issue, root)
    report.diagnostics(issue.notes, summary=False)
    report.diagnostics(prepare.unsigned_unsubscribe(issue, environ), summary=False)
    _refuse_unsafe_outputs(args, issue, root)
    pdf = pipeline.current_pdf(
        args.issue, root, report.progress if args.debug else lambda text: None
    )
    relay = issue.mail.relay if args.relay is None else args.relay
    if relay:  # one connection, no pace: the relay paces delivery to each domain itself
        pace = {
            "--rate": args.rate,
            "--connections": args.connections,
            "--per-domain-connections": args.per_domain_connections,
            "--per-domain-rate": args.per_domain_rate,
        }
        why = "is ignored with a relay: it queues and paces delivery itself"
        ignored = [warning(None, f"{flag} {why}") for flag, value in pace.items() if value]
        report.diagnostics(ignored, summary=False)
    options = send.Options(
        subscribers=args.to,
        dry_run=args.dry_run,
        host=host,
        port=port,
        security=args.security,
        sender=args.sender,
        journal=args.journal,
        rate=args.rate or send.DEFAULT_RATE,
        relay=args.relay,
        connections=args.connections,
        per_domain_connections=args.per_domain_connections,
        per_domain_rate=args.per_domain_rate,
        resend_unknown=args.resend_unknown,
        suppressions=args.suppressions,
    )
    terminal = report.stream.isatty() and not args.quiet

    def confirm(count: int, server) -> bool:
        if args.yes:
            return True
        if not stdin.isatty():
            raise UsageError(
                [Diagnostic(None, "error", "add --yes to send without a terminal to ask on")]
            )
        report.stream.write(f"Send {pdf.name} to {count} subscribers through {server}? [y/N] ")
        report.stream.flush()
        return stdin.readline().strip().lower() in ("y", "yes")

    def progress(sent: int, failed: int, left: int, rate: float) -> None:
        if terminal:
            pace = "to the relay" if math.isinf(rate) else f"{rate:g}/s"
            report.stream.write(f"\rsent {sent}, failed {failed}, left {left}, {pace}  ")
            report.stream.flush()

    result = send.mail(issue, pdf.read_bytes(), options, environ, _now(environ), confirm, progress)
    if terminal:
        report.stream.write("\n")
    report.diagnostics(send.summary(result), summary=False)
    if result.skipped and not args.quiet:
        reasons = ", ".join(f"{n} {why}" for why, n in sorted(result.skipped.items()))
        report.line(f"{args.issue}: skipped {result.skipped.total()} suppressed ({reasons})")
    if args.dry_run is not None:
        if not args.quiet:
            for path in result.written:
                print(path, file=stdout)
        return 0
    counts = result.counts
    if not args.quiet:
        if result.sent_now == 0 and result.stopped is None and not result.not_sent:
            report.line(f"{args.issue}: already sent to all {counts.get('sent', 0)} subscribers")
        else:
            report.line(
                f"{args.issue}: sent {result.sent_now} now; "
                + ", ".join(f"{counts.get(state, 0)} {state}" for state in send.journals.STATES)
            )
    if result.stopped:
        report.diagnostics([Diagnostic(None, "error", result.stopped)], summary=False)
    return 0 if result.complete else 1


def _refuse_unsafe_outputs(args, issue, root: Path) -> None:
    """--journal and --dry-run never write over what the mail is made from:
    the issue's inputs, its PDF and depfile, the subscribers, the DKIM key."""
    pdf = root / default_output(args.issue, root)
    inputs = [
        *guards.project_inputs(args.issue, root),
        *guards.issue_inputs(issue),
        pdf,
        pdf.with_suffix(".d"),
        args.to,
        *([issue.mail.dkim.key] if issue.mail.dkim else []),
    ]
    guards.refuse_unsafe([("--journal", args.journal)], inputs)
    if args.dry_run is not None:
        guards.refuse_unsafe_folder("--dry-run", args.dry_run, inputs)


def _host_and_port(value: str | None) -> tuple[str | None, int | None]:
    if value is None:
        return None, None
    host, _, port = value.rpartition(":") if ":" in value else (value, "", "")
    if port and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise UsageError([Diagnostic(None, "error", f"--smtp: expected HOST:PORT, got {value!r}")])
    return host, int(port) if port else None


def _now(environ: dict[str, str]) -> dt.datetime:
    """The messages' date: SOURCE_DATE_EPOCH when set (a reproducible dry run), else now."""
    return source_date(environ) or dt.datetime.now(dt.UTC).replace(microsecond=0)
