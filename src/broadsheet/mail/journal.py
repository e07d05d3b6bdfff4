"""What each subscriber has been sent of one issue: a small SQLite file.

States: `pending` (not tried yet), `sent` (the server said 250), `deferred`
(a 4xx answer: tried again on the next run), `failed` (a 5xx answer: never
again), `unknown` (the message was handed over but no answer came: it may
have arrived, so it is resent only when asked).

Every change of state is one committed transaction (WAL, synchronous=FULL),
and a subscriber is marked `unknown` *before* the end of the message goes to
the server. So a process killed at any moment leaves either a `sent` row
that is true, or an `unknown` row that a rerun does not resend: never a
second copy, never a lost `sent`. A lock file (flock, released by the
system even after kill -9) keeps two runs on one issue apart.

Several connections may send at once, each on a thread of its own (send.py),
and each marks its subscribers itself: the `unknown` mark must be written by
the thread about to send the final dot, before it sends it. So the journal
is one SQLite connection shared by those threads, each use of it holding
the journal's lock: one statement at a time, each committed before the lock
is let go.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from broadsheet.mail import records

STATES = ("pending", "sent", "deferred", "failed", "unknown")
SCHEMA = """
CREATE TABLE IF NOT EXISTS facts (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS subscribers (
    key TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    message_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'deferred', 'failed', 'unknown')),
    attempts INTEGER NOT NULL DEFAULT 0,
    answer TEXT NOT NULL DEFAULT '',
    changed TEXT NOT NULL DEFAULT '',
    copy_sha256 TEXT NOT NULL DEFAULT ''
);
"""
# Columns added since the first journals, each with its declaration: a
# journal written before one is given it when opened, its rows kept.
ADDED_COLUMNS = {"copy_sha256": "TEXT NOT NULL DEFAULT ''"}


# Written into every journal's header (PRAGMA application_id, "BSjr"), so that
# a journal is told from another program's SQLite file before anything in it
# is changed. Journals from before it carry 0 and exactly our two tables.
APPLICATION_ID = 0x42536A72
TABLES = {"facts", "subscribers"}


class NotAJournal(RuntimeError):
    """The path holds something else: a folder, a damaged file, another
    program's database. It is left exactly as it was."""


class Busy(RuntimeError):
    """Another run holds the issue's lock."""


class Mismatch(RuntimeError):
    """The journal belongs to another PDF of the issue."""


@dataclass(frozen=True)
class Row:
    key: str
    address: str
    message_id: str
    state: str
    attempts: int
    answer: str


class Journal:
    def __init__(self, path: Path):
        self.path = path
        self._lock_file = None
        self._db_lock = threading.Lock()  # one use of `db` at a time, from any thread
        if path.exists() and not path.is_file():
            raise NotAJournal(f"{path} is not a file; give --journal a file's path")
        try:
            self.db = records.open_record(
                path, APPLICATION_ID, SCHEMA, frozenset(TABLES), shared=True
            )
        except records.Refused as exc:
            if exc.foreign:
                message = f"{path} is another program's database, not a mail journal"
            else:
                message = f"{path} is not a mail journal ({exc.detail})"
            raise NotAJournal(f"{message}; give --journal another file") from None
        self._add_new_columns()

    def _add_new_columns(self) -> None:
        """Bring an older journal up to date (ALTER TABLE keeps every row);
        what it recorded before stays readable, the new columns empty."""
        have = {row[1] for row in self.db.execute("PRAGMA table_info(subscribers)")}
        for name, declaration in ADDED_COLUMNS.items():
            if name not in have:
                self.db.execute(f"ALTER TABLE subscribers ADD COLUMN {name} {declaration}")

    def lock(self, path: Path) -> None:
        """Hold the issue's lock (the file `path`) for this run, or raise Busy at once."""
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+b")  # noqa: SIM115 (held open for the whole run)
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise Busy(f"another broadsheet mail is sending this issue ({path})") from None
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
        self._lock_file = handle

    def close(self) -> None:
        with self._db_lock:
            self.db.close()
        if self._lock_file is not None:
            self._lock_file.close()  # releases the lock
            self._lock_file = None

    def bind(self, pdf_sha256: str) -> None:
        """Tie the journal to one PDF: once anyone has been sent it, or may
        have been (`unknown`), the rest must get the same file, not a rebuilt
        one; a corrected issue is a new send, with a journal of its own."""
        with self._db_lock:
            row = self.db.execute("SELECT value FROM facts WHERE name = 'pdf'").fetchone()
        counts = self.counts() if row is not None and row[0] != pdf_sha256 else Counter()
        reached = counts["sent"] + counts["unknown"]
        if reached:
            raise Mismatch(
                f"the PDF has changed since this issue went to {reached}"
                f" subscribers ({self.path}); send the rest the first PDF, or send the"
                " corrected issue as a new message with a new journal (--journal)"
            )
        with self._db_lock:
            self.db.execute("INSERT OR REPLACE INTO facts VALUES ('pdf', ?)", (pdf_sha256,))

    def enrol(self, entries: list[tuple[str, str, str]]) -> None:
        """(key, address, message_id) of every subscriber, as `pending` when new."""
        with self._db_lock, self.db:  # one transaction
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT OR IGNORE INTO subscribers (key, address, message_id, state)"
                " VALUES (?, ?, ?, 'pending')",
                entries,
            )

    def rows(self) -> dict[str, Row]:
        with self._db_lock:
            found = self.db.execute(
                "SELECT key, address, message_id, state, attempts, answer FROM subscribers"
            ).fetchall()
        return {row[0]: Row(*row) for row in found}

    def mark(self, key: str, state: str, answer: str = "", tried: bool = False) -> None:
        """One state change, committed before this returns."""
        assert state in STATES
        with self._db_lock:
            self.db.execute(
                "UPDATE subscribers SET state = ?, answer = ?, attempts = attempts + ?,"
                " changed = ? WHERE key = ?",
                (state, answer[:500], int(tried), dt.datetime.now(dt.UTC).isoformat(), key),
            )

    def record_copy(self, key: str, sha256: str) -> None:
        """The SHA-256 of the PDF this subscriber is about to be sent: their
        own stamped copy when the issue is personalised, else the issue's.
        Written before the message goes, like the `unknown` mark, so the
        journal names the exact file a subscriber may have received."""
        with self._db_lock:
            self.db.execute("UPDATE subscribers SET copy_sha256 = ? WHERE key = ?", (sha256, key))

    def copies(self) -> dict[str, str]:
        """Each subscriber's recorded copy hash ('' when none was sent yet)."""
        with self._db_lock:
            return dict(self.db.execute("SELECT key, copy_sha256 FROM subscribers").fetchall())

    def counts(self) -> Counter:
        with self._db_lock:
            found = self.db.execute("SELECT state, count(*) FROM subscribers GROUP BY state")
            return Counter(dict(found.fetchall()))
