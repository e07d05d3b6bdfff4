"""The command line as CLI.md describes it: exit codes, streams, help, several issues."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from broadsheet import __version__

GOOD = """\
name: Gazette
issue: {number: 1, date: 2026-01-31}
articles:
  - title: One
    body: Text.
    image: {src: images/coffee.png, caption: A cup.}
"""


@pytest.fixture
def good(project):
    project.photo("coffee.png")
    project.write("issues/newsletter.yaml", "tagline: A line\n")
    project.write("issues/one.yaml", GOOD)
    project.write("issues/two.yaml", GOOD.replace("One", "Two"))
    return project


def test_build_writes_build_slug_pdf_and_prints_the_path(good):
    run = good.run("build", "issues/one.yaml", "issues/two.yaml")
    assert run.code == 0, run.stderr
    assert run.stdout.split() == ["build/one.pdf", "build/two.pdf"]
    assert (good.root / "build" / "one.pdf").read_bytes().startswith(b"%PDF-")
    *fits, summary = run.stderr.splitlines()
    assert [line.split(";")[0] for line in fits] == [
        "issues/one.yaml: 1 page",
        "issues/two.yaml: 1 page",
    ]
    assert summary.startswith("built 2 issues (2 pages, ")


def test_the_pdf_gets_the_permissions_of_any_new_file(good):
    """Not the 0600 of the temporary file it is written through: it is for sharing."""
    previous = os.umask(0o022)
    try:
        assert good.run("build", "issues/one.yaml").code == 0
    finally:
        os.umask(previous)
    assert (good.root / "build" / "one.pdf").stat().st_mode & 0o777 == 0o644


def test_output_html_and_depfile(good):
    run = good.run(
        "build",
        "issues/one.yaml",
        "-o",
        "out/x.pdf",
        "--html",
        "out/x.html",
        "--depfile",
        "out/x.d",
    )
    assert run.code == 0, run.stderr
    assert (good.root / "out" / "x.pdf").is_file()
    assert '<h2 class="headline" id="one">' in (good.root / "out" / "x.html").read_text()
    rule = (good.root / "out" / "x.d").read_text()
    assert rule.startswith("out/x.pdf: \\\n")
    for needed in (
        "issues/one.yaml",
        "issues/newsletter.yaml",
        "issues/images/coffee.png",
        "issue.html.j2",
        ".css",
        ".otf",
    ):
        assert needed in rule


def test_quiet_prints_nothing_on_success(good):
    run = good.run("build", "--quiet", "issues/one.yaml")
    assert (run.code, run.stdout, run.stderr) == (0, "", "")


def test_one_bad_issue_does_not_stop_the_others(good):
    good.write("issues/bad.yaml", GOOD.replace("number: 1", "number: none"))
    run = good.run("build", "issues/bad.yaml", "issues/one.yaml")
    assert run.code == 1
    assert run.stdout.split() == ["build/one.pdf"]
    assert run.stderr.startswith("issues/bad.yaml:2:17: error: issue.number:")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build"], "the following arguments are required: ISSUE.yaml"),
        (["build", "--frobnicate", "issues/one.yaml"], "unrecognized arguments: --frobnicate"),
        (
            ["build", "issues/one.yaml", "issues/two.yaml", "-o", "x.pdf"],
            "-o, --html and --depfile take one issue",
        ),
        (["check", "issues/missing.yaml"], "no such issue file: issues/missing.yaml"),
        (["build", "issues/missing.yaml"], "no such issue file: issues/missing.yaml"),
        (["publish"], "invalid choice: 'publish'"),
        ([], "the following arguments are required: COMMAND"),
        (["build", "--root", "nowhere", "issues/one.yaml"], "--root: no such folder: nowhere"),
    ],
)
def test_usage_errors_exit_2(good, args, message):
    run = good.run(*args)
    assert run.code == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def test_an_unwritable_output_is_a_clear_failure(good):
    (good.root / "blocker").write_text("a file where a folder should be")
    run = good.run("build", "issues/one.yaml", "-o", "blocker/out.pdf")
    assert run.code == 2  # the command line names a place no file can go
    assert run.stderr.startswith("broadsheet: error: cannot create blocker:")
    assert "Traceback" not in run.stderr


def test_version_and_help_with_examples():
    def cli(*args):
        return subprocess.run(
            [sys.executable, "-m", "broadsheet", *args], capture_output=True, text=True
        )

    assert cli("--version").stdout.strip() == f"broadsheet {__version__}"
    for command in ([], ["build"], ["check"]):
        result = cli(*command, "--help")
        assert result.returncode == 0
        assert "example:" in result.stdout
        assert "broadsheet " in result.stdout.split("example:")[1]


def test_check_is_silent_when_valid(good):
    run = good.run("check", "issues/one.yaml", "issues/two.yaml")
    assert (run.code, run.stdout, run.stderr) == (0, "", "")
    assert not (good.root / "build").exists()


def test_a_depfile_reads_back_as_the_files_it_names(tmp_path):
    """`broadsheet mail` reads the rule `build` wrote to know if the PDF is stale."""
    from broadsheet.outputs.depfile import make_rule, rule_dependencies

    files = (tmp_path / "with space" / "a.yaml", tmp_path / "b.png")
    rule, left_out = make_rule(tmp_path / "x.pdf", files)
    assert (rule_dependencies(rule), left_out) == (list(files), [])
