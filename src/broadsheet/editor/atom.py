"""The archive's Atom feed (RFC 4287): one entry per issue, newest first,
so a feed reader learns of each new issue.

Everything in it comes from the issues, never from the clock, so the same
issues give the same bytes: an entry is `updated` (and `published`) on its
issue's date, the feed on its newest issue's. Ids are `urn:uuid:` names
(RFC 4122, version 5) of the publication's name and the issue's slug: they
stay the same when the site moves, or gets its address later, which a
reader would otherwise take for new issues. Links are relative to the
feed (`2026-10.pdf`, `2026-10/index.html`), which RFC 4287 allows and a
reader resolves against the address it fetched the feed from; with the
publication's `site_url` they are absolute under it, and the feed names
itself (`rel="self"`), as readers prefer. Each entry links a web page first
(readers open an entry's first HTML link): the issue's web edition, or its
place on the site's page when it has none; then its PDF, with its size.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

from broadsheet import __version__

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED = "feed.xml"  # beside the site's index.html
# The namespace of every id this feed gives (a version 5 UUID of a fixed name).
IDS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:broadsheet:archive-feed")


@dataclass(frozen=True)
class FeedEntry:
    """One issue, as the feed tells of it; links relative to the feed."""

    publication: str
    slug: str
    title: str  # "The Lantern, No. 18, November 2026"
    date: dt.date
    lang: str
    summary: str  # the contents, titles in order
    pdf: str
    pdf_length: int  # bytes
    html: str  # the web edition, or the issue's place on the site's page


@dataclass(frozen=True)
class FeedOwner:
    """The publication the feed belongs to (newsletter.yaml)."""

    name: str
    tagline: str | None
    lang: str
    email: str | None
    website: str | None
    site_url: str | None


def atom_feed(entries: Sequence[FeedEntry], owner: FeedOwner) -> bytes:
    """The feed's bytes: UTF-8 XML, entries in the order given (newest first)."""
    base = _folder(owner.site_url) if owner.site_url else None

    def address(relative: str) -> str:
        return urljoin(base, relative) if base else relative

    # Unqualified names and the namespace as an attribute: ElementTree cannot
    # write a default namespace together with attributes that have none.
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: owner.lang})
    _text(feed, "id", f"urn:uuid:{uuid.uuid5(IDS, owner.name)}")
    _text(feed, "title", owner.name)
    if owner.tagline:
        _text(feed, "subtitle", owner.tagline)
    _text(feed, "updated", _stamp(max(e.date for e in entries)))
    _link(feed, "alternate", address("index.html"), "text/html")
    if base:
        _link(feed, "self", address(FEED), "application/atom+xml")
    author = ET.SubElement(feed, "author")
    _text(author, "name", owner.name)
    if owner.email:
        _text(author, "email", owner.email)
    if owner.website:
        _text(author, "uri", owner.website)
    ET.SubElement(feed, "generator", {"version": __version__}).text = "broadsheet"
    for issue in entries:
        entry = ET.SubElement(feed, "entry")
        if issue.lang != owner.lang:
            entry.set(XML_LANG, issue.lang)
        _text(entry, "id", f"urn:uuid:{uuid.uuid5(IDS, f'{issue.publication}/{issue.slug}')}")
        _text(entry, "title", issue.title)
        _text(entry, "published", _stamp(issue.date))
        _text(entry, "updated", _stamp(issue.date))
        _link(entry, "alternate", address(issue.html), "text/html")
        _link(entry, "alternate", address(issue.pdf), "application/pdf", issue.pdf_length)
        _text(entry, "summary", issue.summary).set("type", "text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _folder(url: str) -> str:
    """The site's address as a folder, so `urljoin` keeps its last segment."""
    return url if url.endswith("/") else url + "/"


def _stamp(date: dt.date) -> str:
    """An RFC 3339 date-time: the issue's day, at midnight UTC."""
    return f"{date.isoformat()}T00:00:00Z"


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, name)
    element.text = text
    return element


def _link(parent: ET.Element, rel: str, href: str, kind: str, length: int | None = None) -> None:
    attributes = {"rel": rel, "type": kind, "href": href}
    if length is not None:
        attributes["length"] = str(length)
    ET.SubElement(parent, "link", attributes)
