"""`broadsheet archive`'s site, build/site/: its page (a viewport, nothing
fetched from outside, every address a file inside the site, the theme's
fonts beside it) and its Atom feed, read back with feedparser and held to
RFC 4287's required elements. What a browser shows of the page is in
tests/visual/test_archive_site_in_browser.py."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
from test_archive import ISSUE

NEWSLETTER = """\
name: The Test Gazette
tagline: A line
contact:
  email: desk@gazette.example
  website: https://gazette.example
"""
FRENCH = "name: La Gazette\nlang: fr\n"
ATOM = "{http://www.w3.org/2005/Atom}"
RFC_3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def three_issues(project) -> Path:
    """Two issues of the project's publication and one of a French one."""
    project.write("issues/newsletter.yaml", NEWSLETTER)
    project.write("issues/2026-09.yaml", ISSUE.format(number=4, date="2026-09-01", first="Fête"))
    project.write("issues/2026-10.yaml", ISSUE.format(number=5, date="2026-10-01", first="Gala"))
    project.write("issues/fr/newsletter.yaml", FRENCH)
    project.write("issues/fr/2026-11.yaml", ISSUE.format(number=9, date="2026-11-01", first="Bal"))
    return project.root / "build" / "site"


class Addresses(HTMLParser):
    """Every address the page names: href and src of any element, and the
    url() of its inline stylesheets."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.found += [value for name, value in attrs if name in ("href", "src", "srcset")]
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data
            self.found += re.findall(r"url\(\s*[\"']?([^\"')]+)", data)


def addresses(page: Path) -> Addresses:
    parser = Addresses()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_the_site_page_names_only_files_inside_the_site(project):
    site = three_issues(project)
    run = project.run("archive")
    assert run.code == 0, run.stderr
    assert run.stdout.split()[-2:] == ["build/site/index.html", "build/site/feed.xml"]
    html = (site / "index.html").read_text()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<html lang="en" dir="ltr">' in html

    page = addresses(site / "index.html")
    for address in page.found:
        assert not re.match(r"[a-z][a-z0-9+.-]*:|/", address), address  # relative, no scheme
        target = (site / address).resolve()
        assert target.is_relative_to(site.resolve()) and target.is_file(), address
    pdfs = [a for a in page.found if a.endswith(".pdf")]
    assert list(dict.fromkeys(pdfs)) == ["fr/2026-11.pdf", "2026-10.pdf", "2026-09.pdf"]
    for pdf in pdfs:  # the site's copy is the issue's PDF
        assert (site / pdf).read_bytes() == (project.root / "build" / pdf).read_bytes()
    assert [a for a in page.found if a.endswith(".png")] == [
        "thumbnails/fr/2026-11.png",
        "thumbnails/2026-10.png",
        "thumbnails/2026-09.png",
    ]
    assert 'lang="fr" dir="ltr"' in html and "La Gazette" in html  # its own language and name

    # The theme's text, italic and display faces, as files beside the page,
    # with fonts a reader has after them.
    fonts = [a for a in page.found if a.startswith("fonts/")]
    assert fonts == [
        "fonts/LinLibertine_R.otf",
        "fonts/LinLibertine_RI.otf",
        "fonts/LinLibertine_DR.otf",
    ]
    assert all((site / font).read_bytes()[:4] == b"OTTO" for font in fonts)
    assert (site / "fonts" / "LICENSE-LinuxLibertine.txt").is_file()
    stacks = re.findall(r"font-family: ([^;]+);", page.style)
    assert any(s.startswith('"Classic Libertine", ') and s.endswith(", serif") for s in stacks)
    assert "Georgia" in page.style

    # No web edition yet: none linked. Once one is there, the next archive links it.
    assert "/index.html" not in html
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in site.rglob("*") if p.is_file()}
    edition = site / "2026-10" / "index.html"
    edition.parent.mkdir()
    edition.write_text("<!DOCTYPE html><title>No. 5</title>")
    assert project.run("archive").code == 0
    html = (site / "index.html").read_text()
    assert html.count('href="2026-10/index.html"') == 3  # the picture, the number, "web page"
    assert "2026-09/index.html" not in html
    entry = feedparser.parse((site / "feed.xml").read_bytes()).entries[1]
    assert [(link.type, link.href) for link in entry.links] == [
        ("text/html", "2026-10/index.html"),
        ("application/pdf", "2026-10.pdf"),
    ]

    # Same issues, same bytes; the copies were not even written again.
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in site.rglob("*") if p.is_file()}
    for path, (when, data) in before.items():
        if path.name not in ("index.html", "feed.xml"):
            assert after[path] == (when, data), path
    edition.unlink()
    assert project.run("archive").code == 0
    assert (site / "index.html").read_bytes() == before[site / "index.html"][1]
    assert (site / "feed.xml").read_bytes() == before[site / "feed.xml"][1]


def test_the_feed_is_atom_a_reader_accepts(project):
    site = three_issues(project)
    assert project.run("archive").code == 0
    data = (site / "feed.xml").read_bytes()
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "The Test Gazette" and feed.feed.subtitle == "A line"
    assert feed.feed.author_detail.name == "The Test Gazette"
    assert feed.feed.author_detail.email == "desk@gazette.example"
    assert feed.feed.updated_parsed[:3] == (2026, 11, 1)  # the newest issue's date
    assert feed.feed.link == "index.html"
    assert [e.title for e in feed.entries] == [
        "La Gazette, Vol. 2, N° 9, novembre 2026",
        "The Test Gazette, Vol. 2, No. 5, October 2026",
        "The Test Gazette, Vol. 2, No. 4, September 2026",
    ]
    assert [e.updated_parsed[:3] for e in feed.entries] == [
        (2026, 11, 1),
        (2026, 10, 1),
        (2026, 9, 1),
    ]
    newest = feed.entries[0]
    assert newest.summary == "Bal · Second story of number 9"
    assert newest.link == "index.html#issue-fr/2026-11"  # its place on the page: no web edition
    assert [(link.type, link.href) for link in newest.links] == [
        ("text/html", "index.html#issue-fr/2026-11"),
        ("application/pdf", "fr/2026-11.pdf"),
    ]
    assert int(newest.links[1].length) == (project.root / "build/fr/2026-11.pdf").stat().st_size
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == 3 and all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i) for i in ids)
    assert_rfc_4287(data)

    # With the site's address, every link is absolute under it and the feed
    # names itself; the ids stay, so a reader sees no issue twice.
    newsletter = NEWSLETTER + "site_url: https://gazette.example/archive\n"
    project.write("issues/newsletter.yaml", newsletter)
    assert project.run("archive").code == 0
    data = (site / "feed.xml").read_bytes()
    hosted = feedparser.parse(data)
    assert not hosted.bozo
    assert [e.id for e in hosted.entries] == ids
    assert hosted.entries[1].links[1].href == "https://gazette.example/archive/2026-10.pdf"
    assert hosted.feed.link == "https://gazette.example/archive/index.html"
    links = {link.rel: link.href for link in hosted.feed.links}
    assert links["self"] == "https://gazette.example/archive/feed.xml"
    assert_rfc_4287(data)


def assert_rfc_4287(data: bytes) -> None:
    """The elements RFC 4287 requires (4.1.1, 4.1.2, 4.2.1): a feed's id, title,
    updated and author (no entry has one of its own); each entry's id, title,
    updated and an alternate link (there is no content); every date an RFC
    3339 date-time; no two entries with one id."""
    feed = ET.fromstring(data)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        alternates = [
            link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "alternate"
        ]
        assert alternates and all(link.get("href") and link.get("type") for link in alternates)
        kinds = [(link.get("type"), link.get("hreflang")) for link in alternates]
        assert len(kinds) == len(set(kinds))  # one alternate per type and language
    for date in feed.iter():
        if date.tag in (f"{ATOM}updated", f"{ATOM}published"):
            assert RFC_3339.fullmatch(date.text), date.text
            dt.datetime.fromisoformat(date.text)
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(ids) == len(set(ids))


def test_a_site_url_that_is_not_a_web_address(project):
    project.write("issues/newsletter.yaml", "name: The Test Gazette\nsite_url: ftp://gazette\n")
    project.write("issues/2026-10.yaml", ISSUE.format(number=5, date="2026-10-01", first="Gala"))
    run = project.run("archive")
    assert run.code == 1, run.stderr
    assert re.search(r"issues/newsletter\.yaml:2:\d+: error: .*site_url", run.stderr), run.stderr
    assert not (project.root / "build" / "site").exists()
