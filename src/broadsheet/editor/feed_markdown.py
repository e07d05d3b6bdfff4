"""A post's HTML (a feed's summary or content) as clean Markdown for an article body.

What a website's feed carries is HTML written for a browser: scripts,
embedded players, inline styles, event attributes, tracking pixels. The
article body keeps only what a newsletter prints: the text, its emphasis,
lists, quotes, headings, tables and live links. Whole elements that only
a browser runs or shows (script, iframe, video, form, ...) go with their
content; pictures go too (an article has one photo, `image`, fetched only
when the editor asks); a link whose address is not http, https or mailto
keeps its words and loses the link. Text that looks like a tag (`<b>`
written as `&lt;b&gt;`) is escaped, so the body holds no raw HTML at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

from broadsheet.content.characters import INVISIBLE
from broadsheet.paths import split_address

DROPPED = [
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "noscript",
    "template",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "svg",
    "math",
    "canvas",
    "video",
    "audio",
    "source",
    "track",
    "head",
    "title",
    "meta",
    "link",
    "img",
    "picture",
    "map",
    "area",
    "base",
]
LIVE_SCHEMES = ("http", "https", "mailto")
# Dropped from a feed's text: what validation would refuse (characters.py),
# and the line and paragraph separators and byte-order mark some feeds carry.
CONTROL = re.compile(f"{INVISIBLE.pattern}|[\u2028\u2029\ufeff]")
# Deeper than this, a post's HTML is flattened (its inner tags unwrapped, the
# text kept): no post needs more, and the converter recurses once a level.
MAX_DEPTH = 40


@dataclass(frozen=True)
class Picture:
    """The first picture a post shows: its absolute address and its alt text."""

    url: str
    alt: str


class _Converter(MarkdownConverter):
    """markdownify, with `<` and `>` in text escaped: never read as HTML."""

    def escape(self, text, parent_tags):
        text = super().escape(text, parent_tags)
        return text.replace("<", "\\<").replace(">", "\\>")


def to_markdown(html: str, base: str | None = None) -> str:
    """Clean Markdown for `html`; relative links are made absolute against `base`."""
    soup = _soup(html)
    _flatten(soup, MAX_DEPTH)
    for element in soup.find_all(DROPPED):
        element.decompose()
    for anchor in soup.find_all("a"):
        href = str(anchor.get("href") or "").strip()
        parts = split_address(href, base=base or "") if href else None
        if parts is None or parts.scheme.lower() not in LIVE_SCHEMES:
            anchor.unwrap()
            continue
        anchor.attrs = {"href": parts.geturl()}
    text = _Converter(heading_style="ATX", bullets="-", strip_document=None).convert_soup(soup)
    text = CONTROL.sub("", text).replace("\r", "")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def first_picture(html: str, base: str | None = None) -> Picture | None:
    """The first `<img>` in `html` with an address, made absolute against `base`."""
    for image in _soup(html).find_all("img"):
        src = str(image.get("src") or "").strip()
        if src:
            alt = " ".join(str(image.get("alt") or "").split())
            parts = split_address(src, base=base or "")
            if parts is not None:
                return Picture(parts.geturl(), alt)
    return None


def plain(text: str) -> str:
    """One line of text for a title or a name: no tags, no control characters."""
    if "<" in text or "&" in text:
        text = _soup(text).get_text(" ")
    return " ".join(CONTROL.sub("", text).split())


def _flatten(soup: BeautifulSoup, limit: int) -> None:
    """Replace what lies below depth `limit` by its text (a walk with a stack
    of its own: the document may be nested thousands deep, and moving its
    tags one by one would cost time in the square of the depth)."""
    stack = [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        for child in list(node.contents):
            if getattr(child, "name", None) is None:
                continue
            if depth + 1 < limit:
                stack.append((child, depth + 1))
            elif child.find(True) is not None:
                text = child.get_text()
                child.clear()
                child.append(text)


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")
