"""What each answer of a server means, and the settings that pick the server.

A refusal at MAIL FROM is about the sender, not the subscriber; a 552 at
RCPT is a full mailbox (try later), after the message it is its size. The
table is checked on the transport itself, and the sender's refusal end to
end against a server that wants a login.
"""

from __future__ import annotations

import socket
import time

import pytest
from mailing import NOW, people, run_mail, smtp_args, subscribers
from smtp_sink import SmtpSink

from broadsheet.content.load import load
from broadsheet.content.validate import validate
from broadsheet.mail import send
from broadsheet.mail.journal import Journal
from broadsheet.mail.transport import Connection, Server


@pytest.mark.parametrize(
    ("code", "answer", "step", "kind"),
    [
        (451, "4.7.1 Greylisted", "rcpt", "deferred"),
        (452, "4.2.2 Mailbox full", "rcpt", "deferred"),
        (552, "5.2.2 Mailbox full", "rcpt", "deferred"),  # RFC 5321: treat as 452
        (550, "5.1.1 No such user", "rcpt", "failed"),
        (552, "5.3.4 Message too big", "end", "too_large"),
        (552, "5.3.4 Message size exceeds limit", "mail", "too_large"),
        (530, "5.7.0 Authentication required", "mail", "refused"),
        (553, "5.7.1 Sender not allowed", "mail", "refused"),
        (451, "4.3.0 Try later", "mail", "retry"),
        (421, "4.3.2 Closing", "rcpt", "retry"),
        (554, "5.7.1 Rejected as spam", "end", "failed"),
        (450, "4.2.0 Later", "end", "deferred"),
    ],
)
def test_each_answer_at_each_step_means_one_thing(code, answer, step, kind):
    connection = Connection(Server("127.0.0.1", 25, "none"))  # never connected: no reset needed
    assert connection._refused(code, answer.encode(), step).kind == kind


def test_a_server_that_wants_a_login_stops_the_run_and_fails_nobody(mail_project):
    csv = subscribers(mail_project, people(3))
    with SmtpSink(auth=("editor", "s3cret")) as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    assert run.code == 1
    assert "refused the sender news@lanternhill.example (530 5.7.0" in run.stderr
    assert "nobody was marked" in run.stderr
    journal = Journal(mail_project / "build" / "2026-11.mail.sqlite")
    assert {row.state for row in journal.rows().values()} == {"pending"}
    journal.close()


def test_a_second_journal_does_not_get_around_the_lock(mail_project, tmp_path):
    """The lock is the issue's, wherever `--journal` puts the journal."""
    csv = subscribers(mail_project, people(1))
    holder = Journal(tmp_path / "first.sqlite")
    holder.lock(mail_project / "build" / "2026-11.mail.lock")
    try:
        with SmtpSink() as sink:
            other = str(tmp_path / "second.sqlite")
            run = run_mail(mail_project, "--to", str(csv), "--journal", other, *smtp_args(sink))
    finally:
        holder.close()
    assert run.code == 1
    assert "another broadsheet mail is sending this issue" in run.stderr
    assert sink.connections == 0


def test_ssl_alone_means_port_465_not_the_files_starttls_port(mail_project, tmp_path):
    """newsletter.yaml says port 587 with starttls; `--ssl` on its own goes to 465."""
    issue = validate(load(mail_project / "issues" / "2026-11.yaml"), mail_project)
    assert send._server(issue, send.Options(subscribers=tmp_path, security="ssl"), {}).port == 465
    assert send._server(issue, send.Options(subscribers=tmp_path), {}).port == 587
    assert (
        send._server(issue, send.Options(subscribers=tmp_path, security="starttls"), {}).port == 587
    )


def test_dkim_half_set_in_the_environment_is_an_error(mail_project, tmp_path):
    csv = subscribers(mail_project, people(1))
    run = run_mail(
        mail_project,
        "--to",
        str(csv),
        "--dry-run",
        str(tmp_path / "out"),
        environ={"BROADSHEET_DKIM_SELECTOR": "news2026"},
    )
    assert run.code == 1
    assert "DKIM needs both BROADSHEET_DKIM_KEY and BROADSHEET_DKIM_SELECTOR" in run.stderr


def test_an_https_unsubscribe_must_say_who(mail_project, tmp_path):
    newsletter = mail_project / "issues" / "newsletter.yaml"
    text = newsletter.read_text(encoding="utf-8")
    newsletter.write_text(text.replace("?token={token}", ""), encoding="utf-8")
    csv = subscribers(mail_project, people(1))
    run = run_mail(mail_project, "--to", str(csv), "--dry-run", str(tmp_path / "out"))
    assert run.code == 1
    assert "cannot tell who unsubscribes: put {email} or {token} in it" in run.stderr


def test_a_server_that_never_answers_is_given_up_in_bounded_time(mail_project):
    """A silent server (it accepts the connection, then says nothing) gets no
    hang: each try ends at the timeout, and after the retries the run stops."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        issue = validate(load(mail_project / "issues" / "2026-11.yaml"), mail_project)
        options = send.Options(
            subscribers=subscribers(mail_project, people(2)),
            host="127.0.0.1",
            port=silent.getsockname()[1],
            security="none",
            retry_delays=(0.01, 0.01),
            timeout=0.5,
        )
        pdf = (mail_project / "build" / "2026-11.pdf").read_bytes()
        started = time.monotonic()
        report = send.mail(issue, pdf, options, {}, NOW)
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert "cannot be reached" in report.stopped and "timed out" in report.stopped
    assert elapsed < 60  # three tries of half a second each, not three of 30 s
    assert report.counts["pending"] == 2
