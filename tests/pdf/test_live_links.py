"""Every `<a href>` of an issue is something to click in its PDF, in every
theme, and a PDF where one is not is refused by the build and flagged by
`broadsheet inspect`.

WeasyPrint 70 writes no link annotation for an `<a>` that is itself a flex
or grid item: the masthead's web address (an item of the issue line, a flex
row in classic and a grid in modern) was printed but dead. The PDFs here are
real builds, read back with pypdf and PDFium.
"""

from __future__ import annotations

import io
import json

import pypdfium2
import pytest
from pypdf import PdfReader

from broadsheet.content.load import load
from broadsheet.content.validate import validate
from broadsheet.pdf.linktargets import Target, html_targets, pdf_targets
from broadsheet.pdf.reading import links, reader
from broadsheet.pdf.verify import verify
from conftest import REPO, build_sample

WEBSITE = "https://gazette.example/"
ISSUE = """\
name: The Link Gazette
theme: {theme}
page_size: {size}
contact:
  website: {website}
issue: {{number: 1, date: 2026-01-31}}
articles:
  - title: First story
    body: Some text.
"""

# The masthead as it was: the <a> itself an item of the issue line.
FLEX_ITEM_MASTHEAD = """\
<header class="masthead">
  <h1 class="name">{{ issue.name }}</h1>
  <p class="issue-line">
    <span class="volno">{{ volume_number }}</span>
    <a class="web" href="{{ issue.contact.website }}">{{ issue.contact.website | host }}</a>
    <time class="date" datetime="{{ issue.date.isoformat() }}">{{ issue_month }}</time>
  </p>
</header>
"""


def uri_links(pdf: bytes, page: int = 0) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(URI, rectangle) of each link annotation with a URI action on a page."""
    found = []
    for ref in PdfReader(io.BytesIO(pdf)).pages[page].get("/Annots", []):
        annotation = ref.get_object()
        action = annotation.get("/A")
        if annotation["/Subtype"] == "/Link" and action is not None and "/URI" in action:
            x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])
            rect = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
            found.append((str(action["/URI"]), rect))
    return found


def words_under(pdf: bytes, page: int, rect: tuple[float, float, float, float]) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return " ".join(document[page].get_textpage().get_text_bounded(*rect).split())
    finally:
        document.close()


@pytest.mark.parametrize(
    ("theme", "size"), [("classic", "A4"), ("modern", "A4"), ("modern", "A5"), ("bulletin", "A5")]
)
def test_the_masthead_web_address_is_a_link_in_every_theme(project, theme, size):
    """The address is clickable where it is printed, in the masthead at the top."""
    project.write("issues/one.yaml", ISSUE.format(theme=theme, size=size, website=WEBSITE))
    run = project.run("build", "issues/one.yaml", "--quiet")
    assert run.code == 0, run.stderr
    pdf = (project.root / "build" / "one.pdf").read_bytes()
    [rect] = [rect for uri, rect in uri_links(pdf) if uri == WEBSITE]
    assert words_under(pdf, 0, rect) == "gazette.example"
    height = float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.height)
    assert rect[1] > height / 2  # in the masthead, not somewhere else on the page
    report = json.loads(project.run("inspect", "build/one.pdf", "--json").stdout)
    assert report["findings"] == []


def test_a_link_the_engine_drops_stops_the_build(project):
    """A project template that makes the <a> a flex item again: the build
    refuses the PDF, naming the address, and writes nothing."""
    project.write("issues/one.yaml", ISSUE.format(theme="classic", size="A4", website=WEBSITE))
    project.write("layout/partials/masthead.html.j2", FLEX_ITEM_MASTHEAD)
    run = project.run("build", "issues/one.yaml")
    assert run.code == 3, run.stderr
    assert f"the link to '{WEBSITE}' has no link annotation in the PDF" in run.stderr
    assert "'gazette.example' is tagged as a link but has no link annotation" in run.stderr
    assert not (project.root / "build" / "one.pdf").exists()


@pytest.fixture(scope="module")
def november(tmp_path_factory):
    """The November sample as built, the HTML it was typeset from, and its issue."""
    folder = tmp_path_factory.mktemp("links")
    html = folder / "2026-11.html"
    pdf = build_sample("2026-11", folder / "2026-11.pdf", "--html", str(html))
    issue = validate(load(REPO / "issues" / "2026-11.yaml"), REPO)
    return pdf.read_bytes(), html.read_text(encoding="utf-8"), issue


def link_errors(pdf: bytes, html: str, issue) -> list[str]:
    found = verify(pdf, issue, wanted=html_targets(html))
    return [d.message for d in found if d.severity == "error"]


def test_verify_passes_the_sample_against_its_own_html(november):
    pdf, html, issue = november
    assert html_targets(html)[Target("uri", "https://lanternhill.example")] == 2
    assert link_errors(pdf, html, issue) == []


def test_verify_fails_an_href_with_no_annotation(november):
    pdf, html, issue = november
    extra = '<p><a href="https://missing.example/page">a link the PDF lacks</a></p></body>'
    [message] = link_errors(pdf, html.replace("</body>", extra), issue)
    assert "the link to 'https://missing.example/page' has no link annotation" in message


def test_verify_counts_links_to_one_address(november):
    """The masthead and the contact box both link to the website: one more
    <a> to it than the PDF has annotations for is caught, though the
    address is live elsewhere on the page."""
    pdf, html, issue = november
    address = Target("uri", "https://lanternhill.example")
    annotations = pdf_targets(links(reader(pdf)))[address]
    assert html_targets(html)[address] == 2 <= annotations
    extra = '<p><a href="https://lanternhill.example">lanternhill.example</a></p>'
    more = html.replace("</body>", extra * (annotations - 1) + "</body>")
    [message] = link_errors(pdf, more, issue)
    assert message.startswith(
        f"{annotations + 1} links of the HTML lead to 'https://lanternhill.example', but only"
        f" {annotations} link annotations of the PDF: one is printed, but there is nothing"
        " to click"
    )


def test_hrefs_are_read_as_a_browser_reads_them():
    """Any attribute order and quoting, entities decoded; comments, scripts
    and an href of "#" alone are not links."""
    html = """<html><head><script>var s = '<a href="https://script.example/">';</script>
    </head><body><!-- <a href="https://comment.example/"> -->
    <a title="t" href='https://a.example/?x=1&amp;y=2'>a</a>
    <A HREF=#deep-field>b</A> <a href="#">top</a> <a name="anchor">c</a>
    <a href="2026-10.pdf">d</a> <a href="mailto:someone@example.org">e</a>
    </body></html>"""
    assert html_targets(html) == {
        Target("uri", "https://a.example/?x=1&y=2"): 1,
        Target("dest", "deep-field"): 1,
        Target("file", "2026-10.pdf"): 1,
        Target("uri", "mailto:someone@example.org"): 1,
    }


# `broadsheet inspect`, which has the PDF alone


def engine_pdf(body: str) -> bytes:
    """A tagged PDF straight from WeasyPrint, with no broadsheet check on it."""
    from weasyprint import HTML

    page = f'<html lang="en"><head><title>T</title></head><body>{body}</body></html>'
    return HTML(string=page).write_pdf(pdf_tags=True)


def test_inspect_flags_a_link_element_with_nothing_to_click(project):
    pdf = project.root / "flex.pdf"
    pdf.write_bytes(
        engine_pdf('<p style="display: flex"><a href="https://x.example/">x.example</a></p>')
    )
    run = project.run("inspect", str(pdf), "--json")
    assert run.code == 1
    [finding] = [f for f in json.loads(run.stdout)["findings"] if f["code"] == "link"]
    assert finding["severity"] == "error" and finding["page"] == 1
    assert finding["message"] == (
        "'x.example' is tagged as a link but has no link annotation: nothing to click"
    )

    pdf.write_bytes(
        engine_pdf('<p style="display: flex"><span><a href="https://x.example/">x</a></span></p>')
    )
    linked = json.loads(project.run("inspect", str(pdf), "--json").stdout)
    assert [f for f in linked["findings"] if f["code"] == "link"] == []


def test_inspect_warns_of_an_address_printed_but_not_linked(project):
    pdf = project.root / "printed.pdf"
    pdf.write_bytes(
        engine_pdf(
            "<p>Write to news@gazette.example or see https://gazette.example/news.</p>"
            '<p>Or <a href="https://gazette.example/live">https://gazette.example/live</a>.</p>'
        )
    )
    run = project.run("inspect", str(pdf), "--json")
    found = [f for f in json.loads(run.stdout)["findings"] if f["code"] == "address"]
    assert [(f["severity"], f["page"], f["message"]) for f in found] == [
        ("warning", 1, "'news@gazette.example' is printed, but is not a link"),
        ("warning", 1, "'https://gazette.example/news' is printed, but is not a link"),
    ]
