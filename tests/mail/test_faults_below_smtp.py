"""Faults of the SMTP conversation itself, played by a scripted server on
127.0.0.1: a connection cut in the middle of a message's text, a reply
dripped a byte at a time, `250-` lines without end, and a server that closes
the connection after every message. For each: what arrived, the journal's
states, and what a rerun does."""

from __future__ import annotations

import time

from mailing import NOW, journal_states, people, subscribers
from scripted_smtp import ScriptedSmtp

from broadsheet.content.load import load
from broadsheet.content.validate import validate
from broadsheet.mail import send


def mail(project, server, count=2, **settings) -> send.Report:
    issue = validate(load(project / "issues" / "2026-11.yaml"), project)
    options = send.Options(
        subscribers=subscribers(project, people(count)),
        host=server.host,
        port=server.port,
        security="none",
        rate=1000,
        **settings,
    )
    pdf = (project / "build" / "2026-11.pdf").read_bytes()
    return send.mail(issue, pdf, options, {"BROADSHEET_UNSUBSCRIBE_SECRET": "s"}, NOW)


def test_a_message_cut_off_before_its_end_stays_pending_and_a_rerun_sends_it(mail_project):
    """The server never saw the final dot, so nothing arrived: `pending`, not
    `unknown`, and a plain rerun (no --resend-unknown) delivers it."""
    with ScriptedSmtp("cut_in_body", cut_times=3) as server:
        report = mail(mail_project, server, count=1, retry_delays=(0.01, 0.01))
        assert server.received == []
        assert journal_states(mail_project) == {"reader1@example.org": "pending"}
        assert "cannot be reached" in report.stopped
        again = mail(mail_project, server, count=1)
        assert again.complete, again
        assert [to for to, _ in server.received] == ["reader1@example.org"]
    assert journal_states(mail_project) == {"reader1@example.org": "sent"}


def test_a_reply_dripped_a_byte_at_a_time_is_given_up_at_the_timeout(mail_project):
    """Each byte comes well within any per-read timeout; the reply as a whole
    does not. The message went out whole, so it is `unknown`, never resent."""
    with ScriptedSmtp("drip_reply") as server:
        started = time.monotonic()
        report = mail(mail_project, server, count=1, timeout=2)
        took = time.monotonic() - started
    assert took < 20, took  # a bound on the test: the drip lasts 110 s
    assert journal_states(mail_project) == {"reader1@example.org": "unknown"}
    assert report.not_sent[0][2].startswith("no answer after the message was sent")


def test_endless_reply_lines_are_cut_off_in_bytes_and_time(mail_project):
    with ScriptedSmtp("endless_ehlo") as server:
        started = time.monotonic()
        report = mail(mail_project, server, count=1, retry_delays=(0.01,))
        took = time.monotonic() - started
        sent = server.bytes_sent
    assert took < 20, took
    assert sent < 10 * 1024 * 1024  # the client stopped reading long before the server stopped
    assert "past 100 lines" in report.stopped
    assert journal_states(mail_project) == {"reader1@example.org": "pending"}


def test_a_server_that_closes_after_every_message_costs_no_pause(mail_project):
    """Twelve messages, a new connection for each: the client reconnects at
    once each time, never halving its rate or sleeping a retry delay."""
    with ScriptedSmtp("close_after_each") as server:
        started = time.monotonic()
        report = mail(mail_project, server, count=12, retry_delays=(30.0, 30.0))
        took = time.monotonic() - started
        assert report.complete, report
        assert len(server.received) == 12
        assert server.connections == 12
    assert took < 25, took  # a bound on the test: one retry delay would be 30 s
