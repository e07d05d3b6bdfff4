"""A bounce or unsubscribe mailbox on an IMAP server (RFC 9051), read
without changing it: the folder is opened read-only (EXAMINE) and each
message fetched with BODY.PEEK, so not even its \\Seen flag moves.

The mailbox is named by a URL, `imaps://USER@HOST[:PORT]/FOLDER` (TLS from
the start, port 993) or `imap://USER@HOST[:PORT]/FOLDER` (STARTTLS, port
143). The password comes only from the environment,
`BROADSHEET_IMAP_PASSWORD`, never from the command line. A server on this
machine (127.0.0.1, ::1, localhost) may be spoken to without TLS over
`imap://`, as the SMTP relay on this machine may: nothing leaves it.

With `transport.py` (SMTP), the only module that opens a socket to a mail
server.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

TIMEOUT = 30.0  # seconds, for connecting and every command
LOOPBACK = ("127.0.0.1", "::1", "localhost")
PASSWORD = "BROADSHEET_IMAP_PASSWORD"


class Unreachable(RuntimeError):
    """The server, the login or the folder failed; the message says which."""


@dataclass(frozen=True)
class Address:
    """Where an IMAP mailbox is: parsed from its URL."""

    url: str
    host: str
    port: int
    user: str
    folder: str
    tls: bool  # from the start (imaps)

    @property
    def on_this_machine(self) -> bool:
        return self.host in LOOPBACK


def is_imap_url(text: str) -> bool:
    return text.lower().startswith(("imap://", "imaps://"))


def parse(text: str) -> Address:
    """The URL read, or ValueError saying what it lacks."""
    parts = urlsplit(text)
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{text}: the port must be a number below 65536") from None
    if not parts.hostname or not parts.username:
        raise ValueError(f"{text}: expected imap(s)://USER@HOST[:PORT]/FOLDER")
    if parts.password is not None:
        raise ValueError(f"{text}: no password in the URL; set {PASSWORD} instead")
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    if re.search(r'[\x00-\x1f\x7f"\\]', folder):
        raise ValueError(f"{text}: a folder name without quotes, backslashes or control characters")
    tls = parts.scheme.lower() == "imaps"
    return Address(
        text, parts.hostname, port or (993 if tls else 143), unquote(parts.username), folder, tls
    )


class ImapMailbox:
    """The few calls of `mailbox.Mailbox` that reading reports makes: the
    messages' keys (their UIDs), each message's bytes, and close."""

    def __init__(self, address: Address, password: str | None):
        if not password:
            raise Unreachable(f"{address.url}: set {PASSWORD} to the mailbox's password")
        self.address = address
        try:
            self._imap = self._connect(address)
            self._imap.login(address.user, password)
            status, _ = self._imap.select(_quoted(address.folder), readonly=True)
            if status != "OK":
                raise Unreachable(f"{address.url}: no folder {address.folder!r}")
        except (imaplib.IMAP4.error, OSError) as exc:
            raise Unreachable(f"{address.url}: {_reason(exc)}") from None

    @staticmethod
    def _connect(address: Address) -> imaplib.IMAP4:
        if address.tls:
            context = ssl.create_default_context()
            return imaplib.IMAP4_SSL(
                address.host, address.port, ssl_context=context, timeout=TIMEOUT
            )
        imap = imaplib.IMAP4(address.host, address.port, timeout=TIMEOUT)
        if "STARTTLS" in imap.capabilities:
            imap.starttls(ssl.create_default_context())
        elif not address.on_this_machine:
            imap.shutdown()
            raise Unreachable(
                f"{address.url}: the server offers no STARTTLS; use imaps://, or a server on"
                " this machine"
            )
        return imap

    def keys(self) -> list[int]:
        status, data = self._imap.uid("SEARCH", None, "ALL")
        if status != "OK" or not data or not data[0]:
            return []
        return [int(uid) for uid in data[0].split() if uid.isdigit()]

    def get_bytes(self, key: int) -> bytes:
        try:
            status, data = self._imap.uid("FETCH", str(key), "(BODY.PEEK[])")
        except (imaplib.IMAP4.error, OSError) as exc:
            raise Unreachable(f"{self.address.url}: {_reason(exc)}") from None
        for item in data if status == "OK" else []:
            if isinstance(item, tuple) and len(item) == 2:
                return item[1]
        return b""

    def close(self) -> None:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            self._imap.logout()


def _quoted(folder: str) -> str:
    return f'"{folder}"'


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError):
        return f"no answer within {TIMEOUT:g} s"
    return text[:200]
