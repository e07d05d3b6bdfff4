"""The print profile's QR codes, read back the way a reader's phone reads them:
each page rendered to pixels (PDFium) and every code decoded (zxing-cpp).

The codes decoded from a print PDF are exactly the stories' links, each on
the page of its story, in every theme and page size; the email and archive
PDFs carry none.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from pypdf.generic import DictionaryObject

from broadsheet.cli.main import main
from broadsheet.content.check import check
from conftest import REPO, build_sample
from pdfcheck import Built

SCAN_DPI = 150  # a phone's camera sees a printed page at least this finely
SAMPLES = ("2026-10", "2026-11", "fr/2026-12", "fa/2026-12")
STORY = """\
  - title: {title}
    link: {link}
    body: |
      {body}
"""
STORIES = range(1, 7)
PARAGRAPH = "Words of an ordinary story that runs to a few lines in its column. " * 6


def decoded(pdf: Path) -> list[tuple[int, str]]:
    """(page, text) of every QR code found on the rendered pages; pages count from 1."""
    found = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            image = document[index].render(scale=SCAN_DPI / 72).to_pil()
            for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
                found.append((index + 1, code.text))
    finally:
        document.close()
    return sorted(found)


def expected(pdf: Path, issue: Path, root: Path) -> dict[str, range]:
    """Each story's link, with the pages its code may stand on: from the page
    its story (or, for a jumped story, the rest of it) begins on to the next
    page a story begins on, since the code ends its story."""
    articles = check(issue, root).articles
    built = Built.open(pdf)
    pages = {name: page + 1 for name, page in built.destinations().items()}
    starts = [pages[article.id] for article in articles]
    out = {}
    for article in articles:
        if article.link:
            first = pages[article.continued_id if article.jump_after else article.id]
            last = min((s for s in starts if s > first), default=len(built.reader.pages))
            out[article.link] = range(first, last + 1)
    return out


def assert_codes_match_links(pdf: Path, issue: Path, root: Path) -> None:
    codes = decoded(pdf)
    wanted = expected(pdf, issue, root)
    assert sorted(text for _, text in codes) == sorted(wanted), codes
    for page, text in codes:
        assert page in wanted[text], f"{text} decoded on page {page}, story on {wanted[text]}"


def link(n: int) -> str:
    """Addresses of three lengths: the longer, the larger the code's symbol."""
    return f"https://gazette.example/{n}/{'long-path-segment/' * (n % 3)}?ref=print"


def linked_issue(root: Path, theme: str, page_size: str) -> Path:
    stories = "".join(
        STORY.format(
            title=f"Story number {n}",
            link=link(n),
            body=PARAGRAPH * (1 + n % 3),
        )
        for n in STORIES
    )
    issue = root / "issues" / "linked.yaml"
    issue.parent.mkdir(parents=True, exist_ok=True)
    (root / "issues" / "newsletter.yaml").write_text(
        f"name: The Linked Gazette\ntheme: {theme}\npage_size: {page_size}\n", encoding="utf-8"
    )
    issue.write_text(
        "issue: {number: 3, date: 2026-05-01}\narticles:\n" + stories, encoding="utf-8"
    )
    return issue


def build(issue: Path, root: Path, profile: str, capsys) -> Path:
    out = root / "build" / f"{issue.stem}-{profile}.pdf"
    arguments = ["build", str(issue), "-o", str(out), "--root", str(root), "--strict"]
    code = main([*arguments, "--profile", profile], environ={})
    stderr = capsys.readouterr().err
    assert code == 0, stderr
    return out


@pytest.mark.parametrize("page_size", ["A4", "Letter", "A5"])
@pytest.mark.parametrize("theme", ["classic", "modern", "bulletin"])
def test_every_link_scans_on_its_story_page(tmp_path, theme, page_size, capsys):
    """Strict: no fit finding, no overlap; every code decodes to its story's link."""
    issue = linked_issue(tmp_path, theme, page_size)
    pdf = build(issue, tmp_path, "print", capsys)
    assert_codes_match_links(pdf, issue, tmp_path)


@pytest.mark.parametrize("slug", SAMPLES)
def test_the_samples_print_their_links_as_codes(tmp_path, slug):
    pdf = build_sample(slug, tmp_path / "sample-print.pdf", "--profile", "print")
    assert_codes_match_links(pdf, REPO / "issues" / f"{slug}.yaml", REPO)


@pytest.mark.parametrize("profile", ["email", "archive"])
def test_only_print_gets_codes(tmp_path, profile, capsys):
    issue = linked_issue(tmp_path, "classic", "A4")
    pdf = build(issue, tmp_path, profile, capsys)
    assert decoded(pdf) == []


def test_the_code_is_a_figure_with_its_link_as_alt_text(tmp_path, capsys):
    """A screen reader hears where the code leads, as the line beside it says."""
    issue = linked_issue(tmp_path, "classic", "A4")
    reader = Built.open(build(issue, tmp_path, "print", capsys)).reader
    alts = set()
    pending = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while pending:
        element = pending.pop().get_object()
        if not isinstance(element, DictionaryObject):  # a marked-content number
            continue
        if element.get("/S") == "/Figure":
            alts.add(str(element.get("/Alt")))
        kids = element.get("/K")
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        pending += [kid for kid in kids if hasattr(kid, "get_object")]
    assert alts == {f"Read more: {link(n)}" for n in STORIES}


def test_the_codes_are_the_same_bytes_on_every_build(tmp_path, capsys):
    issue = linked_issue(tmp_path, "classic", "A4")
    first = build(issue, tmp_path, "print", capsys).read_bytes()
    assert build(issue, tmp_path, "print", capsys).read_bytes() == first
