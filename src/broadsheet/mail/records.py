"""The mail's own SQLite files (the journal, the suppression list), opened
so that another program's database is never changed by mistake.

Each kind of file carries its own `PRAGMA application_id`. A file is
claimed only when it carries ours, or is empty (or holds exactly the tables
of an older file of the kind, from before the id was written): anything
else is refused before a single byte of it is written. Writes are durable
(WAL, synchronous=FULL): each committed change survives a kill -9.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path


class Refused(RuntimeError):
    """The file cannot be opened as a record of this kind: it belongs to
    another program (`foreign`), or is not a database at all (`detail`
    says what SQLite found)."""

    def __init__(self, foreign: bool, detail: str = ""):
        super().__init__(detail or "another program's database")
        self.foreign = foreign
        self.detail = detail


def open_record(
    path: Path,
    application_id: int,
    schema: str,
    older_tables: frozenset[str] = frozenset(),
    shared: bool = False,
) -> sqlite3.Connection:
    """The file at `path` (not a folder: the caller checks), created when
    missing, claimed and given its tables. `shared`: usable from other
    threads than this one, whose uses the caller keeps apart with a lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = None
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=10, check_same_thread=not shared)
        found = db.execute("PRAGMA application_id").fetchone()[0]
        listed = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = {row[0] for row in listed}
        if not (found == application_id or (found == 0 and tables in (set(), older_tables))):
            raise Refused(foreign=True)
        db.execute(f"PRAGMA application_id = {application_id}")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.executescript(schema)
    except (sqlite3.DatabaseError, Refused) as exc:
        if db is not None:
            db.close()
        if isinstance(exc, Refused):
            raise
        raise Refused(foreign=False, detail=str(exc)) from None
    return db


def open_to_read(path: Path, application_id: int) -> sqlite3.Connection:
    """The file at `path`, read-only: not a byte of it changes (a dry run)."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        found = db.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise Refused(foreign=False, detail=str(exc)) from None
    if found != application_id:
        db.close()
        raise Refused(foreign=True)
    with contextlib.suppress(sqlite3.Error):
        db.execute("PRAGMA query_only = ON")
    return db
