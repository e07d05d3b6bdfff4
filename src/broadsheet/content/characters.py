"""Characters no editor means to write and no reader can see.

Control characters other than tab and line breaks, surrogates, and
Unicode's noncharacters (U+FDD0-U+FDEF and the last two code points of
every plane). They reach text through YAML escapes ("\\u0007"), a paste from
another program, or a feed; the PDF's XML metadata cannot even hold them.
Validation refuses them at their place; an imported feed drops them.

Also long runs of combining marks ("Zalgo" text, or a paste gone wrong):
Unicode's stream-safe text format (UAX #15) allows 30 in a row, and the
engine's time to shape a run grows with the square of its length, so a
body of 99,000 accents would hold a build for its whole time limit.
"""

from __future__ import annotations

import re
import unicodedata

_NONCHARACTERS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]"
)

MAX_COMBINING_RUN = 30


def long_combining_run(text: str) -> tuple[int, int] | None:
    """(where, how long) of the first run of more than MAX_COMBINING_RUN
    combining marks in a row, or None."""
    if text.isascii():
        return None
    start, length = 0, 0
    for position, character in enumerate(text):
        if unicodedata.combining(character):
            if not length:
                start = position
            length += 1
        elif length > MAX_COMBINING_RUN:
            return start, length
        else:
            length = 0
    return (start, length) if length > MAX_COMBINING_RUN else None
