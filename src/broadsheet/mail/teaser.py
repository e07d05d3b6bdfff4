"""The email's contents teaser: each story as printed, with its page and links.

The order and the page numbers are read from the PDF's bookmarks (one per
story headline and box title, in the order printed), not worked out again:
the email names the page the reader will find, even when the layout moved a
brief (`order: flexible`). Each bookmark is matched to its story, for the
id that the web edition's anchor carries and for the deck, by its page (the
PDF's named destination for that id) and its title.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from broadsheet import labels
from broadsheet.content import bodies
from broadsheet.content.model import Article, Box, Issue
from broadsheet.content.slugs import web_address
from broadsheet.pdf.bookmarks import Bookmarks

TEASER_CHARACTERS = 200  # a first sentence longer than this is cut at a word, with an ellipsis
SENTENCE_END = re.compile(r"(?<=[.!?؟。])\s+")
# Words that end in a full stop without ending the sentence ("charity no. 1174859").
ABBREVIATIONS = frozenset({"no", "nos", "vol", "st", "dr", "mr", "mrs", "ms", "e.g", "i.e", "cf"})


@dataclass(frozen=True)
class Entry:
    """A line of the contents: a story's title, the page it starts on, a
    sentence about it and, with `mail.web_base`, its place in the web edition."""

    title: str
    page: int
    printed: str = ""  # the page number in the issue's digits, as the PDF prints it
    deck: str = ""  # the story's deck, else its first sentence; plain text
    link: str | None = None  # <web_base>/<slug>/index.html#<id>
    lang: str | None = None  # the story's own language, when it is not the issue's


def web_edition(issue: Issue) -> str | None:
    """The issue's page on the site, `<web_base>/<slug>/index.html`."""
    base = issue.mail.web_base
    return web_address(base, issue.slug) if base else None


def hosted_pdf(issue: Issue) -> str | None:
    """The PDF beside the web edition: `<web_base>/<slug>/<name>.pdf`, the
    name being the slug's last part (`fr/2026-12` -> `fr/2026-12/2026-12.pdf`)."""
    base = issue.mail.web_base
    if not base:
        return None
    name = issue.slug.rpartition("/")[2]
    return f"{base}/{quote(issue.slug)}/{quote(name)}.pdf"


def contents(issue: Issue, marks: Bookmarks) -> list[Entry]:
    """Every bookmarked story, in the order printed, with its page and teaser
    (`marks` read with the anchors of `stories(issue)`)."""
    digits = labels.digits_for(issue.lang, issue.digits)
    pages = marks.anchors
    unmatched: list[Article | Box] = [*issue.articles, *issue.boxes]
    page_url = web_edition(issue)
    entries = []
    for mark in marks.outline:
        if mark.level != 1:
            continue
        story = _story_for(mark.title, mark.page, unmatched, pages)
        if story is not None:
            unmatched.remove(story)
        printed = labels.localise_digits(str(mark.page + 1), digits)
        entries.append(
            Entry(
                title=mark.title,
                page=mark.page + 1,
                printed=printed,
                deck=_teaser(story, issue.lang) if story is not None else "",
                link=f"{page_url}#{quote(story.id)}" if page_url and story is not None else None,
                lang=_own_language(story, issue.lang),
            )
        )
    return entries


def stories(issue: Issue) -> list[str]:
    """The ids of every story and box: the anchors whose pages the teaser reads."""
    return [story.id for story in (*issue.articles, *issue.boxes)]


def _story_for(
    title: str, page: int, stories: list[Article | Box], pages: dict[str, int]
) -> Article | Box | None:
    """The story a bookmark stands for: its title matches and it starts on the
    bookmark's page; failing the page, the first with its title. The
    bookmark's title went through the typographer (curly quotes, dashes),
    so titles are compared by their letters and digits alone."""
    key = _letters(title)
    same_title = [story for story in stories if _letters(story.title) == key]
    on_page = [story for story in same_title if pages.get(story.id) == page]
    return next(iter(on_page or same_title), None)


def _own_language(story: Article | Box | None, lang: str) -> str | None:
    """An article's `lang:` when it differs from the issue's: its title is
    marked, as the PDF and the web edition mark the story."""
    own = story.lang if isinstance(story, Article) else None
    return own if own and own.lower() != lang.lower() else None


def _letters(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def _teaser(story: Article | Box, lang: str) -> str:
    """The deck when there is one, else the first sentence of the body."""
    if isinstance(story, Article) and story.subtitle:
        return story.subtitle
    if story.body is None:
        return ""
    return first_sentence(plain_paragraph(story.body.text, lang))


def plain_paragraph(markdown: str, lang: str) -> str:
    """The first paragraph of a Markdown text as plain text: link texts kept,
    their addresses, emphasis marks and footnote marks dropped."""
    tokens = bodies.parser(lang).parse(markdown)
    for token in tokens:
        if token.type == "inline" and token.children:
            words = [
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            ]
            text = re.sub(r"\s+", " ", "".join(words)).strip()
            if text:
                return text
    return ""


def first_sentence(text: str) -> str:
    """The first sentence, or the text's first words when that is long. A
    stop ends a sentence when the next word starts with neither a digit nor
    a small letter and the word before it is not an abbreviation."""
    sentence = text
    for stop in SENTENCE_END.finditer(text):
        following = text[stop.end() : stop.end() + 1]
        word = text[: stop.start()].rsplit(" ", 1)[-1].lstrip("(“\"'‘«").rstrip(".").lower()
        if following.isdigit() or following.islower() or word in ABBREVIATIONS:
            continue
        sentence = text[: stop.start()]
        break
    if len(sentence) <= TEASER_CHARACTERS:
        return sentence
    cut = sentence[:TEASER_CHARACTERS].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
