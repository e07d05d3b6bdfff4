"""Who must not be sent a publication again, and why: a small SQLite file.

`broadsheet bounces` writes it from the bounce and unsubscribe mailboxes;
`broadsheet mail` reads it and skips everyone in it. It lives outside
`build/` (default `mail/suppressions.sqlite`), because it is a consent
record: `make clean` must never bring an unsubscribed reader back.

Nothing a stranger writes reaches it. `mail` records, for each list it
sends (the List-Id), a random return token per subscriber and the
addresses it asked bounces and unsubscribes to come back to; a report is
acted on only when it names one of those tokens, or comes to one of those
addresses about one of the list's own subscribers. So every address in the
list was put there by `mail` itself, and every reason is one of three
words; what a report says (a status code, a date) is checked against a
strict shape before it is kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path

from broadsheet.mail import records

REASONS = ("hard bounce", "soft bounces", "unsubscribed")
DEFAULT_PATH = Path("mail") / "suppressions.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY,
    list TEXT NOT NULL,
    key TEXT NOT NULL,
    address TEXT NOT NULL,
    UNIQUE (list, key)
);
CREATE TABLE IF NOT EXISTS mailboxes (
    address TEXT NOT NULL,
    list TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('bounces', 'unsubscribe')),
    PRIMARY KEY (address, list, role)
);
CREATE TABLE IF NOT EXISTS suppressed (
    list TEXT NOT NULL,
    key TEXT NOT NULL,
    address TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('hard bounce', 'soft bounces', 'unsubscribed')),
    since TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (list, key)
);
CREATE TABLE IF NOT EXISTS soft (
    list TEXT NOT NULL,
    key TEXT NOT NULL,
    count INTEGER NOT NULL,
    last TEXT NOT NULL,
    PRIMARY KEY (list, key)
);
CREATE TABLE IF NOT EXISTS seen (report TEXT PRIMARY KEY);
"""
APPLICATION_ID = 0x42537370  # "BSsp": told from another program's database before any write
TABLES = {"tokens", "mailboxes", "suppressed", "soft", "seen"}


class NotAStore(RuntimeError):
    """The path holds something else; it is left exactly as it was."""


@dataclass(frozen=True)
class Subscriber:
    """A subscriber of one list, as `mail` recorded them."""

    list: str
    key: str  # the address in any letter case, folded
    address: str


@dataclass(frozen=True)
class Suppression:
    address: str
    reason: str
    since: str  # an ISO date: when the bounce or the request came
    detail: str


class Store:
    """The suppression list at `path`; opened `read_only`, the file is not
    touched at all (a dry run reads it)."""

    def __init__(self, path: Path, read_only: bool = False):
        self.path = path
        if path.exists() and not path.is_file():
            raise NotAStore(f"{path} is not a file")
        try:
            if read_only:
                self.db = records.open_to_read(path, APPLICATION_ID)
            else:
                self.db = records.open_record(path, APPLICATION_ID, SCHEMA)
        except records.Refused as exc:
            if exc.foreign:
                message = f"{path} is another program's database, not a suppression list"
            else:
                message = f"{path} is not a suppression list ({exc.detail})"
            raise NotAStore(message) from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self):
        """One report's changes, all or none."""
        with self.db:
            self.db.execute("BEGIN")
            yield

    # What `mail` records and reads.

    def tokens_for(self, list_id: str, subscribers: list[tuple[str, str]]) -> dict[str, str]:
        """Each (key, address)'s return token on this list: made once, at
        random (nobody can work out another reader's), and kept, so every
        issue goes out from the same return address."""
        self.db.executemany(
            "INSERT OR IGNORE INTO tokens VALUES (?, ?, ?, ?)",
            [(secrets.token_hex(8), list_id, key, address) for key, address in subscribers],
        )
        rows = self.db.execute("SELECT key, token FROM tokens WHERE list = ?", (list_id,))
        wanted = {key for key, _ in subscribers}
        return {key: token for key, token in rows if key in wanted}

    def expect(self, list_id: str, role: str, address: str) -> None:
        """Reports about this list come back to `address` (folded)."""
        self.db.execute(
            "INSERT OR IGNORE INTO mailboxes VALUES (?, ?, ?)", (address.casefold(), list_id, role)
        )

    def suppressed(self, list_id: str) -> dict[str, Suppression]:
        """Everyone suppressed on this list, by key."""
        rows = self.db.execute(
            "SELECT key, address, reason, since, detail FROM suppressed WHERE list = ?", (list_id,)
        )
        return {key: Suppression(*rest) for key, *rest in rows}

    # What `bounces` looks up and writes.

    def by_token(self, token: str) -> Subscriber | None:
        row = self.db.execute(
            "SELECT list, key, address FROM tokens WHERE token = ?", (token,)
        ).fetchone()
        return Subscriber(*row) if row else None

    def lists_expecting(self, address: str, role: str) -> list[str]:
        rows = self.db.execute(
            "SELECT list FROM mailboxes WHERE address = ? AND role = ? ORDER BY list",
            (address.casefold(), role),
        )
        return [row[0] for row in rows]

    def subscriber(self, list_id: str, address: str) -> Subscriber | None:
        row = self.db.execute(
            "SELECT list, key, address FROM tokens WHERE list = ? AND key = ?",
            (list_id, address.casefold()),
        ).fetchone()
        return Subscriber(*row) if row else None

    def first_reading(self, report: str) -> bool:
        """Whether this report (its Message-ID or digest) is new; marks it read."""
        cursor = self.db.execute("INSERT OR IGNORE INTO seen VALUES (?)", (report,))
        return cursor.rowcount == 1

    def suppress(self, who: Subscriber, reason: str, since: dt.date, detail: str) -> bool:
        """Add `who` to their list's suppressions; False when already there
        (the first reason and date are the record that counts)."""
        assert reason in REASONS
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO suppressed VALUES (?, ?, ?, ?, ?, ?)",
            (who.list, who.key, who.address, reason, since.isoformat(), detail[:200]),
        )
        return cursor.rowcount == 1

    def soft_bounce(self, who: Subscriber, when: dt.date) -> int:
        """Count one more soft bounce; returns the count so far."""
        self.db.execute(
            "INSERT INTO soft VALUES (?, ?, 1, ?) ON CONFLICT (list, key)"
            " DO UPDATE SET count = count + 1, last = excluded.last",
            (who.list, who.key, when.isoformat()),
        )
        row = self.db.execute(
            "SELECT count FROM soft WHERE list = ? AND key = ?", (who.list, who.key)
        ).fetchone()
        return row[0]
