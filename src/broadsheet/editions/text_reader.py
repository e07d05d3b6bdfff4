"""The plain-text edition read back (its shape: html/text.py).

The text is cut at its rules into the masthead, the contents and one part
per story or box. A part's first block is the title, underlined with `=`;
a block underlined with `-` is a heading; a block whose every line is
`[n] address` is the story's list of links; `[Word: ...]` describes a
picture. A text file says nothing of its language: that is left to the
other editions.
"""

from __future__ import annotations

import re

from broadsheet.editions.record import Record, Story, plain
from broadsheet.html.text import HEADING_UNDERLINE, RULE, TITLE_UNDERLINE

EDITION = "text"
_REFERENCE = re.compile(r"^\[\d+\] (\S+)$")
_PICTURE = re.compile(r"\[[^\[\]:]+: ([^\]]+)\]")
_MARKS = re.compile(r" \[\d+\]|\(\d+\)")  # a link's number, a footnote's, in a heading


def read_text(text: str) -> Record:
    parts = text.rstrip("\n").split(f"\n\n{RULE}\n\n")
    stories = []
    for part in parts[1:]:
        blocks = [block.split("\n") for block in part.split("\n\n")]
        title = _underlined(blocks[0], TITLE_UNDERLINE)
        if title is not None:
            stories.append(_story(title, blocks[1:]))
    return Record(EDITION, tuple(stories))


def _story(title: str, blocks: list[list[str]]) -> Story:
    headings, alts, links = [], [], []
    for block in blocks:
        heading = _underlined(block, HEADING_UNDERLINE)
        if heading is not None:
            headings.append(plain(_MARKS.sub("", heading)))
        elif all(_REFERENCE.match(line) for line in block):
            links += [_REFERENCE.match(line).group(1) for line in block]  # type: ignore[union-attr]
        else:
            alts += [plain(found) for found in _PICTURE.findall(" ".join(block))]
    return Story(title, tuple(headings), tuple(alts), tuple(links))


def _underlined(block: list[str], mark: str) -> str | None:
    """The text of a block underlined with `mark`, else None."""
    if len(block) < 2 or set(block[-1]) != {mark}:
        return None
    return plain(" ".join(block[:-1]))
