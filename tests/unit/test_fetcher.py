"""The fetcher serves files inside the project and the bundled theme, and nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from broadsheet.engine.fetcher import ProjectFetcher, Refused
from broadsheet.theme import BUNDLED


@pytest.fixture
def root(tmp_path) -> Path:
    root = tmp_path / "project"
    (root / "issues").mkdir(parents=True)
    (root / "issues" / "ok.css").write_text("p { color: red }")
    (tmp_path / "outside.txt").write_text("secret")
    return root


def test_it_is_a_urlfetcher_subclass():
    assert issubclass(ProjectFetcher, URLFetcher)


def test_serves_a_project_file_and_a_bundled_one(root):
    fetcher = ProjectFetcher(root)
    assert fetcher.fetch((root / "issues" / "ok.css").as_uri()).read() == b"p { color: red }"
    bundled = next((BUNDLED / "styles").rglob("*.css"))
    assert fetcher.fetch(bundled.as_uri()).read() == bundled.read_bytes()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///dev/zero",
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.css",
        "data:text/css,p{color:red}",
        "ftp://example.org/x",
        "file://otherhost/etc/passwd",
    ],
)
def test_refuses_anything_else(root, url):
    with pytest.raises(Refused):
        ProjectFetcher(root).fetch(url)


def test_refuses_escapes_symlinks_and_fifos(root):
    fetcher = ProjectFetcher(root)
    with pytest.raises(Refused):
        fetcher.fetch((root / "issues" / ".." / ".." / "outside.txt").as_uri())
    (root / "issues" / "link.css").symlink_to(root.parent / "outside.txt")
    with pytest.raises(Refused):
        fetcher.fetch((root / "issues" / "link.css").as_uri())
    os.mkfifo(root / "issues" / "fifo.css")
    with pytest.raises(Refused):
        fetcher.fetch((root / "issues" / "fifo.css").as_uri())


def test_weasyprint_with_the_fetcher_embeds_no_attachment(root, tmp_path):
    """Even HTML that bypassed the templates cannot attach or draw a foreign file."""
    html = (
        '<link rel="attachment" href="file:///etc/hostname">'
        f'<a rel="attachment" href="{(tmp_path / "outside.txt").as_uri()}">x</a>'
        '<img src="file:///etc/passwd"><p>hello</p>'
    )
    fetcher = ProjectFetcher(root)
    pdf = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher).write_pdf()
    assert b"/EmbeddedFile" not in pdf
    assert len(fetcher.refused) == 3
