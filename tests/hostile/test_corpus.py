"""The hostile corpus: every trick of the checklist's Input, Markdown/HTML/templates and
Rendering sections that no existing test pins with the same assertion.

A trick that must be refused is a file in corpus/errors/ whose `# expect:` lines are
the whole standard error of `broadsheet check` and of `broadsheet build` (exit 1, no
PDF written, the previous one untouched), as in tests/cli/test_invalid_input.py.
Pictures, FIFOs and links the trick needs are made by the test (SETUP), never
committed; so are the inputs that are large by nature (GENERATED). A trick that
must build is a file in corpus/builds/: the PDF then carries no foreign byte (the
secret file beside the project is in no text, stream or metadata; no attachment;
no image but the project's own), and what the content tried to inject is shown
as text. Every run is timed: under 20 s, and under 1 s where the checklist says so.

Already covered elsewhere with the same assertion, so not repeated here:

| Trick                                    | Existing test                                   |
|------------------------------------------|-------------------------------------------------|
| `yaml.load` without a safe loader        | ruff S506 (pyproject lint `select`)             |
| python/object/apply in a title (exact)   | fixtures/invalid/python-tag.yaml                |
| a python tag never runs (load level)     | unit/test_load.py::test_object_tags_are_rep...  |
| duplicate/unknown key, missing title,    | fixtures/invalid/duplicate-key, unknown-key-*,  |
|   bad and impossible dates               |   missing-title, bad-date, impossible-date      |
| BOM and CRLF accepted (load level)       | unit/test_load.py::test_bom_and_crlf_are_acc... |
| NO/1.10/012345/2026-01-05 in the model   | unit/test_validate.py::test_values_keep_thei... |
| `../../x.png`, absolute, `~` image.src   | fixtures/invalid/image-escapes-project,         |
|                                          |   image-absolute, image-home                    |
| absolute path in a Markdown image        | fixtures/invalid/markdown-image-outside.yaml    |
| http: as image.src                       | fixtures/invalid/image-url.yaml                 |
| a YAML file as image.src                 | fixtures/invalid/image-not-picture.yaml         |
| symlink out as image.src (exact)         | security/test_hostile_content.py (symlink)      |
| FIFO as image.src (message part)         | security/test_hostile_content.py (fifo)         |
| `javascript:` in `link:`                 | fixtures/invalid/bad-link-scheme.yaml           |
| 0 articles                               | fixtures/invalid/no-articles.yaml               |
| raw HTML escaped by the Markdown stage   | unit/test_markdown.py::test_raw_html_is_sho...  |
| live link schemes (Markdown stage)       | unit/test_markdown.py::test_only_http_https...  |
| title escaped by the templates           | unit/test_render.py::test_titles_are_escaped    |
| css_string cannot break out (unit)       | unit/test_render.py::test_css_strings_canno...  |
| hostile name keeps A4, no secret, no     | security/test_hostile_content.py::test_host...  |
|   request; `<script>` title as PDF text  |                                                 |
| project CSS reading a secret or the net  | security/...::test_a_project_stylesheet_can...  |
| fetcher refuses /dev/zero, FIFO, symlink | unit/test_fetcher.py::test_refuses_*            |
| loopback server gets 0 requests          | security/test_hostile_content.py                |

Here, each with its test (ids in brackets are corpus file names):

| Trick (checklist)                          | Test                                          |
|--------------------------------------------|-----------------------------------------------|
| python/object/apply, /new, /name on a key, | test_refused_with_exactly_the_located_lines   |
|   a mapping, a scalar; nothing runs        |   [python-*] (the marker file never appears)  |
| billion laughs (10 x 9 aliases, ~500 B)    | [billion-laughs] and                          |
|   under 1 s and 50 MB                      |   test_billion_laughs_is_cheap_to_refuse      |
| nested deeper than the cap                 | [nested-too-deep]                             |
| BOM (not a column of line 1), CRLF (no     | [bom-first-line], [crlf-line-ends],           |
|   CR in the value), tab indent, several    |   [tab-indent], [several-documents],          |
|   documents, Latin-1, surrogate, UTF-16    |   [latin-1], [utf8-surrogate], [utf-16]       |
| `null` as a title: nothing, located        | [null-title]                                  |
| file:, /dev/zero, link to /dev/zero, a     | [image-file-url], [image-dev-zero],           |
|   device under --root /, FIFO (exact)      |   [image-symlink-to-dev-zero],                |
|                                            |   [image-device-inside-root], [image-fifo]    |
| the same as Markdown images, and paths in  | [markdown-image-*]                            |
|   reference definitions or entities        |                                               |
| decompression bomb, over the pixel cap,    | [image-decompression-bomb],                   |
|   text, SVG and BMP named .png             |   [image-over-the-pixel-cap], [image-*-png]   |
| data:, file:, disguised javascript: links  | [link-*], [website-javascript]                |
| file over 2 MiB (one scalar), 501 and      | test_generated_input_is_refused               |
|   10,000 articles                          |                                               |
| a scalar over any sane cap (1 MiB title)   | test_a_scalar_longer_than_any_headline_...    |
| NO/1.10/012345/2026-01-05/on/y/0x1F/1e3/   | test_yaml_1_1_lookalikes_keep_their_text      |
|   .inf as headlines, in the PDF outline    |                                               |
| BOM + CRLF + tabs in values: builds clean  | test_bom_crlf_and_tabs_leave_no_trace         |
| raw `<script>`, `<link rel=attachment>`,   | test_raw_html_is_text_and_fetches_nothing     |
|   `<img onerror>`, iframe, object, embed,  |   [raw-html-*]                                |
|   SVG image, a rel=attachment, style,      |                                               |
|   base, meta; raw HTML in every text field |                                               |
| javascript:/data:/file: Markdown links     | test_markdown_links_with_other_schemes_are_   |
|   (autolink, reference, entity, case)      |   text [link-*]                               |
| `<script>` title: escaped in <head> and    | test_script_title_is_text_everywhere          |
|   body, literal in outline and metadata    |                                               |
| CSS-string injection via name and labels   | test_css_strings_keep_the_page_a4 [css-*]     |
| /dev/zero, /dev/urandom, FIFO, link to     | test_project_stylesheet_devices_are_refused   |
|   /dev/zero in a project stylesheet        |                                               |
| font-size: 1e9px; @page size 1e6mm         | test_huge_font_size_is_a_clean_error,         |
|                                            |   test_huge_page_size_leaves_the_page_a4      |
| valid PNG header, garbage pixel data       | test_garbage_picture_data_builds_cleanly      |
| (the corpus itself: bytes not normalised,  | test_the_byte_level_corpus_is_intact,         |
|   no file without a test)                  |   test_corpus_has_no_unused_file              |
"""

from __future__ import annotations

import html.parser
import io
import os
import shutil
import struct
import time
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_pdf import (
    A4_POINTS,
    SECRET,
    assert_clean_html,
    assert_no_foreign_byte,
    elements,
    image_sizes,
    outline_titles,
    page_sizes,
    pdftotext,
    uris,
)
from PIL import Image
from pypdf import PdfReader, PdfWriter

from conftest import Project
from pdfcheck import plain

CORPUS = Path(__file__).parent / "corpus"
ERRORS = sorted((CORPUS / "errors").glob("*.yaml"))
BUILDS = CORPUS / "builds"
GENEROUS = 20.0  # seconds: a bound against hanging, not a benchmark
COFFEE = [(600, 400)]  # the project's own photo, as the PDF carries it
MARKER = "pwned-by-yaml"  # what the python tags would `touch` in the project folder


@pytest.fixture
def secret(project) -> Path:
    """A file beside the project that no build may read."""
    path = project.root.parent / "secret.txt"
    path.write_text(SECRET + "\n")
    return path


# -- pictures, pipes and links the corpus needs, made at test time -------------------


def png(path: Path, width: int, height: int) -> Path:
    """A valid 1-bit PNG of zeros, written row by row: a 30000 x 30000 one is about
    110 KB on disk and 900 megapixels decoded (Pillow would need 900 MB to make it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\0" * (1 + (width + 7) // 8)  # filter byte, then the packed bits
    packer = zlib.compressobj(9)
    rows = b"".join(packer.compress(row * 1000) for _ in range(height // 1000))
    rows += packer.compress(row * (height % 1000)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )
    return path


def images(project: Project) -> Path:
    folder = project.root / "issues" / "images"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


SETUP: dict[str, Callable[[Project], object]] = {
    "image-symlink-to-dev-zero": lambda p: (images(p) / "zero.png").symlink_to("/dev/zero"),
    "image-fifo": lambda p: os.mkfifo(images(p) / "pipe.png"),
    "markdown-image-fifo": lambda p: os.mkfifo(images(p) / "pipe.png"),
    "markdown-image-symlink-out": lambda p: (images(p) / "link.png").symlink_to(
        p.root.parent / "secret.txt"
    ),
    "image-decompression-bomb": lambda p: png(images(p) / "bomb.png", 30_000, 30_000),
    "image-over-the-pixel-cap": lambda p: png(images(p) / "huge.png", 12_000, 12_000),
    "image-text-named-png": lambda p: (images(p) / "notes.png").write_text("Notes, not pixels.\n"),
    "image-svg-named-png": lambda p: (images(p) / "drawing.png").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="/etc/passwd"/></svg>\n'
    ),
    "image-bmp-named-png": lambda p: Image.new("RGB", (40, 30), "red").save(
        images(p) / "bitmap.png", "BMP"
    ),
}
EXTRA_ARGS = {"image-device-inside-root": ("--root", "/")}


def expected_lines(fixture: Path) -> list[str]:
    data = fixture.read_bytes()
    text = (
        data.decode("utf-16") if data.startswith(b"\xff\xfe") else data.decode("utf-8", "replace")
    )
    return [
        line.removeprefix("# expect: ")
        for line in text.splitlines()
        if line.startswith("# expect: ")
    ]


def previous_pdf(path: Path) -> bytes:
    """A real one-page PDF standing for the last good build (every PDF the suite leaves
    must pass `qpdf --check`, see tests/conftest.py)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": "The good PDF of the last successful build"})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        writer.write(handle)
    return path.read_bytes()


def timed(project: Project, *args: str):
    started = time.monotonic()
    run = project.run(*args)
    return run, time.monotonic() - started


def assert_refused(project: Project, name: str, expected: list[str], *args: str) -> None:
    """`check` and `build` both print exactly `expected`, exit 1, in time; the previous
    PDF stays as it was and nothing else appears beside it."""
    previous = project.root / "build" / f"{Path(name).stem}.pdf"
    before = previous_pdf(previous)
    for command in ("check", "build"):
        run, elapsed = timed(project, command, f"issues/{name}", *args)
        assert run.stderr.splitlines() == expected, command
        assert run.code == 1, command
        assert elapsed < GENEROUS, command
    assert previous.read_bytes() == before
    assert sorted(p.name for p in previous.parent.iterdir()) == [previous.name]
    assert not (project.root / MARKER).exists()


# -- refused with a located error ---------------------------------------------------


def test_the_byte_level_corpus_is_intact():
    """The BOM, CRLF, Latin-1 and UTF-16 files are the trick: a checkout or an editor
    that normalised them would turn these tests into tests of ordinary files."""
    errors = CORPUS / "errors"
    assert (errors / "bom-first-line.yaml").read_bytes().startswith(b"\xef\xbb\xbfname:")
    crlf = (errors / "crlf-line-ends.yaml").read_bytes()
    assert crlf.count(b"\r\n") == crlf.count(b"\n") > 10
    assert b"Caf\xe9 " in (errors / "latin-1.yaml").read_bytes()
    assert b"X\xed\xa0\x80\n" in (errors / "utf8-surrogate.yaml").read_bytes()
    assert (errors / "utf-16.yaml").read_bytes().startswith(b"\xff\xfe#\x00")
    assert b"\t" in (errors / "tab-indent.yaml").read_bytes()
    built = (BUILDS / "bytes-bom-crlf-tabs.yaml").read_bytes()
    assert built.startswith(b"\xef\xbb\xbf#") and b"title:\tFirst story\r\n" in built


@pytest.fixture(params=ERRORS, ids=[f.stem for f in ERRORS])
def bad_issue(request, project, secret) -> Path:
    target = project.root / "issues" / request.param.name
    shutil.copyfile(request.param, target)
    SETUP.get(request.param.stem, lambda p: None)(project)
    return request.param


def test_refused_with_exactly_the_located_lines(project, bad_issue):
    """Each trick is refused at load or validation, at its line and column, with the
    same words from `check` and `build`, and before anything is read, run or written."""
    assert_refused(
        project, bad_issue.name, expected_lines(bad_issue), *EXTRA_ARGS.get(bad_issue.stem, ())
    )


def test_billion_laughs_is_cheap_to_refuse(project):
    """The checklist: rejected in under 1 s, allocating under about 50 MB. Imports are
    warmed first; the time is the best of three runs, so that a busy machine does not
    fail a document that is cheap to refuse; the memory is the peak of one traced run."""
    shutil.copyfile(CORPUS / "errors" / "billion-laughs.yaml", project.root / "issues" / "lol.yaml")
    project.write(
        "issues/ok.yaml",
        "name: G\nissue: {number: 1, date: 2026-01-31}\narticles: [{title: First, body: Text.}]\n",
    )
    assert project.run("check", "issues/ok.yaml").code == 0
    times = []
    for _ in range(3):
        run, elapsed = timed(project, "check", "issues/lol.yaml")
        assert run.code == 1 and "values once aliases are expanded" in run.stderr
        times.append(elapsed)
    assert min(times) < 1.0, times
    tracemalloc.start()
    try:
        run = project.run("check", "issues/lol.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert run.code == 1
    assert peak < 50 * 1024 * 1024, f"{peak / 1e6:.1f} MB"


HEAD = "name: The Test Gazette\nissue:\n  number: 1\n  date: 2026-01-31\narticles:\n"
OVER_2_MIB = HEAD + "  - title: " + "W" * (2 * 1024 * 1024) + "\n    body: Text.\n"
GENERATED = {
    # name: (text, expected standard error)
    "one-scalar-over-2-mib": (
        OVER_2_MIB,
        [
            f"issues/one-scalar-over-2-mib.yaml:1:1: error: the file is "
            f"{len(OVER_2_MIB.encode()):,} bytes; the limit is 2 MiB"
        ],
    ),
    "articles-501": (
        HEAD + "".join(f"  - {{title: Story {i}, body: Text.}}\n" for i in range(501)),
        ["issues/articles-501.yaml:6:3: error: articles: expected 1 to 500 items, got 501"],
    ),
    "articles-10000": (
        HEAD + "".join(f"  - {{title: Story {i}, body: Text.}}\n" for i in range(10_000)),
        ["issues/articles-10000.yaml:6:3: error: articles: expected 1 to 500 items, got 10000"],
    ),
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_input_is_refused(project, name):
    """Inputs too large to commit. 10,000 articles (the checklist's figure) are refused
    by the schema's cap of 500 before any layout, so no engine has to be killed."""
    text, expected = GENERATED[name]
    project.write(f"issues/{name}.yaml", text)
    assert_refused(project, f"{name}.yaml", expected)


def test_a_scalar_longer_than_any_headline_is_refused(project):
    """The checklist: scalars over the cap are rejected with a message. Without a
    cap, a one-line headline of 1 MiB (under the 2 MiB file limit) took 72 s and
    1.5 GB to build; now a line of text holds 2,000 characters and a body 100,000."""
    project.write(
        "issues/long-title.yaml", HEAD + "  - title: " + "W" * 2**20 + "\n    body: Text.\n"
    )
    run, elapsed = timed(project, "check", "issues/long-title.yaml")
    assert elapsed < GENEROUS
    assert run.code == 1, "a 1 MiB headline was accepted"
    assert run.stderr.splitlines() == [
        "issues/long-title.yaml:6:12: error: articles[0].title: 1,048,576 characters;"
        " a line of text like this holds at most 2,000"
    ]


# -- content that builds ------------------------------------------------------------


def hostile_text(template: Path, project: Project, secret: Path) -> bytes:
    """The corpus file with the secret's absolute path, its path relative to issues/
    and its file URL put in place."""
    relative = os.path.relpath(secret, project.root / "issues")
    return (
        template.read_bytes()
        .replace(b"@SECRET_URL@", secret.as_uri().encode())
        .replace(b"@SECRET_REL@", relative.encode())
        .replace(b"@SECRET@", str(secret).encode())
    )


def build(project: Project, template: Path, secret: Path, *args: str):
    """Build a corpus file (with its HTML) in time; return the run, the PDF and the HTML."""
    stem = template.stem
    (project.root / "issues" / f"{stem}.yaml").write_bytes(hostile_text(template, project, secret))
    run, elapsed = timed(
        project, "build", f"issues/{stem}.yaml", "--html", f"build/{stem}.html", *args
    )
    assert elapsed < GENEROUS
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    build_dir = project.root / "build"
    return run, build_dir / f"{stem}.pdf", (build_dir / f"{stem}.html").read_text()


def declared(template: Path, key: str) -> list[str]:
    prefix = f"# {key}: "
    lines = template.read_text(encoding="utf-8-sig").splitlines()
    return [line.removeprefix(prefix) for line in lines if line.startswith(prefix)]


def squashed(text: str) -> str:
    """Text compared without spacing: letter-spaced small capitals come out of
    pdftotext as "< sub>" or "r el", and long lines break anywhere."""
    return "".join(plain(text).split())


def html_text(markup: str) -> str:
    """The text of the HTML's <body>, as a reader of it would see it."""
    body = markup.split("<body", 1)[1]
    parser = _Text()
    parser.feed(body)
    return parser.text()


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)

    def text(self) -> str:
        return " ".join(self.parts)


RAW_HTML = sorted(BUILDS.glob("raw-html-*.yaml"))


@pytest.mark.parametrize("template", RAW_HTML, ids=[t.stem for t in RAW_HTML])
def test_raw_html_is_text_and_fetches_nothing(project, secret, template):
    """Raw HTML is off: each trick reaches the engine as text, never as an element, so
    nothing is attached, fetched or run; what it says is printed in the page."""
    project.photo("coffee.png")
    pictures = 1 if "coffee.png" in template.read_text() else 0
    _, pdf, markup = build(project, template, secret)
    assert_clean_html(markup, str(secret), pictures=pictures)
    page_text = squashed(pdftotext(pdf))
    shown = squashed(html_text(markup))
    for literal in declared(template, "as-text"):
        assert squashed(literal) in shown, literal
        assert squashed(literal) in page_text, literal
    assert_no_foreign_byte(pdf, images=COFFEE * pictures)


LINKS = sorted(BUILDS.glob("link-*.yaml"))


@pytest.mark.parametrize("template", LINKS, ids=[t.stem for t in LINKS])
def test_markdown_links_with_other_schemes_are_text(project, secret, template):
    """Only http, https and mailto stay live: the control link is the PDF's only URI
    action, and the hostile one is printed as its text with no action at all."""
    _, pdf, markup = build(project, template, secret)
    assert uris(pdf) == ["https://example.org/ok"]
    assert_clean_html(markup, str(secret))
    assert [
        attrs["href"]
        for tag, attrs in elements(markup)
        if tag == "a" and not attrs["href"].startswith("#")
    ] == ["https://example.org/ok"]
    assert "click me" in plain(pdftotext(pdf))
    assert_no_foreign_byte(pdf)


def test_script_title_is_text_everywhere(project, secret):
    """A headline, a special-edition title and a name made of markup: escaped in the
    HTML's <head> and body, and the very characters in the page text, the outline
    (bookmarks) and the document's metadata, where no escaping is needed."""
    _, pdf, markup = build(project, BUILDS / "title-script.yaml", secret)
    assert_clean_html(markup, str(secret))
    head = markup.split("<body", 1)[0]
    assert "<title>&lt;b&gt;Gazette&lt;/b&gt; — No. 1, January 2026: " in head
    assert "&lt;script&gt;alert(2)&lt;/script&gt;</title>" in head
    assert "<b>" not in markup and "<script" not in markup
    assert outline_titles(pdf) == ["<script>alert(1)</script>"]
    metadata = PdfReader(pdf).metadata
    assert metadata.title == "<b>Gazette</b> — No. 1, January 2026: <script>alert(2)</script>"
    assert metadata.author == "<b>Gazette</b>"
    text = pdftotext(pdf)
    assert "<script>alert(1)</script>" in text and "<b>Gazette</b>" in text
    assert_no_foreign_byte(pdf)


def test_yaml_1_1_lookalikes_keep_their_text(project, secret):
    """Each headline is the text as written, in the PDF a reader gets, not YAML 1.1's
    false, 1.1, 5349, a date object, true, 31, 1000.0 or infinity."""
    _, pdf, _ = build(project, BUILDS / "schema-titles.yaml", secret)
    assert outline_titles(pdf) == [
        "NO",
        "1.10",
        "012345",
        "2026-01-05",
        "on",
        "y",
        "0x1F",
        "1e3",
        ".inf",
        "null thoughts",
    ]
    assert PdfReader(pdf).metadata.author == "NO"
    assert_no_foreign_byte(pdf)


def test_bom_crlf_and_tabs_leave_no_trace(project, secret):
    """A BOM, CRLF line ends and tabs where YAML allows them build like any file:
    no U+FEFF in the name, no carriage return in any value, the tab a space."""
    _, pdf, markup = build(project, BUILDS / "bytes-bom-crlf-tabs.yaml", secret)
    assert "\r" not in markup and "\ufeff" not in markup
    assert outline_titles(pdf) == ["First story", "Second story"]
    assert PdfReader(pdf).metadata.author == "The Test Gazette"
    text = plain(pdftotext(pdf))
    assert "and the next. a second paragraph." in text and "tab inside." in text
    assert_no_foreign_byte(pdf)


CSS_STRINGS = sorted(BUILDS.glob("css-string-*.yaml"))


@pytest.mark.parametrize("template", CSS_STRINGS, ids=[t.stem for t in CSS_STRINGS])
def test_css_strings_keep_the_page_a4(project, secret, template):
    """The name and the labels are printed by CSS (`content:` strings in @page): a value
    that closes the string, the rule or the <style> element changes no page size, and is
    printed as written (the issue runs to a second page, where the running head shows)."""
    _, pdf, markup = build(project, template, secret)
    assert len(PdfReader(pdf).pages) >= 2
    assert page_sizes(pdf) == {A4_POINTS}
    assert_clean_html(markup, str(secret))
    text = squashed(pdftotext(pdf))
    for literal in declared(template, "as-text"):
        assert squashed(literal) in text, literal
    assert_no_foreign_byte(pdf)


PLAIN = (
    "name: Gazette\nissue: {number: 1, date: 2026-01-31}\n"
    "articles:\n  - {title: Plain, body: Text.}\n"
)


def with_stylesheet(project: Project, name: str) -> None:
    project.write("issues/plain.yaml", PLAIN)
    project.write("styles/classic/99-hostile.css", (BUILDS / name).read_text())


def test_project_stylesheet_devices_are_refused(project):
    """/dev/zero, /dev/urandom, a FIFO and a link to /dev/zero named by a project
    stylesheet (background images and a font): the fetcher refuses each and logs it,
    the build ends in time, and the PDF holds no image."""
    os.mkfifo(images(project) / "pipe.png")
    (images(project) / "zero.png").symlink_to("/dev/zero")
    with_stylesheet(project, "stylesheet-devices.css")
    run, elapsed = timed(project, "build", "issues/plain.yaml")
    assert elapsed < GENEROUS
    assert run.code == 0, run.stderr
    pictures = (project.root / "issues" / "images").resolve()
    refusals = {
        line.split("refused ", 1)[1] for line in run.stderr.splitlines() if "refused " in line
    }
    assert refusals == {
        "file:///dev/zero: outside the project folder",
        "file:///dev/urandom: outside the project folder",
        f"{(pictures / 'pipe.png').as_uri()}: not a regular file",
        f"{(pictures / 'zero.png').as_uri()}: outside the project folder",
    }
    assert_no_foreign_byte(project.root / "build" / "plain.pdf")


def test_huge_font_size_is_a_clean_error(project):
    """font-size: 1e9px: one clear line and exit 1, in time; nothing written."""
    with_stylesheet(project, "stylesheet-huge-font.css")
    run, elapsed = timed(project, "build", "issues/plain.yaml")
    assert elapsed < GENEROUS
    assert run.stderr.splitlines() == [
        "broadsheet: error: the layout cannot be made (OverflowError: integer 40960000000 "
        "does not fit 'int'): a size in a stylesheet, or an element nested too deep, is "
        "beyond what pages hold"
    ]
    assert run.code == 1
    assert not (project.root / "build" / "plain.pdf").exists()


def test_huge_page_size_leaves_the_page_a4(project):
    """@page { size: 1e6mm } in a project stylesheet: the issue's page_size wins."""
    with_stylesheet(project, "stylesheet-huge-page.css")
    run, elapsed = timed(project, "build", "issues/plain.yaml")
    assert elapsed < GENEROUS
    assert run.code == 0, run.stderr
    assert page_sizes(project.root / "build" / "plain.pdf") == {A4_POINTS}


def test_garbage_picture_data_builds_cleanly(project):
    """A PNG whose header is valid (so validation passes it) and whose pixel data is
    noise: no traceback, no internal error; the picture is the project's own file."""
    folder = images(project)
    buffer = io.BytesIO()
    Image.new("RGB", (100, 100), "blue").save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    start = data.index(b"IDAT") + 4
    data[start + 2 : start + 40] = os.urandom(38)
    (folder / "noise.png").write_bytes(bytes(data))
    project.write(
        "issues/noise.yaml",
        PLAIN.replace("body: Text.}", "body: Text., image: {src: images/noise.png, alt: Noise}}"),
    )
    run, elapsed = timed(project, "build", "issues/noise.yaml")
    assert elapsed < GENEROUS
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert image_sizes(project.root / "build" / "noise.pdf") == [(100, 100)]


def test_corpus_has_no_unused_file():
    """Every corpus file is read by a test above (a new trick needs a test to count)."""
    used = {*ERRORS, *RAW_HTML, *LINKS, *CSS_STRINGS}
    used |= {
        BUILDS / n for n in ("title-script.yaml", "schema-titles.yaml", "bytes-bom-crlf-tabs.yaml")
    }
    used |= {
        BUILDS / n
        for n in ("stylesheet-devices.css", "stylesheet-huge-font.css", "stylesheet-huge-page.css")
    }
    found = {p for p in CORPUS.rglob("*") if p.is_file() and p.name != ".gitattributes"}
    assert found == used
