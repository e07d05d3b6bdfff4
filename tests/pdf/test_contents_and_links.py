"""The PDF a reader gets: contents numbers, bookmarks, live links, metadata, sizes."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from broadsheet.content.load import load
from broadsheet.content.validate import validate
from pdfcheck import Built, assert_contents_right, plain, words

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "issues" / "2026-10.yaml"


def sample_entries() -> list[tuple[str, str]]:
    issue = validate(load(SAMPLE), REPO)
    return [(item.id, item.title) for item in (*issue.articles, *issue.boxes) if item.toc]


def test_sample_contents_numbers_links_and_headings_agree(sample_pdf):
    assert_contents_right(Built.open(sample_pdf), sample_entries())


def test_sample_has_a_bookmark_per_article_and_box_on_its_page(sample_pdf):
    built = Built.open(sample_pdf)
    dests = built.destinations()
    issue = validate(load(SAMPLE), REPO)
    items = [*issue.articles, *issue.boxes]
    outline = built.outline()
    assert [plain(title) for title, _ in outline] == [plain(item.title) for item in items]
    for item, (_, page) in zip(items, outline, strict=True):
        assert page == dests[item.id]


def test_sample_links_are_live_and_only_safe_schemes(sample_pdf):
    built = Built.open(sample_pdf)
    uris = built.uris()
    issue = validate(load(SAMPLE), REPO)
    for article in issue.articles:
        if article.link:
            assert article.link in uris
    assert f"mailto:{issue.contact.email}" in uris
    assert issue.contact.website in uris
    assert all(uri.split(":")[0] in ("http", "https", "mailto") for uri in uris)


def test_sample_metadata(sample_pdf):
    reader = PdfReader(sample_pdf)
    info = reader.metadata
    assert info.title == "The Lantern — No. 17, October 2026"
    assert info.producer.startswith("broadsheet ")
    assert "WeasyPrint" in info.producer
    assert info["/CreationDate"].startswith("D:20261001000000")
    assert reader.trailer["/Root"]["/Lang"] == "en"


ISSUE_WITH_LINKS = """\
name: The Test Gazette
tagline: Links of every kind
contact:
  email: news@gazette.example
  website: https://gazette.example/home
issue:
  number: 3
  date: 2026-02-01
articles:
  - title: Links
    link: https://gazette.example/news/1
    body: |
      A [web link](https://example.org/a), a [mail link](mailto:ed@example.org),
      a [script](javascript:alert(1)), a [data link](data:text/html,hi),
      a [file link](file:///etc/passwd) and a [relative one](other.html).
boxes:
  - title: Contact us
    contact: true
"""


def test_every_expected_uri_is_live_and_no_dangerous_one(project):
    project.write("issues/links.yaml", ISSUE_WITH_LINKS)
    run = project.run("build", "issues/links.yaml")
    assert run.code == 0, run.stderr
    built = Built.open(project.root / "build" / "links.pdf")
    uris = set(built.uris())
    assert uris == {
        "https://example.org/a",
        "mailto:ed@example.org",
        "https://gazette.example/news/1",
        "mailto:news@gazette.example",
        "https://gazette.example/home",
    }
    text = words(" ".join(built.texts))
    assert "a script, a data link, a file link and a relative one" in text


@pytest.mark.parametrize(
    ("size", "points"), [("A4", (595, 842)), ("Letter", (612, 792)), ("A5", (420, 595))]
)
def test_page_sizes(project, size, points):
    project.write("issues/sized.yaml", ISSUE_WITH_LINKS + f"page_size: {size}\n")
    run = project.run("build", "issues/sized.yaml")
    assert run.code == 0, run.stderr
    reader = PdfReader(project.root / "build" / "sized.pdf")
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == points


def many_articles(count: int) -> str:
    lines = ["name: The Long Gazette", "issue:", "  number: 9", "  date: 2026-03-01", "articles:"]
    paragraph = "Words to fill the column with something like a real story. " * 12
    for n in range(1, count + 1):
        title = "Same title" if n in (7, 8) else f"Story number {n}"
        body = "\n\n".join([paragraph] * (1 + n % 4))
        lines += [f"  - title: {title}", "    body: |"]
        lines += [f"      {line}" for line in body.splitlines()]
    lines += ["boxes:", "  - title: About us", "    body: We write a lot."]
    return "\n".join(lines) + "\n"


def test_forty_articles_over_many_pages_keep_every_number_right(project):
    project.write("issues/long.yaml", many_articles(40))
    run = project.run("build", "issues/long.yaml")
    assert run.code == 0, run.stderr
    built = Built.open(project.root / "build" / "long.pdf")
    assert len(built.reader.pages) >= 10
    issue = validate(load(project.root / "issues" / "long.yaml"), project.root)
    entries = [(item.id, item.title) for item in (*issue.articles, *issue.boxes)]
    assert entries[6][0] == "same-title" and entries[7][0] == "same-title-2"
    assert_contents_right(built, entries)


def build_in_fresh_process(project, env_extra: dict[str, str]) -> bytes:
    import os

    import broadsheet

    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | env_extra
    env["PYTHONPATH"] = str(Path(broadsheet.__file__).parents[1])  # the package under test
    out = project.root / "build" / "links.pdf"
    subprocess.run(
        [sys.executable, "-m", "broadsheet", "build", "issues/links.yaml", "--quiet"],
        cwd=project.root,
        env=env,
        check=True,
    )
    return out.read_bytes()


def test_two_builds_in_separate_processes_are_byte_identical(project):
    project.write("issues/links.yaml", ISSUE_WITH_LINKS)
    first = build_in_fresh_process(project, {})
    second = build_in_fresh_process(project, {"PYTHONHASHSEED": "12345"})
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    stamped = build_in_fresh_process(project, {"SOURCE_DATE_EPOCH": "1700000000"})
    again = build_in_fresh_process(project, {"SOURCE_DATE_EPOCH": "1700000000"})
    assert stamped == again
    assert PdfReader(io.BytesIO(stamped)).metadata["/CreationDate"].startswith("D:20231114")


@pytest.mark.parametrize("slug", ["2026-10", "2026-11"])
def test_the_samples_build_strict_with_nothing_to_fix(tmp_path, monkeypatch, slug):
    """No engine warning and no copy-fit finding: 4 and 3 pages, with their full text."""
    from conftest import Project

    monkeypatch.chdir(REPO)
    run = Project.run(
        None, "build", "--strict", f"issues/{slug}.yaml", "-o", str(tmp_path / "x.pdf")
    )
    assert run.code == 0, run.stderr
    pages = {"2026-10": 4, "2026-11": 3}[slug]
    assert run.stderr.startswith(f"issues/{slug}.yaml: {pages} pages;")
    assert "warning" not in run.stderr
