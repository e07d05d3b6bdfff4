"""The PDF as a MIME part, named so that every mail program shows its name.

A file name outside ASCII (every broadsheet title holds an em dash) has two
standard spellings, and mail programs each read one of them:

- RFC 2231, `filename*=utf-8''The%20Lantern%20%E2%80%94...` on
  Content-Disposition: the standard way, read by Thunderbird, Apple Mail,
  Gmail, Outlook on the web and Python's email package;
- RFC 2047, `name="=?utf-8?b?...?="` on Content-Type: the older way, and
  the only one Outlook for Windows reads; given only the first, it shows
  "Untitled attachment".

So the part carries both, as Thunderbird writes them. It does not add a
plain `filename="..."` beside `filename*`: in mail (unlike HTTP, RFC 6266)
the two are one parameter given twice, which RFC 2045 does not allow, and
parsers that meet both keep the first, Python's among them, so a plain ASCII
name would win over the real one. A program that reads neither `filename*`
nor an encoded word would read `name=`, the parameter such programs were
written for. A name that is plain ASCII is written plainly in both places.

The standard library would write only the RFC 2231 form, and folds headers
it builds itself, so these two headers are written here as text, on a
compat32 part, which the generator leaves as written.
"""

from __future__ import annotations

import base64
from email.mime.application import MIMEApplication
from urllib.parse import quote

ENCODED_WORD_BYTES = 45  # 60 base64 characters: with =?utf-8?b?...?=, RFC 2047's 75
FOLD = "\r\n "  # a header continues on the next line after CRLF and a space


def pdf_part(data: bytes, file_name: str) -> MIMEApplication:
    """`data` as `application/pdf`, base64, an attachment named `file_name`.

    `file_name` has been checked by safety.py: no control characters, no
    encoded words, and none of the characters file systems refuse (`"` and
    `\\` among them), so it needs no quoting inside a quoted string."""
    part = MIMEApplication(data, "pdf")
    if file_name.isascii():
        part.replace_header("Content-Type", f'application/pdf;{FOLD}name="{file_name}"')
        part["Content-Disposition"] = f'attachment;{FOLD}filename="{file_name}"'
    else:
        words = FOLD.join(encoded_words(file_name))
        part.replace_header("Content-Type", f'application/pdf;{FOLD}name="{words}"')
        spelled = quote(file_name, safe="")
        part["Content-Disposition"] = f"attachment;{FOLD}filename*=utf-8''{spelled}"
    return part


def encoded_words(text: str) -> list[str]:
    """`text` as RFC 2047 encoded words (UTF-8, base64), each at most 75
    characters and none splitting a character, as the standard asks."""
    words, chunk = [], b""
    for character in text:
        encoded = character.encode("utf-8")
        if chunk and len(chunk) + len(encoded) > ENCODED_WORD_BYTES:
            words.append(chunk)
            chunk = b""
        chunk += encoded
    words.append(chunk)
    return [f"=?utf-8?b?{base64.b64encode(word).decode('ascii')}?=" for word in words]
