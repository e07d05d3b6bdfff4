"""One subscriber's message: the cover note and the PDF, as the bytes sent.

The bytes are made once and then either written to an `.eml` file (a dry
run) or handed to the SMTP server, so the two are the same by construction.
Everything in them comes from the inputs (the issue, the PDF, the
subscriber, the run's date), never from the clock or a random source: the
`Message-ID` is a hash of the issue and the address, stable across reruns,
so a resent message is recognisably the same one.

Every user-supplied text is refused by safety.py before it reaches a header,
and every message is parsed back after it is written: it must have exactly
the headers broadsheet set, each once, and one recipient.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime
from urllib.parse import quote

import jinja2

from broadsheet.mail.attachment import pdf_part
from broadsheet.mail.safety import header_problem
from broadsheet.mail.subscribers import Subscriber

WIRE = policy.SMTP.clone(max_line_length=76)  # CRLF line ends; RFC 2045 body lines
# Headers are written unfolded up to RFC 5322's 998: the email package folds
# a long List-Unsubscribe into encoded words, which no mailbox would follow.
HEADERS = policy.SMTP.clone(max_line_length=998)
TEMPLATES = ("mail/cover.txt.j2", "mail/cover.html.j2")


class UnsafeText(ValueError):
    """Text that could add a header; the message says which and why."""


@dataclass(frozen=True)
class Letter:
    """What every subscriber's message shares, worked out once per run."""

    sender: Address
    reply_to: str | None
    subject: str
    list_id: str
    domain: str  # of the sender: the Message-IDs' right-hand side
    issue_key: str  # the newsletter, number and date: a Message-ID differs per issue
    pdf: bytes
    pdf_name: str
    attach: bool  # the PDF goes in each message; false: the note links to the hosted one
    context: dict  # for the cover-note templates: name, number, date, contents...
    unsubscribe: tuple[str, ...]  # URL templates ({email}, {token}) and mailto: addresses
    date: dt.datetime
    return_path: str | None = None  # `bounces:`, whose plus addresses the envelopes carry


def message_id(letter: Letter, subscriber: Subscriber) -> str:
    """The same for every send of these bytes to this subscriber (a resend of
    an `unknown` one is recognisably the same message), and new for another
    PDF of the issue: a corrected issue is a new message, which mail software
    would otherwise hide as a duplicate of the first."""
    pdf = hashlib.sha256(letter.pdf).hexdigest()
    key = f"{letter.issue_key}\n{pdf}\n{subscriber.key}"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{letter.domain}>"


def unsubscribe_targets(letter: Letter, subscriber: Subscriber, token: str | None) -> list[str]:
    """This subscriber's unsubscribe addresses: theirs and no one else's."""
    targets = []
    for template in letter.unsubscribe:
        if template.startswith("mailto:"):
            address, _, query = template.partition("?")
            subject = f"unsubscribe {subscriber.email}"
            targets.append(f"{address}?subject={quote(subject)}" + (f"&{query}" if query else ""))
        else:
            targets.append(
                template.replace("{email}", quote(subscriber.email, safe="")).replace(
                    "{token}", quote(token or "", safe="")
                )
            )
    return targets


def compose(
    letter: Letter,
    subscriber: Subscriber,
    templates: jinja2.Environment,
    token: str | None = None,
    pdf: bytes | None = None,
) -> bytes:
    """The message for one subscriber, as the bytes sent (CRLF line ends);
    `pdf` is the subscriber's own copy when the issue is personalised."""
    for what, text in (("name", subscriber.name or ""), ("subject", letter.subject)):
        problem = header_problem(text)
        if problem:
            raise UnsafeText(f"{subscriber.email}: the {what} {text!r} is refused: {problem}")
    unsubscribe = unsubscribe_targets(letter, subscriber, token)
    message = EmailMessage(policy=WIRE)
    message["From"] = letter.sender
    message["To"] = Address(subscriber.name or "", addr_spec=subscriber.email)
    if letter.reply_to:
        message["Reply-To"] = letter.reply_to
    message["Subject"] = letter.subject
    message["Date"] = format_datetime(letter.date)
    message["Message-ID"] = message_id(letter, subscriber)
    message["List-Id"] = letter.list_id
    if unsubscribe:
        message["List-Unsubscribe"] = ", ".join(f"<{target}>" for target in unsubscribe)
        if any(target.startswith("https:") for target in unsubscribe):
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    text, html = email_parts(letter, subscriber, templates, unsubscribe)
    message.set_content(_crlf_free(text), subtype="plain", cte="quoted-printable")
    message.add_alternative(_crlf_free(html), subtype="html", cte="quoted-printable")
    if letter.attach:
        message.make_mixed()
        message.attach(pdf_part(pdf or letter.pdf, letter.pdf_name))
    # The email package draws MIME boundaries at random; these come from the
    # Message-ID, so the same inputs always give the same bytes.
    digest = message["Message-ID"].strip("<>").partition("@")[0]
    for n, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"broadsheet-{digest}-{n}")
        if part is not message:
            del part["MIME-Version"]  # the email package repeats it in the parts
    data = message.as_bytes(policy=HEADERS)
    check_headers(data, expected=_header_names(message))
    return data


def email_parts(
    letter: Letter, subscriber: Subscriber, templates: jinja2.Environment, unsubscribe: list[str]
) -> tuple[str, str]:
    """The email's plain-text and HTML parts for one subscriber, whose own
    unsubscribe targets are `unsubscribe` (the https one is shown, else the first)."""
    context = {
        **letter.context,
        "subscriber": subscriber,
        "unsubscribe": next((t for t in unsubscribe if t.startswith("https:")), None)
        or next(iter(unsubscribe), None),
    }
    text, html = (templates.get_template(name).render(context) for name in TEMPLATES)
    return text, html


def _crlf_free(text: str) -> str:
    """Body text with plain line ends (the policy writes CRLF itself)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _header_names(message: EmailMessage) -> Counter:
    return Counter(name.lower() for name in message)


def header_names(data: bytes) -> Counter:
    """The header names of a message as written, each in lower case."""
    return _header_names(BytesParser(policy=policy.default).parsebytes(data, headersonly=True))


def check_headers(data: bytes, expected: Counter) -> None:
    """Parse the message back: exactly the headers set, each once, one recipient,
    and no bare CR or LF anywhere in the header block."""
    head = data.split(b"\r\n\r\n", 1)[0]
    if re.search(rb"\r(?!\n)|(?<!\r)\n", head):
        raise UnsafeText("a bare CR or LF in the headers")
    # The header block alone: parsing the body too (a base64 PDF) would take
    # longer than making the message, and the checks here are of the headers.
    parsed = BytesParser(policy=policy.default).parsebytes(head + b"\r\n\r\n")
    found = Counter(name.lower() for name in parsed)
    if found != expected:
        raise UnsafeText(f"the headers came out as {sorted(found)}, not {sorted(expected)}")
    recipients = parsed["To"].addresses
    if len(recipients) != 1 or parsed.get("Cc") or parsed.get("Bcc"):
        raise UnsafeText("a message must have exactly one recipient")
