"""A real SMTP server on 127.0.0.1 for tests, with faults a mail sender must survive.

`broadsheet mail` talks to a real SMTP server, so its tests need one: an
aiosmtpd `Controller` (the server runs in its own thread and event loop) that
records what arrived and can be told to misbehave the way real servers do:
defer a recipient once (greylisting), refuse one, refuse the message as too
big, drop the connection after the message without answering, refuse the
first connection, or kill the sending process in the middle of a run. It can
also hold each message a while before its 250, as a busy server does, so that
a client's connections are certain to overlap; each message records when its
transaction began and ended, and the sink the most sessions it had at once.

    with SmtpSink(Faults(defer_once={"b@example.org"})) as sink:
        ...  # send to sink.host, sink.port
        assert [r.rcpt_tos for r in sink.received] == [...]

Only 127.0.0.1 is ever bound. The port is free when chosen: a socket is bound
to port 0 to learn one (aiosmtpd 1.4.6 cannot be given port 0 itself: its
start-up check connects to the port it was given), and start-up is retried if
another process takes it in between.
"""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

HOST = "127.0.0.1"
START_ATTEMPTS = 5

DEFERRED = "451 4.7.1 Try again later"
NO_SUCH_USER = "550 5.1.1 No such user"
TOO_BIG = "552 5.3.4 Message too big"
NOT_AVAILABLE = "421 4.3.2 Service not available"
AUTH_REQUIRED = "530 5.7.0 Authentication required"


def free_port(host: str = HOST) -> int:
    """A TCP port on `host` that nothing listened on a moment ago.

    Free only when asked: another process may take it before it is used, which
    is why `SmtpSink.start` retries on EADDRINUSE.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@dataclass
class Faults:
    """How the sink misbehaves; every fault is off by default.

    The sink reads these fields at every command, so a test may change them
    while the sink runs (see also `SmtpSink.kill_at_rcpt`). Addresses are
    compared exactly as the client sent them in `RCPT TO`.
    """

    # The first RCPT TO for each of these gets 451 4.7.1; later ones get 250.
    defer_once: set[str] = field(default_factory=set)
    # The first RCPT TO for each of these gets 421 4.3.2 (busy); later ones get 250.
    busy_once: set[str] = field(default_factory=set)
    # Seconds each message is held after its final dot before the 250 (other
    # sessions go on meanwhile): transactions on several connections overlap.
    hold: float = 0.0
    # RCPT TO for these gets 550 5.1.1, every time.
    reject: set[str] = field(default_factory=set)
    # Every message gets 552 5.3.4 after its final dot, and is not recorded.
    too_large: bool = False
    # The first message to include one of these recipients (once per address)
    # is read to its final dot, recorded in `dropped`, and the connection is
    # closed without any reply; later messages are accepted.
    drop_after_data: set[str] = field(default_factory=set)
    # (n, pid): at the n-th RCPT TO of the sink's life (1-based, every RCPT
    # counts, on every connection), SIGKILL `pid`, then answer 451.
    kill_at_rcpt: tuple[int, int] | None = None
    # The first connection gets 421 4.3.2 instead of a greeting and is closed.
    disconnect_on_connect_once: bool = False


@dataclass(frozen=True)
class Received:
    """A message the sink accepted (250 after the final dot)."""

    mail_from: str
    rcpt_tos: list[str]
    # The message exactly as transmitted: CRLF line ends, after dot-unstuffing.
    data: bytes
    # By the sink's clock: when MAIL FROM arrived, and when the 250 was given.
    started: float = field(default=0.0, compare=False)
    ended: float = field(default=0.0, compare=False)


class Rcpt(NamedTuple):
    """One RCPT TO the sink answered: the address and the reply code it got."""

    address: str
    code: int


class AuthAttempt(NamedTuple):
    """One AUTH exchange that reached a verdict (only with `auth=`)."""

    mechanism: str
    login: str
    success: bool


class SmtpSink:
    """An SMTP server on 127.0.0.1 that records messages and injects `faults`.

    Use it as a context manager, which starts and always stops it. What it
    saw, readable from the test's thread at any time:

    - `received`: list of `Received`, in the order the 250s were sent;
    - `dropped`: list of `Received` whose connection was closed unanswered;
    - `rcpt_log`: list of `Rcpt(address, code)`, every RCPT TO in order;
    - `connections`: SMTP sessions opened (the refused first one included);
    - `peak_sessions`: the most sessions open at once;
    - `killed`: pids the kill_at_rcpt fault sent SIGKILL to;
    - `auth_log`: list of `AuthAttempt`, when `auth` is given.

    With `auth=(user, password)` the server offers AUTH PLAIN and LOGIN
    without TLS and answers MAIL FROM with 530 until the session has logged in.
    `clock` gives the times of `Received.started` and `ended` (a test's fake
    clock, to read them in its time).
    """

    def __init__(
        self,
        faults: Faults | None = None,
        *,
        auth: tuple[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.faults = faults if faults is not None else Faults()
        self.auth = auth
        self.clock = clock
        self.host = HOST
        self.port = 0
        self.received: list[Received] = []
        self.dropped: list[Received] = []
        self.rcpt_log: list[Rcpt] = []
        self.auth_log: list[AuthAttempt] = []
        self.killed: list[int] = []
        self.connections = 0
        self.peak_sessions = 0
        self._lock = threading.Lock()
        self._armed = False  # False while aiosmtpd's own start-up probe connects
        self._deferred: set[str] = set()
        self._busied: set[str] = set()
        self._drops_done: set[str] = set()
        self._refused_once = False
        self._rcpt_count = 0
        self._sessions: set[_SinkSMTP] = set()
        self._controller: _SinkController | None = None

    # -- life -----------------------------------------------------------------

    def __enter__(self) -> SmtpSink:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        """Listen on a free port of 127.0.0.1; return once the server answers."""
        assert self._controller is None, "the sink is already running"
        kwargs: dict[str, Any] = {}
        if self.auth is not None:
            # AUTH is enforced in handle_MAIL rather than with auth_required,
            # which warns (in the server thread) when TLS is not required too.
            kwargs.update(auth_require_tls=False, authenticator=self._authenticate)
        for attempt in range(START_ATTEMPTS):
            port = free_port(self.host)
            controller = _SinkController(
                _Handler(self),
                hostname=self.host,
                port=port,
                # No getfqdn(): it can wait on DNS, which tests must not touch.
                server_hostname="localhost",
                # Unlimited: the too_large fault is how tests get a 552.
                data_size_limit=None,
                **kwargs,
            )
            try:
                controller.start()
            except OSError as error:
                # aiosmtpd leaves the failed thread's loop open.
                if not controller.loop.is_closed():
                    controller.loop.close()
                if error.errno == errno.EADDRINUSE and attempt + 1 < START_ATTEMPTS:
                    continue
                raise
            break
        self.port = port
        self._controller = controller
        with self._lock:
            self._armed = True

    def stop(self) -> None:
        """Close every open connection, then stop the server and its thread.

        Connections are closed first because from Python 3.12 asyncio's
        `Server.wait_closed()`, which aiosmtpd's stop waits on, waits for them.
        """
        controller = self._controller
        if controller is None:
            return
        with self._lock:
            self._armed = False
        self._controller = None
        try:
            future = asyncio.run_coroutine_threadsafe(self._abort_sessions(), controller.loop)
            future.result(timeout=5)
        finally:
            controller.stop()

    async def _abort_sessions(self) -> None:
        for session in list(self._sessions):
            if session.transport is not None:
                session.transport.abort()
        await asyncio.sleep(0)

    # -- for tests ------------------------------------------------------------

    def kill_at_rcpt(self, n: int, pid: int) -> None:
        """SIGKILL `pid` at the n-th RCPT TO of the sink's life (1-based), then 451.

        For a sender that runs in a subprocess started after the sink.
        """
        with self._lock:
            self.faults.kill_at_rcpt = (n, pid)

    @property
    def rcpt_count(self) -> int:
        """How many RCPT TO commands reached the sink so far."""
        with self._lock:
            return self._rcpt_count

    # -- called from the server thread ------------------------------------------

    def _connection_opened(self, smtp: _SinkSMTP) -> bool:
        """Count a new session; True if it is to be refused with 421."""
        with self._lock:
            if not self._armed:
                return False  # aiosmtpd's start-up probe, not a client
            self._sessions.add(smtp)
            self.connections += 1
            self.peak_sessions = max(self.peak_sessions, len(self._sessions))
            if self.faults.disconnect_on_connect_once and not self._refused_once:
                self._refused_once = True
                smtp.refuse = True
            return smtp.refuse

    def _connection_closed(self, smtp: _SinkSMTP) -> None:
        with self._lock:
            self._sessions.discard(smtp)

    def _rcpt_verdict(self, address: str) -> str:
        with self._lock:
            self._rcpt_count += 1
            faults = self.faults
            if faults.kill_at_rcpt is not None and faults.kill_at_rcpt[0] == self._rcpt_count:
                pid = faults.kill_at_rcpt[1]
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                else:
                    self.killed.append(pid)
                reply = DEFERRED
            elif address in faults.reject:
                reply = NO_SUCH_USER
            elif address in faults.defer_once and address not in self._deferred:
                self._deferred.add(address)
                reply = DEFERRED
            elif address in faults.busy_once and address not in self._busied:
                self._busied.add(address)
                reply = NOT_AVAILABLE
            else:
                reply = "250 OK"
            self.rcpt_log.append(Rcpt(address, int(reply[:3])))
            return reply

    def _data_verdict(self, message: Received) -> str | None:
        """The reply to the final dot, or None to close the connection unanswered."""
        with self._lock:
            to_drop = (set(message.rcpt_tos) & self.faults.drop_after_data) - self._drops_done
            if to_drop:
                self._drops_done |= to_drop
                self.dropped.append(message)
                return None
            if self.faults.too_large:
                return TOO_BIG
            self.received.append(message)
            return "250 OK"

    def _authenticate(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        mechanism: str,
        auth_data: Any,
    ) -> AuthResult:
        assert self.auth is not None
        user, password = self.auth
        login = ""
        success = False
        if isinstance(auth_data, LoginPassword):
            login = auth_data.login.decode("utf-8", "replace")
            success = (auth_data.login, auth_data.password) == (
                user.encode("utf-8"),
                password.encode("utf-8"),
            )
        with self._lock:
            self.auth_log.append(AuthAttempt(mechanism, login, success))
        return AuthResult(success=success, handled=False)


class _SinkSMTP(SMTP):
    """aiosmtpd's protocol, told by the sink about each connection's start and end."""

    refuse = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        new_connection = self.transport is None  # not the switch to TLS
        super().connection_made(transport)
        if new_connection:
            self.event_handler.sink._connection_opened(self)

    def connection_lost(self, error: Exception | None) -> None:
        self.event_handler.sink._connection_closed(self)
        super().connection_lost(error)

    async def _handle_client(self) -> None:
        # Runs in place of the greeting and command loop (aiosmtpd 1.4.6).
        if self.refuse:
            await self.push(NOT_AVAILABLE)
            assert self.transport is not None
            self.transport.close()
            return
        await super()._handle_client()


class _SinkController(Controller):
    def factory(self) -> SMTP:
        return _SinkSMTP(self.handler, **self.SMTP_kwargs)


class _Handler:
    """aiosmtpd's hooks; every decision is the sink's."""

    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        if self.sink.auth is not None and not session.authenticated:
            return AUTH_REQUIRED
        envelope.started = self.sink.clock()  # type: ignore[attr-defined]
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        reply = self.sink._rcpt_verdict(address)
        if reply.startswith("250"):
            envelope.rcpt_tos.append(address)
            envelope.rcpt_options.extend(rcpt_options)
        return reply

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert envelope.mail_from is not None
        assert envelope.original_content is not None
        if self.sink.faults.hold:
            await asyncio.sleep(self.sink.faults.hold)  # this session only: the others go on
        message = Received(
            envelope.mail_from,
            list(envelope.rcpt_tos),
            envelope.original_content,
            started=getattr(envelope, "started", 0.0),
            ended=self.sink.clock(),
        )
        reply = self.sink._data_verdict(message)
        if reply is not None:
            return reply
        # Drop: close without a reply. Returning would queue "250" on a socket
        # that is still open until the loop's next turn, so wait instead;
        # connection_lost cancels this wait (and stop() cancels every task).
        assert server.transport is not None
        server.transport.close()
        await asyncio.sleep(3600)
        return DEFERRED  # never reached in practice; never writable anyway
