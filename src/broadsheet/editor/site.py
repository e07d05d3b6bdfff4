"""The archive as a web site: `build/site/index.html` and its Atom feed
`build/site/feed.xml`, with everything they link to inside `build/site/`.

The site is a folder that can be published as it is: beside its page are a
copy of each issue's PDF and thumbnail, at the same relative addresses as
in `build/` (`2026-10.pdf`, `fr/2026-12.pdf`, `thumbnails/2026-10.png`),
and the theme's fonts for the page (webfonts.py). An issue's web edition,
`build/site/<slug>/index.html` (`broadsheet build --edition web`), is
linked when it is there as the archive is made, and only then, so the
page never links to a file that is missing: make the web editions first.

A copied file is written only when its bytes differ from the file there,
so a second archive leaves the site as it was. The page and the feed are
written together, last, each atomically.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from broadsheet import labels
from broadsheet.editor.atom import FEED, FeedEntry, FeedOwner, atom_feed
from broadsheet.editor.webfonts import font_stack, web_fonts
from broadsheet.outputs.writing import write_atomically, write_together

if TYPE_CHECKING:
    from broadsheet.editor.archive import ArchivePage, Entry

SITE = "site"  # under build/
PAGE = "index.html"  # under build/site/
TEMPLATE = "archive/site.html.j2"
WEB_EDITION = "{slug}/index.html"  # under build/site/, written by `build --edition web`


def write_site(page: ArchivePage, build: Path) -> list[Path]:
    """Write the site's files under `build/site/`; return the page and the feed
    (the copies are the issues' own files, listed where they were written)."""
    site = build / SITE
    entries = [_with_web_edition(entry, site) for entry in page.entries]
    copies = {entry.pdf: build / entry.pdf for entry in entries}
    copies |= {entry.thumbnail: build / entry.thumbnail for entry in entries}
    fonts = _fonts(page, right_to_left=any(entry.dir == "rtl" for entry in entries))
    files = [(site / name, source.read_bytes()) for name, source in copies.items()]
    files += [(site / name, data) for name, data in fonts.files]
    for path, data in files:
        if not path.is_file() or path.read_bytes() != data:
            write_atomically(path, data)
    html = page.render(
        TEMPLATE,
        entries=entries,
        picture_base="",
        font_faces=fonts.css,
        text_family=font_stack(page.text + page.scripts + page.fallback),
        display_family=font_stack(page.display + page.scripts + page.fallback),
        feed=FEED,
    )
    feed = atom_feed([_feed_entry(entry, page, build) for entry in entries], _owner(page))
    write_together([(site / PAGE, html.encode()), (site / FEED, feed)])
    return [site / PAGE, site / FEED]


def _with_web_edition(entry: Entry, site: Path) -> Entry:
    web = WEB_EDITION.format(slug=entry.slug)
    return replace(entry, web=web) if (site / web).is_file() else entry


def _fonts(page: ArchivePage, right_to_left: bool):
    """The faces the page sets: text, its italic, display, and the scripts'
    when an issue is in a right-to-left language, from the theme's fonts
    stylesheet; a family it does not define is left to the fallbacks."""
    wanted = [
        (page.text[0], 400, "normal"),
        (page.text[0], 400, "italic"),
        (page.display[0], 400, "normal"),
    ]
    if right_to_left:
        wanted += [(family, 400, "normal") for family in page.scripts]
    return web_fonts(page.fonts_stylesheet, wanted, page.root)


def _feed_entry(entry: Entry, page: ArchivePage, build: Path) -> FeedEntry:
    own = entry.lang == page.issue.lang  # the publication's own words, else its language's
    words = labels.labels_for(entry.lang, page.issue.labels if own else {})
    number = f"{words['number']} {entry.number}"
    if entry.volume:
        number = f"{words['volume']} {entry.volume}, {number}"
    title = f"{entry.publication}, {number}, {entry.when}"
    if entry.title:
        title += f": {entry.title}"
    return FeedEntry(
        publication=entry.publication,
        slug=entry.slug,
        title=title,
        date=entry.date,
        lang=entry.lang,
        summary=" · ".join(heading for heading, _ in entry.contents),
        pdf=entry.pdf,
        pdf_length=(build / entry.pdf).stat().st_size,
        html=entry.web or f"{PAGE}#issue-{entry.slug}",
    )


def _owner(page: ArchivePage) -> FeedOwner:
    issue = page.issue
    return FeedOwner(
        name=issue.name,
        tagline=issue.tagline,
        lang=issue.lang,
        email=issue.contact.email if issue.contact else None,
        website=issue.contact.website if issue.contact else None,
        site_url=issue.site_url,
    )
