"""An SMTP server on 127.0.0.1 that misbehaves below the level aiosmtpd lets a
test reach: it cuts a connection in the middle of a message's text, drips a
reply a byte at a time, answers EHLO with `250-` lines without end, closes
the connection after every message, or offers PIPELINING and answers MAIL only
once RCPT and DATA have arrived too (a client that waits for each reply waits
in vain).

It speaks just enough SMTP for `broadsheet mail` with `--plain` (EHLO, MAIL,
RCPT, DATA, RSET, NOOP, QUIT) and records each message that arrives whole.
Every loop is bounded in bytes and time, and the server stops with its test.

    with ScriptedSmtp("cut_in_body") as server:
        ...  # send to server.host, server.port
        assert server.received == [...]
"""

from __future__ import annotations

import socket
import struct
import threading
import time

HOST = "127.0.0.1"
MODES = (
    "plain",
    "cut_in_body",
    "drip_reply",
    "endless_ehlo",
    "close_after_each",
    "pipelining_only",
)


class ScriptedSmtp:
    def __init__(self, mode: str, cut_times: int = 1):
        assert mode in MODES, mode
        self.mode = mode
        self.cuts_left = cut_times  # cut_in_body: how many messages are cut
        self.received: list[tuple[str, bytes]] = []  # (recipient, message) for whole messages
        self.connections = 0
        self.bytes_sent = 0
        self._listener = socket.create_server((HOST, 0))
        self.host, self.port = self._listener.getsockname()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> ScriptedSmtp:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._listener.close()
        self._thread.join(timeout=10)

    def _serve(self) -> None:
        self._listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._session, args=(client,), daemon=True).start()

    def _session(self, client: socket.socket) -> None:
        client.settimeout(5)
        reader = client.makefile("rb")
        try:
            self._say(client, b"220 scripted ESMTP\r\n")
            recipient = ""
            while not self._stop.is_set():
                line = reader.readline(4096)
                if not line:
                    return
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    if self.mode == "endless_ehlo":
                        self._endless(client)
                        return
                    pipelining = b"250-PIPELINING\r\n" if self.mode == "pipelining_only" else b""
                    self._say(client, b"250-scripted\r\n" + pipelining + b"250 SIZE 100000000\r\n")
                elif verb == b"MAIL" and self.mode == "pipelining_only":
                    rcpt, data = reader.readline(4096), reader.readline(4096)
                    if not (rcpt[:4].upper() == b"RCPT" and data.strip().upper() == b"DATA"):
                        return
                    recipient = rcpt.decode().split(":", 1)[1].strip(" <>\r\n")
                    self._say(client, b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data\r\n")
                    message = self._message(reader)
                    if message is None:
                        return
                    self.received.append((recipient, message))
                    self._say(client, b"250 2.0.0 Ok: queued\r\n")
                elif verb == b"MAIL":
                    self._say(client, b"250 2.1.0 Ok\r\n")
                elif verb == b"RCPT":
                    recipient = line.decode().split(":", 1)[1].strip(" <>\r\n")
                    self._say(client, b"250 2.1.5 Ok\r\n")
                elif verb == b"DATA":
                    self._say(client, b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    message = self._message(reader)
                    if message is None:  # cut: reset at once, the rest of the text unread
                        client.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                        )
                        return
                    self.received.append((recipient, message))
                    if self.mode == "drip_reply":
                        self._drip(client, b"250 2.0.0 Ok: queued\r\n")
                        return
                    self._say(client, b"250 2.0.0 Ok: queued\r\n")
                    if self.mode == "close_after_each":
                        return
                elif verb == b"QUIT":
                    self._say(client, b"221 Bye\r\n")
                    return
                else:  # RSET, NOOP
                    self._say(client, b"250 Ok\r\n")
        except OSError:
            return
        finally:
            reader.close()
            client.close()

    def _message(self, reader) -> bytes | None:
        """The message's lines up to the dot; None when this one is cut."""
        lines = []
        cut = self.mode == "cut_in_body" and self.cuts_left > 0
        while True:
            line = reader.readline(100_000)
            if not line:
                return None
            if line == b".\r\n":
                return b"".join(lines)
            lines.append(line)
            if cut and len(lines) == 5:  # well inside the text, before its end
                self.cuts_left -= 1
                return None

    def _say(self, client: socket.socket, data: bytes) -> None:
        client.sendall(data)
        self.bytes_sent += len(data)

    def _drip(self, client: socket.socket, data: bytes) -> None:
        """One byte every half second, for at most a minute."""
        for byte in data * 10:
            if self._stop.is_set():
                return
            self._say(client, bytes([byte]))
            time.sleep(0.5)

    def _endless(self, client: socket.socket) -> None:
        """`250-` lines as fast as the client takes them, for at most 30 s or 64 MiB."""
        line = b"250-" + b"X" * 60 + b"\r\n"
        started = time.monotonic()
        while not self._stop.is_set() and time.monotonic() - started < 30:
            if self.bytes_sent > 64 * 1024 * 1024:
                return
            self._say(client, line * 100)
