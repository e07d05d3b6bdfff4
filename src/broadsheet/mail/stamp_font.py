"""The face a stamp is set in: the theme's own font file, cut down to the lines of this run.

The fonts already in the PDF are subsets holding only the glyphs the issue
prints, so a subscriber's name would often find its letters missing there.
The stamp therefore gets a font of its own, added once per run: the file the
theme's `@font-face` rules give for the place's family, weight and style
(the first family that has every character the run's lines need, so a
Persian line falls to the theme's Naskh), subset to exactly those
characters with their shaping rules. A line is shaped by HarfBuzz, the
engine WeasyPrint shapes with, so Persian letters take their joined forms
and French accents their precomposed glyphs.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz as hb
from fontTools import subset
from fontTools.ttLib import TTFont

from broadsheet.theme import Theme

FACE_RULE = re.compile(r"@font-face\s*\{([^}]*)\}", re.S)
DESCRIPTOR = re.compile(r"([a-z-]+)\s*:\s*([^;]+);?")
SOURCE = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@dataclass(frozen=True)
class Face:
    family: str
    weight: int
    italic: bool
    path: Path


@dataclass(frozen=True)
class Glyph:
    gid: int
    advance: float  # font units, as shaped (kerning included)
    x_offset: float
    text: str  # the characters it stands for, for the ToUnicode map ("" for a later glyph)


class StampFont:
    """One subset font and the shaping of every line of a run in it."""

    def __init__(self, face: Face, characters: str):
        font = TTFont(face.path, lazy=False)
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.drop_tables += ["DSIG", "FFTM"]  # a signature the cut breaks; FontForge's dates
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted({ord(c) for c in characters}))
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        self.data = out.getvalue()
        self.face = face
        self.font = TTFont(io.BytesIO(self.data))
        self.is_cff = "CFF " in self.font
        self.units = self.font["head"].unitsPerEm
        self.ascent = self.font["hhea"].ascent
        self.descent = self.font["hhea"].descent
        self.widths = {gid: self.font["hmtx"][name][0] for gid, name in self._names()}
        self.name = re.sub(r"[^A-Za-z0-9-]", "", self.font["name"].getDebugName(6) or "Stamp")
        self._hb = hb.Font(hb.Face(self.data))

    def _names(self):
        return enumerate(self.font.getGlyphOrder())

    def shape(self, text: str, right_to_left: bool) -> list[Glyph]:
        """The glyphs of `text` in visual order (left to right on the page)."""
        found: list[Glyph] = []
        for run, rtl in _runs(text, right_to_left):
            buffer = hb.Buffer()
            buffer.add_codepoints([ord(c) for c in run])
            buffer.direction = "rtl" if rtl else "ltr"
            buffer.guess_segment_properties()
            hb.shape(self._hb, buffer, {})
            clusters = sorted({info.cluster for info in buffer.glyph_infos})
            ends = dict(zip(clusters, [*clusters[1:], len(run)], strict=True))
            seen: set[int] = set()
            for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
                first = info.cluster not in seen
                seen.add(info.cluster)
                text_of = run[info.cluster : ends[info.cluster]] if first else ""
                found.append(Glyph(info.codepoint, position.x_advance, position.x_offset, text_of))
        return found


def _runs(text: str, right_to_left: bool) -> list[tuple[str, bool]]:
    """`text` cut into runs of one direction, in visual order.

    A simplified bidirectional algorithm that is enough for one line: letters
    decide their own direction; digits run left to right; spaces and
    punctuation take the direction of the letters on both sides when they
    agree, else the line's. In a right-to-left line the runs are then read
    from the right. (Nested embeddings, which a short stamp does not have,
    are not handled.)"""
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
    runs: list[tuple[str, bool]] = []
    for character, kind in zip(text, resolved, strict=True):
        if runs and runs[-1][1] == (kind == "r"):
            runs[-1] = (runs[-1][0] + character, runs[-1][1])
        else:
            runs.append((character, kind == "r"))
    return runs[::-1] if right_to_left else runs


def theme_faces(theme: Theme) -> list[Face]:
    """Every `@font-face` of the theme's stylesheets that names a file."""
    faces = []
    for sheet in theme.stylesheets():
        for body in FACE_RULE.findall(sheet.read_text(encoding="utf-8")):
            descriptors = {k.lower(): v.strip() for k, v in DESCRIPTOR.findall(body)}
            source = SOURCE.search(descriptors.get("src", ""))
            family = descriptors.get("font-family", "").strip("\"' ")
            if not source or not family or ":" in source.group(1):
                continue
            weight = descriptors.get("font-weight", "400")
            faces.append(
                Face(
                    family,
                    int(weight) if weight.isdigit() else (700 if weight == "bold" else 400),
                    descriptors.get("font-style", "normal") in ("italic", "oblique"),
                    (sheet.parent / source.group(1)).resolve(),
                )
            )
    return faces


def choose_face(
    faces: list[Face], families: tuple[str, ...], weight: int, italic: bool, needs: str
):
    """The face of the first family that has every character of `needs`, nearest
    in weight and style; None when no family has them all."""
    for family in families:
        candidates = [face for face in faces if face.family == family and face.path.is_file()]
        if not candidates:
            continue
        best = min(candidates, key=lambda f: (f.italic != italic, abs(f.weight - weight)))
        cmap = TTFont(best.path, lazy=True).getBestCmap() or {}
        if all(ord(c) in cmap for c in needs if not c.isspace()):
            return best
    return None
