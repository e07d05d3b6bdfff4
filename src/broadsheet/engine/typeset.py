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

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import SubElement

from weasyprint import HTML, Attachment

from broadsheet.engine.fetcher import MissingThemeFile, ProjectFetcher
from broadsheet.engine.finish import Finisher
from broadsheet.engine.library import collected_messages, engine_notes
from broadsheet.engine.session import Session, Styles
from broadsheet.errors import ContentError, TypesetError, error
from broadsheet.html.rendered import Rendered
from broadsheet.profiles import EMAIL, Profile


@dataclass(frozen=True)
class Typeset:
    pages: int
    warnings: tuple
    files: tuple[Path, ...]  # every file the engine read
    document: object  # WeasyPrint's laid-out pages, for the copy-fit report


def typeset(
    rendered: Rendered, root: Path, profile: Profile = EMAIL, session: Session | None = None
) -> Typeset:
    """Lay `rendered` out. The font configuration and the parsed stylesheets
    come from `session` (a new one when None), kept from earlier builds when
    nothing they were made from has changed."""
    session = session or Session()
    fetcher = ProjectFetcher(root)
    styles = styles_for(rendered, root, profile, session)
    try:
        with collected_messages() as messages:
            document = parsed(rendered, fetcher).render(
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
    notes = (*styles.notes, *engine_notes(messages))
    return Typeset(len(document.pages), notes, files, document)


def styles_for(rendered: Rendered, root: Path, profile: Profile, session: Session) -> Styles:
    """The parsed stylesheets `rendered` is set with, in `profile`; a theme
    file that is missing (a font, an @import) stops the build."""
    try:
        return session.styles(rendered.stylesheets, root, profile_css(profile))
    except MissingThemeFile as exc:
        raise TypesetError([error(None, str(exc))]) from None


# A measurement's columns fill one after another instead of balancing: the
# engine balances by laying the columns out again and again, a pixel taller
# each time, and what a measurement reads (each line and block, and what
# holds them together) comes out the same wherever a column ends.
UNBALANCED = "[data-item], [data-item] * { column-fill: auto !important }"


def parsed(rendered: Rendered, fetcher: ProjectFetcher) -> HTML:
    """The engine's document of `rendered`: of a measurement, only the items
    it measures with their contents, its links all to the first item, and
    the items' columns unbalanced."""
    html = HTML(string=rendered.html, base_url=rendered.base_url, url_fetcher=fetcher)
    if rendered.measured is not None:
        _measuring(html.etree_element, rendered.measured, next(iter(rendered.items), ""))
    return html


def _measuring(root, measured: frozenset[str], first: str) -> None:
    head = root.find("head")
    SubElement(root if head is None else head, "style").text = UNBALANCED
    elements = list(root.iter())
    for element in elements:
        anchor = element.get("data-item")  # its headline's id (render._place)
        if anchor is not None and anchor not in measured:
            del element[:]
            element.text = None
            if element.get("id") != anchor:
                SubElement(element, "span", id=anchor)
    for element in elements:
        if element.tag == "a" and (element.get("href") or "").startswith("#"):
            element.set("href", f"#{first}")


def profile_css(profile: Profile) -> str:
    return _trim_css(profile) if profile.bleed_mm or profile.crop_marks else ""


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


def to_pdf(layout: Typeset, finisher: Finisher, profile: Profile = EMAIL) -> tuple[bytes, tuple]:
    """The PDF of a laid-out issue in `profile`, and anything the engine logged making it.

    Every profile is tagged (a structure tree for screen readers and reflow)
    and claims its standard. The finisher's attachments (name, bytes) are attached as the
    PDF's source files, dated like the PDF itself so rebuilds stay identical.
    """
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
        for name, data in finisher.attachments
    ]
    with collected_messages() as messages:
        pdf = layout.document.write_pdf(
            finisher=finisher,
            pdf_identifier=finisher.identifier,
            pdf_variant=profile.variant,
            pdf_tags=True,
            attachments=attachments,
        )
    return pdf, engine_notes(messages)
