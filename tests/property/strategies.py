"""Hypothesis strategies for issue files, and the settings profiles of tests/property.

Profiles: "ci" (the default) runs the small example counts each test names and
is derandomized, so a CI run is repeatable and stays within its time; "fuzz"
(`BROADSHEET_FUZZ=1`) runs twenty times as many examples with a fresh seed on
every run, to look for new failures. Neither keeps an example database, and
Hypothesis's caches go to the system's temporary folder, so the suite writes
nothing in the working tree; a failure found once is kept as an explicit
`@example` in its test.

The issue strategies build Python data that satisfies schema.py and turn it
into real YAML text with `yaml.safe_dump`, so the loader reads what an editor
could have written. Text comes from the scripts the bundled fonts cover
(Latin, Arabic, Hebrew), with digits, punctuation, typographic quotes, `<` and
`&`; a character no font has would only cost a warning, but would make the
whole-build test depend on the machine's fonts.
"""

from __future__ import annotations

import datetime as dt
import os
import string
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis keeps caches (Unicode tables, constants) in ./.hypothesis even with
# no example database; keep them out of the working tree unless told where.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "broadsheet-hypothesis")

FUZZ = os.environ.get("BROADSHEET_FUZZ", "") not in ("", "0")
PROFILE = "fuzz" if FUZZ else "ci"
SCALE = 20 if FUZZ else 1
SUPPRESSED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

settings.register_profile(
    "ci",
    max_examples=100,  # for a test that names no count; each test here names its own
    deadline=None,
    database=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=SUPPRESSED,
)
settings.register_profile(
    "fuzz",
    max_examples=100 * SCALE,
    deadline=None,
    database=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=SUPPRESSED,
)
settings.load_profile(PROFILE)


def examples(count: int) -> int:
    """A test's example count in the active profile: as given in "ci", 20x in "fuzz"."""
    return count * SCALE


# -- characters ---------------------------------------------------------------

LATIN = (
    string.ascii_letters
    + "àáâäãåæçèéêëìíîïðñòóôöõøùúûüýþÿßÀÁÂÄÇÈÉÊËÌÍÎÏÑÒÓÔÖØÙÚÛÜÝ"
    + "ŁłŒœŠšŽžŸĞğİıŐőŰűčćďěňřťůźżąęśńĆČĎĚŇŘŤŮŹŻĄĘŚŃ"
)
ARABIC = "".join(map(chr, range(0x0621, 0x063B))) + "".join(map(chr, range(0x0641, 0x064B)))
HEBREW = "".join(map(chr, range(0x05D0, 0x05EB)))
DIGITS = string.digits
QUOTES = "\"'“”‘’«»„"
# Punctuation that is only text in a title, caption or byline (never Markdown there).
PUNCTUATION = ".,;:!?()-/&<>@#%+=*_[]…–—"
TEXT_ALPHABET = LATIN + ARABIC + HEBREW + DIGITS + QUOTES + PUNCTUATION + " "
# Inside Markdown bodies, words avoid the characters that open Markdown syntax
# (`[`, `]`, `(`, `)`, `!`, `*`, `_`, backquote, `\`, `|`, `~`, `#`, `>`), so
# the structure a strategy builds is the structure the parser sees; `<` and
# `&` stay in, to be escaped or read as entities.
WORD_ALPHABET = LATIN + ARABIC + HEBREW + DIGITS + "\"'“”‘’«».,;:?-/&<@%+="

LANGS = ["en", "en-US", "de", "fr", "nl", "pt-BR", "es", "it", "he", "ar", "fa"]

# -- small values ---------------------------------------------------------------


# Texts that YAML 1.1 would read as something else (a boolean, null, a number,
# a date, an alias...) unless quoted: the loader must keep each as the words.
YAML_LOOKALIKES = [
    "yes", "No", "off", "null", "~", "1.10", "012345", "0x1F", "1e3", ".inf", "2026-01-05",
    "-", "?", "&a", "*a", "!x", "#", "@", "%", "|", ">", "'", '"', "- a", "a: b",
]  # fmt: skip


def one_line(max_size: int = 50) -> st.SearchStrategy[str]:
    """A title-like text: at least one visible character, no surrounding space."""
    text = (
        st.text(alphabet=TEXT_ALPHABET, min_size=1, max_size=max_size)
        .map(lambda s: " ".join(s.split()))
        .filter(bool)
    )
    return st.one_of(text, text, text, st.sampled_from(YAML_LOOKALIKES))  # 1 in 4 a lookalike


def words(max_words: int = 8) -> st.SearchStrategy[str]:
    word = st.text(alphabet=WORD_ALPHABET, min_size=1, max_size=12)
    return st.lists(word, min_size=1, max_size=max_words).map(" ".join)


def dates() -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))


# Built from st.text rather than st.from_regex, which is several times slower to draw.
_LOWER = string.ascii_lowercase + string.digits
_LABEL = st.text(alphabet=_LOWER, min_size=1, max_size=8)
_SEGMENT = st.text(alphabet=string.ascii_letters + string.digits + "._~-", min_size=1, max_size=10)


@st.composite
def https_urls(draw) -> str:
    host = ".".join(draw(st.lists(_LABEL, min_size=1, max_size=2)))
    tld = draw(st.sampled_from(["example", "org", "com", "co.uk"]))
    path = draw(st.lists(_SEGMENT, max_size=3))
    query = draw(st.sampled_from(["", "?a=1", "?q=x&y=2"]))
    return f"https://{host}.{tld}" + "".join(f"/{p}" for p in path) + query


@st.composite
def emails(draw) -> str:
    local = draw(st.text(alphabet=_LOWER + ".+-", max_size=8))
    return f"x{local}x@{draw(_LABEL)}.example"


# Explicit ids: ordinary slugs, and names that other parts of the page use too
# (footnote anchors are "fn-<article id>-<n>" and "fnref-<article id>-<n>").
IDS = st.one_of(
    st.lists(_LABEL, min_size=1, max_size=3).map("-".join),
    st.sampled_from(["news", "a", "b", "item-1", "item-2", "fn-a-1", "fnref-a-1", "fn-news-1"]),
)

# -- Markdown -----------------------------------------------------------------


@st.composite
def inline(draw) -> str:
    """One paragraph's worth of inline Markdown: words, emphasis, links, code."""
    pieces = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["words", "words", "em", "strong", "link", "code", "del"]))
        text = draw(words(4))
        if kind == "em":
            text = f"*{text}*"
        elif kind == "strong":
            text = f"**{text}**"
        elif kind == "link":
            text = f"[{text}]({draw(https_urls())})"
        elif kind == "code":
            text = f"`{text}`"
        elif kind == "del":
            text = f"~~{text}~~"
        pieces.append(text)
    return " ".join(pieces)


@st.composite
def markdown_bodies(draw, max_blocks: int = 5) -> str:
    """A Markdown body: paragraphs, headings, lists, quotes, code, tables, footnotes."""
    blocks = []
    notes = []
    for _ in range(draw(st.integers(1, max_blocks))):
        kind = draw(
            st.sampled_from(
                ["p", "p", "p", "heading", "ul", "ol", "quote", "code", "table", "hr", "note"]
            )
        )
        if kind == "heading":
            blocks.append("#" * draw(st.integers(1, 6)) + " " + draw(words(5)))
        elif kind in ("ul", "ol"):
            items = draw(st.lists(inline(), min_size=1, max_size=4))
            marks = ["-"] * len(items) if kind == "ul" else [f"{n}." for n in range(1, 9)]
            blocks.append("\n".join(f"{m} {item}" for m, item in zip(marks, items, strict=False)))
        elif kind == "quote":
            blocks.append("> " + draw(inline()))
        elif kind == "code":
            blocks.append("```\n" + draw(words(6)) + "\n```")
        elif kind == "table":
            cells = draw(st.lists(words(2), min_size=4, max_size=4))
            blocks.append(f"| {cells[0]} | {cells[1]} |\n|---|--:|\n| {cells[2]} | {cells[3]} |")
        elif kind == "hr":
            blocks.append("***")
        elif kind == "note":
            label = f"n{len(notes) + 1}"
            blocks.append(draw(inline()) + f"[^{label}]")
            notes.append(f"[^{label}]: " + draw(words(5)))
        else:
            blocks.append(draw(inline()))
    if blocks[0] == "***":  # a body of rules alone is allowed, but say something first
        blocks.insert(0, draw(inline()))
    return "\n\n".join([*blocks, *notes])


# -- whole issues ---------------------------------------------------------------


def _maybe(draw, doc: dict, key: str, strategy: st.SearchStrategy) -> None:
    if draw(st.booleans()):
        doc[key] = draw(strategy)


@st.composite
def articles(draw, max_blocks: int = 5) -> dict:
    article = {"title": draw(one_line())}
    _maybe(draw, article, "subtitle", one_line(80))
    _maybe(draw, article, "date", dates())
    _maybe(draw, article, "author", one_line(30))
    article["body"] = draw(markdown_bodies(max_blocks))
    _maybe(draw, article, "pullquote", one_line(60))
    _maybe(draw, article, "link", https_urls())
    _maybe(draw, article, "toc", st.booleans())
    return article


@st.composite
def boxes(draw) -> dict:
    box = {"title": draw(one_line(30))}
    _maybe(draw, box, "body", markdown_bodies(2))
    _maybe(draw, box, "contact", st.booleans())
    _maybe(draw, box, "toc", st.booleans())
    return box


@st.composite
def contacts(draw) -> dict:
    contact: dict = {}
    _maybe(draw, contact, "address", st.lists(one_line(30), min_size=1, max_size=3).map("\n".join))
    _maybe(draw, contact, "email", emails())
    _maybe(draw, contact, "website", https_urls())
    phone = st.builds(str.__add__, st.sampled_from(DIGITS), st.text(DIGITS + " +()-", max_size=14))
    _maybe(draw, contact, "phone", phone)
    return contact or {"email": draw(emails())}


@st.composite
def issues(draw, min_articles: int = 1, max_articles: int = 12, max_blocks: int = 5) -> dict:
    """A valid issue file as Python data (see `to_yaml`), with every optional key sometimes."""
    doc: dict = {"name": draw(one_line(40))}
    _maybe(draw, doc, "tagline", one_line(60))
    if draw(st.booleans()):
        doc["lang"] = draw(
            st.one_of(
                st.sampled_from(LANGS),
                st.builds(
                    lambda a, b: "-".join([a, *b]),
                    st.text(alphabet=string.ascii_letters, min_size=2, max_size=3),
                    st.lists(st.text(alphabet=_LOWER, min_size=1, max_size=8), max_size=2),
                ),
            )
        )
    _maybe(draw, doc, "theme", st.sampled_from(["classic", "modern", "bulletin"]))
    _maybe(draw, doc, "page_size", st.sampled_from(["A4", "Letter", "A5", "a4", "letter", "a5"]))
    _maybe(draw, doc, "toc_title", one_line(30))
    _maybe(draw, doc, "contact", contacts())
    if draw(st.booleans()):
        doc["labels"] = draw(
            st.dictionaries(
                st.sampled_from(["by", "read_more", "toc_title", "number", "volume", "page"]),
                st.one_of(one_line(20), st.just("p. {page}/{pages}")),
                min_size=1,
            )
        )
    issue: dict = {"number": draw(st.integers(1, 10**6)), "date": draw(dates())}
    _maybe(draw, issue, "volume", st.integers(1, 1000))
    _maybe(draw, issue, "title", one_line(40))
    doc["issue"] = issue
    doc["articles"] = draw(
        st.lists(articles(max_blocks), min_size=min_articles, max_size=max_articles)
    )
    if draw(st.booleans()):
        doc["boxes"] = draw(st.lists(boxes(), min_size=0, max_size=3))
    items = [*doc["articles"], *doc.get("boxes", [])]
    ids = draw(st.lists(IDS, min_size=len(items), max_size=len(items), unique=True))
    for item, chosen in zip(items, ids, strict=True):
        if draw(st.integers(0, 3)) == 0:
            item["id"] = chosen
    return doc


def to_yaml(doc: dict) -> str:
    """The issue as YAML an editor could have written (PyYAML's own quoting)."""
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def write_issue(root: Path, text: str | bytes, name: str = "x.yaml") -> Path:
    """Write an issue file into `root`/issues and return its absolute path."""
    path = root / "issues" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path.resolve()


# -- hostile input ----------------------------------------------------------------

# Pieces of YAML syntax and of things YAML treats specially, for texts that are
# almost, but not quite, issue files.
YAML_FRAGMENTS = [
    "name: ",
    "issue:",
    "articles:",
    "  - title: ",
    "    body: ",
    "number: 1",
    "date: 2026-01-31",
    "key: value",
    "- ",
    ": ",
    "? ",
    "&a ",
    "*a",
    "<<: *a",
    "!!python/object/apply:os.system ['true']",
    "!!python/name:os.system",
    "!!binary aGk=",
    "!!set",
    "!!omap",
    "!!str ",
    "!!int ",
    "!local ",
    "%YAML 1.1\n---\n",
    "%TAG ! tag:x,2000:\n",
    "---\n",
    "...\n",
    "{",
    "}",
    "[",
    "]",
    ",",
    "|\n",
    ">-\n",
    "'",
    '"',
    '"\\0"',
    '"\\x00"',
    '"\\uD800"',
    "#",
    "\t",
    "\ufeff",
    "\r\n",
    "\r",
    "\n",
    "\n  ",
    "    ",
    "\x00",
    "\x85",
    "\u2028",
    "\x1b",
    "~",
    "null",
    "yes",
    "0x1F",
    "1e400",
    "2026-02-30",
    "=",
    "@",
    "`",
]

# Values that have broken parsers before: empty, NUL, paths that leave the
# folder, other schemes, Python's 4300-digit limit for int(), huge floats.
NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "images/a\x00.png",
    "../../etc/passwd",
    "/etc/passwd",
    "~/photo.png",
    "C:\\photo.png",
    "\\\\server\\share",
    "file:///etc/passwd",
    "https://",
    "https://example.org/x",
    "javascript:alert(1)",
    "mailto:a@b.example",
    "x" * 5000,
    "9" * 4301,
    "0",
    "-1",
    "1.5",
    "1e400",
    "9" * 400,
    "yes",
    "null",
    "2026-02-30",
    "0000-01-01",
    "2026-1-1",
    "１２",
    "٣",
    "<script>alert(1)</script>",
    "{page}{pages}{",
    "'\"\\",
]

# Every key name the format knows, and some it does not.
SCHEMA_KEYS = [
    "name", "tagline", "logo", "lang", "theme", "page_size", "toc_title", "pages",
    "page_multiple", "size_budget_mb", "labels", "contact", "mail", "boxes", "issue",
    "articles", "order", "number", "volume", "date", "title", "id", "subtitle", "author",
    "body", "pullquote", "image", "link", "toc", "jump_after", "src", "alt", "caption",
    "credit", "focus", "address",
    "email", "website", "phone", "from", "from_name", "reply_to", "subject", "smtp",
    "unsubscribe", "max_message_mb", "dkim", "web_base", "attach", "host", "port", "security",
    "selector", "key", "relay", "connections", "per_domain", "rate",
    "domain", "contact", "byline", "headline", "read_more", "page", "by", "",
]  # fmt: skip

_SCALAR_JUNK = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=20),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    dates(),
)
JUNK = st.recursive(
    _SCALAR_JUNK,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(SCHEMA_KEYS), children, max_size=4),
    ),
    max_leaves=8,
)


@st.composite
def near_valid_issues(draw) -> str:
    """A valid issue with a few keys, anywhere in it, set to values of any shape."""
    doc = draw(issues(max_articles=3, max_blocks=2))
    targets = [doc, doc["issue"], *doc["articles"], *doc.get("boxes", [])]
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(targets))
        target[draw(st.sampled_from(SCHEMA_KEYS))] = draw(JUNK)
    return to_yaml(doc)


@st.composite
def mutated_issues(draw) -> str:
    """A valid issue's YAML with YAML fragments inserted and characters cut out."""
    text = to_yaml(draw(issues(max_articles=3, max_blocks=2)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(st.sampled_from(YAML_FRAGMENTS)) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 5)) :]
    return text


def yaml_soup() -> st.SearchStrategy[str]:
    """Text made of YAML-ish fragments and stray characters."""
    piece = st.one_of(st.sampled_from(YAML_FRAGMENTS), st.text(max_size=4))
    return st.lists(piece, max_size=40).map("".join)


def any_issue_text() -> st.SearchStrategy[str | bytes]:
    """What an editor's file could contain, from nonsense to almost right."""
    return st.one_of(
        st.text(max_size=200),
        st.binary(max_size=200),
        yaml_soup(),
        mutated_issues(),
        near_valid_issues(),
    )


MARKDOWN_FRAGMENTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/a.js></SCRIPT>",
    "<iframe src=https://x.example></iframe>",
    "<object data=x></object>",
    "<embed src=x>",
    "<style>body{color:red}</style>",
    '<link rel="attachment" href="/etc/passwd">',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<div onclick='x'>",
    "<!-- c -->",
    "<![CDATA[x]]>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](vbscript:x)",
    "[x](data:text/html,<script>x</script>)",
    "[x](file:///etc/passwd)",
    "[x](//evil.example/x)",
    '[x](https://a.example/x "t")',
    "[x](mailto:a@b.example)",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<https://a.example/x>",
    "<a@b.example>",
    "https://bare.example",
    "![x](javascript:alert(1))",
    "![x](https://a.example/p.png)",
    "![](a.png)",
    "`<script>`",
    "```html\n<script>x</script>\n```",
    "    <script>indented</script>",
    "&lt;script&gt;",
    "&#60;script&#62;",
    "&amp;",
    "&#0;",
    "\\<script>",
    "*",
    "**",
    "_",
    "~~",
    "[",
    "](",
    ")",
    "[^1]",
    "[^1]: note",
    "| a | b |\n|---|---|\n| c | d |",
    "# ",
    "- ",
    "1. ",
    "> ",
    "***",
    "\n",
    "\n\n",
    "\t",
    "\r\n",
    "\x00",
    "\u2028",
    " onmouseover=alert(1) ",
]


def markdown_soup() -> st.SearchStrategy[str]:
    """Markdown with hostile HTML, odd links and stray syntax among ordinary text."""
    piece = st.one_of(
        st.sampled_from(MARKDOWN_FRAGMENTS),
        st.text(max_size=8),
        words(3),
    )
    return st.lists(piece, min_size=1, max_size=25).map("".join)
