"""`broadsheet build --edition web` from the command line: where it writes,
what it refuses, that it never loads the engine, and that the same issue
gives the same files.

The projects here pick a theme of their own without fonts, so that each
test does not wait for the bundled faces to be cut.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

ISSUE = """\
name: The Test Gazette
lang: en
theme: plain
issue:
  number: 3
  date: 2026-03-31
articles:
  - title: First story
    body: |
      Opening paragraph with [a link](https://example.org/one).

      # A heading in the body

      More text.

      ## A smaller one

      The end.
    jump_after: 1
    link: https://example.org/more
    image:
      src: images/coffee.png
      alt: A cup of coffee on a saucer
  - title: Une brève
    lang: fr
    body: Un peu de texte.
  - title: Kurz
    lang: de
    toc: false
    body: Etwas Text.
boxes:
  - title: About us
    body: We are a club.
"""

MINIMAL = """\
name: The Test Gazette
theme: plain
issue:
  number: 1
  date: 2026-01-31
articles:
  - title: First story
    body: Some text.
"""


@pytest.fixture
def plain(project):
    project.write("styles/plain/10-page.css", "body { font-size: 10pt; }\n")
    project.write("styles/plain/web/20-look.css", "body { color: #222; }\n")
    project.photo()
    project.write("issues/2026-03.yaml", ISSUE)
    return project


def page_of(project, slug="2026-03"):
    return project.root / "build" / "site" / slug / "index.html"


def test_writes_the_page_and_names_it(plain):
    result = plain.run("build", "issues/2026-03.yaml", "--edition", "web")
    assert result.code == 0, result.stderr
    assert result.stdout.strip() == "build/site/2026-03/index.html"
    assert page_of(plain).is_file()
    assert (page_of(plain).parent / "screen.css").is_file()


def test_a_jumped_story_is_one_article_with_its_headings_under_its_title(plain):
    plain.run("build", "issues/2026-03.yaml", "--edition", "web")
    html = BeautifulSoup(page_of(plain).read_text(encoding="utf-8"), "html.parser")
    first = html.find("article", id="first-story")
    assert [h.name for h in first.find_all(["h1", "h2", "h3", "h4"])] == ["h2", "h3", "h4"]
    assert "The end." in first.get_text()  # the part print continues on a later page
    assert len(html.find_all("article")) == 3
    hrefs = [a["href"] for a in first.find_all("a")]
    assert hrefs == ["https://example.org/one", "https://example.org/more"]
    assert html.find("article", id="une-breve")["lang"] == "fr"
    assert "lang" not in first.attrs  # the page's own language
    assert [a["href"] for a in html.select("nav a")] == ["#first-story", "#une-breve", "#about-us"]


def test_the_pdf_is_copied_and_linked_when_it_is_built(plain):
    plain.run("build", "issues/2026-03.yaml", "--edition", "web")
    assert not BeautifulSoup(page_of(plain).read_text(), "html.parser").find(type="application/pdf")
    built = plain.root / "build" / "2026-03.pdf"
    built.write_bytes(b"stands for the PDF")
    plain.run("build", "issues/2026-03.yaml", "--edition", "web")
    html = BeautifulSoup(page_of(plain).read_text(encoding="utf-8"), "html.parser")
    links = {a["href"] for a in html.find_all("a", type="application/pdf")}
    assert links == {"2026-03.pdf"}
    assert (page_of(plain).parent / "2026-03.pdf").read_bytes() == b"stands for the PDF"


def test_the_same_issue_gives_the_same_files(plain):
    plain.run("build", "issues/2026-03.yaml", "--edition", "web")
    folder = page_of(plain).parent
    first = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    plain.run("build", "issues/2026-03.yaml", "--edition", "web")
    again = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert first == again
    assert any(name.parts[0] == "images" for name in first)


def test_bad_input_is_located_and_nothing_is_written(plain):
    plain.write("issues/2026-03.yaml", ISSUE.replace("number: 3", "number: three"))
    result = plain.run("build", "issues/2026-03.yaml", "--edition", "web")
    assert result.code == 1
    assert result.stderr.startswith("issues/2026-03.yaml:5:")
    assert ": error: " in result.stderr and "Traceback" not in result.stderr
    folder = page_of(plain).parent
    assert not folder.exists() or not any(folder.iterdir())


def test_options_of_the_pdf_need_the_pdf(plain):
    result = plain.run("build", "issues/2026-03.yaml", "--edition", "web", "-o", "x.pdf")
    assert result.code == 2 and "--edition pdf" in result.stderr
    result = plain.run("build", "issues/2026-03.yaml", "--edition", "epub")
    assert result.code == 2 and "invalid choice" in result.stderr


def test_the_web_edition_never_loads_the_engine(plain):
    script = (
        "import sys; from broadsheet.cli.main import main;"
        " code = main(['build', 'issues/2026-03.yaml', '--edition', 'web', '--quiet']);"
        " print(code, 'weasyprint' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=plain.root, capture_output=True, text=True
    )
    assert result.stdout.split() == ["0", "False"], result.stderr


def test_both_editions_in_one_run_the_pdf_first(project):
    project.write("issues/2026-01.yaml", MINIMAL)
    project.write("styles/plain/web/20-look.css", "body { color: #222; }\n")
    project.write("styles/plain/10-page.css", "body { font-size: 10pt; }\n")
    result = project.run("build", "issues/2026-01.yaml", "--edition", "web", "--edition", "pdf")
    assert result.code == 0, result.stderr
    assert result.stdout.split() == ["build/2026-01.pdf", "build/site/2026-01/index.html"]
    pdf = project.root / "build" / "2026-01.pdf"
    assert (
        project.root / "build" / "site" / "2026-01" / "2026-01.pdf"
    ).read_bytes() == pdf.read_bytes()


def test_a_picture_no_longer_named_leaves_the_folder(plain):
    plain.run("build", "issues/2026-03.yaml", "--edition", "web")
    images = page_of(plain).parent / "images"
    before = sorted(p.name for p in images.iterdir())
    plain.photo("chelsea.png", as_name="coffee.png")  # another picture under the same name
    plain.run("build", "issues/2026-03.yaml", "--edition", "web")
    after = sorted(p.name for p in images.iterdir())
    assert after and not set(before) & set(after)


@pytest.mark.parametrize("url", ["missing.png", "../../../../../../etc/hostname"])
def test_a_stylesheet_naming_no_file_of_the_project_is_located(plain, url):
    plain.write(
        "styles/plain/web/20-look.css",
        f"body {{ color: #222; }}\n.x {{ background: url({url}); }}\n",
    )
    result = plain.run("build", "issues/2026-03.yaml", "--edition", "web")
    assert result.code == 1
    assert result.stderr.startswith("styles/plain/web/20-look.css:2:1: error: url(")
    assert not page_of(plain).exists()


def test_a_projects_own_template_replaces_the_bundled_one(plain):
    plain.write(
        "layout/web/masthead.html.j2",
        '<header class="masthead"><h1 class="name">{{ issue.name }}, our way</h1></header>\n',
    )
    assert plain.run("build", "issues/2026-03.yaml", "--edition", "web").code == 0
    html = BeautifulSoup(page_of(plain).read_text(encoding="utf-8"), "html.parser")
    assert html.h1.get_text() == "The Test Gazette, our way"
    assert html.find("article", id="first-story")  # the rest is the bundled layout's


def test_an_error_in_a_projects_template_is_located(plain):
    plain.write("layout/web/masthead.html.j2", "<header>\n{{ issue.no_such_key }}\n</header>\n")
    result = plain.run("build", "issues/2026-03.yaml", "--edition", "web")
    assert result.code == 1
    assert result.stderr.startswith("layout/web/masthead.html.j2:2:1: error: template")


def test_the_issues_warnings_are_shown_and_strict_refuses_them(plain):
    without_alt = ISSUE.replace("      alt: A cup of coffee on a saucer\n", "")
    plain.write("issues/2026-03.yaml", without_alt)
    result = plain.run("build", "issues/2026-03.yaml", "--edition", "web")
    assert result.code == 0 and ": warning: " in result.stderr
    result = plain.run("build", "issues/2026-03.yaml", "--edition", "web", "--strict")
    assert result.code == 1 and ": error: " in result.stderr
