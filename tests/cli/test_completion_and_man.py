"""Shell completion and the manual page are made from the parser: every
command and option is in them, and bash accepts (and runs) the script."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from broadsheet.cli.definitions import commands
from broadsheet.cli.main import parser

COMMANDS = commands(parser())


def test_the_parser_walk_sees_every_command():
    names = {c.name for c in COMMANDS}
    assert {"build", "check", "inspect", "mail", "new", "import", "archive"} <= names
    assert {"completion", "man"} <= names


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_every_command_and_option_is_in_the_script(project, shell):
    run = project.run("completion", shell)
    assert run.code == 0, run.stderr
    for command in COMMANDS:
        assert command.name in run.stdout
        for flag in command.flags:
            # fish names options without their dashes: -l output, -s o
            spelt = (
                flag
                if shell != "fish"
                else (f"-l {flag[2:]}" if flag[:2] == "--" else f"-s {flag[1:]}")
            )
            assert spelt in run.stdout, (command.name, flag)
    assert "archive email print" in run.stdout  # --profile's choices


def test_the_man_page_holds_every_command_and_option(project):
    run = project.run("man")
    assert run.code == 0, run.stderr
    page = run.stdout
    assert page.startswith(".TH BROADSHEET 1 ")
    for command in COMMANDS:
        assert f'.SS "{command.name}"' in page
        for flag in command.flags:
            roff = flag.replace("-", "\\-")
            assert f"\\fB{roff}\\fR" in page, (command.name, flag)
    assert '.SH "EXIT STATUS"' in page and "NO_COLOR" in page
    assert "broadsheet import https://example.org/feed.xml" in page.replace("\\-", "-")
    run = project.run("man", "-o", "build/broadsheet.1")
    assert run.code == 0 and run.stdout == "build/broadsheet.1\n"
    assert (project.root / "build" / "broadsheet.1").read_text() == page


@pytest.mark.skipif(not shutil.which("man"), reason="no man program")
def test_man_formats_the_page_without_complaint(project):
    assert project.run("man", "-o", "broadsheet.1").code == 0
    shown = subprocess.run(
        ["man", "-l", "-Tutf8", "--warnings", "broadsheet.1"],
        capture_output=True,
        text=True,
        env={"MANWIDTH": "80", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert "warning" not in shown.stderr, shown.stderr
    assert "broadsheet archive" in shown.stdout


def test_bash_accepts_the_script_and_completes_with_it(project):
    script = project.root / "broadsheet.bash"
    script.write_text(project.run("completion", "bash").stdout)
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
    project.write("issues/2026-10.yaml", "x: 1\n")

    def complete(*words: str) -> list[str]:
        words_text = " ".join(f"'{w}'" for w in ("broadsheet", *words))
        program = (
            f"source {script}; COMP_WORDS=({words_text}); COMP_CWORD={len(words)};"
            " _broadsheet; printf '%s\\n' \"${COMPREPLY[@]}\""
        )
        done = subprocess.run(
            ["bash", "-c", program], capture_output=True, text=True, check=True, cwd=project.root
        )
        return done.stdout.split()

    assert complete("ar") == ["archive"]
    assert "import" in complete("")
    assert complete("build", "--prof") == ["--profile"]
    assert complete("build", "--profile", "") == ["archive", "email", "print"]
    assert complete("build", "issues/20") == ["issues/2026-10.yaml"]
    assert sorted(complete("completion", "")) == ["bash", "fish", "zsh"]
    assert "--since" in complete("import", "--")


def test_help_shows_an_example_for_every_command(capsys):
    for command in COMMANDS:
        with pytest.raises(SystemExit) as done:
            parser().parse_args([command.name, "--help"])
        assert done.value.code == 0
        shown = capsys.readouterr().out
        assert "example:" in shown and f"broadsheet {command.name}" in shown, command.name


def test_an_unknown_shell_is_a_usage_error(project):
    run = project.run("completion", "tcsh")
    assert run.code == 2 and "invalid choice" in run.stderr
