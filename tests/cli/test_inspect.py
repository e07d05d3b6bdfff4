"""`broadsheet inspect`: the report an editor reads before sending a PDF, and its JSON.

Checked on broadsheet's own sample in each profile, and on a PDF made by hand
without broadsheet (tests/handmade_pdf.py), where the faults are planted.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

import handmade_pdf
from conftest import build_sample

REPO = Path(__file__).resolve().parents[2]

# Renaming or dropping one of these breaks every script that reads the JSON.
JSON_KEYS = {
    "attachments",
    "bleed_mm",
    "bytes",
    "contents",
    "file",
    "findings",
    "fonts",
    "images",
    "links",
    "metadata",
    "outline",
    "page_size_mm",
    "pages",
    "profile",
    "standards",
    "tags",
}
# The same for each entry of the lists, and the two objects (docs/profiles.md).
ENTRY_KEYS = {
    "fonts": {"name", "type", "embedded", "subset"},
    "images": {"page", "pixels", "dpi", "printed_mm", "bytes", "encoding"},
    "contents": {"page", "title", "printed_page", "target", "target_page", "ok"},
    "links": {"page", "uri", "file", "target", "target_page"},
    "outline": {"title", "page", "level"},
    "attachments": {"name", "bytes", "relationship"},
    "findings": {"severity", "code", "page", "message"},
}
OBJECT_KEYS = {
    "standards": {"pdf_a", "pdf_ua"},
    "metadata": {
        "Title",
        "Author",
        "Subject",
        "Creator",
        "Producer",
        "CreationDate",
        "ModDate",
        "Lang",
    },
    "tags": {"tagged", "marked", "shows_title", "figures", "figures_without_alt", "headings"},
}


def assert_documented_keys(data: dict) -> None:
    """Every key of the JSON, down to the entries of its lists, is the documented one."""
    assert set(data) == JSON_KEYS
    for name, keys in OBJECT_KEYS.items():
        assert set(data[name]) == keys, name
    for name, keys in ENTRY_KEYS.items():
        for entry in data[name]:
            assert set(entry) == keys, name


def section(table: str, heading: str) -> list[str]:
    """The rows of one section of the table: the lines after `heading` up to a blank line."""
    lines = table.splitlines()
    start = lines.index(heading) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return [line.strip() for line in lines[start:end]]


def report(project, pdf: Path, *options: str) -> dict:
    """The JSON report, after checking it is valid JSON and the only output."""
    run = project.run("inspect", str(pdf), "--json", *options)
    assert run.stderr == ""
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def profile_pdfs(tmp_path_factory) -> dict[str, Path]:
    """The sample issue built for the print shop and for the archive, once per module."""
    built = {}
    for profile in ("print", "archive"):
        out = tmp_path_factory.mktemp(profile) / f"2026-10-{profile}.pdf"
        built[profile] = build_sample("2026-10", out, "--profile", profile)
    return built


@pytest.fixture(scope="module")
def handmade(tmp_path_factory) -> Path:
    """The hand-made PDF with its three faults."""
    return handmade_pdf.write(tmp_path_factory.mktemp("handmade") / "handmade.pdf")


@pytest.fixture(scope="module")
def handmade_right_contents(tmp_path_factory) -> Path:
    """The hand-made PDF, but its contents line prints the right page (2)."""
    return handmade_pdf.write(tmp_path_factory.mktemp("handmade") / "right.pdf", printed=2)


# The sample, as the email profile builds it


def test_sample_table_shows_pages_fonts_images_contents_links_title_and_no_findings(
    project, sample_pdf
):
    """The table is what an editor reads: everything in it must be there and right."""
    run = project.run("inspect", str(sample_pdf))
    assert (run.code, run.stderr) == (0, "")
    table = run.stdout
    data = report(project, sample_pdf)
    assert table.splitlines()[0] == str(sample_pdf)
    assert table.splitlines()[1].startswith("  4 pages, 210 × 297 mm, ")
    assert "bleed" not in table.splitlines()[1]
    assert table.splitlines()[2] == "  profile email; claims PDF/UA-1"

    fonts = section(table, "fonts")
    assert fonts[0].split() == ["name", "type", "embedded", "subset"]
    assert len(fonts) > 1
    for row in fonts[1:]:
        assert row.split()[1:] == ["Type0", "yes", "yes"], row

    images = section(table, "images")
    assert len(images) == 1 + len(data["images"]) == 4
    for row, image in zip(images[1:], data["images"], strict=True):
        width, height = image["pixels"]
        assert row.startswith(f"{image['page']}  ")
        assert f"{width} × {height}  {image['dpi']:.0f}  " in row

    entries = [
        re.fullmatch(r"(\d+)\s+(.+?)\s+(\d+)\s+(\d+)\s+(ok|WRONG)", row).groups()
        for row in section(table, "contents and page references")[1:]
    ]
    assert [(says, leads, verdict) for _, _, says, leads, verdict in entries] == [
        (page, page, "ok") for page in ("1", "2", "2", "3", "4", "4", "4")
    ]
    assert {on_page for on_page, *_ in entries} == {"1"}
    assert entries[0][1] == "Ashcombe pupils count 1,148 galaxies"

    links = [row.split(maxsplit=1) for row in section(table, "links")[1:]]
    assert ["4", "mailto:hello@lanternhill.example"] in links
    assert any(to.startswith("https://lanternhill.example/") for _, to in links)
    assert ["1", "#dome-appeal (page 3)"] in links

    metadata = dict(row.split(maxsplit=1) for row in section(table, "metadata"))
    assert metadata["Title"] == "The Lantern — No. 17, October 2026"
    assert metadata["Lang"] == "en"
    assert section(table, "findings") == ["none"]


def test_sample_json_has_the_documented_keys_and_passes(project, sample_pdf):
    """Scripts read the JSON: its keys are a promise, and the sample keeps every rule."""
    run = project.run("inspect", str(sample_pdf), "--json")
    assert run.code == 0
    data = json.loads(run.stdout)
    assert_documented_keys(data)
    assert data["outline"] and data["links"] and data["contents"]  # so their keys are seen
    assert data["file"] == str(sample_pdf)
    assert data["bytes"] == sample_pdf.stat().st_size
    assert (data["pages"], data["page_size_mm"], data["bleed_mm"]) == (4, [210, 297], 0)
    assert data["profile"] == "email"
    assert data["standards"] == {"pdf_a": None, "pdf_ua": "1"}
    assert data["metadata"]["Title"] == "The Lantern — No. 17, October 2026"

    assert [entry["printed_page"] for entry in data["contents"]] == [1, 2, 2, 3, 4, 4, 4]
    for entry in data["contents"]:
        assert entry["ok"] is True
        assert entry["printed_page"] == entry["target_page"]
        assert entry["page"] == 1

    assert len(data["images"]) == 3
    for image in data["images"]:
        assert 0 < image["dpi"] <= 220  # the email profile's 200 dpi, with the engine's slack
        assert image["encoding"] == "JPEG"
    assert data["fonts"]
    assert all(font["embedded"] and font["subset"] for font in data["fonts"])

    uris = [link["uri"] for link in data["links"] if link["uri"]]
    assert "mailto:hello@lanternhill.example" in uris
    assert any(uri.startswith("https://") for uri in uris)
    for link in data["links"]:
        assert link["uri"] or link["target_page"], link  # every link goes somewhere
    assert data["tags"]["tagged"] and data["tags"]["marked"]
    assert data["tags"]["figures_without_alt"] == 0
    assert data["attachments"] == []
    assert data["findings"] == []


def test_quiet_on_a_good_pdf_prints_nothing(project, sample_pdf):
    run = project.run("inspect", "--quiet", str(sample_pdf))
    assert (run.code, run.stdout, run.stderr) == (0, "", "")


# The print and archive profiles, guessed from the file


def test_print_pdf_is_judged_as_print_from_its_bleed(project, profile_pdfs):
    """Nobody says --profile print: the 3 mm of bleed show what the file is for."""
    run = project.run("inspect", str(profile_pdfs["print"]))
    assert run.code == 0, run.stdout
    head = run.stdout.splitlines()
    pages = len(PdfReader(profile_pdfs["print"]).pages)  # the print profile adds QR codes
    assert head[1].startswith(f"  {pages} pages, 210 × 297 mm + 3 mm bleed, ")
    assert head[2] == "  profile print; claims PDF/UA-1"
    data = report(project, profile_pdfs["print"])
    assert (data["profile"], data["bleed_mm"], data["page_size_mm"]) == ("print", 3, [210, 297])
    # At most a soft picture (pictures go as supplied; print wants 150 dpi): no error.
    assert all((f["severity"], f["code"]) == ("warning", "dpi") for f in data["findings"])


def test_archive_pdf_is_judged_as_archive_and_lists_its_attachments(project, profile_pdfs):
    """The PDF/A claim shows it is for keeping; the issue's YAML rides inside it."""
    data = report(project, profile_pdfs["archive"])
    assert data["profile"] == "archive"
    assert data["standards"]["pdf_a"] == "3B"
    assert_documented_keys(data)  # the attachments' keys too
    assert [(a["name"], a["relationship"]) for a in data["attachments"]] == [
        ("2026-10.yaml", "Source"),
        ("newsletter.yaml", "Source"),
    ]
    assert all(a["bytes"] > 0 for a in data["attachments"])
    assert data["findings"] == []
    run = project.run("inspect", str(profile_pdfs["archive"]))
    assert run.code == 0
    assert run.stdout.splitlines()[2] == "  profile archive; claims PDF/A-3b"
    attachments = [row.split()[0] for row in section(run.stdout, "attachments")]
    assert attachments == ["2026-10.yaml", "newsletter.yaml"]


def test_email_pdf_judged_for_print_lacks_the_bleed(project, sample_pdf):
    """--profile overrides the guess: the email PDF sent to a printer has no bleed,
    and that is an error (exit 1), not a note."""
    run = project.run("inspect", str(sample_pdf), "--profile", "print")
    assert run.code == 1
    assert run.stdout.splitlines()[2].startswith("  profile print;")
    assert "error: 0 mm bleed, not 3 mm" in section(run.stdout, "findings")
    data = report(project, sample_pdf, "--profile", "print")
    assert data["profile"] == "print"
    assert {
        "severity": "error",
        "code": "claim",
        "page": None,
        "message": "0 mm bleed, not 3 mm",
    } in data["findings"]


# A PDF broadsheet did not write


def test_handmade_pdf_table_names_its_three_faults(project, handmade):
    """An unembedded font and a wrong contents number are errors: exit 1."""
    run = project.run("inspect", str(handmade))
    assert run.code == 1
    assert run.stderr == ""
    table = run.stdout
    assert table.splitlines()[1].startswith("  2 pages, ")
    assert section(table, "fonts")[1].split() == ["Helvetica", "Type1", "NO", "no"]
    assert section(table, "images")[1].split()[:5] == ["1", "72", "×", "72", "72"]
    assert section(table, "contents and page references")[1].split() == [
        "1",
        "Second",
        "story",
        "3",
        "2",
        "WRONG",
    ]
    assert dict(row.split(maxsplit=1) for row in section(table, "metadata"))["Title"] == (
        handmade_pdf.TITLE
    )
    findings = section(table, "findings")
    assert len(findings) == 3
    assert "error: font Helvetica is not embedded: readers substitute it" in findings
    assert any(
        f.startswith("warning: page 1: a 72 × 72 px picture") and "72 dpi" in f for f in findings
    )
    assert "error: page 1: 'Second story' says page 3 but leads to page 2" in findings


def test_handmade_pdf_json_names_its_three_faults(project, handmade):
    """Exactly the planted faults: the rest of the file is right, and nothing is invented."""
    run = project.run("inspect", str(handmade), "--json")
    assert run.code == 1
    data = json.loads(run.stdout)
    assert_documented_keys(data)
    assert data["pages"] == 2
    assert data["profile"] == "email"  # no bleed, no PDF/A: guessed as email
    assert data["metadata"]["Title"] == handmade_pdf.TITLE
    assert data["fonts"] == [
        {"name": "Helvetica", "type": "Type1", "embedded": False, "subset": False}
    ]
    [image] = data["images"]
    assert (image["page"], image["pixels"], image["dpi"]) == (1, [72, 72], 72)
    assert image["printed_mm"] == [25.4, 25.4]
    [entry] = data["contents"]
    assert entry == {
        "page": 1,
        "title": "Second story",
        "printed_page": 3,
        "target": "second-story",
        "target_page": 2,
        "ok": False,
    }
    assert data["links"] == [
        {"page": 1, "uri": None, "file": None, "target": "second-story", "target_page": 2}
    ]

    findings = {f["code"]: f for f in data["findings"]}
    assert sorted(f["code"] for f in data["findings"]) == ["contents", "dpi", "font"]
    assert findings["font"]["severity"] == "error"
    assert "Helvetica" in findings["font"]["message"]
    assert (findings["dpi"]["severity"], findings["dpi"]["page"]) == ("warning", 1)
    assert "72 dpi" in findings["dpi"]["message"]
    assert (findings["contents"]["severity"], findings["contents"]["page"]) == ("error", 1)
    assert "says page 3 but leads to page 2" in findings["contents"]["message"]


def test_a_right_contents_number_is_not_a_finding(project, handmade_right_contents):
    """The contents check is not always failing: 2 for page 2 passes. The other
    two faults are still there, so the exit status is still 1."""
    run = project.run("inspect", str(handmade_right_contents), "--json")
    data = json.loads(run.stdout)
    assert run.code == 1
    [entry] = data["contents"]
    assert (entry["printed_page"], entry["target_page"], entry["ok"]) == (2, 2, True)
    assert sorted(f["code"] for f in data["findings"]) == ["dpi", "font"]
    table = project.run("inspect", str(handmade_right_contents)).stdout
    assert section(table, "contents and page references")[1].split()[-3:] == ["2", "2", "ok"]


def test_quiet_still_prints_the_report_of_a_failing_pdf(project, handmade):
    """--quiet silences success only: a PDF that fails says why."""
    run = project.run("inspect", "--quiet", str(handmade))
    assert run.code == 1
    assert "says page 3 but leads to page 2" in run.stdout


# Files that are not PDFs, and usage


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("letter.pdf", "letter.pdf: not a PDF (it does not start with %PDF-)"),
        ("missing.pdf", "cannot read missing.pdf: No such file or directory"),
        ("folder.pdf", "cannot read folder.pdf: Is a directory"),
    ],
)
def test_not_a_pdf_is_a_one_line_error_naming_the_file(project, name, message):
    project.write("letter.pdf", "Dear editor, this is a letter, not a PDF.\n")
    (project.root / "folder.pdf").mkdir()
    run = project.run("inspect", name)
    assert run.code == 1
    assert run.stdout == ""
    assert run.stderr == f"broadsheet: error: {message}\n"


def test_a_damaged_pdf_is_one_clean_line_on_the_real_stderr(tmp_path, sample_pdf):
    """Run as a user runs it, so that whatever the PDF libraries log reaches stderr too:
    a truncated PDF gets one line from broadsheet and nothing else, no traceback."""
    (tmp_path / "damaged-cut.pdf").write_bytes(sample_pdf.read_bytes()[:2000])
    result = subprocess.run(
        [sys.executable, "-m", "broadsheet", "inspect", "damaged-cut.pdf"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("broadsheet: error: damaged-cut.pdf: unreadable PDF: ")
    assert lines == lines[-1:], "more than broadsheet's one line on stderr"


def test_inspect_without_a_file_is_a_usage_error(project):
    run = project.run("inspect")
    assert run.code == 2
    assert "the following arguments are required: FILE.pdf" in run.stderr
    assert "Traceback" not in run.stderr


def test_inspect_help_has_examples():
    result = subprocess.run(
        [sys.executable, "-m", "broadsheet", "inspect", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "broadsheet inspect build/2026-10.pdf --json" in result.stdout.split("example:")[1]
    assert "--profile {archive,email,print}" in result.stdout


def test_a_contents_entry_over_two_lines_is_read_whole(project, tmp_path):
    """November's first title wraps in the contents panel: the link's box covers
    both lines (whichever corners the engine writes first)."""
    pdf = build_sample("2026-11", tmp_path / "2026-11.pdf")
    data = report(project, pdf)
    titles = [entry["title"] for entry in data["contents"]]
    assert titles[0] == "The satellite that warns us when the aurora is coming"
    assert titles[1:] == [
        "Deep field Christmas cards now on sale",
        "A new treasurer, and a record year for members",
        "Dome appeal passes £40,000",
        "Dates for your diary",
        "About the Trust",
    ]
