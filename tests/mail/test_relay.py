"""`broadsheet mail --relay` handing the issue to a real Postfix (tests/mail/postfix.py).

A private Postfix instance on 127.0.0.1 takes each message and delivers it
into a Maildir, which the tests read back: one message per subscriber, to
that subscriber alone (Postfix's Delivered-To), with the exact PDF that
`build` made. The relay's 250 is final: the journal says `sent` the moment
Postfix has queued it. A recipient the relay refuses at RCPT is `failed`
while the rest go on, commands pipelined on one connection. And the client
pipelines for real: against a server that answers MAIL only once RCPT and
DATA have arrived, a client waiting for each reply would get nowhere.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from mailing import NOW, FakeClock, journal_states, people, run_mail, subscribers
from postfix import REFUSED, Postfix, skip_reason
from scripted_smtp import ScriptedSmtp

from broadsheet.content.load import load
from broadsheet.content.validate import validate
from broadsheet.mail import send

needs_postfix = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")


def relay_args(server) -> list[str]:
    return ["--smtp", f"{server.host}:{server.port}", "--plain", "--yes", "--relay"]


@pytest.fixture
def relay():
    with Postfix() as server:
        yield server


@needs_postfix
def test_the_relay_delivers_each_subscriber_their_own_copy(mail_project, relay, browser, tmp_path):
    readers = [
        ("ada@example.org", "Ada Lovelace"),
        ("ben@example.com", "Ben Okri"),
        ("cy@example.net", "Cy Twombly"),
        ("dee@example.org", "Dee Dee"),
    ]
    csv = subscribers(mail_project, readers)
    pdf = (mail_project / "build" / "2026-11.pdf").read_bytes()
    run = run_mail(mail_project, "--to", str(csv), *relay_args(relay))
    assert run.code == 0, run.stderr
    assert "sent 4 now" in run.stderr
    # Sent means queued by the relay: the journal says so before delivery.
    assert set(journal_states(mail_project).values()) == {"sent"}
    assert relay.wait_for(4) == 4, relay.log()
    delivered = {message["Delivered-To"]: message for message in relay.delivered()}
    assert sorted(delivered) == sorted(email for email, _ in readers)
    for email, name in readers:
        message = delivered[email]
        assert message["To"].addresses[0].addr_spec == email
        assert message["To"].addresses[0].display_name == name
        assert message["Return-Path"] == "<news@lanternhill.example>"
        assert message["Subject"] == "The Lantern No. 18: November 2026"
        for header in ("From", "Date", "Message-ID", "List-Unsubscribe"):
            assert len(message.get_all(header)) == 1, header
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert hashlib.sha256(attachment.get_content()).digest() == hashlib.sha256(pdf).digest()
    # What a reader opens: the delivered cover note, as a browser shows it.
    page = tmp_path / "delivered.html"
    page.write_text(delivered["ada@example.org"].get_body(("html",)).get_content())
    look = browser.look(page, 600)
    (tmp_path / "delivered.png").write_bytes(look.screenshot)  # kept with the test's files
    assert look.problems() == []
    # One connection for the whole run, one message and one recipient per transaction.
    sessions = re.findall(
        r"disconnect from .* ehlo=1 mail=(\d+) rcpt=(\d+) data=(\d+)", relay.log()
    )
    assert sessions == [("4", "4", "4")], relay.log()


@needs_postfix
def test_a_recipient_the_relay_refuses_fails_and_the_rest_go_on(mail_project, relay):
    readers = [("first@example.org", "First"), (REFUSED, "Nobody"), ("last@example.org", "Last")]
    csv = subscribers(mail_project, readers)
    run = run_mail(mail_project, "--to", str(csv), *relay_args(relay))
    assert run.code == 1
    assert f"{REFUSED}: failed (550 5.1.1" in run.stderr
    assert journal_states(mail_project) == {
        "first@example.org": "sent",
        REFUSED: "failed",
        "last@example.org": "sent",
    }
    assert relay.wait_for(2) == 2
    assert sorted(m["Delivered-To"] for m in relay.delivered()) == [
        "first@example.org",
        "last@example.org",
    ]
    # The refused transaction was reset and the connection kept.
    sessions = re.findall(r"disconnect from .* ehlo=1 mail=3 rcpt=2/3 data=2/3 rset=1", relay.log())
    assert len(sessions) == 1, relay.log()


@needs_postfix
def test_a_second_run_to_the_relay_sends_nothing_again(mail_project, relay):
    csv = subscribers(mail_project, people(3))
    assert run_mail(mail_project, "--to", str(csv), *relay_args(relay)).code == 0
    again = run_mail(mail_project, "--to", str(csv), *relay_args(relay))
    assert again.code == 0
    assert "already sent to all 3 subscribers" in again.stderr
    assert relay.wait_for(3) == 3
    relay.flush()
    assert relay.wait_for(4, seconds=2) == 3


def test_to_a_relay_mail_rcpt_and_data_go_out_together(mail_project):
    csv = subscribers(mail_project, people(3))
    with ScriptedSmtp("pipelining_only") as server:
        run = run_mail(mail_project, "--to", str(csv), *relay_args(server))
    assert run.code == 0, run.stderr
    assert [recipient for recipient, _ in server.received] == [e for e, _ in people(3)]
    assert server.connections == 1


def test_the_file_can_say_the_server_is_a_relay(mail_project):
    settings = mail_project / "issues" / "newsletter.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("    security: starttls\n", "    relay: true\n"))
    csv = subscribers(mail_project, people(2))
    with ScriptedSmtp("pipelining_only") as server:
        args = ["--smtp", f"{server.host}:{server.port}", "--plain", "--yes"]
        run = run_mail(mail_project, "--to", str(csv), *args)
    assert run.code == 0, run.stderr
    assert len(server.received) == 2


def test_nothing_waits_between_messages_to_a_relay(mail_project):
    """At 0.01 a second each message would wait 100 s after the one before; to
    a relay, no pause is asked for at all (the clock records every one)."""
    clock = FakeClock()
    issue = validate(load(mail_project / "issues" / "2026-11.yaml"), mail_project)
    pdf = (mail_project / "build" / "2026-11.pdf").read_bytes()
    with ScriptedSmtp("pipelining_only") as server:
        options = send.Options(
            subscribers=subscribers(mail_project, people(3)),
            host=server.host,
            port=server.port,
            security="none",
            rate=0.01,
            relay=True,
        )
        report = send.mail(issue, pdf, options, {}, NOW, clock=clock)
    assert report.complete and len(server.received) == 3
    assert sum(clock.waits) == 0, clock.waits


def test_a_rate_given_with_a_relay_is_ignored_with_a_warning(mail_project):
    csv = subscribers(mail_project, people(2))
    with ScriptedSmtp("pipelining_only") as server:
        run = run_mail(mail_project, "--to", str(csv), *relay_args(server), "--rate", "0.01")
    assert run.code == 0, run.stderr
    assert "warning: --rate is ignored with a relay" in run.stderr
    assert len(server.received) == 2  # at 0.01 a second, the second would wait 100 s


def test_relay_is_a_boolean_in_the_file(mail_project):
    settings = mail_project / "issues" / "newsletter.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("    security: starttls\n", "    relay: often\n"))
    csv = subscribers(mail_project, people(1))
    run = run_mail(mail_project, "--to", str(csv), "--dry-run", str(mail_project / "out"))
    assert run.code == 1
    assert re.search(r"newsletter\.yaml:\d+:\d+: error: .*relay", run.stderr), run.stderr
