"""`broadsheet bounces MAILBOX...` (a Maildir, an mbox, or an IMAP folder
named by its URL): bounces and unsubscribe requests read into
the suppression list (suppressions.py), which every later send skips.

A hard bounce suppresses its subscriber at once; soft bounces are counted,
and `--soft-limit` of them (default 3) suppress. An unsubscribe request
suppresses its subscriber for the list it came about, with the date of the
request kept as the consent record. Each message is read once: reading the
same mailbox again changes nothing, so the command can run from cron over a
mailbox nobody empties.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from broadsheet.errors import ContentError, Diagnostic, error
from broadsheet.mail.reports import NotAMailbox, Report, open_mailbox, reports_in
from broadsheet.mail.suppressions import DEFAULT_PATH, NotAStore, Store

SOFT_LIMIT = 3


@dataclass
class Tally:
    read: int = 0
    again: int = 0  # read by an earlier run
    hard: int = 0
    soft: int = 0
    requests: int = 0
    ignored: int = 0  # about no subscriber of ours: auto-replies, strangers
    suppressed: Counter = field(default_factory=Counter)  # newly, by reason

    def summary(self) -> str:
        newly = ", ".join(f"{n} {reason}" for reason, n in sorted(self.suppressed.items()))
        return (
            f"read {self.read} messages ({self.again} read before): {self.hard} hard bounces,"
            f" {self.soft} soft, {self.requests} unsubscribe requests, {self.ignored} ignored;"
            f" newly suppressed: {newly or 'nobody'}"
        )


def run(args, root: Path, stdin: TextIO, stdout: TextIO, report, environ: dict[str, str]) -> int:
    if args.soft_limit < 1:
        raise ContentError([Diagnostic(None, "error", "--soft-limit: expected a number above 0")])
    path = args.suppressions or root / DEFAULT_PATH
    if not path.is_file():
        raise ContentError(
            [
                error(
                    None,
                    f"no suppression list at {path}: `broadsheet mail` starts it on its first"
                    " send with `bounces:` or a mailto: unsubscribe under `mail:`",
                )
            ]
        )
    try:
        boxes = [open_mailbox(mailbox, environ) for mailbox in args.mailboxes]
    except NotAMailbox as exc:
        raise ContentError([error(None, str(exc))]) from None
    try:
        store = Store(path)
    except NotAStore as exc:
        raise ContentError([error(None, str(exc))]) from None
    today = dt.datetime.now(dt.UTC).date()
    tally = Tally()
    try:
        for box in boxes:
            for found in reports_in(box):
                with store.transaction():
                    record(found, store, args.soft_limit, today, tally)
    except NotAMailbox as exc:  # an IMAP server that stopped answering
        raise ContentError([error(None, str(exc))]) from None
    finally:
        for box in boxes:
            box.close()
        store.close()
    if not args.quiet:
        report.line(tally.summary())
    return 0


def record(found: Report, store: Store, soft_limit: int, today: dt.date, tally: Tally) -> None:
    """One report into the store, once."""
    tally.read += 1
    if not store.first_reading(found.identity):
        tally.again += 1
        return
    acted = False
    for bounce in found.bounces:
        who = store.by_token(bounce.token)
        if who is None:
            continue
        acted, when = True, bounce.date or today
        if bounce.hard:
            tally.hard += 1
            if store.suppress(who, "hard bounce", when, f"status {bounce.status}"):
                tally.suppressed["hard bounce"] += 1
        else:
            tally.soft += 1
            count = store.soft_bounce(who, when)
            detail = f"{count} soft bounces, the last status {bounce.status}"
            if count >= soft_limit and store.suppress(who, "soft bounces", when, detail):
                tally.suppressed["soft bounces"] += 1
    request = found.request
    if request is not None:
        for address in request.came_to:
            for list_id in store.lists_expecting(address, "unsubscribe"):
                subscribers = (store.subscriber(list_id, named) for named in request.named)
                who = next((s for s in subscribers if s is not None), None)
                if who is None:
                    continue
                acted = True
                tally.requests += 1
                when, detail = request.date or today, f"by mail to {address}"
                if store.suppress(who, "unsubscribed", when, detail):
                    tally.suppressed["unsubscribed"] += 1
    if not acted:
        tally.ignored += 1
