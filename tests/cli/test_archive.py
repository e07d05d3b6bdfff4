"""`broadsheet archive`: every issue built, and build/newsletter.pdf + index.html
listing them, read back with pypdf (the site, build/site/, in test_archive_site.py)."""

from __future__ import annotations

import json
import re

import pytest
from pypdf import PdfReader

ISSUE = """\
issue:
  number: {number}
  volume: 2
  date: {date}
articles:
  - title: {first}
    body: Some text.
  - title: Second story of number {number}
    body: More text.
"""


def test_archive_indexes_every_issue_and_links_its_pdf(project):
    project.write("issues/newsletter.yaml", "name: The Test Gazette\ntagline: A line\n")
    project.write("issues/2026-09.yaml", ISSUE.format(number=4, date="2026-09-01", first="Fête"))
    project.write("issues/2026-10.yaml", ISSUE.format(number=5, date="2026-10-01", first="Gala"))
    run = project.run("archive")
    assert run.code == 0, run.stderr
    assert run.stdout.split() == [
        "build/thumbnails/2026-09.png",
        "build/thumbnails/2026-10.png",
        "build/index.html",
        "build/newsletter.pdf",
        "build/site/index.html",
        "build/site/feed.xml",
    ]
    assert "building" in run.stderr and "2026-09.pdf" in run.stderr
    build = project.root / "build"
    assert (build / "2026-09.pdf").is_file() and (build / "2026-10.pdf").is_file()
    assert (build / "thumbnails" / "2026-10.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    index = PdfReader(build / "newsletter.pdf")
    assert len(index.pages) == 1
    files = [file for file, _ in neighbour_links(index)]
    assert files and set(files) == {"2026-09.pdf", "2026-10.pdf"}
    assert files[0] == "2026-10.pdf"  # newest first
    text = " ".join(index.pages[0].extract_text().split())
    assert "The Test Gazette" in text and "2 issues" in text
    newest, older = text.index("No. 5"), text.index("No. 4")
    # Each entry's date after its number (the issue line in all small
    # capitals also names both months, and reads back in their case).
    assert newest < text.index("October 2026", newest) < older
    assert older < text.index("September 2026", older)
    assert text.index("Gala") < text.index("Second story of number 5") < older
    assert older < text.index("Fête") < text.index("Second story of number 4")
    assert index.metadata.title == "The Test Gazette — all issues"

    html = (build / "index.html").read_text()
    assert re.findall(r'href="([^"]+)"', html)[:2] == ["2026-10.pdf", "2026-10.pdf"]
    assert '<img src="thumbnails/2026-10.png" alt="Page 1 of The Test Gazette, No. 5' in html
    assert "file:" not in html


def neighbour_links(index: PdfReader) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(file, rectangle) of each link on page 1: every one a go-to-remote
    action, which readers resolve beside the index, opening the file's first page."""
    found = []
    for ref in index.pages[0].get("/Annots", []):
        annotation = ref.get_object()
        action = annotation["/A"]
        assert action["/S"] == "/GoToR", action
        spec = action["/F"]
        assert spec["/Type"] == "/Filespec" and spec["/F"] == spec["/UF"]
        assert list(action["/D"]) == [0, "/Fit"]
        x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])
        found.append((str(spec["/UF"]), (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))))
    return found


def test_the_index_links_open_the_issues_beside_it(project):
    """Each issue's page-1 picture, number and file name open its PDF: the
    picture's link covers the 40 mm picture, each file is beside the index,
    and `broadsheet inspect` finds nothing wrong with the index."""
    project.write("issues/newsletter.yaml", "name: The Test Gazette\n")
    project.write("issues/2026-09.yaml", ISSUE.format(number=4, date="2026-09-01", first="Fête"))
    project.write("issues/2026-10.yaml", ISSUE.format(number=5, date="2026-10-01", first="Gala"))
    assert project.run("archive").code == 0
    index_pdf = project.root / "build" / "newsletter.pdf"
    links = neighbour_links(PdfReader(index_pdf))
    for name in ("2026-09.pdf", "2026-10.pdf"):
        assert (index_pdf.parent / name).is_file()
        rects = [rect for file, rect in links if file == name]
        picture = [r for r in rects if abs((r[2] - r[0]) - 40 / 25.4 * 72) <= 1.5]
        assert picture, rects  # the thumbnail: 40 mm wide, and its hairline frame
        assert all(r[3] - r[1] > 100 for r in picture)  # as tall as a page-1 picture
        beside = [r for r in rects if r[0] > picture[0][2]]
        assert len(beside) == 2  # the heading and the file name, right of the picture
    run = project.run("inspect", str(index_pdf), "--json")
    assert run.code == 0, run.stdout
    report = json.loads(run.stdout)
    assert report["findings"] == []
    assert {link["file"] for link in report["links"]} == {"2026-09.pdf", "2026-10.pdf"}

    alone = project.root / "elsewhere" / "newsletter.pdf"  # copied without its issues
    alone.parent.mkdir()
    alone.write_bytes(index_pdf.read_bytes())
    run = project.run("inspect", str(alone), "--json")
    assert run.code == 0  # a warning: the PDF itself is sound
    assert sorted(
        (f["severity"], f["code"], f["message"]) for f in json.loads(run.stdout)["findings"]
    ) == [
        ("warning", "link", f"a link to the file {name}, which is not beside this PDF")
        for name in ("2026-09.pdf", "2026-10.pdf")
    ]


def test_a_second_archive_rebuilds_nothing_and_gives_the_same_bytes(project):
    project.write(
        "issues/2026-10.yaml", "name: G\n" + ISSUE.format(number=1, date="2026-10-01", first="A")
    )
    assert project.run("archive").code == 0
    build = project.root / "build"
    first = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in build.glob("*.pdf")}
    run = project.run("archive")
    assert run.code == 0 and "building" not in run.stderr
    again = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in build.glob("*.pdf")}
    assert again["2026-10.pdf"] == first["2026-10.pdf"]  # not rebuilt
    assert again["newsletter.pdf"][1] == first["newsletter.pdf"][1]  # same bytes


def test_nothing_to_archive_and_a_broken_issue(project):
    run = project.run("archive")
    assert run.code == 1 and "nothing to archive" in run.stderr
    project.write("issues/2026-10.yaml", "name: G\nissue: {number: 1, date: 2026-10-01}\n")
    run = project.run("archive")
    assert run.code == 1 and "issues/2026-10.yaml:" in run.stderr and "articles" in run.stderr
    assert not (project.root / "build" / "newsletter.pdf").exists()


@pytest.mark.parametrize("damage", ["cut", "encrypted"])
def test_a_damaged_or_encrypted_pdf_in_build_is_made_again(project, damage):
    """A PDF in build/ that no longer reads (cut short, or replaced by an
    encrypted copy) is rebuilt like a stale one, not a failure of `archive`."""
    import pikepdf

    project.write("issues/newsletter.yaml", "name: The Test Gazette\n")
    project.write("issues/2026-10.yaml", ISSUE.format(number=5, date="2026-10-01", first="Gala"))
    assert project.run("archive").code == 0
    pdf = project.root / "build" / "2026-10.pdf"
    if damage == "cut":
        pdf.write_bytes(pdf.read_bytes()[:3000])
    else:
        with pikepdf.open(pdf, allow_overwriting_input=True) as document:
            document.save(pdf, encryption=pikepdf.Encryption(owner="o", user="u"))
    run = project.run("archive")
    assert run.code == 0, run.stderr
    assert "internal error" not in run.stderr
    assert PdfReader(pdf).pages  # a whole, readable PDF again
