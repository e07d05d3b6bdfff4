"""One stamp's line as glyphs: cut into runs of one direction and one face, shaped, in visual order.

HarfBuzz shapes a run of one direction in one font; a line may hold both
directions (a Persian template with a Latin name or Western digits) and
several faces (Persian letters from the Arabic face, `·` from the Latin).
So the line is cut by a simplified bidirectional algorithm, enough for one
line: letters decide their own direction; digits run left to right;
spaces and punctuation take the direction of the letters on both sides when
they agree, else the line's. In a right-to-left line the runs are then
read from the right. (Nested embeddings, which a short stamp does not have,
are not handled.)
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import uharfbuzz as hb

from broadsheet.mail.stamp_font import Coverage, StampFont, follows


@dataclass(frozen=True)
class Glyph:
    font: int  # which of the run's fonts
    gid: int
    advance: float  # font units, as shaped (kerning included)
    x_offset: float
    text: str  # the characters it stands for, for the ToUnicode map ("" for a later glyph)


def faces_of(text: str, coverage: Coverage) -> list[int]:
    """Each character's face: its own, or for a space or a joiner, the one before it."""
    chosen: list[int] = []
    for character in text:
        own = None if follows(character) else coverage.face_of(character)
        chosen.append(own if own is not None else (chosen[-1] if chosen else 0))
    return chosen


def shape(text: str, right_to_left: bool, faces: list[int], fonts: dict[int, StampFont]):
    """The glyphs of `text` in visual order (left to right on the page)."""
    found: list[Glyph] = []
    for start, end, rtl in _direction_runs(text, right_to_left):
        pieces = _face_pieces(start, end, faces)
        for piece_start, piece_end in reversed(pieces) if rtl else pieces:
            face = faces[piece_start]
            found += _shaped(text[piece_start:piece_end], rtl, face, fonts[face])
    return found


def _shaped(run: str, rtl: bool, face: int, font: StampFont) -> list[Glyph]:
    buffer = hb.Buffer()
    buffer.add_codepoints([ord(c) for c in run])
    buffer.direction = "rtl" if rtl else "ltr"
    buffer.guess_segment_properties()
    hb.shape(font.shaper, buffer, {})
    clusters = sorted({info.cluster for info in buffer.glyph_infos})
    ends = dict(zip(clusters, [*clusters[1:], len(run)], strict=True))
    seen: set[int] = set()
    glyphs = []
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        first = info.cluster not in seen
        seen.add(info.cluster)
        text = run[info.cluster : ends[info.cluster]] if first else ""
        glyphs.append(Glyph(face, info.codepoint, position.x_advance, position.x_offset, text))
    return glyphs


def _face_pieces(start: int, end: int, faces: list[int]) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    for n in range(start, end):
        if pieces and faces[pieces[-1][0]] == faces[n]:
            pieces[-1] = (pieces[-1][0], n + 1)
        else:
            pieces.append((n, n + 1))
    return pieces


def _direction_runs(text: str, right_to_left: bool) -> list[tuple[int, int, bool]]:
    """(start, end, right to left) of each run, in visual order."""
    kinds = []
    for character in text:
        kind = unicodedata.bidirectional(character)
        kinds.append("r" if kind in ("R", "AL") else "l" if kind in ("L", "EN", "AN") else None)
    resolved = []
    for i, kind in enumerate(kinds):
        if kind is None:
            before = next((k for k in reversed(kinds[:i]) if k), None)
            after = next((k for k in kinds[i + 1 :] if k), None)
            kind = before if before == after and before else ("r" if right_to_left else "l")
        resolved.append(kind)
    runs: list[tuple[int, int, bool]] = []
    for n, kind in enumerate(resolved):
        if runs and runs[-1][2] == (kind == "r"):
            runs[-1] = (runs[-1][0], n + 1, runs[-1][2])
        else:
            runs.append((n, n + 1, kind == "r"))
    return runs[::-1] if right_to_left else runs
