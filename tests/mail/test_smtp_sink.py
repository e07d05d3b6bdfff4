"""The SMTP sink itself: each fault, seen from smtplib as a real client would see it.

The `broadsheet mail` tests trust the sink to misbehave exactly as told, so
every fault is proved here with the standard library's client first.
"""

from __future__ import annotations

import smtplib
import socket
import subprocess
import threading
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from smtp_sink import AuthAttempt, Faults, Rcpt, Received, SmtpSink, free_port

TIMEOUT = 5
SENDER = "editor@example.org"
READER = "reader@example.org"
OTHER = "other@example.org"

# CRLF line ends, a line that starts with a dot (stuffed to ".." on the wire),
# one that is only dots, and 8-bit bytes: all must come back as they were.
MESSAGE = (
    b"From: editor@example.org\r\n"
    b"To: reader@example.org\r\n"
    b"Subject: Issue 12\r\n"
    b"\r\n"
    b"First line.\r\n"
    b".starts with a dot\r\n"
    b"..\r\n"
    b"caf\xc3\xa9\r\n"
)


def client(sink: SmtpSink) -> smtplib.SMTP:
    return smtplib.SMTP(sink.host, sink.port, timeout=TIMEOUT)


def test_free_port_is_bindable_on_localhost():
    """free_port gives a port 127.0.0.1 can listen on right away."""
    port = free_port()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))


def test_accepted_message_is_recorded_byte_exact():
    """What a client sends comes back byte for byte: CRLF kept, dots unstuffed."""
    with SmtpSink() as sink, client(sink) as smtp:
        refused = smtp.sendmail(SENDER, [READER, OTHER], MESSAGE)
        assert refused == {}
        assert sink.host == "127.0.0.1"
        assert sink.received == [Received(SENDER, [READER, OTHER], MESSAGE)]
        assert sink.rcpt_log == [Rcpt(READER, 250), Rcpt(OTHER, 250)]
        assert sink.connections == 1
        assert sink.dropped == []


def test_message_with_pdf_attachment_arrives_whole():
    """A MIME message with a binary attachment, as the mail command sends, parses back intact."""
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 2000 + b"\n%%EOF\n"
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = READER
    message["Subject"] = "The Gazette"
    message.set_content("This month's issue is attached.")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="issue.pdf")
    message.set_boundary("sink-test-boundary")  # else each flattening draws a new one
    with SmtpSink() as sink, client(sink) as smtp:
        smtp.send_message(message)
        (received,) = sink.received
    assert received.data == message.as_bytes(policy=policy.SMTP)
    parsed = BytesParser(policy=policy.default).parsebytes(received.data)
    (attachment,) = parsed.iter_attachments()
    assert attachment.get_content() == pdf


def test_defer_once_gives_451_then_250():
    """Greylisting: a recipient deferred once is accepted when the sender tries again."""
    with SmtpSink(Faults(defer_once={READER})) as sink:
        with client(sink) as smtp:
            with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
                smtp.sendmail(SENDER, [READER], MESSAGE)
            assert refused.value.recipients == {READER: (451, b"4.7.1 Try again later")}
        with client(sink) as smtp:
            assert smtp.sendmail(SENDER, [READER], MESSAGE) == {}
        assert sink.rcpt_log == [Rcpt(READER, 451), Rcpt(READER, 250)]
        assert sink.received == [Received(SENDER, [READER], MESSAGE)]
        assert sink.connections == 2


def test_busy_once_gives_421_then_250():
    """A server too busy for this recipient now (421 at RCPT) takes them later."""
    with SmtpSink(Faults(busy_once={READER})) as sink:
        with client(sink) as smtp:
            smtp.ehlo()
            assert smtp.docmd("MAIL FROM:<editor@example.org>")[0] == 250
            assert smtp.docmd(f"RCPT TO:<{READER}>")[0] == 421
        with client(sink) as smtp:
            assert smtp.sendmail(SENDER, [READER], MESSAGE) == {}
        assert sink.rcpt_log == [Rcpt(READER, 421), Rcpt(READER, 250)]


def test_hold_keeps_a_message_without_holding_up_other_sessions():
    """Two clients at once, each message held 0.5 s: the two transactions
    overlap, each recorded with its times, and two sessions were open at once."""
    with SmtpSink(Faults(hold=0.5)) as sink:

        def send(to: str) -> None:
            with client(sink) as smtp:
                smtp.sendmail(SENDER, [to], MESSAGE)

        threads = [threading.Thread(target=send, args=(to,)) for to in (READER, OTHER)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        first, second = sorted(sink.received, key=lambda message: message.started)
        assert first.ended - first.started >= 0.5 and second.ended - second.started >= 0.5
        assert second.started < first.ended  # under way at once
        assert sink.peak_sessions == 2


def test_the_times_recorded_are_the_given_clocks():
    ticks = iter(range(100))
    with SmtpSink(clock=lambda: float(next(ticks))) as sink, client(sink) as smtp:
        smtp.sendmail(SENDER, [READER], MESSAGE)
        (message,) = sink.received
        assert message.ended > message.started >= 0


def test_defer_once_leaves_other_recipients_alone():
    """Only the listed address is deferred; the message still goes to the others."""
    with SmtpSink(Faults(defer_once={READER})) as sink, client(sink) as smtp:
        refused = smtp.sendmail(SENDER, [READER, OTHER], MESSAGE)
        assert refused == {READER: (451, b"4.7.1 Try again later")}
        assert sink.received == [Received(SENDER, [OTHER], MESSAGE)]


def test_reject_gives_550_every_time():
    """A rejected address stays rejected, unlike a deferred one."""
    with SmtpSink(Faults(reject={READER})) as sink, client(sink) as smtp:
        smtp.ehlo()
        for _ in range(2):
            assert smtp.mail(SENDER)[0] == 250
            assert smtp.rcpt(READER) == (550, b"5.1.1 No such user")
            smtp.rset()
        assert sink.rcpt_log == [Rcpt(READER, 550), Rcpt(READER, 550)]
        assert sink.received == []


def test_too_large_gives_552_at_data_end():
    """552 comes after the final dot, once the whole message was sent, and nothing is kept."""
    with SmtpSink(Faults(too_large=True)) as sink, client(sink) as smtp:
        smtp.ehlo()
        assert smtp.mail(SENDER)[0] == 250
        assert smtp.rcpt(READER)[0] == 250
        assert smtp.data(MESSAGE) == (552, b"5.3.4 Message too big")
        assert sink.received == []
        assert smtp.noop()[0] == 250  # the session goes on


def test_drop_after_data_closes_without_reply_once():
    """The message arrives whole, then the connection closes unanswered; a retry succeeds.

    The sender cannot know whether such a message was delivered, which is the
    case the mail command must handle without losing or doubling anything.
    """
    with SmtpSink(Faults(drop_after_data={READER})) as sink:
        with client(sink) as smtp, pytest.raises(smtplib.SMTPServerDisconnected):
            smtp.sendmail(SENDER, [READER], MESSAGE)
        assert sink.dropped == [Received(SENDER, [READER], MESSAGE)]
        assert sink.received == []
        with client(sink) as smtp:
            assert smtp.sendmail(SENDER, [READER], MESSAGE) == {}
        assert sink.received == [Received(SENDER, [READER], MESSAGE)]
        assert len(sink.dropped) == 1


def test_drop_after_data_disconnects_at_the_reply_to_the_final_dot():
    """Every command before the final dot is answered; only its reply never comes."""
    with SmtpSink(Faults(drop_after_data={READER})) as sink, client(sink) as smtp:
        smtp.ehlo()
        assert smtp.mail(SENDER)[0] == 250
        assert smtp.rcpt(READER)[0] == 250
        assert smtp.docmd("DATA")[0] == 354
        smtp.send(MESSAGE.replace(b"\r\n.", b"\r\n..") + b".\r\n")  # stuffed, then the end
        with pytest.raises(smtplib.SMTPServerDisconnected):
            smtp.getreply()
        assert sink.dropped == [Received(SENDER, [READER], MESSAGE)]


def test_kill_at_rcpt_kills_the_process_and_answers_451():
    """The n-th RCPT (counted over the sink's life) SIGKILLs a pid given after the sink started."""
    with SmtpSink() as sink:
        victim = subprocess.Popen(["sleep", "30"])
        try:
            sink.kill_at_rcpt(2, victim.pid)
            with client(sink) as smtp:
                refused = smtp.sendmail(SENDER, [READER, OTHER], MESSAGE)
            assert victim.wait(timeout=TIMEOUT) == -9
        finally:
            victim.kill()
            victim.wait(timeout=TIMEOUT)
        assert refused == {OTHER: (451, b"4.7.1 Try again later")}
        assert sink.killed == [victim.pid]
        assert sink.rcpt_log == [Rcpt(READER, 250), Rcpt(OTHER, 451)]
        assert sink.rcpt_count == 2


def test_disconnect_on_connect_once_refuses_only_the_first_connection():
    """The first client gets 421 instead of a greeting; the next one is served."""
    with SmtpSink(Faults(disconnect_on_connect_once=True)) as sink:
        with pytest.raises(smtplib.SMTPConnectError) as refused:
            client(sink)
        assert refused.value.smtp_code == 421
        assert refused.value.smtp_error == b"4.3.2 Service not available"
        with client(sink) as smtp:
            assert smtp.sendmail(SENDER, [READER], MESSAGE) == {}
        assert sink.connections == 2
        assert len(sink.received) == 1


def test_faults_can_change_while_the_sink_runs():
    """The sink reads its faults at each command, so a test can turn one on midway."""
    with SmtpSink() as sink, client(sink) as smtp:
        assert smtp.sendmail(SENDER, [READER], MESSAGE) == {}
        sink.faults.reject.add(READER)
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            smtp.sendmail(SENDER, [READER], MESSAGE)
        assert [entry.code for entry in sink.rcpt_log] == [250, 550]


def test_auth_required_before_mail():
    """With auth=, MAIL FROM needs a login first; PLAIN and LOGIN both work, bad ones fail."""
    with SmtpSink(auth=("sender", "s3cret")) as sink:
        with client(sink) as smtp:
            smtp.ehlo()
            assert "PLAIN" in smtp.esmtp_features["auth"]
            assert "LOGIN" in smtp.esmtp_features["auth"]
            with pytest.raises(smtplib.SMTPSenderRefused) as refused:
                smtp.sendmail(SENDER, [READER], MESSAGE)
            assert refused.value.smtp_code == 530
            with pytest.raises(smtplib.SMTPAuthenticationError) as wrong:
                smtp.login("sender", "wrong")  # tries PLAIN, then LOGIN
            assert wrong.value.smtp_code == 535
        with client(sink) as smtp:
            smtp.login("sender", "s3cret")  # smtplib prefers PLAIN
            assert smtp.sendmail(SENDER, [READER], MESSAGE) == {}
        with client(sink) as smtp:
            smtp.ehlo()
            smtp.user, smtp.password = "sender", "s3cret"
            code, _ = smtp.auth("LOGIN", smtp.auth_login)
            assert code == 235
            assert smtp.sendmail(SENDER, [READER], MESSAGE) == {}
        assert sink.auth_log == [
            AuthAttempt("PLAIN", "sender", False),
            AuthAttempt("LOGIN", "sender", False),
            AuthAttempt("PLAIN", "sender", True),
            AuthAttempt("LOGIN", "sender", True),
        ]
        assert len(sink.received) == 2


def test_stop_closes_connections_left_open():
    """Leaving the block with a client still connected neither hangs nor leaves the port open."""
    with SmtpSink() as sink:
        smtp = client(sink)
        port = sink.port
    try:
        with pytest.raises(smtplib.SMTPServerDisconnected):
            smtp.noop()
    finally:
        smtp.close()
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), 1):
        pass
