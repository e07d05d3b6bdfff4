"""A theme file that is missing stops the build: an issue is never printed
unstyled or in a fallback font. (A file the content names is only refused.)"""

from __future__ import annotations

import pytest

ISSUE = """\
name: The Theme Gazette
issue: {number: 1, date: 2026-01-31}
articles:
  - title: First story
    body: Some text.
"""


@pytest.mark.parametrize(
    ("stylesheet", "missing"),
    [
        (
            "@font-face { font-family: X; src: url(../fonts/Missing.otf) }\n"
            ".story { font-family: X }\n",
            "styles/fonts/Missing.otf",
        ),
        ('@import "99-missing.css";\n', "styles/classic/99-missing.css"),
    ],
    ids=["font", "stylesheet"],
)
def test_a_missing_font_or_stylesheet_is_fatal(project, stylesheet, missing):
    project.write("issues/a.yaml", ISSUE)
    project.write("styles/classic/95-theme.css", stylesheet)
    run = project.run("build", "issues/a.yaml")
    assert run.code == 3
    assert run.stderr.splitlines() == [
        f"broadsheet: error: missing theme file {project.root / missing}"
    ]
    assert not (project.root / "build" / "a.pdf").exists()
