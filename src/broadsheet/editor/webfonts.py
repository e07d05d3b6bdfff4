"""The theme's fonts for the archive's web page: the few faces it sets its
text in, copied next to it, and the `@font-face` rules that load them.

A page that names a font the reader's machine does not have shows some
other one; so the site carries its own copies, read from the theme's
`00-fonts.css` (the very rules the PDF is typeset with), and only the faces
the page uses (a text face, its italic, a display face), not a theme's two
megabytes of weights. Each file keeps its name and goes to `fonts/` beside
the page, with the licences found in its folder, which the fonts' licences
ask to travel with them. A face whose file lies outside the project and the
bundled themes is left out: nothing outside them is read, and the page's
font stack falls back to fonts a reader has.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import tinycss2

from broadsheet.theme import contained

FONTS = "fonts"  # beside the page: fonts/<file name>
GENERIC = {"serif", "sans-serif", "system-ui", "monospace"}  # CSS keywords, never quoted
FORMATS = {".otf": "opentype", ".ttf": "truetype", ".woff": "woff", ".woff2": "woff2"}


@dataclass(frozen=True)
class Face:
    """One `@font-face` rule of the theme, its file resolved."""

    family: str
    weight: int
    style: str  # normal or italic
    file: Path


@dataclass(frozen=True)
class WebFonts:
    """What the page needs: its `@font-face` rules (addresses relative to the
    page) and the files to put beside it, by name under `fonts/`."""

    css: str
    files: tuple[tuple[str, bytes], ...]


def web_fonts(stylesheet: Path, wanted: list[tuple[str, int, str]], root: Path) -> WebFonts:
    """The faces of `stylesheet` nearest to each (family, weight, style) in
    `wanted`, in that order; a family the stylesheet does not define is skipped."""
    faces = [face for face in font_faces(stylesheet) if _readable(face.file, root)]
    chosen: list[Face] = []
    for family, weight, style in wanted:
        face = _nearest([f for f in faces if f.family == family], weight, style)
        if face is not None and face not in chosen:
            chosen.append(face)
    rules = [_rule(face) for face in chosen]
    files = {f"{FONTS}/{face.file.name}": face.file for face in chosen}
    for face in chosen:
        for licence in sorted(face.file.parent.glob("LICENSE*")):
            files.setdefault(f"{FONTS}/{licence.name}", licence)
    copies = tuple((name, path.read_bytes()) for name, path in files.items())
    return WebFonts("\n".join(rules), copies)


def font_stack(families: tuple[str, ...]) -> str:
    """A CSS font-family list: names quoted, generic keywords not."""
    return ", ".join(name if name in GENERIC else f'"{name}"' for name in families)


def font_faces(stylesheet: Path) -> list[Face]:
    """Every `@font-face` rule of a stylesheet that names a family and a file."""
    rules = tinycss2.parse_stylesheet(
        stylesheet.read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True
    )
    found = []
    for rule in rules:
        if rule.type != "at-rule" or rule.lower_at_keyword != "font-face" or rule.content is None:
            continue
        declared = {
            d.lower_name: [t for t in d.value if t.type not in ("whitespace", "comment")]
            for d in tinycss2.parse_blocks_contents(rule.content)
            if d.type == "declaration"
        }
        family = _text(declared.get("font-family", []))
        address = _address(declared.get("src", []))
        if family and address:
            found.append(
                Face(
                    family=family,
                    weight=_weight(declared.get("font-weight", [])),
                    style=_text(declared.get("font-style", [])) or "normal",
                    file=(stylesheet.parent / address).resolve(),
                )
            )
    return found


def _text(tokens) -> str:
    """A family name or keyword: a string, or identifiers joined by spaces."""
    return " ".join(str(t.value) for t in tokens if t.type in ("string", "ident"))


def _address(tokens) -> str | None:
    """The first local file address of a `src` list."""
    for token in tokens:
        if token.type == "url":
            value = token.value
        elif token.type == "function" and token.lower_name == "url":
            value = next((a.value for a in token.arguments if a.type == "string"), "")
        else:
            continue
        if value and ":" not in value.split("/")[0]:  # not data:, http: or file:
            return value
    return None


def _weight(tokens) -> int:
    if tokens and tokens[0].type == "number" and tokens[0].is_integer:
        return tokens[0].int_value
    return 700 if tokens and tokens[0].type == "ident" and tokens[0].lower_value == "bold" else 400


def _readable(file: Path, root: Path) -> bool:
    return contained(file, root) and file.suffix.lower() in FORMATS and file.is_file()


def _nearest(faces: list[Face], weight: int, style: str) -> Face | None:
    """The face of the style asked for (else any) whose weight is nearest."""
    same_style = [f for f in faces if f.style == style] or faces
    return min(same_style, key=lambda f: (abs(f.weight - weight), f.weight), default=None)


def _rule(face: Face) -> str:
    kind = FORMATS[face.file.suffix.lower()]
    return (
        "@font-face {\n"
        f'  font-family: "{face.family}";\n'
        f'  src: url("{FONTS}/{face.file.name}") format("{kind}");\n'
        f"  font-weight: {face.weight};\n"
        f"  font-style: {face.style};\n"
        "  font-display: swap;\n"
        "}"
    )
