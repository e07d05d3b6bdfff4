"""The faces a stamp is set in: the theme's own font files, cut down to the lines of this run.

The fonts already in the PDF are subsets holding only the glyphs the issue
prints, so a subscriber's name would often find its letters missing there.
The stamp therefore brings fonts of its own, added once per run: for each
character, the face that the theme's `@font-face` rules give for the first
family of the place's list that has it (nearest in weight and style), as
the engine falls back from family to family. So a Persian line takes its
letters from the theme's Arabic face and its `·` and parentheses from the
Latin one. Each face used is subset to exactly the characters it draws,
with its shaping rules, and shaped by HarfBuzz (stamp_text.py).
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

# What HarfBuzz applies to a plain line by default: joining forms, marks,
# ligatures and kerning. The rest (small caps, old-style figures, stylistic
# sets) would only make each copy larger.
SHAPING_FEATURES = [
    *("ccmp", "locl", "rlig", "calt", "liga", "clig", "kern", "mark", "mkmk"),
    *("init", "medi", "fina", "isol", "med2", "fin2", "fin3", "rclt", "curs"),
]
FACE_RULE = re.compile(r"@font-face\s*\{([^}]*)\}", re.S)
DESCRIPTOR = re.compile(r"([a-z-]+)\s*:\s*([^;]+);?")
SOURCE = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@dataclass(frozen=True)
class Face:
    family: str
    weight: int
    italic: bool
    path: Path


class StampFont:
    """One face, subset to the characters it draws in this run."""

    def __init__(self, face: Face, characters: str):
        # The file's own dates kept: saving would stamp it with the clock.
        font = TTFont(face.path, lazy=False, recalcTimestamp=False)
        options = subset.Options()
        options.layout_features = SHAPING_FEATURES
        options.notdef_outline = True
        options.drop_tables += ["DSIG", "FFTM"]  # a signature the cut breaks; FontForge's dates
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted({ord(c) for c in characters + " "}))
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        self.data = out.getvalue()
        self.face = face
        cut = TTFont(io.BytesIO(self.data))
        self.is_cff = "CFF " in cut
        self.units = cut["head"].unitsPerEm
        self.ascent = cut["hhea"].ascent
        self.descent = cut["hhea"].descent
        self.widths = {gid: cut["hmtx"][name][0] for gid, name in enumerate(cut.getGlyphOrder())}
        self.name = re.sub(r"[^A-Za-z0-9-]", "", cut["name"].getDebugName(6) or "Stamp")
        self.shaper = hb.Font(hb.Face(self.data))


class Coverage:
    """Which face of the place draws each character."""

    def __init__(self, theme: Theme, families: tuple[str, ...], weight: int, italic: bool):
        faces = theme_faces(theme)
        self.faces: list[Face] = []
        for family in families:
            candidates = [face for face in faces if face.family == family and face.path.is_file()]
            if candidates:
                self.faces.append(
                    min(candidates, key=lambda f: (f.italic != italic, abs(f.weight - weight)))
                )
        self._maps = [TTFont(face.path, lazy=True).getBestCmap() or {} for face in self.faces]

    def face_of(self, character: str) -> int | None:
        """The index of the first face that has `character`, None when none has."""
        code = ord(character)
        return next((n for n, cmap in enumerate(self._maps) if code in cmap), None)

    def missing(self, text: str) -> str:
        """The characters of `text` that no face has (spaces and invisible
        format characters need no glyph of their own)."""
        return "".join(c for c in text if not follows(c) and self.face_of(c) is None)


def follows(character: str) -> bool:
    """A space, a joiner or a direction mark: set in the face of the letter
    before it, so that HarfBuzz sees a zero-width non-joiner among the
    letters it keeps apart."""
    return character.isspace() or unicodedata.category(character) == "Cf"


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
