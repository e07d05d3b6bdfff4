"""The time a run writes into what it makes: SOURCE_DATE_EPOCH, when set.

Reproducible builds set it so that two builds of the same sources give the
same bytes (the PDF's dates, a dry run's messages). The PDF date format and
Python's dates both stop at the year 9999, so a value past that, or anything
but a whole number of seconds, is a usage error naming the variable rather
than an overflow deep inside the writer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from broadsheet.errors import Diagnostic, UsageError

LAST_SECOND = int(dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC).timestamp())


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
