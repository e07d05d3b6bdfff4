"""The SMTP conversation: the only module of broadsheet that opens a socket.

One connection is kept for a run and reopened when the server drops it.
Each message is one MAIL, one RCPT (one recipient, always) and one DATA,
and its outcome says exactly what is known: `sent` (250), `deferred` (4xx:
try later), `failed` (5xx: never), `too_large` (552 or 5.3.4: stop the run),
`refused` (the server will not take mail from this sender: stop the run),
`unknown` (the whole message went out but no answer came back: it may have
arrived) or `retry` (the connection failed before the message was handed
over: nothing arrived, try again). The DATA step is written here rather
than with smtplib's `data()`: the body goes out first, and only then, just
before the final dot, is the journal told the message is being handed
over. A connection cut during the body loses nothing (the server discards
a message without its dot); one cut after the dot may have delivered it.

A server's reply is read against a deadline for the whole reply, with caps
on its lines and bytes: a reply dripped a byte at a time, or `250-` lines
without end, cannot hold a send for longer than the timeout or take its
memory. A connection the server closed between two messages (as some do
after every message) is opened again at once, without counting as a fault.

Credentials come from the environment only (the CLI reads them).
"""

from __future__ import annotations

import re
import select
import smtplib
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass

TIMEOUT = 30.0  # seconds, for connecting and for every command's whole reply
MAX_REPLY_LINES = 100  # a server's EHLO names a dozen extensions
MAX_REPLY_BYTES = 64 * 1024
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str  # starttls, ssl or none
    user: str | None = None
    password: str | None = None
    timeout: float = TIMEOUT
    relay: bool = False  # it queues and retries: its 250 is final, no pacing, commands pipelined

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Outcome:
    kind: str  # sent, deferred, failed, too_large, unknown, retry
    code: int = 0
    answer: str = ""
    step: str = ""  # the refused command: mail, rcpt, data, end (the message's); "" otherwise

    @property
    def about_recipient(self) -> bool:
        """A refusal given once the recipient was named (RCPT TO and after):
        it may be about them, or their domain, rather than the server."""
        return self.step in ("rcpt", "data", "end")

    def __str__(self) -> str:
        return f"{self.code} {self.answer}".strip() if self.code else self.answer


class Refused(RuntimeError):
    """The server cannot be used at all: no TLS where it is required, bad login."""


class _BoundedReplies:
    """smtplib's client with `getreply` reading against a deadline and caps.

    smtplib reads a reply through a file whose every read has the socket's
    timeout, with no limit on the number of lines; this reads the socket
    itself, giving each read what is left of the reply's deadline."""

    timeout: float
    sock: socket.socket | None
    _buffer: bytes = b""
    _buffered_for: object = None

    def getreply(self):
        if self.sock is None:
            raise smtplib.SMTPServerDisconnected("please run connect() first")
        if self._buffered_for is not self.sock:  # a new socket (after STARTTLS)
            self._buffer, self._buffered_for = b"", self.sock
        deadline = time.monotonic() + self.timeout
        try:
            return self._reply(deadline)
        finally:
            if self.sock is not None:  # what is left of a slow reply is no timeout to write with
                self.sock.settimeout(self.timeout)

    def _reply(self, deadline: float) -> tuple[int, bytes]:
        lines: list[bytes] = []
        total = 0
        while True:
            line = self._line(deadline)
            total += len(line)
            if len(lines) >= MAX_REPLY_LINES or total > MAX_REPLY_BYTES:
                self.close()
                raise smtplib.SMTPServerDisconnected(
                    f"the reply went past {MAX_REPLY_LINES} lines or {MAX_REPLY_BYTES:,} bytes"
                )
            code_text, more, text = line[:3], line[3:4], line[4:].strip(b" \t\r\n")
            lines.append(text)
            if not code_text.isdigit():
                self.close()
                raise smtplib.SMTPServerDisconnected(f"not an SMTP reply: {line[:60]!r}")
            if more != b"-":
                return int(code_text), b"\n".join(lines)

    def _line(self, deadline: float) -> bytes:
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or len(self._buffer) > MAX_REPLY_BYTES:
                self.close()
                raise smtplib.SMTPServerDisconnected(
                    f"timed out: no complete reply within {self.timeout:g} s"
                )
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(4096)
            except TimeoutError:
                continue  # the deadline check above decides
            except OSError as exc:
                self.close()
                raise smtplib.SMTPServerDisconnected(f"connection lost: {exc}") from None
            if not chunk:
                self.close()
                raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line + b"\n"


class _SMTP(_BoundedReplies, smtplib.SMTP):
    pass


class _SMTP_SSL(_BoundedReplies, smtplib.SMTP_SSL):
    pass


class Connection:
    """One SMTP connection for a run. To a relay, MAIL, RCPT
    and DATA go out in one write when the server offers PIPELINING (RFC 2920),
    and their three replies are read after: one round trip before the message
    instead of three, the cost that bounds a single connection's rate."""

    def __init__(self, server: Server, local_name: str | None = None):
        self.server = server
        self.local_name = local_name
        self.pipelining = server.relay
        self._smtp: smtplib.SMTP | None = None

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def _open(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        server = self.server
        context = ssl.create_default_context()  # certificates are always verified
        if server.security == "ssl":
            try:
                smtp: smtplib.SMTP = _SMTP_SSL(
                    server.host,
                    server.port,
                    self.local_name,
                    timeout=server.timeout,
                    context=context,
                )
            except ssl.SSLError as exc:
                raise Refused(f"TLS with {server} failed: {exc}") from None
        else:
            smtp = _SMTP(server.host, server.port, self.local_name, timeout=server.timeout)
        try:
            smtp.ehlo()
            if server.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise Refused(f"{server} does not offer STARTTLS, which is required")
                smtp.starttls(context=context)
                smtp.ehlo()
            if server.user:
                smtp.login(server.user, server.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            smtp.close()
            reason = f"{exc.smtp_code} {_text(exc.smtp_error)}"
            raise Refused(f"{server} refused the login: {reason}") from None
        except ssl.SSLError as exc:
            smtp.close()
            raise Refused(f"TLS with {server} failed: {exc}") from None
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp

    def send(
        self, sender: str, recipient: str, data: bytes, handing_over: Callable[[], None]
    ) -> Outcome:
        """Send one message to one recipient. `handing_over` is called just
        before the final dot is written: from then on, a broken connection
        means the message may have arrived."""
        handed = False
        try:
            step, code, answer, smtp = self._envelope(sender, recipient, len(data))
            if step != "body":
                return self._refused(code, answer, step)
            smtp.send(_dot_stuffed(data))  # cut off here, the server drops it: nothing arrived
            if _spoke_early(smtp):  # closed, or answered, before the end: nothing arrived
                self._drop()
                return Outcome("retry", 0, "the server ended the connection inside the message")
            handing_over()
            try:
                smtp.send(b".\r\n")
            except smtplib.SMTPServerDisconnected as exc:  # the dot never left: still nothing
                self._drop()
                return Outcome("retry", 0, f"connection lost before the message's end ({exc})")
            handed = True
            code, answer = smtp.getreply()
        except smtplib.SMTPConnectError as exc:
            self._drop()
            return Outcome("retry", exc.smtp_code, _text(exc.smtp_error))
        except smtplib.SMTPResponseException as exc:  # e.g. 421 at greeting or EHLO
            self._drop()
            return Outcome("retry", exc.smtp_code, _text(exc.smtp_error))
        except (smtplib.SMTPServerDisconnected, OSError) as exc:  # timeouts too
            self._drop()
            if handed:
                return Outcome("unknown", 0, f"no answer after the message was sent ({exc})")
            return Outcome("retry", 0, f"connection lost: {exc or type(exc).__name__}")
        if code == 250:
            return Outcome("sent", code, _text(answer))
        return self._refused(code, answer, "end")

    def _refused(self, code: int, answer: bytes, step: str) -> Outcome:
        """What a refusal at `step` (mail, rcpt, data, end) means for the run.

        Only RCPT speaks of the recipient: a refused MAIL FROM is about the
        sender (a login the relay wants, a domain it will not send for), so
        it stops the run with nobody marked, or is tried again when
        temporary. A 552 at RCPT is a full mailbox, temporary (RFC 5321
        4.5.3.1.10); at MAIL FROM or after the message, it is its size."""
        text = _text(answer)
        if code == 421:  # the server is closing the connection
            self._drop()
            return Outcome("retry", code, text, step)
        self._reset()
        too_large = code == 552 or text.startswith("5.3.4")
        if step == "rcpt":
            return Outcome("deferred" if code < 500 or code == 552 else "failed", code, text, step)
        if too_large:
            return Outcome("too_large", code, text, step)
        if step == "mail":
            return Outcome("retry" if code < 500 else "refused", code, text, step)
        return Outcome("deferred" if code < 500 else "failed", code, text, step)

    def _envelope(
        self, sender: str, recipient: str, size: int
    ) -> tuple[str, int, bytes, smtplib.SMTP]:
        """MAIL, RCPT and DATA: ("body", 354, ...) when the message's text may
        follow, else the step refused (mail, rcpt, data) with its reply."""
        ahead = (f"RCPT TO:{smtplib.quoteaddr(recipient)}", "DATA") if self.pipelining else ()
        code, answer, smtp, pipelined = self._mail_from(sender, size, ahead)
        if pipelined:
            return _pipelined_replies(smtp, code, answer)
        if code != 250:
            return "mail", code, answer, smtp
        code, answer = smtp.rcpt(recipient)
        if code not in (250, 251):
            return "rcpt", code, answer, smtp
        code, answer = smtp.docmd("DATA")
        if code != 354:
            return "data", code, answer, smtp
        return "body", code, answer, smtp

    def _mail_from(
        self, sender: str, size: int, ahead: tuple[str, ...] = ()
    ) -> tuple[int, bytes, smtplib.SMTP, bool]:
        """MAIL FROM, on the kept connection or a new one, with the commands
        `ahead` written after it in the same write when the server offers
        PIPELINING; returns MAIL's reply and whether they went. A kept
        connection that turns out closed (or closing: 421) was closed by the
        server between two messages, which some servers do after every
        message: it is opened again once, at once, and counts as no fault."""
        for kept in (self._smtp is not None, False):
            smtp = self._open()
            options = [f"SIZE={size}"] if smtp.has_extn("size") else []
            pipelined = bool(ahead) and smtp.has_extn("pipelining")
            try:
                if pipelined:
                    mail = " ".join([f"MAIL FROM:{smtplib.quoteaddr(sender)}", *options])
                    smtp.send("".join(f"{command}\r\n" for command in (mail, *ahead)))
                    code, answer = smtp.getreply()
                else:
                    code, answer = smtp.mail(sender, options)
            except (smtplib.SMTPServerDisconnected, OSError):
                if not kept:
                    raise
                self._drop()
                continue
            if code == 421 and kept:
                self._drop()
                continue
            return code, answer, smtp, pipelined
        raise AssertionError("unreachable: the second try returns or raises")

    def _reset(self) -> None:
        """Forget the refused transaction, keeping the connection when it lives."""
        if self._smtp is None:
            return
        try:
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()


def _pipelined_replies(
    smtp: smtplib.SMTP, code: int, answer: bytes
) -> tuple[str, int, bytes, smtplib.SMTP]:
    """The replies to RCPT and DATA, sent with MAIL (whose reply is given):
    the first refusal is the one that counts. After a 421 nothing more is
    read (the server is closing); a DATA that was accepted although MAIL or
    RCPT was not (RFC 2920 says it must not be) is ended with an empty body."""
    refused = None if code == 250 else ("mail", code, answer)
    for step, accepted in (("rcpt", (250, 251)), ("data", (354,))):
        if refused is not None and refused[1] == 421:
            break
        code, answer = smtp.getreply()
        if refused is None and code not in accepted:
            refused = (step, code, answer)
    if refused is None:
        return "body", code, answer, smtp
    if code == 354 and refused[1] != 421:
        smtp.send(b".\r\n")
        smtp.getreply()
    return (*refused, smtp)


def _spoke_early(smtp: smtplib.SMTP) -> bool:
    """Whether the server closed the connection or said something while the
    message's text was still going out: it will not take its end."""
    sock = smtp.sock
    if sock is None:
        return True
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _dot_stuffed(data: bytes) -> bytes:
    """A line starting with "." gets a second one (RFC 5321 4.5.2); CRLF at the end."""
    stuffed = re.sub(rb"(?m)^\.", b"..", data)
    return stuffed if stuffed.endswith(b"\r\n") else stuffed + b"\r\n"


def _text(answer: bytes | str) -> str:
    if isinstance(answer, bytes):
        answer = answer.decode("utf-8", "replace")
    return " ".join(answer.split())
