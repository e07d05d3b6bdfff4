"""The web edition's stylesheet: the theme's screen layers in one file, and
every file they name (fonts, pictures) copied into the site.

The fonts are the print theme's own: the `@font-face` rules of its
stylesheets (`styles/<theme>/*.css`, one source for both editions) come
first, then the screen layers (`styles/base/web/`, `styles/<theme>/web/`).
A family named "Ornament ..." (a drop cap the PDF draws apart from its
text) is the engine's alone and stays out.

A page on a web server can only reach what lies beside it, so each `url()`
of the screen stylesheets is resolved where the file stands (or in the
bundled theme, as the engine resolves the print stylesheets' urls), checked
to lie inside the project or the bundled theme, and rewritten to the copy's
name in the site: fonts cut to the page's characters under `fonts/`
(site_fonts.py), anything else under `assets/`. Names carry a hash of the
content, so a site folder served with long cache lifetimes never shows a
stale file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from broadsheet.errors import LayoutError, error
from broadsheet.html.site_fonts import FONT_SUFFIXES, web_font
from broadsheet.source import Span
from broadsheet.theme import Theme, contained, shadowed_file

FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.S)
ORNAMENT = re.compile(r"font-family:\s*[\"']?Ornament ")
URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")
STYLESHEET = "screen.css"
FONTS = "fonts"  # the folder of the site's fonts
ASSETS = "assets"  # and of anything else a stylesheet names


@dataclass
class SiteStyles:
    """The stylesheet's text and the files it names, by their name in the site."""

    css: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    read: list[Path] = field(default_factory=list)  # every source file, for a depfile


def site_styles(theme: Theme, characters: str, font_cache: Path | None) -> SiteStyles:
    """The theme's screen stylesheets as one, with fonts cut to `characters`."""
    styles = SiteStyles()
    parts = []
    sheets = [(sheet, _font_faces(sheet)) for sheet in theme.stylesheets()]
    sheets += [(sheet, sheet.read_text(encoding="utf-8")) for sheet in theme.screen_stylesheets()]
    for sheet, text in sheets:
        if not text:
            continue
        styles.read.append(sheet)

        def copied(match: re.Match, sheet: Path = sheet) -> str:
            return f'url("{_copy(match.group(2), sheet, theme, characters, font_cache, styles)}")'

        parts.append(f"/* {_named(sheet)} */\n")
        parts.append(URL.sub(copied, text))
    styles.css = "\n".join(parts)
    return styles


def _named(sheet: Path) -> str:
    """`styles/classic/web/20-look.css`: where a part of the stylesheet came from."""
    parts = sheet.parts
    return "/".join(parts[len(parts) - 1 - parts[::-1].index("styles") :])


def _font_faces(sheet: Path) -> str:
    """The `@font-face` rules of a print stylesheet, but the engine's ornaments."""
    faces = FONT_FACE.findall(sheet.read_text(encoding="utf-8"))
    return "\n".join(face for face in faces if not ORNAMENT.search(face))


def _copy(
    url: str, sheet: Path, theme: Theme, characters: str, cache: Path | None, styles: SiteStyles
) -> str:
    """The name in the site of the file `url` names from `sheet`."""
    if url.startswith(("data:", "#")):
        return url
    source = _source(url, sheet, theme)
    styles.read.append(source)
    if source.suffix.lower() in FONT_SUFFIXES:
        data, folder, suffix = web_font(source, characters, cache), FONTS, ".woff2"
    else:
        data, folder, suffix = source.read_bytes(), ASSETS, source.suffix.lower()
    digest = hashlib.sha256(data).hexdigest()[:10]
    name = f"{folder}/{source.stem}-{digest}{suffix}"
    styles.files[name] = data
    return name


def _source(url: str, sheet: Path, theme: Theme) -> Path:
    """The file a stylesheet's url names, refused with the stylesheet's line
    when it is missing, remote or outside the project and the bundled theme."""
    wanted = (sheet.parent / url).resolve()
    if ":" in url.split("/", 1)[0] or not wanted.is_file():
        wanted = shadowed_file(theme.root, wanted) or wanted
    if ":" in url.split("/", 1)[0] or not wanted.is_file() or not contained(wanted, theme.root):
        line = sheet.read_text(encoding="utf-8").count("\n", 0, _offset(sheet, url)) + 1
        raise LayoutError([error(Span(sheet, line, 1), f"url({url}): no such file in the project")])
    return wanted


def _offset(sheet: Path, url: str) -> int:
    return max(sheet.read_text(encoding="utf-8").find(url), 0)
