"""`broadsheet new`: the next issue from the newest one, never over an existing file."""

from __future__ import annotations

import datetime as dt

from broadsheet.editor.new import next_date

PREVIOUS = """\
issue:
  number: {number}
  volume: {volume}
  date: {date}
articles:
  - title: Old news
    body: Text.
"""


def fill(text: str) -> str:
    """What an editor does with the skeleton: a headline and a body."""
    text = text.replace("  - title:  ", "  - title: The first story", 1)
    return text.replace(
        "(required), on the lines below\n",
        "(required), on the lines below\n      It happened.\n",
        1,
    )


def test_new_carries_the_number_volume_and_a_month_on(project):
    project.write("issues/newsletter.yaml", "name: The Gazette\n")
    project.write("issues/2026-10.yaml", PREVIOUS.format(number=17, volume=3, date="2026-10-01"))
    project.write("issues/2026-11.yaml", PREVIOUS.format(number=18, volume=3, date="2026-11-01"))
    run = project.run("new")
    assert run.code == 0, run.stderr
    assert run.stdout == "issues/2026-12.yaml\n"
    text = (project.root / "issues" / "2026-12.yaml").read_text()
    assert "  number: 19\n  volume: 3\n  date: 2026-12-01\n" in text
    assert "name:" not in text  # newsletter.yaml has it


def test_the_skeleton_fails_check_at_its_empty_lines_and_passes_once_filled(project):
    project.write("issues/newsletter.yaml", "name: The Gazette\n")
    project.write("issues/2026-11.yaml", PREVIOUS.format(number=18, volume=3, date="2026-11-01"))
    assert project.run("new").code == 0
    path = project.root / "issues" / "2026-12.yaml"
    lines = path.read_text().splitlines()
    run = project.run("check", "issues/2026-12.yaml")
    assert run.code == 1
    title_line = next(n for n, line in enumerate(lines, 1) if line.startswith("  - title:"))
    body_line = next(n for n, line in enumerate(lines, 1) if line.startswith("    body:"))
    assert f"issues/2026-12.yaml:{title_line}:" in run.stderr
    assert "articles[0].title: expected text, got nothing" in run.stderr
    assert f"issues/2026-12.yaml:{body_line}:" in run.stderr
    assert "articles[0].body" in run.stderr
    path.write_text(fill(path.read_text()))
    run = project.run("check", "issues/2026-12.yaml")
    assert run.code == 0, run.stderr + path.read_text()


def test_an_uncommented_skeleton_validates_too(project):
    """Every optional key in the comments is a real key, spelt right."""
    project.photo("coffee.png", "photo.jpg")
    assert project.run("new", "--date", "2026-03-05").code == 0
    path = project.root / "issues" / "2026-03.yaml"
    text = fill(path.read_text())
    lines = text.splitlines()
    while lines[0].startswith("#"):  # the note at the top
        lines.pop(0)
    uncommented = "\n".join(
        line.replace("# ", "", 1) if line.lstrip().startswith("# ") and ":" in line else line
        for line in lines
    )
    path.write_text(uncommented + "\n")
    run = project.run("check", "issues/2026-03.yaml")
    assert run.code == 0, run.stderr + uncommented
    assert "subtitle: One line" in uncommented and "boxes:" in uncommented


def test_with_no_previous_issue_it_starts_at_number_one(project):
    run = project.run("new", "first", "--date", "2026-01-15")
    assert run.code == 0, run.stderr
    text = (project.root / "issues" / "first.yaml").read_text()
    assert "  number: 1\n" in text and "  date: 2026-01-15\n" in text
    assert "volume: 1" in text and "  volume" not in text.replace("  # volume", "")
    assert text.startswith("# Issue 1")
    assert "\nname: " in text  # no newsletter.yaml: the name goes in the issue


def test_it_refuses_to_overwrite(project):
    project.write("issues/2026-12.yaml", "mine: true\n")
    project.write("issues/2026-11.yaml", PREVIOUS.format(number=18, volume=3, date="2026-11-01"))
    run = project.run("new")
    assert run.code == 1
    assert run.stderr.startswith("issues/2026-12.yaml:1:1: error: this issue already exists")
    assert (project.root / "issues" / "2026-12.yaml").read_text() == "mine: true\n"
    assert run.stdout == ""


def test_the_newest_is_by_date_and_the_number_is_the_highest(project):
    project.write("issues/b.yaml", PREVIOUS.format(number=7, volume=2, date="2026-05-31"))
    project.write("issues/a.yaml", PREVIOUS.format(number=6, volume=1, date="2026-04-30"))
    run = project.run("new")
    assert run.code == 0, run.stderr
    text = (project.root / "issues" / "2026-06.yaml").read_text()
    assert "number: 8\n  volume: 2\n  date: 2026-06-30\n" in text


def test_bad_date_and_bad_slug(project):
    run = project.run("new", "--date", "May 5")
    assert run.code == 2 and "expected a date like 2026-01-31" in run.stderr
    run = project.run("new", "../outside", "--date", "2026-01-01")
    assert run.code == 2 and "cannot name an issue file" in run.stderr
    assert not (project.root / "outside.yaml").exists()


def test_next_date_keeps_the_day_or_the_month_end():
    assert next_date(dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)
    assert next_date(dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)
    assert next_date(dt.date(2026, 10, 15)) == dt.date(2026, 11, 15)


def test_dates_outside_the_years_a_pdf_can_hold_are_refused(project):
    """A year of three digits has no PDF date; 9999 leaves no month to count on."""
    project.write("issues/newsletter.yaml", "name: The Gazette\n")
    for date in ("0999-12-31", "9999-01-01"):
        run = project.run("new", "--date", date)
        assert run.code == 2, run.stderr
        assert "expected a date from 1000-01-01 to 9998-12-31" in run.stderr
        run = project.run("import", "feed.xml", "--since", date)
        assert run.code == 2, run.stderr
    project.write("issues/2026-10.yaml", PREVIOUS.format(number=1, volume=1, date="9999-12-01"))
    run = project.run("new")  # an issue no build would take is no issue to count on from
    assert run.code == 0, run.stderr
