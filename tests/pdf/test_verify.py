"""The verify stage reads every PDF back before it is written, and refuses a
faulty one: a contents number that is not its page, a link to nowhere, a
font left out, a PDF without tags, an archive without its YAML.

A faulty layout is made the way an editor could make one, with a project
stylesheet; a faulty file by breaking a built PDF with pikepdf, and the
stage run on it directly.
"""

from __future__ import annotations

import io

import pikepdf
import pytest

from broadsheet.content.load import load
from broadsheet.content.validate import validate
from broadsheet.pdf.verify import verify
from broadsheet.profiles import ARCHIVE, EMAIL
from conftest import REPO, build_sample

ISSUE = """\
name: The Verify Gazette
issue: {number: 1, date: 2026-01-31}
articles:
  - title: First story
    body: Some text.
  - title: Second story
    body: More text.
"""


def test_a_contents_number_that_is_not_its_page_stops_the_build(project):
    """A stylesheet prints 9 where the engine would print the page: nothing is written."""
    project.write("issues/wrong.yaml", ISSUE)
    project.write(
        "styles/classic/95-wrong.css", '.toc-list a::after { content: leader(". ") "9" }\n'
    )
    (project.root / "build").mkdir()
    (project.root / "build" / "wrong.pdf").write_bytes(b"the last good PDF")
    run = project.run("build", "issues/wrong.yaml")
    assert run.code == 3
    assert "'First story' says page 9 but leads to page 1" in run.stderr
    assert (project.root / "build" / "wrong.pdf").read_bytes() == b"the last good PDF"


@pytest.mark.parametrize("theme", ["classic", "modern", "bulletin"])
def test_a_contents_number_of_two_ones_is_read_whole(project, theme):
    """The ink of a "1" is narrow in every theme's figures, and two of them
    stand further apart than their ink is wide: "11" is one number, read as
    such, not the "1" at its end (which would pass an entry on page 1)."""
    project.write("issues/wrong.yaml", f"theme: {theme}\n" + ISSUE)
    project.write(
        f"styles/{theme}/95-wrong.css", '.toc-list a::after { content: leader(". ") "11" }\n'
    )
    run = project.run("build", "issues/wrong.yaml")
    assert run.code == 3
    assert "'First story' says page 11 but leads to page 1" in run.stderr


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The November sample as built, and its issue model."""
    pdf = build_sample("2026-11", tmp_path_factory.mktemp("verify") / "2026-11.pdf")
    return pdf.read_bytes(), validate(load(REPO / "issues" / "2026-11.yaml"), REPO)


def broken(pdf: bytes, change) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        change(document)
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()


def errors(pdf: bytes, issue, profile=EMAIL) -> list[str]:
    return [d.message for d in verify(pdf, issue, profile) if d.severity == "error"]


def test_the_sample_as_built_passes(sample):
    pdf, issue = sample
    assert verify(pdf, issue, EMAIL) == []


def test_a_font_left_out_is_an_error(sample):
    def unembed(document):
        for font in document.pages[0].Resources.Font.values():
            descriptor = font.DescendantFonts[0].FontDescriptor
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in descriptor:
                    del descriptor[key]

    found = errors(broken(sample[0], unembed), sample[1])
    assert any("is not embedded: readers substitute it" in message for message in found)


def test_a_link_to_nowhere_is_an_error(sample):
    def misdirect(document):
        for annot in document.pages[0].Annots:
            if "/Dest" in annot:
                annot.Dest = pikepdf.String("nowhere")
                return

    found = errors(broken(sample[0], misdirect), sample[1])
    assert any("a link to #nowhere, which is nowhere" in message for message in found)


def test_an_untagged_pdf_is_an_error(sample):
    def untag(document):
        del document.Root["/StructTreeRoot"]

    found = errors(broken(sample[0], untag), sample[1])
    assert any("not tagged: no structure tree" in message for message in found)


def test_an_archive_without_its_yaml_is_an_error(sample):
    """The email PDF checked as an archive: no PDF/A claim, no output intent, no YAML."""
    found = errors(sample[0], sample[1], ARCHIVE)
    assert any("does not identify itself as PDF/A-3b" in message for message in found)
    assert any("the issue's YAML is not attached" in message for message in found)
    assert any("without an output intent" in message for message in found)


def test_an_archive_whose_metadata_disagree_is_an_error(tmp_path):
    """PDF/A wants the document information and the XMP metadata to say the same."""
    pdf = build_sample("2026-11", tmp_path / "archive.pdf", "--profile", "archive").read_bytes()
    issue = validate(load(REPO / "issues" / "2026-11.yaml"), REPO)
    assert errors(pdf, issue, ARCHIVE) == []

    def restamp(document):
        document.docinfo["/Producer"] = "another program"

    found = errors(broken(pdf, restamp), issue, ARCHIVE)
    assert any("Producer 'another program' is not the XMP metadata's" in m for m in found)
