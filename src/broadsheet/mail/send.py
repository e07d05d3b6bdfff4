"""`broadsheet mail`: the steps from a built issue to every subscriber's inbox.

    check the issue -> build its PDF when missing or stale -> read the subscribers
    -> one letter for the issue -> a message per subscriber
    -> dry run: an .eml each | send: journal, lock, SMTP, one state change at a time

Everything that can be refused is refused before the first connection (prepare.py): a bad
address, a name that could add a header, a missing sender, a message over
`max_message_mb`, a DKIM key that cannot sign, an email that disagrees with
the issue (editions/mailed.py). Then each subscriber owed the
issue gets one message, at `--rate` messages a second and, per recipient
domain, within `per_domain`'s limits (schedule.py), over `--connections`
connections at once (workers.py); to a relay, `--relay`, over one connection
as fast as it accepts them: it queues and paces delivery. A 4xx answer is tried
again after a pause and then left `deferred` for the next run, a 5xx is
`failed` for good, a 552 stops the run with nobody marked, and so does a run
of permanent failures (a broken list, or a server that refuses everything).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from broadsheet.content.model import Issue, PerDomain
from broadsheet.editions.mailed import email_mismatches
from broadsheet.errors import ContentError, Diagnostic, UsageError, error, warning
from broadsheet.mail import journal as journals
from broadsheet.mail import prepare, suppressions, workers
from broadsheet.mail.copies import Copies
from broadsheet.mail.message import (
    Letter,
    UnsafeText,
    check_headers,
    compose,
    header_names,
    message_id,
)
from broadsheet.mail.schedule import Limits, Schedule
from broadsheet.mail.subscribers import Subscriber, read_subscribers
from broadsheet.mail.transport import (
    DEFAULT_PORTS,
    TIMEOUT,
    Connection,
    Outcome,
    Refused,
    Server,
)
from broadsheet.outputs.writing import write_atomically

RETRY_DELAYS = (10.0, 60.0)  # seconds before trying a deferred message again in this run
PAUSE_AFTER = 10  # permanent failures in a row that pause the run
OWED = ("pending", "deferred")
DEFAULT_RATE = 5.0  # messages a second, straight to a server that delivers them
# The state a subscriber is left in by each outcome of their message.
AFTER = {
    "sent": "sent",
    "deferred": "deferred",
    "failed": "failed",
    "unknown": "unknown",
    "too_large": "pending",  # refused for its size, not for the subscriber
    "refused": "pending",  # refused for the sender
    "retry": "pending",  # never handed over
}


@dataclass(frozen=True)
class Options:
    subscribers: Path
    dry_run: Path | None = None
    host: str | None = None
    port: int | None = None
    security: str | None = None  # starttls, ssl, none
    sender: str | None = None
    journal: Path | None = None
    rate: float = DEFAULT_RATE  # messages a second; not to a relay
    relay: bool | None = None  # None: the file's `smtp: relay:`
    # Not to a relay either; None: the file's `smtp: connections:` and `per_domain:`.
    connections: int | None = None  # sending at once
    per_domain_connections: int | None = None  # sending to one domain at once
    per_domain_rate: float | None = None  # messages a second to one domain
    resend_unknown: bool = False
    suppressions: Path | None = None  # default: mail/suppressions.sqlite in the project
    retry_delays: tuple[float, ...] = RETRY_DELAYS
    timeout: float = TIMEOUT  # seconds, for connecting and every SMTP command


@dataclass(frozen=True)
class Clock:
    """Time, passed in so that tests can run a rate limit without waiting:
    `now`, and `wait(condition, seconds)`, every wait of a send: on a
    condition its caller holds, for at most that long (None: until woken),
    returning early when another connection wakes it (workers.py)."""

    now: Callable[[], float] = time.monotonic
    wait: Callable[[threading.Condition, float | None], object] = threading.Condition.wait


@dataclass
class Report:
    """What a run did, for the summary."""

    subscribers: int
    sent_now: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    not_sent: list[tuple[str, str, str]] = field(default_factory=list)  # address, state, answer
    written: list[Path] = field(default_factory=list)  # the dry run's .eml files
    stopped: str | None = None  # why the run stopped early
    notes: list[Diagnostic] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # suppressed subscribers, by reason

    @property
    def complete(self) -> bool:
        return self.stopped is None and not self.not_sent


Progress = Callable[[int, int, int, float], None]  # sent, failed, left, messages a second


def mail(
    issue: Issue,
    pdf: bytes,
    options: Options,
    environ: dict[str, str],
    now: dt.datetime,
    confirm: Callable[[int, Server], bool] = lambda count, server: True,
    progress: Progress = lambda sent, failed, left, rate: None,
    clock: Clock = Clock(),
) -> Report:
    """Send `pdf` (the built issue) to every subscriber owed it, or write the
    dry run. Raises ContentError for anything refused before sending."""
    subscribers, notes = read_subscribers(options.subscribers)
    letter = prepare.letter_for(issue, pdf, options.sender, now)
    options = replace(
        options, suppressions=options.suppressions or issue.root / suppressions.DEFAULT_PATH
    )
    subscribers, skipped = _not_suppressed(subscribers, options.suppressions, letter)
    if not subscribers:
        return Report(0, notes=notes, skipped=skipped)
    templates = prepare.cover_templates(issue.root)
    signer = prepare.signer_for(issue, letter, environ)
    tokens = prepare.tokens_for(letter, subscribers, environ, issue)
    prepare.refuse_unsafe(subscribers, letter, options.subscribers)
    copies = Copies(issue, pdf, subscribers, options.subscribers)

    def message(subscriber: Subscriber) -> bytes:
        try:
            data = compose(
                letter, subscriber, templates, tokens.get(subscriber.key), copies.of(subscriber)
            )
            if signer is None:
                return data
            # The signature adds a header made of settings of its own: the
            # message is read back again as it will go out.
            signed = signer.sign(data, now)
            check_headers(signed, expected=header_names(data) + Counter(["dkim-signature"]))
            return signed
        except UnsafeText as exc:  # safety.py let it through; the parsed-back check did not
            raise ContentError([error(None, f"refused: {exc}")]) from None
        except jinja2.TemplateError as exc:
            raise ContentError([prepare.template_problem(exc)]) from None

    sample = message(max(subscribers, key=lambda s: len(s.email) + len(s.name or "")))
    prepare.check_size(sample, issue)
    _refuse_mismatches(issue, pdf, sample)
    report = Report(len(subscribers), notes=notes, skipped=skipped)
    if options.dry_run is not None:
        report.written = _dry_run(subscribers, message, options.dry_run)
        return report
    server = _server(issue, options, environ)
    path = options.journal or issue.root / "build" / f"{issue.slug}.mail.sqlite"
    try:
        journal = journals.Journal(path)
    except journals.NotAJournal as exc:
        problem = [Diagnostic(None, "error", str(exc))]
        raise (UsageError(problem) if options.journal else ContentError(problem)) from None
    try:
        # One lock per issue, wherever its journal is: two runs never overlap.
        journal.lock(issue.root / "build" / f"{issue.slug}.mail.lock")
        connections, limits = _pace(issue, options, server)
        sending = Sending(
            journal, letter, message, server, options, clock, report, copies, connections, limits
        )
        _send(sending, subscribers, confirm, progress)
    except (journals.Busy, journals.Mismatch) as exc:
        raise ContentError([error(None, str(exc))]) from None
    finally:
        journal.close()
    return report


def _refuse_mismatches(issue: Issue, pdf: bytes, sample: bytes) -> None:
    """The email read back and held to the issue and its PDF (editions/mailed.py):
    the same stories in the order printed, their pages, their links into the
    web edition, the language. A mismatch is an error naming the story and
    the email, and nothing is written or sent. One message stands for all:
    each is made from the same letter and templates, only the greeting and
    the unsubscribe link being the subscriber's own."""
    findings = email_mismatches(issue, pdf, sample)
    if findings:
        raise ContentError(findings)


def _dry_run(subscribers, message, folder: Path) -> list[Path]:
    written = []
    for n, subscriber in enumerate(subscribers, start=1):
        name = re.sub(r"[^A-Za-z0-9@._+-]", "_", subscriber.email)
        path = folder / f"{n}-{name}.eml"
        write_atomically(path, message(subscriber))
        written.append(path)
    return written


def _server(issue: Issue, options: Options, environ: dict[str, str]) -> Server:
    settings = issue.mail
    host = options.host or settings.host
    if not host:
        raise ContentError(
            [
                error(
                    settings.span or issue.span,
                    "no SMTP server: give --smtp, or `smtp:` under `mail:`",
                )
            ]
        )
    security = options.security or settings.security
    # The file's port goes with the file's security: `--ssl` alone means port 465.
    same = options.security in (None, settings.security)
    return Server(
        host=host,
        port=options.port or (settings.port if same else None) or DEFAULT_PORTS[security],
        security=security,
        user=environ.get("BROADSHEET_SMTP_USER") or None,
        password=environ.get("BROADSHEET_SMTP_PASSWORD") or None,
        timeout=options.timeout,
        relay=settings.relay if options.relay is None else options.relay,
    )


def _pace(issue: Issue, options: Options, server: Server) -> tuple[int, Limits]:
    """How many connections send at once, and the pace of the send: the
    command line's settings, else the file's (`smtp: connections:`,
    `per_domain:`). A relay gets one connection and no pace at all: it
    queues what it accepts and paces delivery to each domain itself."""
    if server.relay:
        return 1, Limits(rate=math.inf)
    settings = issue.mail
    per_domain = settings.per_domain or PerDomain()
    limits = Limits(
        rate=options.rate,
        domain_connections=options.per_domain_connections or per_domain.connections,
        domain_rate=options.per_domain_rate or per_domain.rate or math.inf,
    )
    return options.connections or settings.connections, limits


def _not_suppressed(
    subscribers: list[Subscriber], store: Path, letter
) -> tuple[list[Subscriber], Counter]:
    """The subscribers to send to, and how many of the others the
    suppression list holds back, by reason. No list yet: nobody is held back."""
    if not store.is_file():
        return subscribers, Counter()
    try:
        with suppressions.Store(store, read_only=True) as found:
            held = found.suppressed(prepare.list_key(letter))
    except suppressions.NotAStore as exc:
        raise ContentError([error(None, str(exc))]) from None
    kept = [s for s in subscribers if s.key not in held]
    return kept, Counter(held[s.key].reason for s in subscribers if s.key in held)


def _return_paths(store: Path, letter, subscribers: list[Subscriber]) -> dict[str, str]:
    """Each subscriber's envelope sender: `bounces+TOKEN@domain` with
    `bounces:` under `mail:` (VERP: a bounce names its subscriber by the
    address it comes back to), else the sender. A real send with a return
    path or a mailto: unsubscribe records in the suppression list whom
    reports about this list may name, and where they come back to."""
    bounces = letter.return_path
    mailto = [t.removeprefix("mailto:").partition("?")[0] for t in letter.unsubscribe]
    mailto = [address for address in mailto if "@" in address and not address.startswith("http")]
    if bounces is None and not mailto:
        return {}
    list_id = prepare.list_key(letter)
    try:
        with suppressions.Store(store) as found, found.transaction():
            tokens = found.tokens_for(list_id, [(s.key, s.email) for s in subscribers])
            for address in mailto:
                found.expect(list_id, "unsubscribe", address)
            if bounces is not None:
                found.expect(list_id, "bounces", bounces)
    except suppressions.NotAStore as exc:
        raise ContentError([error(None, str(exc))]) from None
    if bounces is None:
        return {}
    local, _, domain = bounces.rpartition("@")
    return {key: f"{local}+{token}@{domain}" for key, token in tokens.items()}


@dataclass(frozen=True)
class Sending:
    """What every message of one real send shares, from the lock to the summary."""

    journal: journals.Journal
    letter: Letter
    message: Callable[[Subscriber], bytes]
    server: Server
    options: Options
    clock: Clock
    report: Report
    copies: Copies
    connections: int  # sending at once
    limits: Limits  # the pace, overall and per domain


def _send(sending: Sending, subscribers: list[Subscriber], confirm, progress) -> None:
    journal, letter, report = sending.journal, sending.letter, sending.report
    senders = _return_paths(sending.options.suppressions, letter, subscribers)
    journal.bind(hashlib.sha256(letter.pdf).hexdigest())
    journal.enrol([(s.key, s.email, message_id(letter, s)) for s in subscribers])
    rows = journal.rows()
    owed_states = (*OWED, "unknown") if sending.options.resend_unknown else OWED
    owed = [s for s in subscribers if rows[s.key].state in owed_states]
    if owed and not confirm(len(owed), sending.server):
        report.stopped = "not confirmed: nothing was sent"
    elif owed:
        _send_each(sending, owed, senders, progress)
    # Only the subscribers of this list count: rows of those who left it are kept, not sent.
    rows = journal.rows()
    states = [rows[s.key].state for s in subscribers]
    report.counts = {state: states.count(state) for state in journals.STATES}
    report.not_sent = [
        (rows[s.key].address, rows[s.key].state, rows[s.key].answer)
        for s in subscribers
        if rows[s.key].state != "sent"
    ]


def _send_each(sending: Sending, owed: list[Subscriber], senders: dict[str, str], progress):
    """The loop: each owed subscriber once, over one connection or several at
    once, at the pace the schedule allows, until done or stopped."""
    schedule = Schedule(owed, sending.limits)
    shared = workers.Shared(schedule, sending.clock.now, sending.clock.wait)

    def work() -> None:  # one connection's part: take, make, deliver, record
        connection = Connection(sending.server)
        try:
            while (subscriber := shared.next_subscriber()) is not None:
                data = _make(sending, shared, subscriber)
                sender = senders.get(subscriber.key, sending.letter.sender.addr_spec)
                outcome = _deliver(connection, sending, shared, subscriber, sender, data)
                _record(sending, shared, subscriber, outcome, len(owed), progress)
        except Refused as exc:
            shared.stop(str(exc))
        finally:
            connection.close()

    try:
        workers.run_together(shared, min(sending.connections, len(owed)), work)
    finally:
        sending.report.stopped = shared.stopped


def _make(sending: Sending, shared: workers.Shared, subscriber: Subscriber) -> bytes:
    """The subscriber's message, and the hash of their copy in the journal
    before it goes; one message made at a time (workers.py says why)."""
    with shared.making:
        data = sending.message(subscriber)
        sending.journal.record_copy(subscriber.key, sending.copies.sha256(subscriber))
    return data


def _record(sending, shared, subscriber, outcome: Outcome, owed: int, progress) -> None:
    """What a message's outcome does to the run: frees its domain's slot,
    counts it, stops the run when it must, and moves the progress line on."""
    server, report = sending.server, sending.report
    stops = {
        "too_large": f"message too large for {server} ({{}}); nobody was marked",
        "retry": f"{server} cannot be reached ({{}}); run again later",
        "refused": f"{server} refused the sender {sending.letter.sender.addr_spec} ({{}});"
        " nobody was marked",
    }
    with shared.changed:
        shared.schedule.finished(subscriber, shared.now())
        shared.ended += 1
        if outcome.kind in stops:
            shared.stop(stops[outcome.kind].format(outcome))
        elif outcome.kind == "sent":
            report.sent_now += 1
            shared.failures_in_a_row = 0
        elif outcome.kind == "failed":
            shared.failed += 1
            shared.failures_in_a_row += 1
            if shared.failures_in_a_row >= PAUSE_AFTER:
                shared.stop(
                    f"paused after {shared.failures_in_a_row} permanent failures in a row (the"
                    f" last: {outcome}); check the list and the server, then run again"
                )
        shared.changed.notify_all()  # a slot is free
        if shared.stopped is None:
            progress(report.sent_now, shared.failed, owed - shared.ended, shared.schedule.rate)


def _deliver(connection, sending, shared, subscriber, sender, data) -> Outcome:
    """One subscriber's message, tried again after a pause on 4xx or a lost
    connection (slowing down: their domain for an answer about them, the
    whole run for trouble with the server); returns the last outcome."""
    journal, key = sending.journal, subscriber.key
    delays = iter(sending.options.retry_delays)
    while True:
        outcome: Outcome = connection.send(
            sender,
            subscriber.email,
            data,
            handing_over=lambda: journal.mark(key, "unknown", "handed over, no answer yet"),
        )
        if outcome.kind in ("deferred", "retry"):
            with shared.changed:
                shared.schedule.slow_down(subscriber if outcome.about_recipient else None)
            delay = next(delays, None)
            if delay is not None:
                journal.mark(key, AFTER[outcome.kind], str(outcome), tried=True)
                if shared.pause(delay):
                    continue
                return outcome  # the run stopped meanwhile: left as marked
        journal.mark(key, AFTER[outcome.kind], str(outcome), tried=True)
        return outcome


def summary(report: Report) -> list[Diagnostic]:
    """What the CLI prints at the end: warnings for everyone not sent."""
    found = list(report.notes)
    for address, state, answer in report.not_sent:
        found.append(warning(None, f"{address}: {state}" + (f" ({answer})" if answer else "")))
    return found
