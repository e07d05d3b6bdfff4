"""The dates a run writes: SOURCE_DATE_EPOCH when set, and the range any
date of an issue may take.

Reproducible builds set SOURCE_DATE_EPOCH so that two builds of the same
sources give the same bytes (the PDF's dates, a dry run's messages). The PDF
date format and Python's dates both stop at the year 9999, and `new` counts a
month on from the newest issue, so a date must leave a month of room before
that; a year of fewer than four digits has no PDF date at all. A value
outside the range is an error at its place (or a usage error naming the
variable or option), never an overflow deep inside a writer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from broadsheet.errors import Diagnostic, UsageError

FIRST_DATE = dt.date(1000, 1, 1)
LAST_DATE = dt.date(9998, 12, 31)
DATE_RANGE = f"from {FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}"
LAST_SECOND = int(dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC).timestamp())


def in_range(date: dt.date) -> bool:
    return FIRST_DATE <= date <= LAST_DATE


def source_date(environ: Mapping[str, str]) -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, or None when it is unset or empty."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit() and int(value) <= LAST_SECOND:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    raise UsageError(
        [
            Diagnostic(
                None,
                "error",
                "SOURCE_DATE_EPOCH: expected seconds since 1970 (up to the year 9999),"
                f" got {value[:40]!r}",
            )
        ]
    )
