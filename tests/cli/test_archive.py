"""`broadsheet archive`: every issue built, and build/index.pdf + index.html
listing them, read back with pypdf."""

from __future__ import annotations

import re

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
        "build/index.pdf",
    ]
    assert "building" in run.stderr and "2026-09.pdf" in run.stderr
    build = project.root / "build"
    assert (build / "2026-09.pdf").is_file() and (build / "2026-10.pdf").is_file()
    assert (build / "thumbnails" / "2026-10.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    index = PdfReader(build / "index.pdf")
    assert len(index.pages) == 1
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for annotation in index.pages[0].get("/Annots", [])
        if annotation.get_object()["/A"].get("/S") == "/URI"
    ]
    assert uris and set(uris) == {"2026-09.pdf", "2026-10.pdf"}
    assert uris[0] == "2026-10.pdf"  # newest first
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
    assert again["index.pdf"][1] == first["index.pdf"][1]  # same bytes


def test_nothing_to_archive_and_a_broken_issue(project):
    run = project.run("archive")
    assert run.code == 1 and "nothing to archive" in run.stderr
    project.write("issues/2026-10.yaml", "name: G\nissue: {number: 1, date: 2026-10-01}\n")
    run = project.run("archive")
    assert run.code == 1 and "issues/2026-10.yaml:" in run.stderr and "articles" in run.stderr
    assert not (project.root / "build" / "index.pdf").exists()
