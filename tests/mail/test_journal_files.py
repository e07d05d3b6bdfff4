"""`--journal` pointing at something that is not a journal: a folder, a
damaged file, another program's SQLite database. Each is refused before a
message goes out, and the file is left exactly as it was; a journal written
before journals were marked as such is still taken."""

from __future__ import annotations

import sqlite3

import pytest
from mailing import people, run_mail, smtp_args, subscribers
from smtp_sink import SmtpSink

from broadsheet.mail.journal import APPLICATION_ID


def another_programs_database(path):
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE subscribers (who TEXT)")  # even a table of our name
        db.execute("INSERT INTO subscribers VALUES ('kept')")
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda path: path.mkdir() or path, "is a folder"),
        (lambda path: path.write_bytes(b"\x00garbage" * 600) and path, "is not a mail journal"),
        (another_programs_database, "another program's database"),
    ],
    ids=["folder", "garbage", "foreign sqlite"],
)
def test_a_journal_that_is_not_one_is_refused_and_left_alone(mail_project, tmp_path, make, words):
    path = make(tmp_path / "journal.sqlite")
    before = path.read_bytes() if path.is_file() else None
    csv = subscribers(mail_project, people(2))
    with SmtpSink() as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), "--journal", str(path))
    assert run.code == 2, run.stderr
    assert words in run.stderr and "internal error" not in run.stderr
    assert sink.received == []
    if before is not None:
        assert path.read_bytes() == before


def test_a_journal_is_marked_and_an_unmarked_one_of_ours_is_still_taken(mail_project, tmp_path):
    path = tmp_path / "journal.sqlite"
    csv = subscribers(mail_project, people(2))
    with SmtpSink() as sink:
        first = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), "--journal", str(path))
        assert first.code == 0, first.stderr
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
            db.execute("PRAGMA application_id = 0")  # as journals were before the mark
        again = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), "--journal", str(path))
        assert again.code == 0, again.stderr
        assert "already sent to all 2 subscribers" in again.stderr
        assert len(sink.received) == 2
