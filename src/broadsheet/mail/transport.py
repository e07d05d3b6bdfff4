"""The SMTP conversation: the only module of broadsheet that opens a socket.

One connection is kept for a run and reopened when the server drops it.
Each message is one MAIL, one RCPT (one recipient, always) and one DATA,
and its outcome says exactly what is known: `sent` (250), `deferred` (4xx:
try later), `failed` (5xx: never), `too_large` (552 or 5.3.4: stop the run),
`refused` (the server will not take mail from this sender: stop the run),
`unknown` (the whole message went out but no answer came back: it may have
arrived) or `retry` (the connection failed before the message was handed
over: nothing arrived, try again). The DATA step is written here rather
than with smtplib's `data()`, to know whether the final dot had been sent
when the connection broke, and to mark the journal just before it is.

Credentials come from the environment only (the CLI reads them); every step
has a timeout.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass

TIMEOUT = 30.0  # seconds, for connecting and for every command
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str  # starttls, ssl or none
    user: str | None = None
    password: str | None = None
    timeout: float = TIMEOUT

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Outcome:
    kind: str  # sent, deferred, failed, too_large, unknown, retry
    code: int = 0
    answer: str = ""

    def __str__(self) -> str:
        return f"{self.code} {self.answer}".strip() if self.code else self.answer


class Refused(RuntimeError):
    """The server cannot be used at all: no TLS where it is required, bad login."""


class Connection:
    def __init__(self, server: Server, local_name: str | None = None):
        self.server = server
        self.local_name = local_name
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
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    server.host,
                    server.port,
                    self.local_name,
                    timeout=server.timeout,
                    context=context,
                )
            except ssl.SSLError as exc:
                raise Refused(f"TLS with {server} failed: {exc}") from None
        else:
            smtp = smtplib.SMTP(server.host, server.port, self.local_name, timeout=server.timeout)
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
        before the end of the message is written: from then on, a broken
        connection means the message may have arrived."""
        handed = False
        try:
            smtp = self._open()
            code, answer = smtp.mail(sender, [f"SIZE={len(data)}"] if smtp.has_extn("size") else [])
            if code != 250:
                return self._refused(code, answer, "mail")
            code, answer = smtp.rcpt(recipient)
            if code not in (250, 251):
                return self._refused(code, answer, "rcpt")
            code, answer = smtp.docmd("DATA")
            if code != 354:
                return self._refused(code, answer, "data")
            handing_over()
            handed = True
            smtp.send(_dot_stuffed(data) + b".\r\n")
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
            return Outcome("retry", code, text)
        self._reset()
        too_large = code == 552 or text.startswith("5.3.4")
        if step == "rcpt":
            return Outcome("deferred" if code < 500 or code == 552 else "failed", code, text)
        if too_large:
            return Outcome("too_large", code, text)
        if step == "mail":
            return Outcome("retry" if code < 500 else "refused", code, text)
        return Outcome("deferred" if code < 500 else "failed", code, text)

    def _reset(self) -> None:
        """Forget the refused transaction, keeping the connection when it lives."""
        if self._smtp is None:
            return
        try:
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()


def _dot_stuffed(data: bytes) -> bytes:
    """A line starting with "." gets a second one (RFC 5321 4.5.2); CRLF at the end."""
    stuffed = re.sub(rb"(?m)^\.", b"..", data)
    return stuffed if stuffed.endswith(b"\r\n") else stuffed + b"\r\n"


def _text(answer: bytes | str) -> str:
    if isinstance(answer, bytes):
        answer = answer.decode("utf-8", "replace")
    return " ".join(answer.split())
