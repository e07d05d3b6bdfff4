"""`broadsheet mail` against a real SMTP server on 127.0.0.1 (tests/mail/smtp_sink.py).

What arrives is read back from the server: one message per subscriber, each
to that subscriber alone, with the exact PDF that `build` made, every header
once, and no other subscriber's address or unsubscribe link anywhere in it.
Then the faults: 451 retried, 550 failed for good, 552 stops the run, a
connection dropped after the final dot leaves the message `unknown`, and so on.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter

import pytest
from mailing import (
    FakeClock,
    mail_directly,
    message_ids,
    parsed,
    people,
    run_mail,
    smtp_args,
    subscribers,
)
from pypdf import PdfReader
from smtp_sink import Faults, SmtpSink

from broadsheet.cli.main import main
from broadsheet.mail import send
from broadsheet.mail.journal import Journal

REQUIRED = (
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
)


def test_n_subscribers_get_n_messages_each_their_own(mail_project):
    readers = people(3)
    csv = subscribers(mail_project, readers)
    pdf = (mail_project / "build" / "2026-11.pdf").read_bytes()
    with SmtpSink() as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    assert run.code == 0, run.stderr
    assert "sent 3 now" in run.stderr
    assert len(sink.received) == 3
    for (email, name), message in zip(readers, sink.received, strict=True):
        assert message.rcpt_tos == [email]
        mail = parsed(message.data)
        assert mail["To"].addresses[0].addr_spec == email
        assert mail["To"].addresses[0].display_name == name
        for header in REQUIRED:
            assert len(mail.get_all(header)) == 1, header
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert [part.get_content_type() for part in mail.walk()] == [
            "multipart/mixed",
            "multipart/alternative",
            "text/plain",
            "text/html",
            "application/pdf",
        ]
        (attachment,) = list(mail.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename() == "The Lantern — No. 18, November 2026.pdf"
        assert hashlib.sha256(attachment.get_content()).digest() == hashlib.sha256(pdf).digest()
        # Only this subscriber's unsubscribe token, and no one else's address.
        token = f"tok{readers.index((email, name)) + 1}"
        assert f"token={token}>" in mail["List-Unsubscribe"]
        for other, _ in readers:
            if other != email:
                assert other.encode() not in message.data
        others = {f"tok{n}" for n in range(1, 4)} - {token}
        assert not any(f"token={t}".encode() in message.data for t in others)


def test_the_cover_note_lists_the_contents_with_page_numbers(mail_project):
    csv = subscribers(mail_project, people(1))
    with SmtpSink() as sink:
        assert run_mail(mail_project, "--to", str(csv), *smtp_args(sink)).code == 0
    mail = parsed(sink.received[0].data)
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "The Lantern — No. 18, November 2026 is attached" in text
    # The page the diary is printed on, from the PDF itself (the outline).
    reader = PdfReader(mail_project / "build" / "2026-11.pdf")
    diary = next(entry for entry in reader.outline if entry.title == "Dates for your diary")
    page = reader.get_destination_page_number(diary) + 1
    assert re.search(rf"Dates for your diary\s+page {page}", text)
    # In the HTML part, the page under the diary's title, before its row ends.
    row = rf"Dates for your diary</span></h3>(?:(?!</td>).)*>page {page}</p>"
    assert re.search(row, html, re.S)
    assert "https://lanternhill.example/unsubscribe?token=tok1" in text
    assert mail["Subject"] == "The Lantern No. 18: November 2026"


def test_a_second_run_sends_nothing_and_says_so(mail_project):
    csv = subscribers(mail_project, people(2))
    with SmtpSink() as sink:
        assert run_mail(mail_project, "--to", str(csv), *smtp_args(sink)).code == 0
        again = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    assert again.code == 0
    assert "already sent to all 2 subscribers" in again.stderr
    assert len(sink.received) == 2


class Terminal(io.StringIO):
    """Standard input that is a terminal, with the editor's answer typed in."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "sent"), [("n\n", 0), ("y\n", 2)])
def test_a_real_send_asks_first_on_a_terminal(mail_project, answer, sent):
    csv = subscribers(mail_project, people(2))
    with SmtpSink() as sink:
        out, err = io.StringIO(), io.StringIO()
        issue = str(mail_project / "issues" / "2026-11.yaml")
        command = ["mail", issue, "--root", str(mail_project), "--to", str(csv)]
        command += ["--smtp", f"{sink.host}:{sink.port}", "--plain"]
        code = main(command, stdout=out, stderr=err, environ={}, stdin=Terminal(answer))
    assert "Send 2026-11.pdf to 2 subscribers through 127.0.0.1:" in err.getvalue()
    assert len(sink.received) == sent
    assert code == (0 if sent else 1)
    if not sent:
        assert "not confirmed: nothing was sent" in err.getvalue()
        assert "2 pending, 0 sent" in err.getvalue()


def test_451_is_retried_and_delivered_once(mail_project):
    readers = people(3)
    csv = subscribers(mail_project, readers)
    with SmtpSink(Faults(defer_once={"reader2@example.org"})) as sink:
        report = mail_directly(mail_project, csv, sink)
    assert report.complete
    assert Counter(m.rcpt_tos[0] for m in sink.received) == {e: 1 for e, _ in readers}
    assert [r.code for r in sink.rcpt_log if r.address == "reader2@example.org"] == [451, 250]


def test_a_451_left_deferred_is_sent_by_the_next_run(mail_project):
    csv = subscribers(mail_project, people(2))
    with SmtpSink(Faults(defer_once={"reader1@example.org"})) as sink:
        first = mail_directly(mail_project, csv, sink, retry_delays=())
        assert not first.complete
        assert journal_rows(mail_project)["reader1@example.org"].state == "deferred"
        second = mail_directly(mail_project, csv, sink)
    assert second.complete and second.sent_now == 1
    assert sorted(m.rcpt_tos[0] for m in sink.received) == [
        "reader1@example.org",
        "reader2@example.org",
    ]


def test_the_pdf_is_built_first_when_missing_or_stale(mail_project, tmp_path):
    pdf = mail_project / "build" / "2026-11.pdf"
    pdf.unlink()
    csv = subscribers(mail_project, people(1))
    run = run_mail(mail_project, "--to", str(csv), "--dry-run", str(tmp_path / "out"))
    assert run.code == 0, run.stderr
    (eml,) = (tmp_path / "out").iterdir()
    (attachment,) = parsed(eml.read_bytes()).iter_attachments()
    assert attachment.get_content() == pdf.read_bytes()
    built = pdf.stat().st_mtime_ns
    run_mail(mail_project, "--to", str(csv), "--dry-run", str(tmp_path / "again"))
    assert pdf.stat().st_mtime_ns == built  # up to date: not built again
    issue = mail_project / "issues" / "2026-11.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("Dome appeal", "Roof appeal"))
    run_mail(mail_project, "--to", str(csv), "--dry-run", str(tmp_path / "third"))
    assert pdf.stat().st_mtime_ns > built
    assert "Roof appeal" in pdf_text(pdf)


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_550_is_failed_and_never_retried(mail_project):
    csv = subscribers(mail_project, people(3))
    with SmtpSink(Faults(reject={"reader2@example.org"})) as sink:
        first = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
        second = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    assert first.code == 1
    assert "reader2@example.org: failed (550 5.1.1 No such user)" in first.stderr
    assert [r.code for r in sink.rcpt_log if r.address == "reader2@example.org"] == [550]
    assert len(sink.received) == 2
    assert second.code == 1  # still not everyone, but nothing left to try
    rows = journal_rows(mail_project)
    assert rows["reader2@example.org"].state == "failed"
    assert rows["reader2@example.org"].attempts == 1


def test_552_stops_the_run_and_marks_nobody(mail_project):
    csv = subscribers(mail_project, people(3))
    with SmtpSink(Faults(too_large=True)) as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    assert run.code == 1
    assert "message too large" in run.stderr
    assert len(sink.rcpt_log) == 1  # stopped at the first
    assert {row.state for row in journal_rows(mail_project).values()} == {"pending"}


def test_a_message_over_max_message_mb_stops_before_connecting(mail_project):
    newsletter = mail_project / "issues" / "newsletter.yaml"
    newsletter.write_text(
        newsletter.read_text().replace("mail:\n", "mail:\n  max_message_mb: 0.05\n"),
        encoding="utf-8",
    )
    csv = subscribers(mail_project, people(2))
    with SmtpSink() as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    assert run.code == 1
    assert "over max_message_mb (0.05 MB): nothing was sent" in run.stderr
    assert sink.connections == 0


def test_a_drop_after_the_final_dot_is_unknown_and_resent_only_when_asked(mail_project):
    csv = subscribers(mail_project, people(3))
    with SmtpSink(Faults(drop_after_data={"reader2@example.org"})) as sink:
        first = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
        assert first.code == 1
        assert "reader2@example.org: unknown" in first.stderr
        assert journal_rows(mail_project)["reader2@example.org"].state == "unknown"
        second = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
        assert len(sink.received) == 2  # not resent by default
        third = run_mail(mail_project, "--to", str(csv), "--resend-unknown", *smtp_args(sink))
    assert second.code == 1 and third.code == 0
    assert [m.rcpt_tos for m in sink.received] == [
        ["reader1@example.org"],
        ["reader3@example.org"],
        ["reader2@example.org"],
    ]
    assert message_ids(sink.received[2:]) == message_ids(sink.dropped)


def test_421_at_connect_slows_down_and_loses_nothing(mail_project):
    csv = subscribers(mail_project, people(3))
    with SmtpSink(Faults(disconnect_on_connect_once=True)) as sink:
        report = mail_directly(mail_project, csv, sink)
    assert report.complete
    assert sorted(m.rcpt_tos[0] for m in sink.received) == [e for e, _ in people(3)]


def test_a_run_of_permanent_failures_pauses_the_run(mail_project):
    readers = people(send.PAUSE_AFTER + 3)
    csv = subscribers(mail_project, readers)
    refused = {email for email, _ in readers[: send.PAUSE_AFTER + 1]}
    with SmtpSink(Faults(reject=refused)) as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    assert run.code == 1
    assert f"paused after {send.PAUSE_AFTER} permanent failures in a row" in run.stderr
    states = Counter(row.state for row in journal_rows(mail_project).values())
    assert states == {"failed": send.PAUSE_AFTER, "pending": 3}
    assert sink.received == []


def test_the_rate_limit_spaces_the_messages(mail_project):
    """100 messages at 10 a second take at least 9.9 s, on a clock that does not wait."""
    csv = subscribers(mail_project, people(100))
    clock = FakeClock()
    with SmtpSink() as sink:
        report = mail_directly(mail_project, csv, sink, rate=10, clock=clock)
    assert report.complete and len(sink.received) == 100
    assert clock.time >= 9.9 - 1e-6  # 99 gaps of 0.1 s


def test_a_dry_run_writes_what_the_server_receives(mail_project, tmp_path):
    """The same inputs: each .eml is byte for byte the message transmitted."""
    csv = subscribers(mail_project, people(3))
    outbox = tmp_path / "outbox"
    dry = run_mail(mail_project, "--to", str(csv), "--dry-run", str(outbox))
    assert dry.code == 0, dry.stderr
    written = sorted(outbox.iterdir())
    assert [p.name for p in written] == [f"{n}-reader{n}@example.org.eml" for n in (1, 2, 3)]
    assert not (mail_project / "build" / "2026-11.mail.sqlite").exists()  # nothing recorded
    with SmtpSink() as sink:
        assert run_mail(mail_project, "--to", str(csv), *smtp_args(sink)).code == 0
    assert [m.data for m in sink.received] == [p.read_bytes() for p in written]


def test_a_dry_run_opens_no_socket(mail_project, tmp_path, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("a dry run opened a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    csv = subscribers(mail_project, people(2))
    run = run_mail(mail_project, "--to", str(csv), "--dry-run", str(tmp_path / "out"))
    assert run.code == 0, run.stderr


def test_a_changed_pdf_is_not_sent_to_the_rest(mail_project):
    """Half the list has the first PDF: the other half must not get a rebuilt one."""
    csv = subscribers(mail_project, people(2))
    with SmtpSink(Faults(reject={"reader2@example.org"})) as sink:
        run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    pdf = mail_project / "build" / "2026-11.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% changed\n")
    csv = subscribers(mail_project, [*people(2), ("new@example.org", "New")])
    with SmtpSink() as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    assert run.code == 1
    assert "the PDF has changed since this issue went to 1 subscribers" in run.stderr
    assert sink.received == []


def test_an_unknown_one_is_never_resent_a_changed_pdf(mail_project):
    """The `unknown` subscriber may have the first PDF: --resend-unknown
    sends it only that one, under the same Message-ID."""
    csv = subscribers(mail_project, people(1))
    with SmtpSink(Faults(drop_after_data={"reader1@example.org"})) as sink:
        run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
        first_id = parsed(sink.dropped[0].data)["Message-ID"]
    pdf = mail_project / "build" / "2026-11.pdf"
    original = pdf.read_bytes()
    pdf.write_bytes(original + b"\n% changed\n")
    with SmtpSink() as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), "--resend-unknown")
        assert run.code == 1 and "went to 1 subscribers" in run.stderr
        assert sink.received == []
    pdf.write_bytes(original)
    with SmtpSink() as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), "--resend-unknown")
        assert run.code == 0, run.stderr
        assert parsed(sink.received[0].data)["Message-ID"] == first_id


def test_a_corrected_issue_is_a_new_message(mail_project, tmp_path):
    """Another PDF of the same issue, sent with a journal of its own, gets new
    Message-IDs: mail software would hide a second message under the first's."""
    csv = subscribers(mail_project, people(1))
    pdf = mail_project / "build" / "2026-11.pdf"
    ids = []
    for n in (1, 2):
        with SmtpSink() as sink:
            journal = str(tmp_path / f"journal-{n}.sqlite")
            run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), "--journal", journal)
            assert run.code == 0, run.stderr
            ids.append(parsed(sink.received[0].data)["Message-ID"])
        pdf.write_bytes(pdf.read_bytes() + b"\n% corrected\n")
    assert ids[0] != ids[1]


def test_the_journal_survives_with_every_sent_row(mail_project):
    csv = subscribers(mail_project, people(4))
    with SmtpSink() as sink:
        run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    import sqlite3

    db = sqlite3.connect(mail_project / "build" / "2026-11.mail.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("SELECT count(*) FROM subscribers WHERE state = 'sent'").fetchone() == (4,)


# -- helpers ----------------------------------------------------------------------------------


def journal_rows(mail_project) -> dict:
    journal = Journal(mail_project / "build" / "2026-11.mail.sqlite")
    try:
        return {row.address: row for row in journal.rows().values()}
    finally:
        journal.close()
