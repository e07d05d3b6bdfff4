"""Outputs never destroy inputs: `-o`, `--html` and `--depfile` (and watch's)
refuse, before any rendering, a path that is one of the build's inputs, a
folder or not a regular file, however it is spelled; and a build that fails
leaves the PDF, the HTML and the depfile as they were."""

from __future__ import annotations

import os

import pytest

ISSUE = """\
issue: {number: 1, date: 2026-01-31}
articles:
  - title: First story
    body: Some text, long enough to set a line or two of type.
    image: {src: images/coffee.png, alt: A cup of coffee.}
"""


@pytest.fixture
def issue(project):
    project.write("issues/newsletter.yaml", "name: The Test Gazette\n")
    project.write("issues/x.yaml", ISSUE)
    project.photo("coffee.png")
    project.write("styles/classic/90-house.css", "h1 { letter-spacing: 0; }\n")
    project.write("layout/partials/note.html.j2", "{# a project template #}\n")
    return project


def refused(project, *options: str, command: str = "build") -> str:
    """Run the build with `options`; assert it was refused before rendering."""
    run = project.run(command, "issues/x.yaml", *options)
    assert run.code == 2, run.stderr
    assert "Traceback" not in run.stderr
    build = project.root / "build"  # the default PDF's folder may have been made, empty
    assert not build.exists() or not any(build.rglob("*"))  # no picture prepared, no PDF
    return run.stderr


@pytest.mark.parametrize("option", ["-o", "--html", "--depfile"], ids=["output", "html", "depfile"])
@pytest.mark.parametrize(
    "target",
    [
        "issues/x.yaml",
        "issues/newsletter.yaml",
        "issues/images/coffee.png",
        "styles/classic/90-house.css",
        "layout/partials/note.html.j2",
    ],
    ids=["issue", "newsletter", "picture", "stylesheet", "template"],
)
def test_an_input_is_never_an_output(issue, option, target):
    before = (issue.root / target).read_bytes()
    stderr = refused(issue, option, target)
    assert f"{option} {target}: is one of the build's inputs; nothing was written" in stderr
    assert (issue.root / target).read_bytes() == before


def test_a_picture_named_only_in_the_markdown_is_an_input(issue):
    issue.photo("chelsea.png")
    story = '  - title: Second\n    body: "A cat: ![A cat](images/chelsea.png)"\n'
    issue.write("issues/x.yaml", ISSUE + story)
    picture = issue.root / "issues" / "images" / "chelsea.png"
    before = picture.read_bytes()
    assert "is one of the build's inputs" in refused(issue, "-o", "issues/images/chelsea.png")
    assert picture.read_bytes() == before


def test_a_bundled_stylesheet_is_an_input_too(issue):
    from broadsheet.theme import BUNDLED

    stylesheet = next((BUNDLED / "styles" / "classic").glob("*.css"))
    before = stylesheet.read_bytes()
    stderr = refused(issue, "-o", str(stylesheet))
    assert "is one of the build's inputs" in stderr
    assert stylesheet.read_bytes() == before


@pytest.mark.parametrize("kind", ["symlink", "hardlink", "spelling"])
def test_an_input_under_another_name_is_still_an_input(issue, kind):
    yaml = issue.root / "issues" / "x.yaml"
    before = yaml.read_bytes()
    if kind == "symlink":
        (issue.root / "out.pdf").symlink_to(yaml)
        target = "out.pdf"
    elif kind == "hardlink":
        os.link(yaml, issue.root / "out.pdf")
        target = "out.pdf"
    else:
        (issue.root / "elsewhere").mkdir()
        target = "elsewhere/../issues/./x.yaml"
    assert "is one of the build's inputs" in refused(issue, "-o", target)
    assert yaml.read_bytes() == before


def test_a_folder_is_not_an_output(issue):
    (issue.root / "out").mkdir()
    for option in ("-o", "--html", "--depfile"):
        assert f"{option} out: is a folder" in refused(issue, option, "out")


def test_a_fifo_is_not_an_output(issue):
    os.mkfifo(issue.root / "pipe")
    for option in ("-o", "--html", "--depfile"):
        stderr = refused(issue, option, "pipe")  # would block for ever if it were opened
        assert f"{option} pipe: is not a regular file" in stderr


def test_two_options_naming_one_file(issue):
    stderr = refused(issue, "-o", "out/x.pdf", "--html", "out/../out/x.pdf")
    assert "--html out/../out/x.pdf: -o names the same file" in stderr


@pytest.mark.parametrize(
    ("option", "target"),
    [("--html", "issues/x.yaml"), ("-o", "issues/images/coffee.png")],
    ids=["issue", "picture"],
)
def test_watch_refuses_an_input_as_its_output(issue, option, target):
    """Refused before the first build: watch ends (it never starts watching)."""
    before = (issue.root / target).read_bytes()
    stderr = refused(issue, option, target, command="watch")
    assert f"{option} {target}: is one of the build's inputs" in stderr
    assert (issue.root / target).read_bytes() == before


def test_a_good_path_still_builds(issue):
    run = issue.run("build", "issues/x.yaml", "-o", "out/x.pdf", "--html", "out/x.html")
    assert run.code == 0, run.stderr
    assert (issue.root / "out" / "x.pdf").read_bytes().startswith(b"%PDF-")


# -- a failed build leaves all three files as they were -----------------------------


@pytest.fixture
def old_outputs(issue):
    """A PDF, HTML and depfile from before, to be left alone."""
    old = {"out/x.html": b"old html", "out/x.d": b"old depfile"}
    for name, data in old.items():
        (issue.root / name).parent.mkdir(exist_ok=True)
        (issue.root / name).write_bytes(data)
    return old


def unchanged(project, old) -> None:
    for name, data in old.items():
        assert (project.root / name).read_bytes() == data, name
    assert [p.name for p in (project.root / "out").iterdir() if p.name.startswith(".")] == []


def test_a_failing_content_build_writes_none_of_the_three(issue, old_outputs):
    issue.write("issues/x.yaml", ISSUE.replace("number: 1", "number: one"))
    run = issue.run(
        "build", "issues/x.yaml", "-o", "out/x.pdf", "--html", "out/x.html", "--depfile", "out/x.d"
    )
    assert run.code == 1
    unchanged(issue, old_outputs)
    assert not (issue.root / "out" / "x.pdf").exists()


def test_a_pdf_that_cannot_be_written_leaves_the_html_and_depfile(issue, old_outputs):
    """The PDF's name is so long that its temporary file cannot be made: found
    only at the end of a real build, after the HTML and depfile were ready."""
    long_name = "out/" + "x" * 250 + ".pdf"
    run = issue.run(
        "build", "issues/x.yaml", "-o", long_name, "--html", "out/x.html", "--depfile", "out/x.d"
    )
    assert run.code == 2, run.stderr  # the name the command line gave is too long
    assert "cannot write" in run.stderr and "Traceback" not in run.stderr
    unchanged(issue, old_outputs)
