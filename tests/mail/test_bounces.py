"""Bounces and unsubscribes: a real send through the SMTP server on
127.0.0.1 goes out from each subscriber's own return path (VERP); delivery
status notifications and unsubscribe requests written to a Maildir or an
mbox are read by `broadsheet bounces` into the suppression list; the next
send skips those subscribers and says why."""

from __future__ import annotations

import io
import mailbox
import sqlite3
from pathlib import Path

import pytest
from dovecot import PASSWORD, Dovecot, why_not
from mailing import people, run_mail, smtp_args, subscribers
from smtp_sink import SmtpSink

from broadsheet.cli.main import main
from broadsheet.mail.reports import read_report

DSN = """\
From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
To: {to}
Delivered-To: {to}
Subject: Undelivered Mail Returned to Sender
Date: Tue, 03 Nov 2026 10:00:00 +0000
Message-ID: <{id}@mx.example.org>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

The mail system: <{address}>: host said: {status} user unknown

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
Arrival-Date: Tue, 03 Nov 2026 09:59:00 +0000

Final-Recipient: rfc822; {address}
Original-Recipient: rfc822; {address}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 {status} user unknown

--B
Content-Type: text/rfc822-headers

From: The Lantern <news@lanternhill.example>
To: {address}
Subject: The Lantern No. 18

--B--
"""

REQUEST = """\
From: {sender}
To: unsubscribe@lanternhill.example
Subject: {subject}
Date: Wed, 04 Nov 2026 08:30:00 +0000
Message-ID: <{id}@reader.example.org>

Please take me off.
"""


def dsn(to: str, address: str, status: str = "5.1.1", action: str = "failed", n: int = 1):
    text = DSN.format(to=to, address=address, status=status, action=action, id=f"dsn{n}")
    return text.replace("\n", "\r\n").encode()


def request(sender: str, subject: str, n: int = 1) -> bytes:
    return REQUEST.format(sender=sender, subject=subject, id=f"req{n}").encode()


def maildir(folder: Path, messages: list[bytes]) -> Path:
    box = mailbox.Maildir(folder, create=True)
    for data in messages:
        box.add(data)
    box.close()
    return folder


def run(root: Path, *args: str, environ: dict | None = None):
    out, err = io.StringIO(), io.StringIO()
    code = main([*args, "--root", str(root)], stdout=out, stderr=err, environ=environ or {})
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def bounce_project(mail_project):
    newsletter = mail_project / "issues" / "newsletter.yaml"
    text = newsletter.read_text(encoding="utf-8")
    text = text.replace("  reply_to:", "  bounces: bounces@lanternhill.example\n  reply_to:", 1)
    newsletter.write_text(text, encoding="utf-8")
    return mail_project


def sent_from(bounce_project, readers):
    """A real send; each subscriber's envelope sender, by address."""
    csv = subscribers(bounce_project, readers)
    with SmtpSink() as sink:
        sent = run_mail(bounce_project, "--to", str(csv), *smtp_args(sink))
    assert sent.code == 0, sent.stderr
    return csv, {m.rcpt_tos[0]: m.mail_from for m in sink.received}


def test_each_message_goes_out_from_its_own_return_path(bounce_project):
    readers = people(3)
    _, senders = sent_from(bounce_project, readers)
    assert set(senders) == {email for email, _ in readers}
    tokens = set()
    for sender in senders.values():
        local, _, domain = sender.partition("@")
        assert domain == "lanternhill.example"
        assert local.startswith("bounces+") and len(local) == len("bounces+") + 16
        tokens.add(local)
    assert len(tokens) == 3
    # The same return path on the next send: the list keeps its tokens.
    store = bounce_project / "mail" / "suppressions.sqlite"
    assert store.is_file()


def test_hard_soft_and_unsubscribe_then_the_next_send_skips_them(bounce_project, tmp_path):
    readers = people(4)
    csv, senders = sent_from(bounce_project, readers)
    one, two, three, four = (email for email, _ in readers)
    reports = [
        dsn(senders[one], one, "5.1.1", n=1),
        *(dsn(senders[two], two, "4.2.2", "delayed", n=k) for k in (2, 3, 4)),
        dsn(senders[three], three, "4.4.1", "delayed", n=5),
        request(f"Reader Four <{four}>", f"unsubscribe {four}"),
        b"From: someone@else.example\r\nTo: bounces@lanternhill.example\r\n"
        b"Subject: Out of office\r\n\r\nAway until Monday.\r\n",
    ]
    box = maildir(tmp_path / "Maildir", reports)
    code, _, err = run(bounce_project, "bounces", str(box))
    assert code == 0, err
    assert (
        "2 hard" not in err and "1 hard bounces, 4 soft, 1 unsubscribe requests, 1 ignored" in err
    )
    assert "1 hard bounce, 1 soft bounces, 1 unsubscribed" in err

    # Read again: nothing changes, nothing is counted twice.
    code, _, err = run(bounce_project, "bounces", str(box))
    assert code == 0 and "(7 read before)" in err and "newly suppressed: nobody" in err

    db = sqlite3.connect(bounce_project / "mail" / "suppressions.sqlite")
    rows = db.execute("SELECT address, reason, since, detail FROM suppressed ORDER BY address")
    assert rows.fetchall() == [
        (one, "hard bounce", "2026-11-03", "status 5.1.1"),
        (two, "soft bounces", "2026-11-03", "3 soft bounces, the last status 4.2.2"),
        (four, "unsubscribed", "2026-11-04", "by mail to unsubscribe@lanternhill.example"),
    ]
    # The next send: the journal of another issue, the same list.
    with SmtpSink() as sink:
        again = run_mail(
            bounce_project,
            "--to",
            str(csv),
            "--journal",
            str(tmp_path / "next.sqlite"),
            *smtp_args(sink),
        )
    assert again.code == 0, again.stderr
    assert [m.rcpt_tos for m in sink.received] == [[three]]
    assert "skipped 3 suppressed (1 hard bounce, 1 soft bounces, 1 unsubscribed)" in again.stderr


def test_a_dry_run_skips_the_suppressed_too_and_records_nothing(bounce_project, tmp_path):
    readers = people(2)
    csv, senders = sent_from(bounce_project, readers)
    first = readers[0][0]
    box = maildir(tmp_path / "Maildir", [dsn(senders[first], first)])
    assert run(bounce_project, "bounces", str(box))[0] == 0
    store = bounce_project / "mail" / "suppressions.sqlite"
    before = store.read_bytes()
    dry = run_mail(bounce_project, "--to", str(csv), "--dry-run", str(tmp_path / "outbox"))
    assert dry.code == 0, dry.stderr
    assert [p.name for p in sorted((tmp_path / "outbox").iterdir())] == [
        "1-reader2@example.org.eml"
    ]
    assert store.read_bytes() == before


def test_an_mbox_is_read_as_well(bounce_project, tmp_path):
    readers = people(1)
    _, senders = sent_from(bounce_project, readers)
    address = readers[0][0]
    path = tmp_path / "bounces.mbox"
    box = mailbox.mbox(path, create=True)
    box.add(dsn(senders[address], address))
    box.close()
    code, _, err = run(bounce_project, "bounces", str(path))
    assert code == 0, err
    assert "newly suppressed: 1 hard bounce" in err


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir() or p, "a folder, but not a Maildir"),
        (lambda p: (p.write_text("not mail\n"), p)[1], "not an mbox"),
        (lambda p: p, "no such Maildir or mbox"),
    ],
)
def test_what_is_not_a_mailbox_is_a_clear_error(bounce_project, tmp_path, make, message):
    readers = people(1)
    sent_from(bounce_project, readers)
    path = make(tmp_path / "box")
    code, _, err = run(bounce_project, "bounces", str(path))
    assert code == 1, err
    assert message in err and "Traceback" not in err


def test_without_a_suppression_list_it_says_how_one_starts(mail_project, tmp_path):
    box = maildir(tmp_path / "Maildir", [])
    code, _, err = run(mail_project, "bounces", str(box))
    assert code == 1
    assert "no suppression list" in err and "broadsheet mail" in err


def test_nothing_in_a_report_reaches_the_list_but_our_own_subscribers(bounce_project, tmp_path):
    """Forged tokens, strangers' addresses, SQL and header tricks in every
    field: none of it is written. Only addresses `mail` recorded are."""
    readers = people(1)
    _, senders = sent_from(bounce_project, readers)
    victim = readers[0][0]
    hostile = [
        dsn("bounces+0123456789abcdef@lanternhill.example", victim, n=1),  # forged token
        dsn("bounces+'; DROP TABLE suppressed; --@lanternhill.example", victim, n=2),
        dsn(senders[victim], "x'); DELETE FROM tokens; --@evil.example", "9.9.9\r\nX: y", n=3),
        request("stranger@evil.example", "unsubscribe someone-else@evil.example", n=4),
        request("Robert'); DROP TABLE suppressed;-- <a@b.example>", "unsubscribe", n=5),
        b"\xff\xfe garbage \x00\x01\r\n\r\n",
    ]
    box = maildir(tmp_path / "Maildir", hostile)
    code, _, err = run(bounce_project, "bounces", str(box))
    assert code == 0, err
    db = sqlite3.connect(bounce_project / "mail" / "suppressions.sqlite")
    rows = db.execute("SELECT address, reason, detail FROM suppressed").fetchall()
    # The one real token's report: a failed delivery with a status not of the
    # RFC's shape is a hard bounce, kept as its action.
    assert rows == [(victim, "hard bounce", "status failed")]
    assert db.execute("SELECT count(*) FROM tokens").fetchone() == (1,)


def test_a_delivery_report_is_read_by_its_fields():
    report = read_report(dsn("bounces+00112233445566aa@x.example", "a@b.example", "5.7.1"))
    (bounce,) = report.bounces
    assert (bounce.token, bounce.hard, bounce.status) == ("00112233445566aa", True, "5.7.1")
    assert report.request is None
    delayed = read_report(
        dsn("bounces+00112233445566aa@x.example", "a@b.example", "4.4.7", "delayed")
    )
    assert [b.hard for b in delayed.bounces] == [False]
    delivered = read_report(
        dsn("bounces+00112233445566aa@x.example", "a@b.example", "2.0.0", "delivered")
    )
    assert delivered.bounces == ()


def test_the_bounces_key_is_checked_where_it_is_written(bounce_project, tmp_path):
    newsletter = bounce_project / "issues" / "newsletter.yaml"
    text = newsletter.read_text(encoding="utf-8")
    newsletter.write_text(
        text.replace("bounces: bounces@", "bounces: bounces+x@"), encoding="utf-8"
    )
    csv = subscribers(bounce_project, people(1))
    with SmtpSink() as sink:
        sent = run_mail(bounce_project, "--to", str(csv), *smtp_args(sink))
    assert sent.code == 1
    assert "newsletter.yaml:" in sent.stderr and "no '+' before the @" in sent.stderr
    assert sink.received == []


def test_another_programs_database_is_refused_and_left_alone(bounce_project, tmp_path):
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE suppressed (who TEXT)")
        db.execute("INSERT INTO suppressed VALUES ('kept')")
    before = foreign.read_bytes()
    box = maildir(tmp_path / "Maildir", [])
    code, _, err = run(bounce_project, "bounces", str(box), "--suppressions", str(foreign))
    assert code == 1 and "another program's database, not a suppression list" in err
    csv = subscribers(bounce_project, people(1))
    with SmtpSink() as sink:
        sent = run_mail(
            bounce_project, "--to", str(csv), *smtp_args(sink), "--suppressions", str(foreign)
        )
    assert sent.code == 1 and "not a suppression list" in sent.stderr
    assert sink.received == []
    assert foreign.read_bytes() == before


@pytest.mark.skipif(why_not() is not None, reason=why_not() or "")
def test_an_imap_folder_on_a_real_dovecot_is_read_and_left_as_it_was(bounce_project):
    readers = people(2)
    _, senders = sent_from(bounce_project, readers)
    first, second = (email for email, _ in readers)
    with Dovecot() as server:
        server.deliver(dsn(senders[first], first), request(second, f"unsubscribe {second}"))
        environ = {"BROADSHEET_IMAP_PASSWORD": PASSWORD}
        code, _, err = run(bounce_project, "bounces", server.url, environ=environ)
        assert code == 0, err + server.log()
        assert "newly suppressed: 1 hard bounce, 1 unsubscribed" in err
        assert server.unseen() == 2  # read with BODY.PEEK from a folder opened read-only
        code, _, err = run(bounce_project, "bounces", server.url, environ=environ)
        assert code == 0 and "(2 read before)" in err

        wrong = run(
            bounce_project, "bounces", server.url, environ={"BROADSHEET_IMAP_PASSWORD": "x"}
        )
        assert wrong[0] == 1 and server.url in wrong[2] and "Traceback" not in wrong[2]
        unset = run(bounce_project, "bounces", server.url)
        assert unset[0] == 1 and "set BROADSHEET_IMAP_PASSWORD" in unset[2]
        missing = run(
            bounce_project, "bounces", server.url.replace("INBOX", "Nope"), environ=environ
        )
        assert missing[0] == 1 and "Nope" in missing[2]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("imap://127.0.0.1/INBOX", "expected imap(s)://USER@HOST"),
        ("imaps://u:pw@mail.example.org/INBOX", "no password in the URL"),
        ("imap://u@mail.example.org:99999/INBOX", "the port must be a number"),
        ('imap://u@127.0.0.1:1/IN"BOX', "without quotes"),
        ("imap://u@127.0.0.1:1/INBOX", "connection refused"),
    ],
)
def test_an_imap_address_that_cannot_be_read_is_a_clear_error(bounce_project, url, words):
    sent_from(bounce_project, people(1))
    code, _, err = run(bounce_project, "bounces", url, environ={"BROADSHEET_IMAP_PASSWORD": "x"})
    assert code == 1, err
    assert words in err and "Traceback" not in err
