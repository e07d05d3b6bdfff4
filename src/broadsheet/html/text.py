"""The plain-text edition: the whole issue readable in 72 columns.

A reader whose mail program or screen reader shows no PDF, or who wants to
quote the issue in a reply, gets every word of it as text: the masthead,
the contents, each story (headline, deck, dateline and byline, body, the
picture described, the pull quote), the boxes and the contact details.

Made from the validated Issue, never from the PDF, and with the very
Markdown parser that makes the print HTML (content/bodies.py), walked token
by token: no second reading of Markdown can disagree with the first. A
link cannot be clicked in a text file, and a long address breaks the
lines, so each story numbers its links in the text (`[1]`) and lists them
at its end (`[1] https://...`).

Lines are wrapped by characters with `textwrap` (a Python string is
characters, not bytes, so accented and Persian letters count one each), at
spaces only: no word is split, not even a long address, which must stay
whole to be copied; no-break spaces (French guillemets, "8 am") are kept.
Right-to-left text stays in its logical order, as it is stored: the reader's
program lays it out.

The shape is read back by editions/text_reader.py for parity, so it is
kept regular: a story's or box's title is underlined with `=`, a heading
of its body with `-`, and its references are the last block before the
rule that ends it.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterator

from markdown_it.token import Token

from broadsheet import labels
from broadsheet.content.bodies import is_live_link, parser, quotes_for, render_inline
from broadsheet.content.model import Article, Box, Issue, Markdown

WIDTH = 72
RULE = "=" * WIDTH  # between the masthead, the contents and each story
TITLE_UNDERLINE = "="
HEADING_UNDERLINE = "-"
BREAK = "* * *"  # a thematic break in a body


class References:
    """A story's links, numbered in the order they first appear: a link to
    the same address twice keeps its first number. It also carries the word
    a picture is described with, in the story's language."""

    def __init__(self, picture: str) -> None:
        self.urls: list[str] = []
        self.picture = picture

    def cite(self, url: str) -> str:
        url = url.strip()
        if url not in self.urls:
            self.urls.append(url)
        return f"[{self.urls.index(url) + 1}]"

    def lines(self) -> list[str]:
        return [f"[{n}] {url}" for n, url in enumerate(self.urls, 1)]


def text_edition(issue: Issue) -> str:
    """The issue as text, in the articles' order as written (the text has no
    pages to fill, so `order: flexible` moves nothing here)."""
    blocks: list[list[str]] = [_masthead(issue), [RULE]]
    contents = [item for item in (*issue.articles, *issue.boxes) if item.toc]
    if contents:
        blocks += [_contents(issue, contents), [RULE]]
    for article in issue.articles:
        blocks += [*_story(issue, article), [RULE]]
    for box in issue.boxes:
        blocks += [*_box(issue, box), [RULE]]
    return "\n\n".join("\n".join(block) for block in blocks[:-1]) + "\n"


def _masthead(issue: Issue) -> list[str]:
    words = labels.labels_for(issue.lang, issue.labels)
    digits = labels.digits_for(issue.lang, issue.digits)
    number = f"{words['number']} {issue.number}"
    if issue.volume:
        number = f"{words['volume']} {issue.volume} · {number}"
    line = labels.localise_digits(f"{number} · {labels.month_year(issue.date, issue.lang)}", digits)
    lines = _wrap(issue.name)
    for extra in (issue.tagline, issue.title):
        if extra:
            lines += _wrap(_typeset(extra, issue.lang))
    return lines + _wrap(line)


def _contents(issue: Issue, items: list[Article | Box]) -> list[str]:
    words = labels.labels_for(issue.lang, issue.labels)
    digits = labels.digits_for(issue.lang, issue.digits)
    lines = [*_wrap(issue.toc_title or words["toc_title"]), ""]
    width = len(str(len(items)))
    for n, item in enumerate(items, 1):
        marker = labels.localise_digits(f"{n:>{width}}. ", digits)
        title = _typeset(item.title, getattr(item, "lang", None) or issue.lang)
        lines += _wrap(title, initial="  " + marker, subsequent=" " * (len(marker) + 2))
    return lines


def _story(issue: Issue, article: Article) -> list[list[str]]:
    lang = article.lang or issue.lang
    words = labels.labels_for(lang, issue.labels)
    digits = labels.digits_for(issue.lang, issue.digits)
    references = References(words["picture"])
    blocks = [_title(_typeset(article.title, lang))]
    if article.subtitle:
        blocks.append(_wrap(_typeset(article.subtitle, lang)))
    meta = []
    if article.date:
        meta.append(labels.localise_digits(labels.long_date(article.date, lang), digits))
    if article.author:
        meta.append(f"{words['by']} {article.author}")
    if meta:
        blocks.append(_wrap(" · ".join(meta)))
    if article.image:
        picture = article.image
        # The alt text as written, as the print's and the web's `alt` have it;
        # the caption as printed.
        described = picture.alt_text
        if picture.caption and picture.caption != picture.alt_text:
            described += f" - {_typeset(picture.caption, lang)}"
        if picture.credit:
            described += f" ({_typeset(picture.credit, lang)})"
        blocks.append(_wrap(f"[{words['picture']}: {described}]"))
    body = _body(article.body, lang, references)
    if article.pullquote:
        opening, closing = quotes_for(lang)[:2]
        quote = f"{opening}{_typeset(article.pullquote, lang)}{closing}"
        body.insert(min(1, len(body)), _wrap(quote, initial="    ", subsequent="    "))
    blocks += body
    if article.link:
        blocks.append(_wrap(f"{words['read_more']} {references.cite(article.link)}"))
    if references.urls:
        blocks.append(references.lines())
    return blocks


def _box(issue: Issue, box: Box) -> list[list[str]]:
    references = References(labels.labels_for(issue.lang, issue.labels)["picture"])
    blocks = [_title(_typeset(box.title, issue.lang))]
    if box.body:
        blocks += _body(box.body, issue.lang, references)
    if box.contact and issue.contact:
        blocks += _contact(issue, references)
    if references.urls:
        blocks.append(references.lines())
    return blocks


def _contact(issue: Issue, references: References) -> list[list[str]]:
    """The publication's contact details, as the print's contact block has them."""
    contact = issue.contact
    assert contact is not None
    words = labels.labels_for(issue.lang, issue.labels)
    blocks = [_underlined(_wrap(words["contact_heading"]), HEADING_UNDERLINE)]
    if contact.address:
        blocks.append([line for address in contact.address for line in _wrap(address)])
    lines = []
    if contact.email:
        cited = references.cite(f"mailto:{contact.email}")
        lines += _wrap(f"{words['email']}: {contact.email} {cited}")
    if contact.website:
        lines += _wrap(f"{words['website']}: {contact.website} {references.cite(contact.website)}")
    if contact.phone:
        lines += _wrap(f"{words['phone']}: {contact.phone}")
    return blocks + ([lines] if lines else [])


def _title(text: str) -> list[str]:
    return _underlined(_wrap(text), TITLE_UNDERLINE)


def _underlined(lines: list[str], mark: str) -> list[str]:
    return [*lines, mark * max(3, min(WIDTH, max(len(line) for line in lines)))]


def _typeset(text: str, lang: str) -> str:
    """A one-line text with the print's typographic quotes and no-break spaces."""
    return html.unescape(render_inline(text, lang))


def _wrap(text: str, width: int = WIDTH, initial: str = "", subsequent: str = "") -> list[str]:
    """Lines of at most `width` characters, broken at spaces only; a hard
    line break of the text (Markdown's two spaces) starts a new line."""
    lines: list[str] = []
    for part in text.split("\n"):
        wrapped = textwrap.wrap(
            " ".join(part.split(" ")),
            width,
            initial_indent=initial if not lines else subsequent,
            subsequent_indent=subsequent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines += wrapped or [initial.rstrip()]
    return lines


# The body: markdown-it's token stream, walked block by block.


def _body(body: Markdown, lang: str, references: References) -> list[list[str]]:
    tokens = parser(lang).parse(body.text, {"docId": "text"})
    notes = next((n for n, t in enumerate(tokens) if t.type == "footnote_block_open"), None)
    blocks = _blocks(tokens[:notes], WIDTH, references)
    if notes is not None:
        blocks.append(_footnotes(tokens[notes:], references))
    return blocks


def _blocks(tokens: list[Token], width: int, references: References) -> list[list[str]]:
    """Each block of `tokens` (one level of nesting) as its lines."""
    blocks = []
    for token, inner in _children(tokens):
        kind = token.type
        if kind in ("paragraph_open", "inline"):
            text = _inline(inner[0] if inner else token, references)
            blocks.append(_wrap(text, width))
        elif kind == "heading_open":
            blocks.append(
                _underlined(_wrap(_inline(inner[0], references), width), HEADING_UNDERLINE)
            )
        elif kind in ("bullet_list_open", "ordered_list_open"):
            blocks.append(_list(token, inner, width, references))
        elif kind == "blockquote_open":
            quoted = _blocks(inner, width - 2, references)
            blocks.append([f"> {line}".rstrip() for line in _joined(quoted)])
        elif kind in ("code_block", "fence"):
            code = token.content.rstrip("\n").split("\n")
            blocks.append([line for row in code for line in _wrap(row, width, "    ", "    ")])
        elif kind == "hr":
            blocks.append([BREAK])
        elif kind == "table_open":
            blocks.append(_table(inner, width, references))
    return blocks


def _children(tokens: list[Token]) -> Iterator[tuple[Token, list[Token]]]:
    """The top-level blocks of `tokens`: each opening token (or a lone one)
    with the tokens inside it."""
    at = 0
    while at < len(tokens):
        token = tokens[at]
        if token.nesting != 1:
            yield token, []
            at += 1
            continue
        end = at + 1
        while not (tokens[end].level == token.level and tokens[end].nesting == -1):
            end += 1
        yield token, tokens[at + 1 : end]
        at = end + 1


def _joined(blocks: list[list[str]], blank: bool = True) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if lines and blank:
            lines.append("")
        lines += block
    return lines


def _list(opening: Token, items: list[Token], width: int, references: References) -> list[str]:
    ordered = opening.type == "ordered_list_open"
    number = int(opening.attrGet("start") or 1)
    lines: list[str] = []
    tight = all(t.hidden for t in items if t.type == "paragraph_open")
    for item, inner in _children(items):
        if item.type != "list_item_open":
            continue
        marker = f"{number}. " if ordered else "- "
        number += 1
        indent = " " * len(marker)
        content = _joined(_blocks(inner, width - len(marker), references), not tight) or [""]
        if lines and not tight:
            lines.append("")
        lines.append(marker + content[0])
        lines += [(indent + line).rstrip() for line in content[1:]]
    return lines


def _table(tokens: list[Token], width: int, references: References) -> list[str]:
    """A table in columns when it fits the line, else each row's cells in
    order, each after its column's heading."""
    rows = [
        [_inline(cell[0], references) for _, cell in _children(row) if cell]
        for _, row in _rows(tokens)
    ]
    if not rows:
        return []
    columns = max(len(row) for row in rows)
    rows = [row + [""] * (columns - len(row)) for row in rows]
    widths = [max(len(row[n]) for row in rows) for n in range(columns)]
    if sum(widths) + 3 * (columns - 1) <= width and all("\n" not in c for r in rows for c in r):
        lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
        separator = ["-+-".join("-" * w for w in widths)] if columns > 1 else []
        return [line.rstrip() for line in (lines[0], *separator, *lines[1:])]
    head, *body = rows
    lines = []
    for row in body:
        if lines:
            lines.append("")
        for label, cell in zip(head, row, strict=True):
            lines += _wrap(f"{label}: {cell}" if label else cell, width, "", "  ")
    return lines


def _rows(tokens: list[Token]) -> Iterator[tuple[Token, list[Token]]]:
    for section, inner in _children(tokens):
        if section.type in ("thead_open", "tbody_open"):
            yield from ((row, cells) for row, cells in _children(inner) if row.type == "tr_open")


def _footnotes(tokens: list[Token], references: References) -> list[str]:
    lines: list[str] = []
    for note, inner in _children(tokens[1:-1]):  # inside footnote_block_open ... close
        if note.type != "footnote_open":
            continue
        marker = f"({note.meta['id'] + 1}) "
        text = _joined(_blocks(inner, WIDTH - len(marker), references), blank=False)
        lines.append(marker + (text[0] if text else ""))
        lines += [" " * len(marker) + line for line in text[1:]]
    return lines


def _inline(token: Token, references: References) -> str:
    """An inline token's text: links numbered, pictures described, footnotes marked."""
    out: list[str] = []
    links: list[str | None] = []
    for child in token.children or ():
        kind = child.type
        if kind in ("text", "code_inline"):
            out.append(child.content)
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind == "link_open":
            href = child.attrGet("href") or ""
            links.append(href if is_live_link(href) else None)
        elif kind == "link_close" and links:
            href = links.pop()
            if href is not None:
                out.append(f" {references.cite(href)}")
        elif kind == "image":
            out.append(f"[{references.picture}: {child.content}]")
        elif kind == "footnote_ref":
            out.append(f"({child.meta['id'] + 1})")
    return "".join(out).strip()
