"""Reading rendered HTML back with the standard library's parser, for the properties.

Independent of markdown-it and Jinja: what a browser-like tokenizer sees in
the output (its elements, attributes and text) is what the properties judge.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

# Everything markdown-it (CommonMark, tables, strikethrough, footnotes) emits,
# plus what the story template wraps around a body's first paragraph.
MARKDOWN_TAGS = {
    "p", "em", "strong", "a", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "code", "hr", "br", "table", "thead", "tbody", "tr", "th", "td",
    "s", "img", "sup", "section", "span",
}  # fmt: skip
MARKDOWN_ATTRIBUTES = {"href", "src", "alt", "id", "class", "start", "style", "dir"}
# The lead's drop cap (render.py): an empty span that repeats its opening
# letter, after any opening quotation marks, for the theme to draw.
DROP_CAP_LETTER = re.compile(r"[\"'“‘«„(]*\w")
ALIGN_STYLE = re.compile(r"text-align:(left|right|center)")
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
DANGEROUS_MARKUP = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|link|svg|math|form|base|meta)\b", re.I
)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    ancestors: tuple[Element, ...]
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def within(self, tag: str, css_class: str) -> bool:
        return any(a.tag == tag and css_class in a.classes for a in self.ancestors)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, tuple(self.open))
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(tag, {k: v or "" for k, v in attrs}, tuple(self.open)))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                return

    def handle_data(self, data):
        self.text.append(data)
        for element in self.open:
            element.parts.append(data)


@dataclass(frozen=True)
class Facts:
    elements: list[Element]
    text: str  # the document's text content, entities decoded

    def by_id(self, ident: str) -> list[Element]:
        return [e for e in self.elements if e.attrs.get("id") == ident]

    @property
    def ids(self) -> list[str]:
        return [e.attrs["id"] for e in self.elements if "id" in e.attrs]


def read(html: str) -> Facts:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return Facts(reader.elements, "".join(reader.text))


def url_problem(tag: str, name: str, value: str, root_uri: str | None = None) -> str | None:
    """Why an href/src value is unsafe in a body, or None: only http, https and
    mailto are live, `#fragment` and relative paths are inert, and a picture's
    src may only be a file: URL inside the project."""
    # Browsers drop ASCII whitespace and controls before reading a scheme.
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", value)
    match = SCHEME.match(cleaned)
    scheme = match.group(1).lower() if match else None
    if tag == "img" and name == "src":
        if scheme == "file" and root_uri is not None and cleaned.startswith(root_uri):
            return None
        return f"picture source {value!r} is not a file inside the project"
    if scheme in (None, "http", "https", "mailto"):
        if cleaned.startswith("//"):
            return f"{value!r} is a network-path reference"
        return None
    return f"{name}={value!r} has the scheme {scheme!r}"


def markup_problems(element: Element, root_uri: str | None = None) -> list[str]:
    """What is wrong with one element of a rendered Markdown body, if anything."""
    problems = []
    if element.tag not in MARKDOWN_TAGS:
        problems.append(f"<{element.tag}> is not a tag Markdown makes")
    for name, value in element.attrs.items():
        if name.startswith("on"):
            problems.append(f"event attribute {name}={value!r} on <{element.tag}>")
        elif element.tag == "span" and element.attrs.get("class") == "dropcap":
            if name == "data-letter" and not DROP_CAP_LETTER.fullmatch(value):
                problems.append(f"data-letter={value!r} is not an opening letter")
            elif name == "aria-hidden" and value != "true":
                problems.append(f"aria-hidden={value!r} on the drop cap")
            elif name not in ("class", "data-letter", "aria-hidden"):
                problems.append(f"attribute {name}={value!r} on the drop cap")
        elif name not in MARKDOWN_ATTRIBUTES:
            problems.append(f"attribute {name}={value!r} on <{element.tag}>")
        elif name == "dir" and not (element.tag in ("a", "span") and value == "ltr"):
            problems.append(f"dir={value!r} on <{element.tag}>")
        elif name == "style" and not (element.tag in ("th", "td") and ALIGN_STYLE.fullmatch(value)):
            problems.append(f"style={value!r} on <{element.tag}>")
        elif name in ("href", "src"):
            why = url_problem(element.tag, name, value, root_uri)
            if why:
                problems.append(why)
    return problems


# -- comparing text modulo typography ----------------------------------------------

_QUOTE_MARKS = str.maketrans(dict.fromkeys("\"'“”‘’«»„‚‹›", "'"))
_SYMBOLS = {"©": "(c)", "®": "(r)", "™": "(tm)", "±": "+-"}


def fold(text: str) -> str:
    """Text with what the typographer may change folded away, on either side:
    quotes of every kind are one mark, every space (the no-break ones the
    typographer inserts and the French quotes' too) is gone, runs of dots,
    dashes, commas and ?/! are one character, and ©®™± read as (c) (r) (tm) +-.
    Lossy on purpose: it is for "this title arrived", not for equality of form."""
    text = unicodedata.normalize("NFC", text).casefold()
    for symbol, spelled in _SYMBOLS.items():
        text = text.replace(symbol, spelled)
    text = "".join(text.split()).translate(_QUOTE_MARKS)
    text = text.replace("…", ".").replace("–", "-").replace("—", "-").replace("!", "?")
    return re.sub(r"([.\-,?])\1+", r"\1", text)
