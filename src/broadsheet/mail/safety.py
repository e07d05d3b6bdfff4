"""Text that could add a header is refused before any message is made.

A subscriber's name, a subject or a file name reaches the message's headers.
A line break in it, or a character some mail software treats as one (NUL,
U+0085, U+2028, U+2029), or an RFC 2047 encoded word that decodes to one,
could start a header of its own: a `Bcc:` that sends one subscriber's copy
to someone else. The standard library's email package guards against some
of this, but not on every CPython build, so broadsheet refuses such text
itself, and `message.py` checks each message again after it is written.
"""

from __future__ import annotations

import re
import unicodedata

# An RFC 2047 encoded word: =?charset?Q?...?= or =?charset?B?...?=.
ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[QqBb]\?[^?\s]*\?=")


def unsafe_character(text: str) -> str | None:
    """The first character of `text` that is a control character or a line or
    paragraph separator (tab included), or None."""
    for character in text:
        if unicodedata.category(character) in ("Cc", "Zl", "Zp"):
            return character
    return None


def header_problem(text: str) -> str | None:
    """Why `text` cannot go into a header, or None when it can."""
    character = unsafe_character(text)
    if character is not None:
        return f"it holds {unicodedata.name(character, f'U+{ord(character):04X}')!r}"
    if ENCODED_WORD.search(text):
        return "it holds an encoded word (=?...?=), which could hide a line break"
    return None
