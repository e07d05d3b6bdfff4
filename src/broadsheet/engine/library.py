"""The engine's fonts and stylesheets: a font configuration that records
what it loads, and stylesheets parsed into it with the engine's complaints
located at their lines; what a `Session` keeps from one build to the next.
"""

from __future__ import annotations

import re
from pathlib import Path

from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration

from broadsheet.engine.fetcher import ProjectFetcher
from broadsheet.errors import Diagnostic, warning
from broadsheet.logs import collected
from broadsheet.source import Span


class RecordingFonts(FontConfiguration):
    """A font configuration that records each `@font-face` it loads.

    Without one WeasyPrint ignores @font-face: the theme's own fonts would
    silently give way to whatever the machine has installed. It records, for
    the session, which faces it holds and the files each was loaded from,
    and which faces each stylesheet declares (a face already loaded is not
    fetched again, so the fetcher alone would not know the stylesheet needs
    that font file)."""

    def __init__(self):
        super().__init__()
        self.faces: dict[str, tuple[Path, ...]] = {}  # loaded: rule -> font files
        self.declared: set[str] = set()  # by the stylesheet being parsed
        self.reused: list[Path] = []  # its fonts that were loaded already

    def add_font_face(self, rule_descriptors, url_fetcher):
        face = str(rule_descriptors)  # the engine's own key for a face
        self.declared.add(face)
        if face in self.faces:
            self.reused.extend(self.faces[face])
            return None
        before = len(url_fetcher.served)
        added = super().add_font_face(rule_descriptors, url_fetcher)
        self.faces[face] = tuple(url_fetcher.served[before:])
        return added


def parse_stylesheet(
    path: Path, root: Path, fonts
) -> tuple[object, list[Diagnostic], tuple[Path, ...], frozenset[str]]:
    """One stylesheet, parsed into `fonts`: the CSS object, what the engine
    said of it at its own lines (`styles/x.css:40:3: warning: ...`), the
    files it read (itself, its imports, its fonts) and its @font-face rules."""
    fetcher = ProjectFetcher(root)
    fonts.declared, fonts.reused = set(), []
    with collected_messages() as said:
        css = CSS(url=path.resolve().as_uri(), url_fetcher=fetcher, font_config=fonts)
    notes = [_located(path, message) for message in said]
    files = tuple(dict.fromkeys([*fetcher.served, *fonts.reused]))
    return css, notes, files, frozenset(fonts.declared)


def parse_css_string(text: str, fonts) -> object:
    """Rules broadsheet adds itself (the profile's bleed and marks)."""
    return CSS(string=text, font_config=fonts)


# The engine's messages are text, with no code to tell them apart: its words
# are read here and nowhere else. (broadsheet's own diagnostics carry a code.)
ENGINE_CSS_MESSAGE = re.compile(r"^Ignored (.*) at (\d+):(\d+), (.*?)\.?$", re.S)
# Engine messages broadsheet reports itself, located at the YAML (validate.NO_ALT).
REPORTED_ELSEWHERE = ("has no required alt description",)
# Engine notices about the machine, not the issue (fonts are subset more slowly
# without HarfBuzz's subsetter): no warning, so `make` stays strict everywhere.
NOT_ABOUT_THE_ISSUE = ("Using fontTools instead of HarfBuzz-Subset",)


def _located(stylesheet: Path, message: str) -> Diagnostic:
    """The engine's "Ignored `x: y` at 40:3, unknown property." at the stylesheet's line."""
    found = ENGINE_CSS_MESSAGE.match(message)
    if found is None:
        return warning(Span(stylesheet, 1, 1), message)
    what, line, col, why = found.groups()
    return warning(Span(stylesheet, int(line), int(col)), f"ignored {what}: {why}")


def collected_messages():
    """What WeasyPrint and the fetcher log meanwhile, as a list of messages."""
    return collected("weasyprint", "broadsheet.engine.fetcher")


def engine_notes(messages: list[str]) -> tuple[Diagnostic, ...]:
    """What the engine said while laying out or writing an issue, as warnings,
    each once, less what broadsheet reports better itself or what is about
    the machine."""
    skipped = (*REPORTED_ELSEWHERE, *NOT_ABOUT_THE_ISSUE)
    kept = (m for m in messages if not any(part in m for part in skipped))
    return tuple(warning(None, message) for message in dict.fromkeys(kept))
