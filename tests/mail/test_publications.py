"""Two publications with an issue of the same file name (issues/fr/2026-12.yaml,
issues/fa/2026-12.yaml) are mailed as two issues: each its own PDF, journal
and lock, so mailing the second never answers "already sent". And mail's
--journal and --dry-run never write over what the mail is made from."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from mailing import EPOCH, Run, parsed, people, smtp_args, subscribers
from smtp_sink import SmtpSink

from broadsheet.cli.main import main

ISSUE = """\
name: {name}
mail:
  from: news@{domain}
issue: {{number: 1, date: 2026-12-01}}
articles:
  - title: {title}
    body: Text of the story, long enough to set a line or two of type.
"""


def mail(root: Path, issue: str, *args: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["mail", str(root / "issues" / issue), "--root", str(root), *args],
        stdout=out,
        stderr=err,
        environ={"SOURCE_DATE_EPOCH": EPOCH},
        stdin=io.StringIO(""),
    )
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def publications(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "project"
    for folder, name, title in (("fr", "La Lanterne", "Gala"), ("fa", "Fanous", "Jashn")):
        path = root / "issues" / folder / "2026-12.yaml"
        path.parent.mkdir(parents=True)
        domain = f"{folder}.example"
        path.write_text(ISSUE.format(name=name, domain=domain, title=title), encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def attached_pdf(message) -> bytes:
    mail = parsed(message.data)
    [pdf] = [
        part for part in mail.iter_attachments() if part.get_content_type() == "application/pdf"
    ]
    return pdf.get_content()


def test_each_publication_is_mailed_its_own_pdf_with_its_own_journal(publications):
    csv = subscribers(publications, people(2))
    with SmtpSink() as sink:
        french = mail(publications, "fr/2026-12.yaml", "--to", str(csv), *smtp_args(sink))
        assert french.code == 0, french.stderr
        persian = mail(publications, "fa/2026-12.yaml", "--to", str(csv), *smtp_args(sink))
        assert persian.code == 0, persian.stderr
    assert "sent 2 now" in french.stderr
    assert "sent 2 now" in persian.stderr and "already sent" not in persian.stderr
    build = publications / "build"
    fr_pdf, fa_pdf = (build / folder / "2026-12.pdf" for folder in ("fr", "fa"))
    assert fr_pdf.read_bytes() != fa_pdf.read_bytes()
    assert len(sink.received) == 4
    assert [attached_pdf(m) for m in sink.received[:2]] == [fr_pdf.read_bytes()] * 2
    assert [attached_pdf(m) for m in sink.received[2:]] == [fa_pdf.read_bytes()] * 2
    assert (build / "fr" / "2026-12.mail.sqlite").is_file()
    assert (build / "fa" / "2026-12.mail.sqlite").is_file()
    assert not (build / "2026-12.mail.sqlite").exists() and not (build / "2026-12.pdf").exists()


@pytest.mark.parametrize(
    "target",
    ["issues/fr/2026-12.yaml", "subscribers.csv", "build/fr/2026-12.pdf"],
    ids=["issue", "subscribers", "pdf"],
)
def test_the_journal_is_never_an_input(publications, target):
    csv = subscribers(publications, people(1))
    assert mail(publications, "fr/2026-12.yaml", "--to", str(csv), "--dry-run", "out").code == 0
    before = (publications / target).read_bytes()
    run = mail(publications, "fr/2026-12.yaml", "--to", str(csv), "--journal", target, "--yes")
    assert run.code == 2, run.stderr
    assert f"--journal {target}: is one of the build's inputs" in run.stderr
    assert (publications / target).read_bytes() == before


def test_the_journal_is_not_a_folder_and_the_dry_run_is_not_a_file(publications):
    csv = subscribers(publications, people(1))
    (publications / "out").mkdir()
    run = mail(publications, "fr/2026-12.yaml", "--to", str(csv), "--journal", "out", "--yes")
    assert run.code == 2 and "--journal out: is a folder" in run.stderr
    before = csv.read_bytes()
    run = mail(publications, "fr/2026-12.yaml", "--to", str(csv), "--dry-run", str(csv))
    assert run.code == 2, run.stderr
    assert "is one of the inputs" in run.stderr and csv.read_bytes() == before
    (publications / "notes.txt").write_text("mine")
    run = mail(publications, "fr/2026-12.yaml", "--to", str(csv), "--dry-run", "notes.txt")
    assert run.code == 2 and "--dry-run notes.txt: is not a folder" in run.stderr
    assert not (publications / "build").exists()  # refused before building the PDF
