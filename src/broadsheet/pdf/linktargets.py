"""Every `<a href>` of the HTML against the link annotations of its PDF.

The engine does not always turn a link into something to click: WeasyPrint
70 writes no annotation for an `<a>` that is a flex or grid item (it makes
a block of the element and leaves its link behind), and a theme of one's
own may lay anything out that way. The PDF then shows the words, a screen
reader calls them a link, and nothing happens on a click. So the verify
stage reads every href back from the very HTML the PDF was typeset from and
counts, for each target, the annotations that lead there.

The hrefs are read with html.parser (the standard library's HTML
tokenizer), not a pattern: attributes come in any order and quoting,
entities like `&amp;` are decoded, and comments, scripts and styles are
skipped as a browser skips them, once, from the HTML of the layout kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote

from broadsheet.paths import relative_file
from broadsheet.pdf.reading import Link


@dataclass(frozen=True, order=True)
class Target:
    """Where a link leads, in a form both the HTML and the PDF give."""

    kind: str  # "uri": an address; "dest": a named destination here; "file": a PDF beside this one
    value: str  # percent-decoded

    def __str__(self) -> str:
        return f"#{self.value}" if self.kind == "dest" else self.value


@dataclass(frozen=True)
class Unlinked:
    """A target the HTML links to more often than the PDF has annotations for it."""

    target: Target
    in_html: int  # <a href> elements leading there
    in_pdf: int  # annotations leading there


def target_of_href(href: str) -> Target | None:
    """The target of an href as the engine and the finisher make it: a
    fragment is a named destination, a relative address a neighbouring file
    (finish.py makes it a go-to-remote action), anything else an address;
    None for an empty href or a bare "#", which lead nowhere."""
    href = href.strip()
    if href.startswith("#"):
        name = unquote(href[1:])
        return Target("dest", name) if name else None
    if not href:
        return None
    name, _ = relative_file(href)
    if name is not None:
        return Target("file", name)
    return Target("uri", unquote(href))


def target_of_link(link: Link) -> Target | None:
    if link.dest is not None:
        return Target("dest", link.dest)
    if link.file is not None:
        return Target("file", link.file)
    if link.uri is not None:
        return Target("uri", unquote(link.uri.strip()))
    return None


def html_targets(html: str) -> Counter[Target]:
    """How many `<a href>` elements of `html` lead to each target."""
    parser = _Hrefs()
    parser.feed(html)
    parser.close()
    return Counter(target for href in parser.hrefs if (target := target_of_href(href)))


def pdf_targets(links: Iterable[Link]) -> Counter[Target]:
    """How many link annotations of the PDF lead to each target."""
    return Counter(target for link in links if (target := target_of_link(link)))


def unlinked(wanted: Counter[Target], links: Iterable[Link]) -> list[Unlinked]:
    """The targets the HTML links to (`wanted`, from html_targets) with fewer
    annotations in the PDF than elements linking there, in order.

    The engine writes one annotation per line a link runs over (and one for
    a picture inside it), so a link has at least one, and a target with
    fewer annotations than elements has lost one. (A link lost beside
    another to the same target that runs over two lines is not caught
    here; the structure tree's /Link without an annotation, in
    compliance.py, catches that one.)"""
    found = pdf_targets(links)
    return [
        Unlinked(target, count, found[target])
        for target, count in sorted(wanted.items())
        if found[target] < count
    ]


class _Hrefs(HTMLParser):
    """The href of every `<a>`, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href is not None:
                self.hrefs.append(href)

    handle_startendtag = handle_starttag
