"""Everything `broadsheet mail` decides before the first connection.

The PDF (built when stale), the letter every message shares (sender,
subject, List-Id, the cover note's words, the contents read back from the
PDF), the cover-note templates, the DKIM signer, the unsubscribe tokens, and
the refusals: a missing sender, a name or subject that could add a header,
a message over `max_message_mb`. Each refusal is a ContentError raised
before anything is sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from email.headerregistry import Address
from pathlib import Path

import jinja2
from email_validator import EmailNotValidError, validate_email

from broadsheet import labels
from broadsheet.content.model import Issue
from broadsheet.content.validate import DOMAIN_NAME
from broadsheet.errors import ContentError, Diagnostic, error, warning
from broadsheet.mail.cover import cover_context
from broadsheet.mail.message import Letter
from broadsheet.mail.safety import header_problem
from broadsheet.mail.signing import KeyProblem, Signer
from broadsheet.mail.subscribers import LineSpan, Subscriber
from broadsheet.mail.teaser import stories
from broadsheet.pdf.bookmarks import bookmarks
from broadsheet.pdf.sizes import human
from broadsheet.source import Span
from broadsheet.theme import BUNDLED


def letter_for(issue: Issue, pdf: bytes, sender: str | None, now: dt.datetime) -> Letter:
    settings = issue.mail
    sender = sender or settings.sender
    if not sender:
        raise ContentError(
            [error(settings.span or issue.span, "no sender: give --from, or `from:` under `mail:`")]
        )
    marks = bookmarks(pdf, stories(issue))
    title = marks.title or issue.name
    month = labels.month_year(issue.date, issue.lang)
    subject = title
    if settings.subject:
        subject = _fill(
            settings.subject, settings.span, name=issue.name, number=issue.number, date=month
        )
    sender = _ascii_address(sender, "the sender", settings.span)
    reply_to = settings.reply_to and _ascii_address(settings.reply_to, "reply_to", settings.span)
    domain = sender.rpartition("@")[2].lower()
    pdf_name = re.sub(r'[\\/:*?"<>|]+', " ", title).strip() + ".pdf"
    list_name = re.sub(r"[^a-z0-9]+", "-", issue.name.lower()).strip("-") or "newsletter"
    return Letter(
        sender=Address(settings.sender_name or issue.name, addr_spec=sender),
        reply_to=reply_to,
        subject=subject,
        list_id=f"{issue.name} <{list_name}.{domain}>",
        domain=domain,
        issue_key=f"{issue.name}\n{issue.number}\n{issue.date.isoformat()}",
        pdf=pdf,
        pdf_name=pdf_name,
        attach=settings.attach,
        context=cover_context(issue, marks, title, pdf, pdf_name),
        unsubscribe=settings.unsubscribe,
        date=now,
        return_path=return_address(issue),
    )


def list_key(letter: Letter) -> str:
    """The list's identity, as its List-Id header gives it (`name.domain`):
    what the suppression list files each subscriber under."""
    return letter.list_id.rpartition("<")[2].rstrip(">")


def return_address(issue: Issue) -> str | None:
    """`bounces:` under `mail:`, checked: the address whose plus addresses
    (`bounces+TOKEN@domain`) every message is sent from."""
    address = issue.mail.bounces
    if address is None:
        return None
    checked = _ascii_address(address, "bounces", issue.mail.span)
    if "+" in checked.partition("@")[0]:
        message = f"mail.bounces {address!r}: no '+' before the @; broadsheet adds +TOKEN itself"
        raise ContentError([error(issue.mail.span or issue.span, message)])
    return checked


PLACEHOLDER = re.compile(r"\{(name|number|date)\}")


def _fill(template: str, span, **values) -> str:
    """`template` with {name}, {number} and {date} filled in; any other brace is an
    error (str.format would also read attributes, as in `{name.__class__}`)."""
    if "{" in PLACEHOLDER.sub("", template) or "}" in PLACEHOLDER.sub("", template):
        message = f"mail.subject: use only {{name}}, {{number}} and {{date}}, got {template!r}"
        raise ContentError([error(span, message)])
    return PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), template)


def template_problem(exc: jinja2.TemplateError) -> Diagnostic:
    """A cover-note template's mistake, at its file and line when known."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    if name and line:
        return error(Span(Path(name), line, 1), f"cover note: {exc}")
    return error(None, f"cover note template: {exc}")


def cover_templates(root: Path) -> jinja2.Environment:
    """The cover-note templates: the project's `layout/mail/` first, then the bundled."""
    loader = jinja2.FileSystemLoader([root / "layout", BUNDLED / "layout"])
    return jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _ascii_address(address: str, what: str, span) -> str:
    """An address as it goes into a header and the SMTP envelope: an
    international domain in its ASCII (punycode) form, the only one a header,
    the envelope and a DKIM signature all accept (messages go without
    SMTPUTF8, so the part before the @ must be ASCII already)."""
    try:
        checked = validate_email(address, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise ContentError([error(span, f"{what} {address!r}: {exc}")]) from None
    return checked.ascii_email or checked.normalized


def signer_for(issue: Issue, letter: Letter, environ: dict[str, str]) -> Signer | None:
    """DKIM from `mail: dkim:`, or BROADSHEET_DKIM_KEY and BROADSHEET_DKIM_SELECTOR."""
    dkim = issue.mail.dkim
    key_path = Path(environ["BROADSHEET_DKIM_KEY"]) if "BROADSHEET_DKIM_KEY" in environ else None
    selector = environ.get("BROADSHEET_DKIM_SELECTOR")
    if dkim is not None:
        key_path, selector = key_path or dkim.key, selector or dkim.selector
    if dkim is None and (key_path is None) != (not selector):
        raise ContentError(
            [
                error(
                    None,
                    "DKIM needs both BROADSHEET_DKIM_KEY and BROADSHEET_DKIM_SELECTOR"
                    " (or `dkim:` under `mail:`); only one is set",
                )
            ]
        )
    if key_path is None or not selector:
        return None
    if not DOMAIN_NAME.fullmatch(selector):  # from the environment: `check` never saw it
        raise ContentError(
            [
                error(
                    None,
                    "BROADSHEET_DKIM_SELECTOR: expected dot-separated letters, digits and"
                    f" hyphens like 'news2026', got {selector[:60]!r}",
                )
            ]
        )
    where = issue.mail.span or issue.span
    try:
        signer = Signer(selector, (dkim and dkim.domain) or letter.domain, key_path.read_bytes())
        signer.check()
    except OSError as exc:
        raise ContentError([error(where, f"DKIM key {key_path}: {exc.strerror}")]) from None
    except KeyProblem as exc:
        raise ContentError([error(where, f"DKIM key {key_path}: {exc}")]) from None
    return signer


def unsigned_unsubscribe(issue: Issue, environ: dict[str, str]) -> list[Diagnostic]:
    """A warning, at `mail.unsubscribe`, when an unsubscribe target is set and
    no DKIM signing is: Gmail, Yahoo and Outlook.com act on one-click
    unsubscribe (RFC 8058) only in a message whose DKIM signature covers the
    List-Unsubscribe headers, so without one the unsubscribe button a reader
    expects may never show, and they mark the newsletter as spam instead.
    Not an error: the visible unsubscribe line in the cover note still works."""
    settings = issue.mail
    signed = settings.dkim is not None or (
        bool(environ.get("BROADSHEET_DKIM_KEY")) and bool(environ.get("BROADSHEET_DKIM_SELECTOR"))
    )
    if not settings.unsubscribe or signed:
        return []
    where = settings.unsubscribe_span or settings.span or issue.span
    message = (
        "mail.unsubscribe: without DKIM signing, large mailbox providers (Gmail, Yahoo,"
        " Outlook.com) ignore one-click unsubscribe (RFC 8058); sign the messages with `dkim:`"
        " under `mail:`, or BROADSHEET_DKIM_KEY and BROADSHEET_DKIM_SELECTOR"
    )
    return [warning(where, message)]


def tokens_for(
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


def refuse_unsafe(subscribers: list[Subscriber], letter: Letter, csv_path: Path) -> None:
    """Every name and the subject checked before any message is made."""
    problems = []
    for what, text in (
        ("the subject", letter.subject),
        ("the sender's name", letter.sender.display_name),
        ("the list's name", letter.list_id),
        ("the PDF's name", letter.pdf_name),
    ):
        problem = header_problem(text)
        if problem:
            problems.append(error(None, f"{what} {text!r} is refused: {problem}"))
    for subscriber in subscribers:
        problem = header_problem(subscriber.name or "")
        if problem:
            span = LineSpan(csv_path, subscriber.line, 0)
            problems.append(error(span, f"name {subscriber.name!r} is refused: {problem}"))
    if problems:
        raise ContentError(problems)


def check_size(sample: bytes, issue: Issue) -> None:
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
