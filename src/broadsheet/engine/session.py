"""What a long-lived process keeps between builds, so the next one starts warm.

A fresh `broadsheet build` spends most of its time before the layout even
starts: importing the engine, making a font configuration, loading the
theme's fonts, parsing its stylesheets, compiling the templates, checking
each picture. `broadsheet watch` and a batch `broadsheet build` (each of its
worker processes) keep one `Session` and hand it to every build, which then
pays for each of those once.

Everything kept is checked before it is reused, so a build with a session
gives the same bytes as a build in a fresh process:

- stylesheets are keyed by their path and the hash of their bytes, and each
  remembers the files it read (`@import`s, fonts) with their stat
  signatures: a changed file is parsed again;
- the font configuration lives as long as its fonts: when a font file
  changes, or the stylesheets no longer declare exactly the `@font-face`
  rules it has loaded, every stylesheet is parsed again into a new one (the
  engine never unloads a face, and a stale one could change the fallback);
- prepared pictures are remembered by their source's stat signature and the
  profile's settings (on disk they are named by content, see pictures.py);
- compiled templates are kept by Jinja's bytecode cache, which compares each
  template's source checksum before reusing it (and in the project's
  `build/.cache/templates/` too, for the next process: html/render.py);
- measures and plans are kept by a digest of everything they were made
  from (measurement.py, plans.py).

Without a session (`pipeline.build(..., session=None)`) a build makes a
throwaway one: there is one code path, warm or cold.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from broadsheet.engine.library import RecordingFonts, parse_css_string, parse_stylesheet
from broadsheet.errors import Diagnostic
from broadsheet.html.pictures import Pictures
from broadsheet.html.render import TemplateCache

# Sets of stylesheets (themes, projects) a session keeps, each with its fonts.
KEPT_STYLE_SETS = 4
# Prepared pictures remembered; each entry is a few paths.
KEPT_PICTURES = 4096


def signature(path: Path) -> tuple[int, int, int, int] | None:
    """Changes whenever the file is written, replaced or touched (ctime cannot be set back)."""
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_mtime_ns, found.st_ctime_ns, found.st_size, found.st_ino)


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@dataclass
class _Read:
    """A file something was made from, as it was then."""

    path: Path
    signature: tuple[int, int, int, int] | None
    digest: str | None

    @classmethod
    def now(cls, path: Path) -> _Read:
        return cls(path, signature(path), _digest(path))

    def unchanged(self) -> bool:
        now = signature(self.path)
        if now == self.signature:
            return True
        if _digest(self.path) != self.digest:
            return False
        self.signature = now  # touched, not changed: no need to hash it again
        return True


@dataclass
class Sheet:
    """One parsed stylesheet, what the engine said of it, and what it read."""

    css: object  # weasyprint.CSS
    notes: tuple[Diagnostic, ...]
    files: tuple[Path, ...]  # itself first, then its @imports and fonts, as the fetcher served them
    reads: tuple[_Read, ...]
    faces: frozenset[str]  # the @font-face rules it declared

    def unchanged(self) -> bool:
        return all(read.unchanged() for read in self.reads)


@dataclass
class _StyleSet:
    """A font configuration and the stylesheets parsed into it."""

    fonts: object  # a recording FontConfiguration
    sheets: dict[tuple[Path, str], Sheet] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)  # profile CSS by its text
    font_reads: dict[str, tuple[_Read, ...]] = field(default_factory=dict)  # face -> its files

    def fonts_unchanged(self) -> bool:
        return all(read.unchanged() for reads in self.font_reads.values() for read in reads)

    def declared(self, current) -> set[str]:
        """The @font-face rules the stylesheets `current` declare."""
        return set().union(*(self.sheets[item].faces for item in current))


@dataclass(frozen=True)
class Styles:
    """What `typeset` needs: the font configuration and the parsed stylesheets."""

    fonts: object
    stylesheets: list  # weasyprint.CSS, in the theme's order
    notes: tuple[Diagnostic, ...]
    files: tuple[Path, ...]
    # Of every byte the stylesheets were made from (themselves, their
    # imports and fonts, the profile's rules): what a measurement kept
    # from an earlier build was laid out with (measurement.py).
    digest: str = ""


class Session:
    """Engine state kept between builds in one process (one per process: the
    engine's objects are not shared between threads or processes)."""

    def __init__(self) -> None:
        self._styles: OrderedDict[tuple, _StyleSet] = OrderedDict()
        self._pictures: OrderedDict[tuple, Path] = OrderedDict()
        self.templates = TemplateCache()  # compiled templates
        self.font_configurations = 0  # made so far, for tests and --debug
        self.measures: OrderedDict[str, object] = OrderedDict()  # measurement.py, by key
        self.plans: OrderedDict[str, object] = OrderedDict()  # plans.py, by key

    # -- pictures --------------------------------------------------------------

    def pictures(self, cache: Path, max_edge: int | None, quality: int) -> Pictures:
        """A `Pictures` for one build that remembers, across builds, which
        prepared copy each unchanged source gave."""
        return Pictures(cache, max_edge, quality, known=_PictureMemo(self._pictures))

    # -- stylesheets and fonts -------------------------------------------------

    def styles(self, paths: Sequence[Path], root: Path, extra_css: str = "") -> Styles:
        """The parsed stylesheets of `paths` (then `extra_css`, the profile's
        own rules) and the font configuration they loaded their fonts into."""
        key = (root.resolve(), tuple(path.name for path in paths))  # a theme, overrides or not
        current = [(path, _digest(path) or "") for path in paths]
        kept = self._styles.pop(key, None)  # put back last: none is kept half made
        if kept is not None and not kept.fonts_unchanged():
            kept = None
        if kept is not None:
            loaded = len(kept.fonts.faces)  # type: ignore[attr-defined]
            self._update(kept, current, root)
            faces = set(kept.fonts.faces)  # type: ignore[attr-defined]
            # A face added now would come after the others, unlike in a fresh
            # process; one no longer declared would still be there: start again.
            if len(faces) != loaded or kept.declared(current) != faces:
                kept = None
        if kept is None:
            kept = self._fresh(current, root)
        sheets = [kept.sheets[item] for item in current]
        stylesheets = [sheet.css for sheet in sheets]
        if extra_css:
            if extra_css not in kept.extra:
                kept.extra[extra_css] = parse_css_string(extra_css, kept.fonts)
            stylesheets.append(kept.extra[extra_css])
        self._styles[key] = kept
        while len(self._styles) > KEPT_STYLE_SETS:
            self._styles.popitem(last=False)
        notes = tuple(dict.fromkeys(note for sheet in sheets for note in sheet.notes))
        files = tuple(dict.fromkeys(path for sheet in sheets for path in sheet.files))
        made_from = [read.digest or "" for sheet in sheets for read in sheet.reads]
        digest = hashlib.sha256("\n".join([*made_from, extra_css]).encode()).hexdigest()
        return Styles(kept.fonts, stylesheets, notes, files, digest)

    def _fresh(self, current, root: Path) -> _StyleSet:
        self.font_configurations += 1
        fresh = _StyleSet(RecordingFonts())
        self._update(fresh, current, root)
        return fresh

    def _update(self, kept: _StyleSet, current, root: Path) -> None:
        """Parse again each stylesheet that is new or changed, or whose
        imports changed; keep the others."""
        for item in list(kept.sheets):
            if item not in current or not kept.sheets[item].unchanged():
                del kept.sheets[item]
        for item in current:
            if item not in kept.sheets:
                css, notes, files, faces = parse_stylesheet(item[0], root, kept.fonts)
                reads = tuple(_Read.now(path) for path in files)
                kept.sheets[item] = Sheet(css, tuple(notes), files, reads, faces)
                for face, fonts in kept.fonts.faces.items():  # type: ignore[attr-defined]
                    if face not in kept.font_reads:
                        kept.font_reads[face] = tuple(_Read.now(path) for path in fonts)


class _PictureMemo:
    """source -> prepared copy, for sources whose stat signature is unchanged."""

    def __init__(self, store: OrderedDict[tuple, Path]):
        self.store = store

    def get(self, source: Path, settings: tuple) -> Path | None:
        key = (source.resolve(), signature(source), settings)
        found = self.store.get(key)
        if found is not None and found.is_file():
            self.store.move_to_end(key)
            return found
        return None

    def put(self, source: Path, settings: tuple, prepared: Path) -> None:
        self.store[(source.resolve(), signature(source), settings)] = prepared
        while len(self.store) > KEPT_PICTURES:
            self.store.popitem(last=False)
