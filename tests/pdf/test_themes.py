"""The layered themes, built for real: the bulletin theme sets every sample
issue strictly in every profile, and a project's copy of one base stylesheet
is the one the engine applies."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from broadsheet.cli.main import main
from broadsheet.profiles import PROFILES
from broadsheet.theme import BASE, BUNDLED

REPO = Path(__file__).resolve().parents[2]
SAMPLES = ("2026-10", "2026-11", "fr/2026-12", "fa/2026-12")


@pytest.fixture(scope="module")
def bulletin_issues(tmp_path_factory) -> Path:
    """A copy of issues/ with every publication set in bulletin on A5, its design size."""
    root = tmp_path_factory.mktemp("bulletin")
    shutil.copytree(REPO / "issues", root / "issues")
    for newsletter in (root / "issues").rglob("newsletter.yaml"):
        text = re.sub(r"(?m)^(theme|page_size):.*\n", "", newsletter.read_text(encoding="utf-8"))
        newsletter.write_text(f"{text.rstrip()}\ntheme: bulletin\npage_size: A5\n", "utf-8")
    return root


@pytest.mark.parametrize("profile", sorted(PROFILES))
@pytest.mark.parametrize("slug", SAMPLES)
def test_bulletin_sets_every_sample_strictly(bulletin_issues, slug, profile, capsys):
    root = bulletin_issues
    out = root / "build" / f"{slug}-{profile}.pdf"
    issue = str(root / "issues" / f"{slug}.yaml")
    arguments = ["build", "--strict", issue, "-o", str(out), "--root", str(root)]
    code = main([*arguments, "--profile", profile], environ={})
    stderr = capsys.readouterr().err
    assert code == 0, stderr
    assert "warning" not in stderr and "error" not in stderr, stderr
    reader = PdfReader(out, strict=True)
    assert round(float(reader.pages[0].trimbox.width)) == 420  # A5
    assert [item.title for item in reader.outline]  # every story a bookmark, from the base


WITH_A_QUOTE = """\
name: The Test Gazette
issue:
  number: 1
  date: 2026-01-31
articles:
  - title: First story
    pullquote: Quoted words
    body: |
      Some text.

      More text.
"""
MARK = "FROM-THE-PROJECT"


def text_and_outline(pdf: Path) -> tuple[str, list[str]]:
    reader = PdfReader(pdf)
    return "".join(page.extract_text() for page in reader.pages), [i.title for i in reader.outline]


def test_a_projects_copy_of_a_base_stylesheet_replaces_the_bundled_one(project):
    """The base's pull-quote marks, changed in the project's copy of that one
    file; the other base files (the bookmarks, say) still come bundled."""
    project.write("issues/1.yaml", WITH_A_QUOTE)
    assert project.run("build", "issues/1.yaml", "--quiet", "--strict").code == 0
    text, outline = text_and_outline(project.root / "build" / "1.pdf")
    assert "Quoted words" in text and MARK not in text
    assert outline == ["First story"]
    bundled = BUNDLED / "styles" / BASE / "30-stories.css"
    rule = "blockquote.pullquote p::before {\n  content: open-quote;\n}"
    assert rule in bundled.read_text(encoding="utf-8")
    mine = bundled.read_text(encoding="utf-8").replace(
        rule, rule.replace("open-quote", f'"{MARK} "')
    )
    (project.root / "styles" / BASE).mkdir(parents=True)
    (project.root / "styles" / BASE / "30-stories.css").write_text(mine, encoding="utf-8")
    run = project.run("build", "issues/1.yaml", "--quiet", "--strict")
    assert run.code == 0, run.stderr
    text, outline = text_and_outline(project.root / "build" / "1.pdf")
    assert f"{MARK} Quoted words" in text
    assert outline == ["First story"]
