"""Stage 4, typeset: HTML to laid-out pages, then PDF bytes, with WeasyPrint,
reading only through the fetcher.

Layout (`typeset`) and serialisation (`to_pdf`) are separate because the
copy-fit pass may lay an issue out more than once and keeps one layout: only
that one is made into a PDF. The PDF is rendered to bytes, never straight to
its path (WeasyPrint's `write_pdf(path)` is not atomic); `pipeline` writes it. Everything WeasyPrint
logs while it works is collected and handed back as warnings, so the CLI can
show them (and `--strict` can refuse them) with the rest of the diagnostics.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from broadsheet.errors import ContentError, Diagnostic, TypesetError, error, warning
from broadsheet.fetcher import MissingThemeFile, ProjectFetcher
from broadsheet.finish import Finisher
from broadsheet.logs import collected
from broadsheet.profiles import EMAIL, Profile
from broadsheet.rendered import Rendered
from broadsheet.session import Session
from broadsheet.source import Span


@dataclass(frozen=True)
class Typeset:
    pages: int
    warnings: tuple
    files: tuple[Path, ...]  # every file the engine read
    document: object  # WeasyPrint's laid-out pages, for the copy-fit report


# fontconfig reads this when WeasyPrint makes a font configuration: it then sees
# the shipped fonts only, so pages never depend on the machine's own fonts.
FONTCONFIG_FILE = Path(__file__).parent / "fonts.conf"
# Engine messages broadsheet reports itself, located at the YAML (validate.NO_ALT_TEXT).
REPORTED_ELSEWHERE = ("has no required alt description",)
# Engine notices about the machine, not the issue (fonts are subset more slowly
# without HarfBuzz's subsetter): no warning, so `make` stays strict everywhere.
NOT_ABOUT_THE_ISSUE = ("Using fontTools instead of HarfBuzz-Subset",)


def typeset(
    rendered: Rendered, root: Path, profile: Profile = EMAIL, session: Session | None = None
) -> Typeset:
    """Lay `rendered` out. The font configuration and the parsed stylesheets
    come from `session` (a new one when None), kept from earlier builds when
    nothing they were made from has changed."""
    session = session or Session()
    HTML = engine().HTML
    fetcher = ProjectFetcher(root)
    try:
        styles = session.styles(rendered.stylesheets, root, _profile_css(profile))
        with _collected() as messages:
            document = HTML(
                string=rendered.html, base_url=rendered.base_url, url_fetcher=fetcher
            ).render(
                stylesheets=styles.stylesheets,
                font_config=styles.fonts,
                # Read when pictures load, so given here and not to write_pdf: each
                # picture at most this fine at the size it is printed. With no cap
                # nothing is resampled, and no quality means a JPEG is embedded
                # byte for byte rather than decoded and compressed again.
                dpi=profile.dpi,
                jpeg_quality=profile.photo_quality if profile.dpi else None,
            )
    except MissingThemeFile as exc:
        raise TypesetError([error(None, str(exc))]) from None
    except (OverflowError, RecursionError) as exc:  # sizes no layout can hold
        raise ContentError(
            [
                error(
                    None,
                    f"the layout cannot be made ({type(exc).__name__}: {exc}): a size in a"
                    " stylesheet, or an element nested too deep, is beyond what pages hold",
                )
            ]
        ) from None
    files = tuple(dict.fromkeys([*styles.files, *fetcher.served]))
    notes = (*styles.notes, *_notes(messages))
    return Typeset(len(document.pages), notes, files, document)


def prepare(rendered: Rendered, root: Path, profile: Profile, session: Session) -> None:
    """Parse the stylesheets and load their fonts into `session` now: layout
    processes forked after this (pipeline.py) inherit them instead of each
    parsing them again. A fault is left for `typeset` to report."""
    with contextlib.suppress(MissingThemeFile):
        session.styles(rendered.stylesheets, root, _profile_css(profile))


def _profile_css(profile: Profile) -> str:
    return _trim_css(profile) if profile.bleed_mm or profile.crop_marks else ""


def engine():
    """The engine's module, imported on first use (about 0.8 s): `check` and
    `--help` never need it. fontconfig reads FONTCONFIG_FILE when a font
    configuration is made, so it is set first."""
    os.environ["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
    import weasyprint

    return weasyprint


def font_configuration():
    """A new font configuration that records each `@font-face` it loads.

    Without one WeasyPrint ignores @font-face: the theme's own fonts would
    silently give way to whatever the machine has installed. It records, for
    the session, which faces it holds and the files each was loaded from,
    and which faces each stylesheet declares (a face already loaded is not
    fetched again, so the fetcher alone would not know the stylesheet needs
    that font file)."""
    engine()
    return _recording_fonts()()


@functools.cache
def _recording_fonts() -> type:
    from weasyprint.text.fonts import FontConfiguration

    class RecordingFonts(FontConfiguration):
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

    return RecordingFonts


def parse_stylesheet(
    path: Path, root: Path, fonts
) -> tuple[object, list[Diagnostic], tuple[Path, ...], frozenset[str]]:
    """One stylesheet, parsed into `fonts`: the CSS object, what the engine
    said of it at its own lines (`styles/x.css:40:3: warning: ...`), the
    files it read (itself, its imports, its fonts) and its @font-face rules."""
    CSS = engine().CSS
    fetcher = ProjectFetcher(root)
    fonts.declared, fonts.reused = set(), []
    with _collected() as said:
        css = CSS(url=path.resolve().as_uri(), url_fetcher=fetcher, font_config=fonts)
    notes = [_located(path, message) for message in said]
    files = tuple(dict.fromkeys([*fetcher.served, *fonts.reused]))
    return css, notes, files, frozenset(fonts.declared)


def parse_css_string(text: str, fonts) -> object:
    """Rules broadsheet adds itself (the profile's bleed and marks)."""
    return engine().CSS(string=text, font_config=fonts)


ENGINE_CSS_MESSAGE = re.compile(r"^Ignored (.*) at (\d+):(\d+), (.*?)\.?$", re.S)


def _located(stylesheet: Path, message: str) -> Diagnostic:
    """The engine's "Ignored `x: y` at 40:3, unknown property." at the stylesheet's line."""
    found = ENGINE_CSS_MESSAGE.match(message)
    if found is None:
        return warning(Span(stylesheet, 1, 1), message)
    what, line, col, why = found.groups()
    return warning(Span(stylesheet, int(line), int(col)), f"ignored {what}: {why}")


def _trim_css(profile: Profile) -> str:
    """Bleed and crop marks, outside the trimmed page: the layout does not move.

    The engine draws crop marks in the outer half of its bleed area, under
    the page's content, so a colour band running into a 3 mm bleed would
    hide them. The engine's bleed is therefore the real bleed plus room for
    the marks (the finisher then sets the PDF's BleedBox to the real bleed),
    and `--bleed` tells a theme how far to run its colour past the paper edge.
    """
    marks = "crop" if profile.crop_marks else "none"
    outside = f"{profile.bleed_mm + profile.marks_mm:g}mm"
    bleed = f"{profile.bleed_mm:g}mm"
    return (
        f"@page {{ bleed: {outside}; marks: {marks}; --bleed: {bleed} }}"
        f" :root {{ --bleed: {bleed} }}"
    )


def to_pdf(
    layout: Typeset,
    finisher: Finisher,
    profile: Profile = EMAIL,
    sources: tuple[tuple[str, bytes], ...] = (),
) -> tuple[bytes, tuple]:
    """The PDF of a laid-out issue in `profile`, and anything the engine logged making it.

    Every profile is tagged (a structure tree for screen readers and reflow)
    and claims its standard. `sources` (name, bytes) are attached as the
    PDF's source files, dated like the PDF itself so rebuilds stay identical.
    """
    from weasyprint import Attachment

    dated = dt.datetime.fromisoformat(layout.document.metadata.modified.replace("Z", "+00:00"))
    attachments = [
        Attachment(
            file_obj=io.BytesIO(data),
            name=name,
            description=f"{name}: the source this issue was typeset from",
            created=dated,
            modified=dated,
            relationship="Source",
        )
        for name, data in sources
    ]
    with _collected() as messages:
        pdf = layout.document.write_pdf(
            finisher=finisher,
            pdf_identifier=finisher.identifier,
            pdf_variant=profile.variant,
            pdf_tags=True,
            attachments=attachments,
        )
    return pdf, _notes(messages)


def _collected():
    """What WeasyPrint and the fetcher log meanwhile, as a list of messages."""
    return collected("weasyprint", "broadsheet.fetcher")


def _notes(messages: list[str]) -> tuple:
    skipped = (*REPORTED_ELSEWHERE, *NOT_ABOUT_THE_ISSUE)
    kept = (m for m in messages if not any(part in m for part in skipped))
    return tuple(warning(None, message) for message in dict.fromkeys(kept))
