"""The subscriber list: a CSV file, checked whole before anything is sent.

A header row with at least `email`; `name` and any other columns are kept
for the cover note. Each address must be one plain address (email-validator,
no DNS look-up): `"a@x" <b@evil>`, `a@x@evil` and `a@x, b@y` are refused, so
one message always goes to exactly one person. A field with a line break or
a control character is an error; a repeated address (in any letter case) is
sent once, with a warning.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from broadsheet.errors import ContentError, Diagnostic, error, warning
from broadsheet.mail.safety import unsafe_character
from broadsheet.source import Span, display_path

MAX_FILE_BYTES = 20 * 1024 * 1024  # about 200,000 subscribers


class LineSpan(Span):
    """A place in a CSV file: a line, no column."""

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}"


@dataclass(frozen=True)
class Subscriber:
    email: str  # as checked: the domain in lower case
    name: str | None
    fields: dict[str, str] = field(default_factory=dict, compare=False)  # every column
    line: int = 0

    @property
    def key(self) -> str:
        """What makes two rows the same subscriber."""
        return self.email.casefold()


def read_subscribers(path: Path) -> tuple[list[Subscriber], list[Diagnostic]]:
    """Every subscriber once, and the warnings; raises ContentError listing every
    bad row, so the editor fixes the file in one go."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ContentError([error(None, f"{path}: larger than {MAX_FILE_BYTES:,} bytes")])
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ContentError([error(None, f"cannot read {path}: {exc.strerror}")]) from None
    except UnicodeDecodeError as exc:
        raise ContentError([error(None, f"{path}: not UTF-8 ({exc.reason})")]) from None
    rows = csv.reader(io.StringIO(text, newline=""))
    problems: list[Diagnostic] = []
    notes: list[Diagnostic] = []
    header = _next_row(rows, path, problems)
    if problems:
        raise ContentError(problems)
    columns = [name.strip().lower() for name in header or []]
    if "email" not in columns:
        raise ContentError(
            [error(LineSpan(path, 1, 0), "the first row must name an 'email' column")]
        )
    found: dict[str, Subscriber] = {}
    ended = rows.line_num
    while (row := _next_row(rows, path, problems)) is not None:
        line, ended = (
            ended + 1,
            rows.line_num,
        )  # where the row starts (a quoted field may span lines)
        span = LineSpan(path, line, 0)
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            problems.append(error(span, f"{len(row)} fields, but the header names {len(columns)}"))
            continue
        raw = dict(zip(columns, row, strict=False))
        bad = [(column, value) for column, value in raw.items() if unsafe_character(value)]
        if bad:
            column, value = bad[0]
            hint = " (a quote left open runs on past the line's end)" if "\n" in value else ""
            problems.append(
                error(span, f"{column}: a line break or control character in {value!r}{hint}")
            )
            continue
        values = {column: raw.get(column, "").strip(" ") for column in columns}  # every column
        try:
            checked = validate_email(
                values.get("email", ""), check_deliverability=False, allow_smtputf8=False
            )
        except EmailNotValidError as exc:
            problems.append(error(span, f"email {values.get('email', '')!r}: {exc}"))
            continue
        address = checked.ascii_email or checked.normalized
        subscriber = Subscriber(address, values.get("name") or None, values, line)
        if subscriber.key in found:
            first = found[subscriber.key]
            notes.append(
                warning(span, f"{subscriber.email} again (first on line {first.line}): sent once")
            )
            continue
        found[subscriber.key] = subscriber
    if problems:
        raise ContentError(problems)
    if not found:
        raise ContentError([error(LineSpan(path, 1, 0), "no subscribers in the file")])
    return list(found.values()), notes


def _next_row(rows, path: Path, problems: list[Diagnostic]) -> list[str] | None:
    """The reader's next row, or None at the end or at a row the csv module
    cannot read (a field over its 128 KiB limit), which is a problem at its
    line; nothing after it can be trusted to start where the file means."""
    try:
        return next(rows)
    except StopIteration:
        return None
    except csv.Error as exc:
        where = LineSpan(path, max(rows.line_num, 1), 0)
        limit = csv.field_size_limit()
        message = str(exc)
        if "field limit" in message:
            message = f"a field longer than {limit:,} characters; is this a subscriber list?"
        problems.append(error(where, f"cannot read this row: {message}"))
        return None
