"""Pictures for the web edition: each photo in two widths, for `srcset`.

A phone needs a picture a column wide, a wide screen one about twice that;
sending the larger to every reader would spend most of a phone's page
weight on pixels it cannot show. Both widths come from the same picture
pipeline as the PDF's (pictures.py: upright, RGB, JPEG for photographs, no
camera metadata, cached by content), with `max_edge` set to the width.

The files are named by what they hold (`<stem>-<width>-<hash>.<ext>`), so
the same issue gives the same names and bytes on every build, and a site
folder never keeps an old picture under a new picture's name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from broadsheet.html.pictures import Pictures

# px: a phone's column (390 CSS px, at most 640 device pixels in the widths a
# phone browser picks for `sizes`), and the wide screen's text column twice over.
WIDTHS = (640, 1280)
WEB_QUALITY = 78  # JPEG: a screen at 1x shows no rings at this quality
FOLDER = "images"


@dataclass(frozen=True)
class Candidate:
    """One width of a picture as the site holds it."""

    name: str  # relative to the page: images/<stem>-<width>-<hash>.jpg
    width: int
    height: int


@dataclass(frozen=True)
class Responsive:
    """A picture's `src` and `srcset`: the narrow file first."""

    candidates: tuple[Candidate, ...]

    @property
    def src(self) -> str:
        return self.candidates[0].name

    @property
    def srcset(self) -> str:
        return ", ".join(f"{c.name} {c.width}w" for c in self.candidates)

    @property
    def width(self) -> int:
        return self.candidates[-1].width

    @property
    def height(self) -> int:
        return self.candidates[-1].height


class SitePictures:
    """Prepares each picture once in every width; `files` is what the site
    folder must hold, by name."""

    def __init__(self, cache: Path | None):
        self._widths = [
            Pictures(cache, max_edge=w, quality=WEB_QUALITY, recompress=True) for w in WIDTHS
        ]
        self._done: dict[Path, Responsive] = {}
        self.files: dict[str, Path] = {}

    def __call__(self, source: Path) -> Responsive:
        if source not in self._done:
            self._done[source] = self._prepare(source)
        return self._done[source]

    @property
    def sources(self) -> list[Path]:
        """Every picture asked for, as the project holds it."""
        return list(self._done)

    def _prepare(self, source: Path) -> Responsive:
        candidates: list[Candidate] = []
        for prepare in self._widths:
            prepared = prepare(source)
            with Image.open(prepared) as image:  # the header only
                width, height = image.size
            if candidates and width <= candidates[-1].width:
                continue  # smaller than the wider width: one file serves both
            data = prepared.read_bytes()
            digest = hashlib.sha256(data).hexdigest()[:10]
            name = f"{FOLDER}/{_stem(source)}-{width}-{digest}{prepared.suffix.lower()}"
            self.files[name] = prepared
            candidates.append(Candidate(name, width, height))
        return Responsive(tuple(candidates))


def _stem(source: Path) -> str:
    """The picture's own name in characters every web server serves as written."""
    kept = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in source.stem)
    return kept.strip("-")[:40] or "picture"
