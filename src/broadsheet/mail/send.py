"""`broadsheet mail`: the steps from a built issue to every subscriber's inbox.

    check the issue -> build its PDF when missing or stale -> read the subscribers
    -> one letter for the issue -> a message per subscriber
    -> dry run: an .eml each | send: journal, lock, SMTP, one state change at a time

Everything that can be refused is refused before the first connection: a bad
address, a name that could add a header, a missing sender, a message over
`max_message_mb`, a DKIM key that cannot sign. Then each subscriber owed the
issue gets one message, at `--rate` messages a second; a 4xx answer is tried
again after a pause and then left `deferred` for the next run, a 5xx is
`failed` for good, a 552 stops the run with nobody marked, and so does a run
of permanent failures (a broken list, or a server that refuses everything).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.headerregistry import Address
from pathlib import Path

import jinja2

from broadsheet import labels
from broadsheet.errors import ContentError, Diagnostic, error, warning
from broadsheet.mail import journal as journals
from broadsheet.mail.message import Entry, Letter, UnsafeText, compose, message_id
from broadsheet.mail.safety import header_problem
from broadsheet.mail.signing import KeyProblem, Signer
from broadsheet.mail.subscribers import Subscriber, read_subscribers
from broadsheet.mail.transport import DEFAULT_PORTS, Connection, Outcome, Refused, Server
from broadsheet.model import Issue
from broadsheet.sizes import human
from broadsheet.source import Span
from broadsheet.theme import BUNDLED

RETRY_DELAYS = (10.0, 60.0)  # seconds before trying a deferred message again in this run
PAUSE_AFTER = 10  # permanent failures in a row that pause the run
OWED = ("pending", "deferred")


@dataclass(frozen=True)
class Options:
    subscribers: Path
    dry_run: Path | None = None
    host: str | None = None
    port: int | None = None
    security: str | None = None  # starttls, ssl, none
    sender: str | None = None
    journal: Path | None = None
    rate: float = 5.0  # messages a second
    resend_unknown: bool = False
    retry_delays: tuple[float, ...] = RETRY_DELAYS


@dataclass(frozen=True)
class Clock:
    """Time, passed in so that tests can run a rate limit without waiting."""

    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


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
    letter = _letter(issue, pdf, options, now)
    templates = _templates(issue.root)
    signer = _signer(issue, letter, environ)
    tokens = _tokens(letter, subscribers, environ, issue)
    _refuse_unsafe(subscribers, letter, options.subscribers)

    def message(subscriber: Subscriber) -> bytes:
        try:
            data = compose(letter, subscriber, templates, tokens.get(subscriber.key))
        except UnsafeText as exc:  # safety.py let it through; the parsed-back check did not
            raise ContentError([error(None, f"refused: {exc}")]) from None
        return signer.sign(data, now) if signer else data

    _check_size(message(max(subscribers, key=lambda s: len(s.email) + len(s.name or ""))), issue)
    report = Report(len(subscribers), notes=notes)
    if options.dry_run is not None:
        report.written = _dry_run(subscribers, message, options.dry_run)
        return report
    server = _server(issue, options, environ)
    path = options.journal or issue.root / "build" / f"{issue.slug}.mail.sqlite"
    journal = journals.Journal(path)
    try:
        _send(
            journal, subscribers, letter, message, server, options, confirm, progress, clock, report
        )
    except (journals.Busy, journals.Mismatch) as exc:
        raise ContentError([error(None, str(exc))]) from None
    finally:
        journal.close()
    return report


def built_pdf(issue_path: Path, root: Path, progress: Callable[[str], None]) -> Path:
    """The issue's PDF as `broadsheet build` makes it, built first when it is
    missing or older than anything its last build read (its depfile)."""
    from broadsheet import pipeline

    output = root / "build" / f"{issue_path.stem}.pdf"
    depfile = output.with_suffix(".d")
    if _stale(output, depfile):
        progress(f"building {output}")
        pipeline.build(issue_path, output, root, depfile=depfile, progress=progress)
    return output


def _stale(output: Path, depfile: Path) -> bool:
    if not output.is_file() or not depfile.is_file():
        return True
    built = output.stat().st_mtime
    rule = depfile.read_text(encoding="utf-8").split("\n\n", 1)[0]
    names = rule.replace("\\\n", " ").split(":", 1)[-1].split()
    for name in names:
        path = Path(name.replace("\\ ", " "))  # relative: to where the build ran
        if not path.is_file() and not path.is_absolute():
            path = depfile.parent.parent / path  # the project root, where make runs
        if not path.is_file() or path.stat().st_mtime > built:
            return True
    return False


def _letter(issue: Issue, pdf: bytes, options: Options, now: dt.datetime) -> Letter:
    from broadsheet.pdfread import outline, reader

    settings = issue.mail
    sender = options.sender or settings.sender
    if not sender:
        raise ContentError(
            [error(settings.span or issue.span, "no sender: give --from, or `from:` under `mail:`")]
        )
    doc = reader(pdf)
    title = str((doc.metadata or {}).get("/Title") or issue.name)
    contents = [Entry(entry.title, entry.page + 1) for entry in outline(doc) if entry.level == 1]
    month = labels.month_year(issue.date, issue.lang)
    subject = title
    if settings.subject:
        try:
            subject = settings.subject.format(name=issue.name, number=issue.number, date=month)
        except (KeyError, IndexError, ValueError) as exc:
            raise ContentError(
                [
                    error(
                        settings.span,
                        f"mail.subject: use {{name}}, {{number}} and {{date}} ({exc})",
                    )
                ]
            ) from None
    domain = sender.rpartition("@")[2].lower()
    pdf_name = re.sub(r'[\\/:*?"<>|]+', " ", title).strip() + ".pdf"
    list_name = re.sub(r"[^a-z0-9]+", "-", issue.name.lower()).strip("-") or "newsletter"
    return Letter(
        sender=Address(settings.sender_name or issue.name, addr_spec=sender),
        reply_to=settings.reply_to,
        subject=subject,
        list_id=f"{issue.name} <{list_name}.{domain}>",
        domain=domain,
        issue_key=f"{issue.name}\n{issue.number}\n{issue.date.isoformat()}",
        pdf=pdf,
        pdf_name=pdf_name,
        context={
            "name": issue.name,
            "tagline": issue.tagline,
            "number": issue.number,
            "volume": issue.volume,
            "date": month,
            "title": title,
            "lang": issue.lang,
            "contents": contents,
            "pdf_size": human(len(pdf)),
            "pdf_name": pdf_name,
        },
        unsubscribe=settings.unsubscribe,
        date=now,
    )


def _templates(root: Path) -> jinja2.Environment:
    """The cover-note templates: the project's `layout/mail/` first, then the bundled."""
    loader = jinja2.FileSystemLoader([root / "layout", BUNDLED / "layout"])
    return jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _signer(issue: Issue, letter: Letter, environ: dict[str, str]) -> Signer | None:
    """DKIM from `mail: dkim:`, or BROADSHEET_DKIM_KEY and BROADSHEET_DKIM_SELECTOR."""
    dkim = issue.mail.dkim
    key_path = Path(environ["BROADSHEET_DKIM_KEY"]) if "BROADSHEET_DKIM_KEY" in environ else None
    selector = environ.get("BROADSHEET_DKIM_SELECTOR")
    if dkim is not None:
        key_path, selector = key_path or dkim.key, selector or dkim.selector
    if key_path is None or not selector:
        return None
    where = issue.mail.span or issue.span
    try:
        signer = Signer(selector, (dkim and dkim.domain) or letter.domain, key_path.read_bytes())
        signer.check()
    except OSError as exc:
        raise ContentError([error(where, f"DKIM key {key_path}: {exc.strerror}")]) from None
    except KeyProblem as exc:
        raise ContentError([error(where, f"DKIM key {key_path}: {exc}")]) from None
    return signer


def _tokens(
    letter: Letter, subscribers: list[Subscriber], environ: dict[str, str], issue: Issue
) -> dict[str, str]:
    """Each subscriber's unsubscribe token: the CSV's `token` column, else an
    HMAC of the address keyed by BROADSHEET_UNSUBSCRIBE_SECRET."""
    if not any("{token}" in target for target in letter.unsubscribe):
        return {}
    secret = environ.get("BROADSHEET_UNSUBSCRIBE_SECRET", "").encode()
    tokens = {}
    for subscriber in subscribers:
        token = subscriber.fields.get("token")
        if not token and secret:
            token = hmac.new(secret, subscriber.key.encode(), hashlib.sha256).hexdigest()[:32]
        if not token:
            raise ContentError(
                [
                    error(
                        issue.mail.span,
                        "mail.unsubscribe uses {token}: give each subscriber a `token` column,"
                        " or set BROADSHEET_UNSUBSCRIBE_SECRET",
                    )
                ]
            )
        tokens[subscriber.key] = token
    return tokens


def _refuse_unsafe(subscribers: list[Subscriber], letter: Letter, csv_path: Path) -> None:
    """Every name and the subject checked before any message is made."""
    problems = []
    subject_problem = header_problem(letter.subject)
    if subject_problem:
        problems.append(
            error(None, f"the subject {letter.subject!r} is refused: {subject_problem}")
        )
    for subscriber in subscribers:
        problem = header_problem(subscriber.name or "")
        if problem:
            span = Span(csv_path, subscriber.line, 0)
            problems.append(error(span, f"name {subscriber.name!r} is refused: {problem}"))
    if problems:
        raise ContentError(problems)


def _check_size(sample: bytes, issue: Issue) -> None:
    limit = issue.mail.max_message_mb * 1_000_000
    if len(sample) > limit:
        raise ContentError(
            [
                error(
                    issue.mail.span or issue.span,
                    f"each message would be {human(len(sample))} encoded, over"
                    f" max_message_mb ({issue.mail.max_message_mb:g} MB): nothing was sent",
                )
            ]
        )


def _dry_run(subscribers, message, folder: Path) -> list[Path]:
    from broadsheet.pipeline import write_atomically

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
    return Server(
        host=host,
        port=options.port or settings.port or DEFAULT_PORTS[security],
        security=security,
        user=environ.get("BROADSHEET_SMTP_USER") or None,
        password=environ.get("BROADSHEET_SMTP_PASSWORD") or None,
    )


def _send(journal, subscribers, letter, message, server, options, confirm, progress, clock, report):
    journal.lock()
    journal.bind(hashlib.sha256(letter.pdf).hexdigest())
    journal.enrol([(s.key, s.email, message_id(letter, s)) for s in subscribers])
    rows = journal.rows()
    owed_states = (*OWED, "unknown") if options.resend_unknown else OWED
    owed = [s for s in subscribers if rows[s.key].state in owed_states]
    if owed and not confirm(len(owed), server):
        report.stopped = "not confirmed: nothing was sent"
        return
    connection = Connection(server)
    rate, failures_in_a_row, failed = options.rate, 0, 0
    next_at = clock.now()
    try:
        for left, subscriber in zip(range(len(owed), 0, -1), owed, strict=True):
            clock.sleep(max(0.0, next_at - clock.now()))
            data = message(subscriber)
            outcome, rate = _deliver(
                connection, journal, letter, subscriber, data, options, clock, rate
            )
            next_at = clock.now() + 1 / rate
            if outcome.kind == "sent":
                report.sent_now += 1
                failures_in_a_row = 0
            elif outcome.kind == "failed":
                failed += 1
                failures_in_a_row += 1
                if failures_in_a_row >= PAUSE_AFTER:
                    report.stopped = (
                        f"paused after {failures_in_a_row} permanent failures in a row (the last:"
                        f" {outcome}); check the list and the server, then run again"
                    )
                    break
            elif outcome.kind == "too_large":
                report.stopped = f"message too large for {server} ({outcome}); nobody was marked"
                break
            elif outcome.kind == "retry":
                report.stopped = f"{server} cannot be reached ({outcome}); run again later"
                break
            progress(report.sent_now, failed, left - 1, rate)
    except Refused as exc:
        report.stopped = str(exc)
    finally:
        connection.close()
    report.counts = {state: journal.counts()[state] for state in journals.STATES}
    rows = journal.rows()
    report.not_sent = [
        (rows[s.key].address, rows[s.key].state, rows[s.key].answer)
        for s in subscribers
        if rows[s.key].state != "sent"
    ]


def _deliver(connection, journal, letter, subscriber, data, options, clock, rate):
    """One subscriber's message, tried again after a pause on 4xx or a lost
    connection; returns the outcome and the rate to go on at."""
    key = subscriber.key
    delays = iter(options.retry_delays)
    while True:
        outcome: Outcome = connection.send(
            letter.sender.addr_spec,
            subscriber.email,
            data,
            handing_over=lambda: journal.mark(key, "unknown", "handed over, no answer yet"),
        )
        if outcome.kind in ("deferred", "retry"):
            if outcome.kind == "retry" or outcome.code == 421:
                rate = rate / 2  # the server is struggling: go slower from now on
            delay = next(delays, None)
            if delay is not None:
                state = "deferred" if outcome.kind == "deferred" else "pending"
                journal.mark(key, state, str(outcome), tried=True)
                clock.sleep(delay)
                continue
        state = {
            "sent": "sent",
            "deferred": "deferred",
            "failed": "failed",
            "unknown": "unknown",
            "too_large": "pending",  # refused for its size, not for the subscriber
            "retry": "pending",  # never handed over
        }[outcome.kind]
        journal.mark(key, state, str(outcome), tried=True)
        return outcome, rate


def summary(report: Report) -> list[Diagnostic]:
    """What the CLI prints at the end: warnings for everyone not sent."""
    found = list(report.notes)
    for address, state, answer in report.not_sent:
        found.append(warning(None, f"{address}: {state}" + (f" ({answer})" if answer else "")))
    return found
