"""Markdown bodies to HTML: CommonMark, typographic quotes, tables, footnotes; no raw HTML.

The parser is configured once per language. Raw HTML is off, so `<script>` or
`<link rel=attachment>` in a body is printed as text. Links stay live only for
http, https and mailto: any other target is printed as its text. Images may
only name files inside the project; the resolver given to `render_blocks`
turns their paths into the file URLs the fetcher will serve, and anything it
refuses is dropped (validation has already reported it with its line).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from broadsheet.labels import right_to_left
from broadsheet.paths import scheme_of, split_address

LIVE_SCHEMES = frozenset({"http", "https", "mailto"})

# Primary and secondary quotation marks (open, close, open, close) per language.
QUOTES = {
    "en": "“”‘’",
    "fr": ["«\u00a0", "\u00a0»", "“", "”"],  # no-break spaces inside guillemets
    "de": "„“‚‘",
    "es": "«»“”",
    "it": "«»“”",
    "pt": "«»“”",
    "nl": "“”‘’",
    "fa": "«»“”",
    "ar": "«»“”",
    "he": "””’’",  # CLDR: Hebrew opens and closes with the same mark
}

# A no-break space keeps a number with its unit: "8 am", "1,300 light years".
_UNIT = re.compile(r"(\d) (am|pm|per cent|tonnes|miles|light years|km|kg|%)\b")


def is_live_link(url: str) -> bool:
    parts = split_address(url.strip())
    return (
        parts is not None
        and scheme_of(url) in LIVE_SCHEMES
        and bool(parts.netloc or url.strip().lower().startswith("mailto:"))
    )


def _keep_units_together(state: StateCore) -> None:
    for block in state.tokens:
        for token in block.children or ():
            if token.type == "text":
                token.content = _UNIT.sub("\\1\u00a0\\2", token.content)


# French sets a space inside guillemets and before : ; ! ?, and never lets a
# line begin with the mark: the editor's plain space becomes a no-break one
# (a narrow one before ; ! ?, as French typography has it).
_FRENCH_SPACES = (
    (re.compile(r"« "), "«\u00a0"),
    (re.compile(r" »"), "\u00a0»"),
    (re.compile(r" :"), "\u00a0:"),
    (re.compile(r" ([;!?])"), "\u202f\\1"),
)


def _french_spacing(state: StateCore) -> None:
    for block in state.tokens:
        for token in block.children or ():
            if token.type == "text":
                for pattern, replacement in _FRENCH_SPACES:
                    token.content = pattern.sub(replacement, token.content)


def _language_rules(md: MarkdownIt, lang: str) -> None:
    """The rules a language adds to the typographer's own."""
    if lang.split("-")[0].lower() == "fr":
        md.core.ruler.push("french_spacing", _french_spacing)
    if _right_to_left(lang):
        md.core.ruler.push("isolate_left_to_right", _isolate_left_to_right)


def quotes_for(lang: str):
    """The language's quotation marks: primary open, close, secondary open, close."""
    return QUOTES.get(lang.split("-")[0].lower(), QUOTES["en"])


# URLs, email addresses and numbers in groups ("01632 960 412") are read left
# to right in any language. Inside right-to-left text the bidi algorithm would
# move a URL's trailing slash to its other end and reverse the order of the
# groups, so each is isolated in a left-to-right span.
_LEFT_TO_RIGHT_RUN = re.compile(
    # Each alternative starts only where its run starts (the lookbehinds) and
    # takes its run without giving it back (++), so a body of 100,000 digits
    # or letters is one linear scan, not one scan per position.
    r"(?<![A-Za-z0-9/:.])https?://[^\s<>]*[^\s<>.,;:!?)\]»«\"'،؛]"
    r"|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++@[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)++"
    r"|(?<!\d)\d++(?:[ \u00a0]\d++)++"
)


def _isolate_left_to_right(state: StateCore) -> None:
    """In right-to-left text: links whose text has no right-to-left letter, and
    URLs, addresses and grouped numbers in the text, become left-to-right isolates."""
    for block in state.tokens:
        children = block.children or []
        out: list[Token] = []
        in_link = 0
        for i, token in enumerate(children):
            if token.type == "link_open":
                in_link += 1
                if not _has_right_to_left(_link_text(children, i)):
                    token.attrSet("dir", "ltr")
            elif token.type == "link_close":
                in_link -= 1
            if token.type != "text" or in_link or not _LEFT_TO_RIGHT_RUN.search(token.content):
                out.append(token)
                continue
            at = 0
            for match in _LEFT_TO_RIGHT_RUN.finditer(token.content):
                out.append(_text(token.content[at : match.start()]))
                out.extend(_ltr_span(_unbroken(match.group(0))))
                at = match.end()
            out.append(_text(token.content[at:]))
        if block.children is not None:
            block.children = [t for t in out if t.type != "text" or t.content]


def _unbroken(run: str) -> str:
    """A grouped number stays on one line: its spaces become no-break spaces."""
    return run.replace(" ", "\u00a0") if run[:1].isdigit() else run


def _link_text(children: list[Token], start: int) -> str:
    text = []
    for token in children[start + 1 :]:
        if token.type == "link_close":
            break
        text.append(token.content)
    return "".join(text)


def _has_right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _ltr_span(content: str) -> list[Token]:
    opening, closing = Token("html_inline", "", 0), Token("html_inline", "", 0)
    opening.content, closing.content = '<span dir="ltr">', "</span>"
    return [opening, _text(content), closing]


@lru_cache(maxsize=16)
def parser(lang: str) -> MarkdownIt:
    """The configured parser for a language (cached: building one costs a few ms)."""
    quotes = quotes_for(lang)
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "quotes": quotes})
    md.enable(["replacements", "smartquotes", "table", "strikethrough"])
    md.use(footnote_plugin)
    md.core.ruler.push("keep_units_together", _keep_units_together)
    _language_rules(md, lang)
    # Keep every link as parsed; the renderer decides which ones stay live. With
    # markdown-it's own filter a `javascript:` link would vanish from the text.
    md.validateLink = lambda url: True
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("link_close", _render_link_close)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("footnote_anchor", lambda *args: "")  # no back-arrows on paper
    md.add_render_rule("footnote_anchor_name", _footnote_name)
    return md


def _footnote_name(self, tokens, idx, options, env) -> str:
    """`fn_<article>_<n>`: with underscores, which no article id (a slug) has, a
    footnote's anchor can never take the name of an article titled "Fn a 1"."""
    return f"_{env['docId']}_{tokens[idx].meta['id'] + 1}"


def _render_link_open(self, tokens: list[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    href = token.attrGet("href") or ""
    ltr = ' dir="ltr"' if token.attrGet("dir") == "ltr" else ""
    if is_live_link(href):
        env.setdefault("_closing", []).append("</a>")
        return f'<a href="{_escape(href.strip())}"{ltr}>'
    env.setdefault("_closing", []).append("</span>" if ltr else "")
    return f"<span{ltr}>" if ltr else ""


def _render_link_close(self, tokens: list[Token], idx: int, options, env) -> str:
    return env.get("_closing", ["</a>"]).pop()


def _render_image(self, tokens: list[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    resolve: Callable[[str], str | None] = env.get("resolve_image", lambda src: None)
    url = resolve(token.attrGet("src") or "")
    if url is None:
        return _escape(alt)
    return f'<img src="{_escape(url)}" alt="{_escape(alt)}">'


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


@dataclass(frozen=True)
class ImageRef:
    """An image named inside a Markdown text, with its line within that text (0-based)."""

    src: str
    line: int
    col: int  # 0-based offset of the reference in its line
    alt: str = ""  # what a screen reader says for it


def image_refs(text: str, lang: str = "en") -> list[ImageRef]:
    """Every image a Markdown text names, so validation can check each path."""
    refs = []
    lines = text.splitlines()
    for block in parser(lang).parse(text):
        first, last = block.map if block.map else (0, 0)
        for token in block.children or ():
            for node in [token, *(token.children or ())]:
                if node.type == "image":
                    src = node.attrGet("src") or ""
                    ref = _locate(src, lines, first, max(last, first + 1))
                    refs.append(replace(ref, alt=node.content.strip()))
    return refs


def _locate(src: str, lines: list[str], first: int, last: int) -> ImageRef:
    for number in range(first, min(last, len(lines))):
        col = lines[number].find(f"]({src}")
        if col >= 0:
            return ImageRef(src, number, col + 2)
    return ImageRef(src, first, 0)


def count_blocks(text: str, lang: str = "en") -> int:
    """How many top-level blocks (paragraphs, lists, tables...) a Markdown text has."""
    tokens = parser(lang).parse(text)
    return sum(
        1 for t in tokens if t.level == 0 and t.nesting >= 0 and not t.type.startswith("footnote")
    )


def render_blocks(
    text: str, lang: str, doc_id: str, resolve_image: Callable[[str], str | None]
) -> list[str]:
    """Render a Markdown text to HTML, one string per top-level block.

    The layout places a photo or a pull quote between blocks, so it needs them
    apart. Footnotes get ids prefixed by `doc_id`, unique across the issue.
    """
    md = parser(lang)
    env = {"docId": doc_id, "resolve_image": resolve_image}
    tokens = md.parse(text, env)
    blocks: list[str] = []
    start = 0
    for i, token in enumerate(tokens):
        if token.level == 0 and token.nesting <= 0:
            if token.type.startswith("footnote_block"):
                continue
            chunk = tokens[start : i + 1]
            if chunk and chunk[0].type == "footnote_block_open":
                continue
            blocks.append(md.renderer.render(chunk, md.options, env))
            start = i + 1
    if start < len(tokens):
        blocks.append(md.renderer.render(tokens[start:], md.options, env))
    return [b for b in blocks if b.strip()]


@lru_cache(maxsize=16)
def typographer(lang: str) -> MarkdownIt:
    """Quotes, dashes and no-break spaces only: titles and captions are text, not Markdown,
    so an asterisk in a headline stays an asterisk."""
    quotes = quotes_for(lang)
    md = MarkdownIt("zero", {"html": False, "typographer": True, "quotes": quotes})
    md.enable(["replacements", "smartquotes"])
    md.core.ruler.push("keep_units_together", _keep_units_together)
    _language_rules(md, lang)
    return md


def _right_to_left(lang: str) -> bool:
    return right_to_left(lang)


def render_inline(text: str, lang: str) -> str:
    """A one-line text (title, caption, pull quote) with typographic quotes, HTML-escaped."""
    return typographer(lang).renderInline(text)
