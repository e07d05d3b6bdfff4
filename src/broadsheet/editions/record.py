"""What every edition must agree on, and the record of the source.

A `Record` is what a reader of any edition can find: the stories (articles
and boxes) in order, each with its title, its headings, the descriptions of
its pictures, its links, its language, its address (the web edition's
`#id`) and the page it starts on. An edition that cannot tell one of these
(a text file has no language; a PDF's links belong to a page, not a story;
only the email names pages) leaves it None, and parity compares only what
both can tell.

`expected(issue)` derives the record from the validated Issue by walking
the same Markdown token stream the print HTML and the text edition are
made from (content/bodies.py's parser), so the three can only disagree
where an edition's own code lost something.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from markdown_it.token import Token

from broadsheet import labels
from broadsheet.content.bodies import is_live_link, parser, render_inline
from broadsheet.content.model import Article, Box, Issue, Markdown
from broadsheet.source import Span

# Characters that change how a text is shown but not what it says: soft
# hyphens, zero-width spaces and the bidi controls an edition may add.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))
_INVISIBLE.update(dict.fromkeys(range(0x2066, 0x206A)))
_SPACES = re.compile(r"\s+")


def plain(text: str) -> str:
    """A text as parity compares it: NFKC (so a no-break space is a space),
    invisible characters dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Story:
    """One story or box as an edition shows it. None: the edition cannot tell."""

    title: str
    headings: tuple[str, ...] | None = None
    alts: tuple[str, ...] | None = None  # what each picture is described with
    links: tuple[str, ...] | None = None
    lang: str | None = None
    span: Span | None = None  # where the source has it (the expected record only)
    # Where a reader is taken to read it: `#id` in the web edition, the web
    # edition's address with `#id` in the email; "" when the edition names none.
    anchor: str | None = None
    page: int | None = None  # the page it starts on in print; 0: the edition names none


@dataclass(frozen=True)
class Record:
    """An edition read back. `links` and `alts` are the whole edition's, for
    an edition that cannot tell which story holds them (the PDF)."""

    edition: str
    stories: tuple[Story, ...]
    lang: str | None = None
    links: tuple[str, ...] | None = None
    alts: tuple[str, ...] | None = None
    dir: str | None = None  # ltr or rtl, as the edition sets its text


def expected(issue: Issue) -> Record:
    """The record of the source: what every edition of `issue` must show,
    in the articles' order as `issue` has them (for the PDF, pass
    `issue.printed_in(order)`)."""
    stories = [_article(issue, article) for article in issue.articles]
    stories += [_box(issue, box) for box in issue.boxes]
    direction = "rtl" if labels.right_to_left(issue.lang) else "ltr"
    return Record("source", tuple(stories), issue.lang, dir=direction)


def _article(issue: Issue, article: Article) -> Story:
    lang = article.lang or issue.lang
    headings, alts, links = _body(article.body, lang)
    if article.image and article.image.alt_text:
        alts = [plain(article.image.alt_text), *alts]
    if article.link:
        links.append(article.link.strip())
    return Story(
        _typeset(article.title, lang),
        tuple(headings),
        tuple(alts),
        _once(links),
        lang,
        article.span,
        f"#{article.id}",
    )


def _box(issue: Issue, box: Box) -> Story:
    headings, alts, links = _body(box.body, issue.lang) if box.body else ([], [], [])
    if box.contact and issue.contact:
        words = labels.labels_for(issue.lang, issue.labels)
        headings.append(plain(words["contact_heading"]))
        if issue.contact.email:
            links.append(f"mailto:{issue.contact.email}")
        if issue.contact.website:
            links.append(issue.contact.website)
    return Story(
        _typeset(box.title, issue.lang),
        tuple(headings),
        tuple(alts),
        _once(links),
        issue.lang,
        box.span,
        f"#{box.id}",
    )


def _body(body: Markdown, lang: str) -> tuple[list[str], list[str], list[str]]:
    """The headings, pictures' alt texts and live links of a Markdown text."""
    headings: list[str] = []
    alts: list[str] = []
    links: list[str] = []
    tokens = parser(lang).parse(body.text, {"docId": "record"})
    for at, token in enumerate(tokens):
        if token.type == "heading_open":
            headings.append(plain(_text(tokens[at + 1].children or [])))
        for child in token.children or ():
            if child.type == "image" and child.content.strip():
                alts.append(plain(child.content))
            elif child.type == "link_open" and is_live_link(child.attrGet("href") or ""):
                links.append((child.attrGet("href") or "").strip())
    return headings, alts, links


def _text(children: Iterable[Token]) -> str:
    return "".join(c.content for c in children if c.type in ("text", "code_inline"))


def _typeset(text: str, lang: str) -> str:
    """A title as every edition prints it: with the typographer's quotes."""
    return plain(html.unescape(render_inline(text, lang)))


def _once(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
