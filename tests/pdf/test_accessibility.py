"""A PDF a screen reader can read: tagged, in the issue's language, titled,
every photo described, headings in reading order, and the running heads and
footers set aside as artifacts so "Page 2 of 4" is not read inside a story.

The tags are read back with pypdf alone: the structure tree for the
elements, and the page content (with its marked-content operators) for the
text each element holds.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from broadsheet.content.load import load
from broadsheet.content.validate import validate
from broadsheet.html.render import Fitting, render
from broadsheet.theme import Theme
from conftest import REPO
from pdfcheck import plain

HEADINGS = {f"/H{n}" for n in range(1, 7)}


class Tags:
    """The structure tree of a PDF and the text under each marked-content id."""

    def __init__(self, reader: PdfReader):
        self.reader = reader
        self.root = reader.trailer["/Root"]
        self.pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
        self.text: dict[tuple[int, int], str] = {}  # (page, MCID) -> text
        self.artifacts: list[list[str]] = []  # per page, the text marked as artifact
        self.untagged: list[list[str]] = []  # per page, text in no marked content at all
        for number, page in enumerate(reader.pages):
            self._read_page(number, page)

    def _read_page(self, number, page) -> None:
        stack: list[tuple[str, int | None]] = []
        artifacts: list[str] = []
        untagged: list[str] = []

        def before(operator, operands, cm, tm) -> None:
            if operator in (b"BDC", b"BMC"):
                properties = operands[1] if operator == b"BDC" else None
                mcid = properties.get("/MCID") if hasattr(properties, "get") else None
                stack.append((str(operands[0]), mcid))
            elif operator == b"EMC" and stack:
                stack.pop()

        def text(content, cm, tm, font, size) -> None:
            if not content.strip():
                return
            if any(tag == "/Artifact" for tag, _ in stack):
                artifacts.append(content)
                return
            mcids = [mcid for _, mcid in stack if mcid is not None]
            if not mcids:
                untagged.append(content)
                return
            key = (number, mcids[-1])
            self.text[key] = self.text.get(key, "") + content

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        self.artifacts.append(artifacts)
        self.untagged.append(untagged)

    def elements(self):
        """Every structure element, depth first in document order, with its page."""
        tree = self.root["/StructTreeRoot"].get_object()
        pending = [(tree, None)]
        while pending:
            element, page = pending.pop()
            if "/Pg" in element:
                page = self.pages[element.raw_get("/Pg").idnum]
            yield element, page
            kids = element.get("/K")
            kids = list(kids) if isinstance(kids, list) else [kids]
            children = [kid.get_object() for kid in kids if hasattr(kid, "get_object")]
            pending.extend(
                (child, page)
                for child in reversed(children)
                if hasattr(child, "get") and child.get("/Type") != "/MCR"
            )

    def text_of(self, element, page) -> str:
        """The text of an element and everything under it."""
        parts = []
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int):
                parts.append(self.text.get((page, kid), ""))
            elif hasattr(kid, "get_object"):
                child = kid.get_object()
                child_page = self.pages[child.raw_get("/Pg").idnum] if "/Pg" in child else page
                if child.get("/Type") == "/MCR":
                    parts.append(self.text.get((child_page, child["/MCID"]), ""))
                else:
                    parts.append(self.text_of(child, child_page))
        return " ".join(parts)


@pytest.fixture(scope="module")
def tags(sample_pdf) -> Tags:
    return Tags(PdfReader(sample_pdf))


@pytest.fixture(scope="module")
def sample_issue():
    return validate(load(REPO / "issues" / "2026-10.yaml"), REPO)


def test_the_pdf_is_tagged_in_its_language_and_shows_its_title(tags, sample_issue):
    root = tags.root
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == sample_issue.lang
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert tags.reader.metadata.title.startswith(sample_issue.name)


def test_every_photo_is_a_figure_described_by_its_alt_text_else_its_caption(tags, sample_issue):
    figures = [element for element, _ in tags.elements() if element.get("/S") == "/Figure"]
    photos = [article.image for article in sample_issue.articles if article.image]
    assert len(photos) == 3
    assert [str(figure["/Alt"]) for figure in figures] == [p.alt or p.caption for p in photos]
    # The sample describes one photo with `alt` and the others by their captions.
    assert photos[0].alt and not photos[1].alt


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[list] = []
        self.level = 0

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.level = int(tag[1])
            self.found.append([f"H{self.level}", ""])

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag):
            self.level = 0

    def handle_data(self, data):
        if self.level:
            self.found[-1][1] += data


def test_headings_are_tagged_in_reading_order_with_their_text(tags, sample_issue):
    """The PDF's headings are the HTML's, level and words, in the same order."""
    rendered = render(sample_issue, Theme(sample_issue.theme, REPO), Fitting(), lambda p: p)
    parser = _Headings()
    parser.feed(rendered.html)
    in_html = [(level, plain(text)) for level, text in parser.found]
    in_pdf = [
        (str(element["/S"]).lstrip("/"), plain(tags.text_of(element, page)))
        for element, page in tags.elements()
        if element.get("/S") in HEADINGS
    ]
    assert in_pdf == in_html
    titles = [plain(item.title) for item in (*sample_issue.articles, *sample_issue.boxes)]
    assert [text for level, text in in_pdf if text in titles] == titles


def test_running_heads_and_footers_are_artifacts_and_nothing_else_is(tags):
    for number, artifacts in enumerate(tags.artifacts):
        shown = plain(" ".join(artifacts))
        assert f"page {number + 1} of 4" in shown
        if number > 0:  # the running head starts on page 2
            assert "the lantern" in shown
        assert len(shown) < 200, "story text marked as an artifact"
    assert tags.untagged == [[], [], [], []], "text neither tagged nor an artifact"


def test_every_tagged_text_has_its_element_in_the_parent_tree(tags):
    """What a reader looks up from the page to the tree: no dangling or empty entry."""
    parent_tree = tags.root["/StructTreeRoot"]["/ParentTree"].get_object()
    numbers = parent_tree["/Nums"]
    parents = {numbers[i]: numbers[i + 1].get_object() for i in range(0, len(numbers), 2)}
    for number, page in enumerate(tags.reader.pages):
        owners = parents[page["/StructParents"]]
        used = sorted(mcid for page_number, mcid in tags.text if page_number == number)
        assert used, f"page {number + 1} has no tagged text"
        for mcid in used:
            owner = owners[mcid].get_object()
            assert owner.get("/Type") == "/StructElem", (number, mcid)


# -- alt text from the YAML -----------------------------------------------------------------

ISSUE_WITH_PHOTOS = """\
name: The Alt Gazette
issue: {number: 1, date: 2026-01-31}
articles:
  - title: Described
    image: {src: images/coffee.png, alt: A cup of coffee on a saucer.}
    body: Words.
  - title: Captioned
    image: {src: images/coffee.png, caption: Coffee at five.}
    body: Words.
  - title: Undescribed
    image:
      src: images/coffee.png
    body: |
      A picture in the text too:

      ![](images/coffee.png)
"""


def test_a_photo_with_neither_alt_nor_caption_is_a_warning_at_its_line(project):
    project.photo("coffee.png")
    project.write("issues/alt.yaml", ISSUE_WITH_PHOTOS)
    run = project.run("build", "issues/alt.yaml")
    assert run.code == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if "no alt text" in line]
    assert warnings == [
        "issues/alt.yaml:12:7: warning: articles[2].image: no alt text: a screen reader can"
        ' only say "image"; describe the picture with `alt:` or `caption:`',
        "issues/alt.yaml:16:11: warning: articles[2].body (image 'images/coffee.png'): no alt"
        ' text: a screen reader can only say "image"; describe the picture with the words'
        " in ![...]",
    ]
    figures = [
        str(element.get("/Alt", ""))
        for element, _ in Tags(PdfReader(project.root / "build" / "alt.pdf")).elements()
        if element.get("/S") == "/Figure"
    ]
    assert figures[:2] == ["A cup of coffee on a saucer.", "Coffee at five."]


def test_strict_refuses_an_undescribed_photo(project):
    project.photo("coffee.png")
    project.write("issues/alt.yaml", ISSUE_WITH_PHOTOS)
    run = project.run("build", "--strict", "issues/alt.yaml")
    assert run.code == 1
    assert "issues/alt.yaml:12:7: error: articles[2].image: no alt text" in run.stderr
    assert not (project.root / "build" / "alt.pdf").exists()


def test_check_reports_the_missing_alt_text_too(project):
    project.photo("coffee.png")
    project.write("issues/alt.yaml", ISSUE_WITH_PHOTOS)
    run = project.run("check", "issues/alt.yaml")
    assert run.code == 0
    assert run.stderr.count(": warning: ") == 2  # check does no layout: alt text only
