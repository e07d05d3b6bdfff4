"""Content cannot make a build read outside the project or touch the network.

A secret file sits beside the project and a loopback HTTP server listens; the
content names both in every way we know. The PDF must hold no byte of the
secret and no embedded file, and the server must receive no request at all.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import socket
import threading
import zlib
from pathlib import Path
from typing import ClassVar

import pytest
from pypdf import PdfReader

SECRET = "TOPSECRET-7f3a9c1e"


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self):
        type(self).requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"p { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Counting.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def secret(project) -> Path:
    path = project.root.parent / "secret.txt"
    path.write_text(SECRET + "\n")
    return path


def all_text_and_streams(pdf: Path) -> bytes:
    """Every byte a reader could see: the raw file plus every stream decompressed."""
    data = pdf.read_bytes()
    chunks = [data]
    for start in range(len(data)):
        if data.startswith(b"stream", start):
            body = data[start + 6 :].lstrip(b"\r\n")
            with contextlib.suppress(zlib.error):
                chunks.append(zlib.decompressobj().decompress(body))
    return b"\n".join(chunks)


def assert_clean(pdf: Path, server_requests: list[str]) -> None:
    reader = PdfReader(pdf)
    assert reader.attachments == {}
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    assert SECRET.encode() not in all_text_and_streams(pdf)
    assert server_requests == []


def hostile_issue(secret: Path, server: str) -> str:
    rel = os.path.relpath(secret, Path.cwd() / "issues")
    return f"""\
name: 'Gazette"; }} @page {{ size: 1e6mm }} body {{ background: url({server}/name) }}'
tagline: '</title><link rel="attachment" href="file://{secret}">'
contact:
  website: {server}/site
issue:
  number: 1
  date: 2026-01-31
articles:
  - title: '<script>alert(1)</script> <img src="{secret}">'
    subtitle: '<style>@import url({server}/deck.css);</style>'
    link: {server}/story
    pullquote: '<iframe src="{server}/iframe"></iframe>'
    body: |
      <link rel="attachment" href="{rel}">
      <link rel="stylesheet" href="{server}/raw.css">

      <img src="{rel}"> <img src="file://{secret}"> <img src="{server}/raw.png">

      <svg><image href="{secret}"/></svg> <object data="{server}/object"></object>

      <style>@font-face {{ font-family: x; src: url(file://{secret}) }}</style>

      [a file link](file://{secret}) [a local link]({server}/link)
      <a rel="attachment" href="{rel}">attach</a>
"""


def test_hostile_content_reads_nothing_outside_and_fetches_nothing(project, secret, server):
    project.write("issues/hostile.yaml", hostile_issue(secret, server))
    run = project.run("build", "issues/hostile.yaml")
    assert run.code == 0, run.stderr
    pdf = project.root / "build" / "hostile.pdf"
    assert_clean(pdf, _Counting.requests)
    reader = PdfReader(pdf)
    page = reader.pages[0].mediabox
    assert (round(float(page.width)), round(float(page.height))) == (595, 842)
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "<script>alert(1)</script>" in text  # shown as text, never interpreted


def test_a_project_stylesheet_cannot_reach_out_either(project, secret, server):
    """A theme is content too: a project's own CSS is held to the same fetcher."""
    project.write(
        "issues/plain.yaml",
        """\
        name: Gazette
        issue: {number: 1, date: 2026-01-31}
        articles:
          - title: Plain
            body: Text.
    """,
    )
    project.write(
        "styles/classic/99-evil.css",
        f"""\
        @import url({server}/import.css);
        @font-face {{ font-family: Evil; src: url(file://{secret}); }}
        body {{ background: url({secret}); font-family: Evil, serif; }}
        .masthead {{ background: url({server}/bg.png); }}
        .issue::after {{ content: url(../../secret.txt); }}
    """,
    )
    run = project.run("build", "issues/plain.yaml")
    assert run.code == 0, run.stderr
    assert_clean(project.root / "build" / "plain.pdf", _Counting.requests)
    assert "refused" in run.stderr


def test_links_to_a_loopback_server_stay_links_and_are_never_fetched(project, server):
    project.write(
        "issues/links.yaml",
        f"""\
        name: Gazette
        issue: {{number: 1, date: 2026-01-31}}
        articles:
          - title: Links
            link: {server}/story
            body: See [this]({server}/page).
    """,
    )
    run = project.run("build", "issues/links.yaml")
    assert run.code == 0, run.stderr
    assert _Counting.requests == []
    annotations = PdfReader(project.root / "build" / "links.pdf").pages[0]["/Annots"]
    actions = [a.get_object().get("/A") for a in annotations]
    uris = [action["/URI"] for action in actions if action and action.get("/S") == "/URI"]
    assert f"{server}/story" in uris and f"{server}/page" in uris


def test_a_symlink_that_leads_out_is_refused(project, secret):
    project.photo("coffee.png")
    (project.root / "issues" / "images" / "link.png").symlink_to(secret)
    project.write(
        "issues/sym.yaml",
        """\
        name: Gazette
        issue: {number: 1, date: 2026-01-31}
        articles:
          - title: Linked
            body: Text.
            image: {src: images/link.png}
    """,
    )
    run = project.run("build", "issues/sym.yaml")
    assert run.code == 1
    assert run.stderr.splitlines() == [
        "issues/sym.yaml:6:18: error: articles[0].image.src: "
        "'images/link.png' leads outside the project folder"
    ]


def test_a_fifo_inside_the_project_is_refused(project):
    os.mkfifo(project.root / "issues" / "pipe.png")
    project.write(
        "issues/fifo.yaml",
        """\
        name: Gazette
        issue: {number: 1, date: 2026-01-31}
        articles:
          - title: Piped
            body: Text.
            image: {src: pipe.png}
    """,
    )
    run = project.run("build", "issues/fifo.yaml")
    assert run.code == 1
    assert "'pipe.png' is not a regular file" in run.stderr


def test_no_socket_is_opened_during_a_build(project, monkeypatch):
    """Belt and braces: any attempt to connect anywhere fails the test."""
    project.write(
        "issues/links.yaml",
        """\
        name: Gazette
        issue: {number: 1, date: 2026-01-31}
        articles:
          - title: Links
            link: https://example.org/story
            body: See [this](https://example.org/page).
    """,
    )
    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    run = project.run("build", "issues/links.yaml")
    assert run.code == 0, run.stderr
    assert attempts == []
