"""Properties of stages 1-3 (load, validate, render) over generated input.

Every test here runs in-process without the engine: a few hundred examples
take seconds. The example counts are the "ci" profile's; `BROADSHEET_FUZZ=1`
runs twenty times as many (see strategies.py).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from pathlib import Path

import htmlfacts
import strategies
from hypothesis import example, given, settings
from hypothesis import strategies as st

from broadsheet.content import bodies
from broadsheet.content.check import check
from broadsheet.errors import ContentError
from broadsheet.html.render import render
from broadsheet.limits import alarm
from broadsheet.theme import Theme

SUPPRESSED = strategies.SUPPRESSED
SECONDS_PER_EXAMPLE = 10  # far above the few milliseconds one takes: only a hang trips it


class Hang(Exception):
    pass


def time_limit(seconds: int):
    """Fail an example that runs longer than `seconds` instead of hanging the suite."""
    return alarm(seconds, lambda: Hang(f"still running after {seconds} s"))


def yaml_line_breaks(text: str) -> int:
    """An upper bound on the line breaks YAML sees (it breaks at \\x85 and U+2028 too)."""
    return sum(text.count(c) for c in ("\n", "\r", "\x85", "\u2028", "\u2029"))


def assert_located(exc: ContentError, path: Path, text: str | bytes) -> None:
    """Every diagnostic names the file and a real place in it (or no place at all)."""
    assert exc.diagnostics, "a ContentError with nothing to say"
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    # libyaml reports an error at the end of input on the line after the last
    # (`{` alone: 2:1), as the loader's own tests expect (test_syntax_error_is_located).
    last_line = yaml_line_breaks(text) + 2
    for diagnostic in exc.diagnostics:
        span = diagnostic.span
        assert diagnostic.severity == "error", diagnostic
        if span is None:
            continue
        assert span.path == path, diagnostic
        assert span.line >= 1 and span.col >= 1, diagnostic
        assert span.line <= last_line, f"{diagnostic}: past the end of the file"
        str(diagnostic)  # formats without error


def check_or_content_error(root: Path, path: Path, text: str | bytes):
    """check() on a file: the Issue, or None after checking the ContentError."""
    try:
        with time_limit(SECONDS_PER_EXAMPLE):
            return check(path, root)
    except ContentError as exc:
        assert_located(exc, path, text)
        return None


# -- (a) a valid issue validates and renders ------------------------------------------


# Found by the property below (an explicit id "fn-a-1" beside an article whose
# id is "a" and whose body has a footnote); derived ids collide the same way:
# footnote anchors are "fn-<article id>-<n>", and no id is reserved for them.
FOOTNOTE_ID_CLASH = {
    "name": "G",
    "issue": {"number": 1, "date": dt.date(2026, 1, 31)},
    "articles": [
        {"title": "A", "body": "Text[^1].\n\n[^1]: A note."},
        {"title": "Fn a 1", "body": "Other."},
    ],
}


@settings(max_examples=strategies.examples(100), deadline=None, suppress_health_check=SUPPRESSED)
@example(doc=FOOTNOTE_ID_CLASH)
@given(doc=strategies.issues())
def test_any_valid_issue_validates_and_renders_every_title(doc):
    """Every issue the schema allows is accepted by `check`, keeps the values as
    written (YAML's own types never leak in: a title `yes` stays the word), and
    renders to HTML in which each article's headline carries its title, each
    contents entry links to an anchor that exists, and no id is used twice.
    Why: an editor who follows the format must always get an issue, and the
    contents links, bookmarks and jump lines all rely on unique, present ids."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = strategies.write_issue(root, strategies.to_yaml(doc))
        issue = check(path, root)
        html = render(issue, Theme(issue.theme, root)).html

    # The model holds what was generated.
    assert issue.name == doc["name"]
    assert issue.number == doc["issue"]["number"] and issue.date == doc["issue"]["date"]
    assert len(issue.articles) == len(doc["articles"])
    assert len(issue.boxes) == len(doc.get("boxes", []))
    for article, wanted in zip(issue.articles, doc["articles"], strict=True):
        assert article.title == wanted["title"]
        assert article.body.text == wanted["body"].strip()
        assert article.link == wanted.get("link")
        assert article.date == wanted.get("date")
        assert article.toc == wanted.get("toc", True)
        assert article.id == wanted.get("id", article.id)
    ids = [item.id for item in (*issue.articles, *issue.boxes)]
    assert len(set(ids)) == len(ids), ids

    facts = htmlfacts.read(html)
    counted = Counter(facts.ids)
    assert not [i for i, n in counted.items() if n > 1], f"ids used twice: {counted}"
    for element in facts.elements:
        href = element.attrs.get("href", "")
        if element.tag == "a" and href.startswith("#"):
            assert counted[href[1:]] == 1, f"a link to {href} that leads nowhere"

    (masthead,) = [e for e in facts.elements if e.tag == "h1" and "name" in e.classes]
    assert masthead.text == issue.name  # escaped exactly, not typeset
    for article in issue.articles:
        (headline,) = facts.by_id(article.id)
        assert headline.tag == "h2"
        assert htmlfacts.fold(headline.text) == htmlfacts.fold(article.title)
    contents = {
        e.attrs["href"][1:]: e.text
        for e in facts.elements
        if e.tag == "a" and e.within("nav", "toc")
    }
    listed = [item for item in (*issue.articles, *issue.boxes) if item.toc]
    assert list(contents) == [item.id for item in listed]
    for item in listed:
        assert htmlfacts.fold(contents[item.id]) == htmlfacts.fold(item.title)


# -- (b) any text given to the loader ---------------------------------------------


@settings(max_examples=strategies.examples(300), deadline=None, suppress_health_check=SUPPRESSED)
@given(text=strategies.any_issue_text())
def test_any_text_loads_or_is_a_located_content_error(text):
    """Whatever a file holds (nonsense, binary, YAML tags, aliases, tabs, a BOM,
    CR LF, NUL, an almost-valid issue with values of the wrong shape), `check`
    either returns an issue or raises ContentError whose every diagnostic points
    at a line and column that exist in that file; never another exception,
    never a hang. Why: the CLI turns any other exception into "internal error"
    (exit 3) with no line to fix, and a hang blocks `make` for good."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = strategies.write_issue(root, text)
        issue = check_or_content_error(root, path, text)
    if issue is not None:
        assert issue.articles, "an issue without articles was accepted"


# Found by the property above in the "fuzz" profile (shrunk to `0:\nlogo: "\0"`):
# a NUL in a path-valued key (`logo`, `image.src`, `dkim.key`) is written
# `"\0"` in YAML, and Python's path functions refuse it with ValueError, which
# nothing turns into a ContentError. Kept below, where it runs in every profile.
NUL_IN_LOGO = """\
name: G
logo: "images/a\\0.png"
issue: {number: 1, date: 2026-01-31}
articles: [{title: T, body: x}]
"""
# Found while choosing NASTY_TEXT for the test below: a whole number longer than
# 4,300 digits passes the [0-9]+ check, then int() raises ValueError (Python's
# limit on int() of a string since 3.11).
HUGE_NUMBER = f"""\
name: G
issue: {{number: {"9" * 4301}, date: 2026-01-31}}
articles: [{{title: T, body: x}}]
"""


@settings(max_examples=strategies.examples(60), deadline=None, suppress_health_check=SUPPRESSED)
@example(text=NUL_IN_LOGO)
@example(text=HUGE_NUMBER)
@given(text=strategies.near_valid_issues())
def test_values_of_any_shape_in_any_key_are_content_errors(text):
    """The same property, aimed: valid issues with a few keys (known, misspelt or
    unknown, at any level) set to values of any shape (nested lists and
    mappings, numbers, nulls, dates, NUL bytes, paths out of the project,
    4,301-digit numbers). Why: each checker in validate.py must turn a bad
    value into a located error, whatever the value is."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = strategies.write_issue(root, text)
        check_or_content_error(root, path, text)


# -- (c) any Markdown body ------------------------------------------------------------

ISSUE_AROUND_BODY = {
    "name": "The Test Gazette",
    "issue": {"number": 1, "date": dt.date(2026, 1, 31)},
}


def body_problems(html: str, root: Path) -> list[str]:
    """Everything inside the stories' and boxes' bodies that Markdown should not make."""
    root_uri = root.resolve().as_uri() + "/"
    problems = []
    for element in htmlfacts.read(html).elements:
        if element.within("div", "story-body") or element.within("div", "box-body"):
            problems += htmlfacts.markup_problems(element, root_uri)
    return problems


@settings(max_examples=strategies.examples(300), deadline=None, suppress_health_check=SUPPRESSED)
@given(
    body=st.one_of(strategies.markdown_soup(), st.text(max_size=300), strategies.markdown_bodies()),
    lang=st.sampled_from(["en", "fr", "he"]),
)
def test_any_markdown_body_renders_to_safe_html(body, lang):
    """Any text as an article body (and as a box body) is either refused with a
    located ContentError or rendered, and the rendered body holds only tags
    Markdown makes, no event attribute, no style but table alignment, and no
    link whose scheme is not http, https or mailto (a `#footnote` or relative
    reference is inert); raw HTML is shown as text. Why: bodies come from
    contributors, and the PDF is opened by readers whose viewers follow links;
    WeasyPrint would also obey a <link rel=attachment> or a <style>."""
    doc = {
        **ISSUE_AROUND_BODY,
        "lang": lang,
        "articles": [{"title": "Story", "body": body}, {"title": "Second", "body": body}],
        "boxes": [{"title": "Box", "body": body}],
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        text = strategies.to_yaml(doc)
        path = strategies.write_issue(root, text)
        issue = check_or_content_error(root, path, text)
        if issue is None:
            return
        with time_limit(SECONDS_PER_EXAMPLE):
            html = render(issue, Theme(issue.theme, root)).html
        assert body_problems(html, root) == []
    made = blocks_html(body.strip(), lang)  # the body's HTML alone, without the page around it
    assert not htmlfacts.DANGEROUS_MARKUP.search(made), made


# -- (d) rendering is deterministic, and escaping is stable ----------------------------


def tags_of(html: str) -> set[str]:
    return {element.tag for element in htmlfacts.read(html).elements}


def blocks_html(text: str, lang: str = "en") -> str:
    return "".join(bodies.render_blocks(text, lang, "story", lambda src: None))


@settings(max_examples=strategies.examples(200), deadline=None, suppress_health_check=SUPPRESSED)
@given(
    body=st.one_of(strategies.markdown_soup(), strategies.markdown_bodies(), st.text(max_size=200)),
    other=st.one_of(strategies.markdown_soup(), strategies.markdown_bodies()),
)
def test_markdown_rendering_is_deterministic_and_escaping_is_stable(body, other):
    """The same body renders to the same HTML every time, whatever was rendered
    in between (the parser is cached and shared: no state may carry over), and
    its output is a fixed point for safety: taking the text a reader sees
    (entities decoded, so an escaped `<script>` is back to `<script>`) and
    rendering that again as Markdown yields no tag outside the ones Markdown
    makes. Why: the same YAML must give the same PDF byte for byte, and text
    that was escaped once must never become markup when it is copied into
    another issue (a "best of" issue quoting last month's text)."""
    first = blocks_html(body)
    blocks_html(other)
    assert blocks_html(body) == first
    assert bodies.render_inline(body, "en") == bodies.render_inline(body, "en")

    seen = htmlfacts.read(first).text
    again = blocks_html(seen)
    assert tags_of(again) <= htmlfacts.MARKDOWN_TAGS, again
    problems = [p for e in htmlfacts.read(again).elements for p in htmlfacts.markup_problems(e)]
    assert problems == []
    assert not htmlfacts.DANGEROUS_MARKUP.search(again), again


@settings(max_examples=strategies.examples(200), deadline=None, suppress_health_check=SUPPRESSED)
@given(text=st.one_of(strategies.one_line(80), st.text(max_size=80)))
def test_titles_are_text_escaped_exactly_once(text):
    """A title (or caption, byline, pull quote) is text, never Markup: the HTML
    made for it has no element at all, and its text content is the title
    itself, up to the typographer's quotes and dashes. Rendering is stable
    under re-escaping: rendering the text content again gives the same HTML.
    Why: double escaping prints `&amp;amp;`; no escaping lets a headline
    inject markup into every page of the issue."""
    html = bodies.render_inline(text, "en")
    facts = htmlfacts.read(html)
    assert facts.elements == [], html
    assert htmlfacts.fold(facts.text) == htmlfacts.fold(text.replace("\x00", "\ufffd"))
    assert bodies.render_inline(facts.text, "en") == html
