"""The theme's fonts for the web edition: only the characters the page uses, as WOFF2.

The PDF embeds each font subset by the engine; a browser would download the
whole file. Linux Libertine Regular alone is 500 KB as OpenType, more than
the whole page of an issue should weigh on a phone. Cut to the characters
of the page (and Latin-1, see ALWAYS) and compressed as WOFF2, a
face weighs a few tens of KB. The OpenType features the themes use are kept: they
set small capitals, old-style figures and Arabic joining through them
(THEME_FEATURES).

A subset is kept in the project's cache by the hash of the font and the
characters, so a rebuild of an unchanged issue does no font work, and the
same font and text always give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONT_CACHE = Path("build/.cache/fonts")  # under the project root: subset fonts
FONT_SUFFIXES = frozenset({".otf", ".ttf", ".woff", ".woff2"})
# Always kept: printable ASCII, Latin-1 and the common punctuation, so that
# the issues of one publication mostly share their subsets (and the cache),
# and an editor's correction in plain letters still shows in the theme's face.
ALWAYS = "".join(chr(c) for c in (*range(0x20, 0x7F), *range(0xA0, 0x100))) + "‘’“”–—…•€™"
# Beyond fontTools' defaults (kerning, ligatures, marks, Arabic joining): what
# the themes ask for with font-variant. Not every feature: Inter's alternates
# would make the subset slow to cut and heavier to send.
THEME_FEATURES = ["smcp", "c2sc", "onum", "lnum", "pnum", "tnum", "case"]
WOFF2_SIGNATURE = b"wOF2"
VERSION = b"1"  # change when the subsetting changes: old cache entries then go unused

logging.getLogger("fontTools").setLevel(logging.ERROR)  # it reports every dropped table


def web_font(source: Path, characters: str, cache: Path | None) -> bytes:
    """`source` cut to `characters` (and ALWAYS), as WOFF2 bytes."""
    text = "".join(sorted(set(characters) | set(ALWAYS)))
    data = source.read_bytes()
    key = hashlib.sha256(VERSION + data + text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    kept = cache / f"{key}.woff2" if cache is not None else None
    if kept is not None and kept.is_file():
        cached = kept.read_bytes()
        if cached[:4] == WOFF2_SIGNATURE:  # else a damaged entry: cut again, and replace it
            return cached
    woff2 = _subset(data, text)
    if kept is not None:
        _keep(kept, woff2)
    return woff2


def _subset(data: bytes, text: str) -> bytes:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features += THEME_FEATURES
    options.hinting = False  # screens of today render without it; it is a third of a TTF
    options.desubroutinize = True  # CFF: compresses better as WOFF2
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # the copyright and the names the licence asks for
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out, reorderTables=False)
    return out.getvalue()


def _keep(target: Path, data: bytes) -> None:
    """Into the cache, atomically; a cache that cannot be written is only slower."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except OSError:
        return
