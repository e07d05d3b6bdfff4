"""What comes back: delivery status notifications and unsubscribe requests,
read from a Maildir or an mbox without changing it.

A bounce is a delivery status notification (RFC 3464: `multipart/report;
report-type=delivery-status`), addressed to the per-subscriber return path
`bounces+TOKEN@domain` that `broadsheet mail` sent from (VERP), so the
token names the subscriber whatever the remote server calls them. Its
`Action` and `Status` say whether the address is gone (`failed` with a 5.x.x
status: a hard bounce) or the delivery only delayed or refused for now (a
4.x.x status or `delayed`: a soft one). Anything else in the mailbox, an
auto-reply or a human's answer, is left alone.

An unsubscribe request is any message to one of a list's unsubscribe
addresses (the `mailto:` of List-Unsubscribe). It names the subscriber in its
subject, as the link in every message wrote it (`unsubscribe ADDRESS`), or
else by its sender.

Everything read here is untrusted: tokens, statuses and addresses are kept
only when they match a strict shape, and dates only when they are real.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from broadsheet.mail import imap

TOKEN = re.compile(r"\+([0-9a-f]{16})@", re.IGNORECASE)
STATUS = re.compile(r"[245]\.\d{1,3}\.\d{1,3}")
UNSUBSCRIBE_SUBJECT = re.compile(r"\bunsubscribe\s+(\S+@\S+)", re.IGNORECASE)
# Where the address a message came to is found, the most trustworthy first:
# what the receiving server wrote, then what the sender wrote.
DELIVERED_TO = ("Delivered-To", "X-Original-To", "Envelope-To", "To")
MAX_REPORT_BYTES = 10 * 1024 * 1024  # a report larger than this is not one


class NotAMailbox(ValueError):
    """The name is neither a Maildir, an mbox nor an IMAP folder that opens."""


@dataclass(frozen=True)
class Bounce:
    token: str  # the return path's token
    hard: bool
    status: str  # "5.1.1", or the action when the report gives no status
    date: dt.date | None


@dataclass(frozen=True)
class Request:
    """An unsubscribe request: the addresses it came to, and whom it names."""

    came_to: tuple[str, ...]
    named: tuple[str, ...]  # the subject's address first, then the sender's
    date: dt.date | None


@dataclass(frozen=True)
class Report:
    """One message of the mailbox, read: its identity (for reading it once),
    and what it says."""

    identity: str
    bounces: tuple[Bounce, ...]
    request: Request | None


def open_mailbox(name: str, environ: dict[str, str]):
    """The Maildir, mbox or IMAP folder (imap.py) that `name` gives, opened
    to read; NotAMailbox otherwise."""
    if imap.is_imap_url(name):
        try:
            return imap.ImapMailbox(imap.parse(name), environ.get(imap.PASSWORD))
        except (ValueError, imap.Unreachable) as exc:
            raise NotAMailbox(str(exc)) from None
    path = Path(name)
    if path.is_dir():
        if not all((path / part).is_dir() for part in ("cur", "new", "tmp")):
            raise NotAMailbox(f"{path}: a folder, but not a Maildir (it needs cur/, new/ and tmp/)")
        return mailbox.Maildir(path, factory=None, create=False)
    if path.is_file():
        with path.open("rb") as handle:
            start = handle.read(5)
        if start not in (b"", b"From "):
            raise NotAMailbox(f"{path}: not an mbox (it must start with a 'From ' line)")
        return mailbox.mbox(path, factory=None, create=False)
    raise NotAMailbox(f"{path}: no such Maildir or mbox")


def reports_in(box) -> Iterator[Report]:
    """Every message of the mailbox, read, in a stable order."""
    for key in sorted(box.keys()):
        try:
            data = box.get_bytes(key)
        except imap.Unreachable as exc:
            raise NotAMailbox(str(exc)) from None
        if len(data) <= MAX_REPORT_BYTES:
            yield read_report(data)


def read_report(data: bytes) -> Report:
    message = BytesParser(policy=policy.default).parsebytes(data)
    identity = _message_id(message) or "sha256:" + hashlib.sha256(data).hexdigest()
    date = _date(message)
    if _is_delivery_report(message):
        return Report(identity, tuple(_bounces(message, date)), None)
    return Report(identity, (), Request(_came_to(message), _named(message), date))


def _is_delivery_report(message: EmailMessage) -> bool:
    return (
        message.get_content_type() == "multipart/report"
        and str(message.get_param("report-type", "")).lower() == "delivery-status"
    )


def _bounces(report: EmailMessage, date: dt.date | None) -> Iterator[Bounce]:
    """One bounce per failed or delayed recipient of the report, each for the
    token of the return path the report came back to."""
    token = _token(report)
    if token is None:
        return
    for part in report.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        # The first group of fields is about the message, each further one
        # about one recipient.
        for fields in _field_groups(part)[1:]:
            action = str(fields.get("Action", "")).strip().lower()
            status = str(fields.get("Status", "")).strip().split(" ")[0]
            status = status if STATUS.fullmatch(status) else ""
            if action == "failed":
                hard = not status.startswith("4")
            elif action == "delayed" or status.startswith("4"):
                hard = False
            else:
                continue  # delivered, relayed, expanded: not a bounce
            yield Bounce(token, hard, status or action, date)


def _field_groups(part: Message) -> list[Message]:
    """The delivery-status part's groups of fields. The email package parses
    them into messages; a report it cannot split is read as one group."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return payload
    text = payload if isinstance(payload, str) else ""
    parser = BytesParser(policy=policy.default)
    return [
        parser.parsebytes(group.encode("utf-8", "replace"))
        for group in re.split(r"\r?\n\s*\r?\n", text.strip())
    ]


def _token(message: EmailMessage) -> str | None:
    for name in DELIVERED_TO:
        for value in message.get_all(name, []):
            for _, address in getaddresses([str(value)]):
                match = TOKEN.search(address)
                if match:
                    return match.group(1).lower()
    return None


def _came_to(message: EmailMessage) -> tuple[str, ...]:
    found = []
    for name in DELIVERED_TO:
        for value in message.get_all(name, []):
            found += [_checked(address) for _, address in getaddresses([str(value)])]
    return tuple(dict.fromkeys(address for address in found if address))


def _named(message: EmailMessage) -> tuple[str, ...]:
    named = []
    match = UNSUBSCRIBE_SUBJECT.search(str(message.get("Subject", "")))
    if match:
        named.append(_checked(match.group(1).strip("<>.,;")))
    for _, address in getaddresses([str(value) for value in message.get_all("From", [])]):
        named.append(_checked(address))
    return tuple(dict.fromkeys(address for address in named if address))


def _checked(address: str) -> str | None:
    """The address in its checked form, or None for anything that is not one."""
    try:
        checked = validate_email(address, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return None
    return checked.ascii_email or checked.normalized


def _message_id(message: EmailMessage) -> str | None:
    value = str(message.get("Message-ID", "")).strip()
    return value if re.fullmatch(r"<[\x21-\x7e]{3,250}>", value) else None


def _date(message: EmailMessage) -> dt.date | None:
    try:
        when = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or not 1990 <= when.year <= 2200:
        return None
    return when.date()
