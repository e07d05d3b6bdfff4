"""`mail.personalise`: each subscriber's copy stamped on page 1, sent to a real SMTP server.

The issue is built once with the place kept for the stamp; each copy must
carry its subscriber's line (read back with pypdf), pass qpdf, keep the
issue's tagging findings, be the same bytes in the dry run and on the wire,
and have its hash in the journal. A bad template or a line too wide is a
located error before anything is sent, and no cell of the list can write PDF
syntax. Page 1 is drawn with PDFium to check that the stamp changed pixels
only inside its place, and that the place was empty in the issue itself.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import sqlite3
import subprocess

import pikepdf
import pypdfium2
import pytest
from mailing import parsed, run_mail, smtp_args
from pypdf import PdfReader
from smtp_sink import SmtpSink

from broadsheet.cli.main import main
from broadsheet.mail.journal import Journal
from broadsheet.mail.stamp_place import read_place
from broadsheet.pdf import compliance
from conftest import build_as_make_does

TEMPLATE = "Prepared for {name} · member {member}"
ROWS = [
    ("ada@example.org", "Ada Lovelace", "1815"),
    ("bob@example.org", "Bob (the) \\\\ )Tj Builder", "4) Tj ET BT (x"),
    ("fr@example.org", "Françoise Dœuf-Çà", "« 7 »"),
    ("sara@example.org", "سارا محمدی", "۱۲۴"),
    ("dan@example.org", "דן כהן", "9"),
]


def personalise(root, template: str = TEMPLATE, newsletter: str = "issues/newsletter.yaml"):
    path = root / newsletter
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if "personalise:" not in x]
    text = "\n".join(lines) + "\n"
    path.write_text(
        text.replace("mail:\n", f'mail:\n  personalise: "{template}"\n', 1), encoding="utf-8"
    )


def member_list(root, rows=ROWS, name: str = "members.csv"):
    lines = ["email,name,member,token"]
    lines += [
        f'{email},"{person}","{member}",tok{n}' for n, (email, person, member) in enumerate(rows)
    ]
    path = root / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def stamped_ready(mail_ready, tmp_path_factory):
    """The November project with `personalise` set, its PDF built once for the module."""
    root = tmp_path_factory.mktemp("stamped") / "project"
    shutil.copytree(mail_ready, root)
    personalise(root)
    build_as_make_does(root, "2026-11")
    return root


@pytest.fixture
def stamped(stamped_ready, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(stamped_ready, root)
    return root


def attachment(message_bytes: bytes) -> bytes:
    return next(parsed(message_bytes).iter_attachments()).get_content()


def page_one_text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def qpdf_check(pdf: bytes, tmp_path, name: str) -> subprocess.CompletedProcess:
    path = tmp_path / name
    path.write_bytes(pdf)
    return subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)


def test_each_copy_carries_its_line_and_the_send_carries_the_dry_runs_bytes(stamped, tmp_path):
    csv = member_list(stamped)
    outbox = tmp_path / "outbox"
    dry = run_mail(stamped, "--to", str(csv), "--dry-run", str(outbox))
    assert dry.code == 0, dry.stderr
    copies = [attachment(path.read_bytes()) for path in sorted(outbox.iterdir())]
    assert len(set(copies)) == len(ROWS)  # each subscriber's own
    for n, (copy, (_, person, member)) in enumerate(zip(copies, ROWS, strict=True)):
        text = page_one_text(copy)
        if person.isascii() or n == 2:
            assert f"Prepared for {person} · member {member}" in text
        else:  # right to left: the name is read back whole, wherever the line breaks it
            assert person.split()[0] in text and person.split()[1] in text
        check = qpdf_check(copy, tmp_path, f"copy-{n}.pdf")
        assert check.returncode == 0, check.stdout + check.stderr
    with SmtpSink() as sink:
        sent = run_mail(stamped, "--to", str(csv), *smtp_args(sink))
    assert sent.code == 0, sent.stderr
    assert [attachment(m.data) for m in sink.received] == copies
    journal = Journal(stamped / "build" / "2026-11.mail.sqlite")
    try:
        recorded = journal.copies()
    finally:
        journal.close()
    assert [recorded[email] for email, _, _ in ROWS] == [
        hashlib.sha256(copy).hexdigest() for copy in copies
    ]


def test_a_copy_keeps_the_issues_tagging_and_its_stamp_is_an_artifact(stamped, tmp_path):
    csv = member_list(stamped, ROWS[:1])
    outbox = tmp_path / "outbox"
    assert run_mail(stamped, "--to", str(csv), "--dry-run", str(outbox)).code == 0
    copy = attachment(next(outbox.iterdir()).read_bytes())
    plain = (stamped / "build" / "2026-11.pdf").read_bytes()

    def codes(pdf: bytes) -> list[str]:
        facts = compliance.read(pdf)
        return sorted(f.code for f in compliance.findings(facts, compliance.profile_of(facts)))

    assert codes(copy) == codes(plain)
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
        stamp = pdf.pages[0].obj.Contents[-1].read_bytes()
    assert b"/Artifact BMC" in stamp and b"Tj ET BT" not in stamp
    assert b"(" not in stamp.partition(b"/Artifact")[2]  # glyph numbers only, no string


def test_a_column_the_list_lacks_is_an_error_at_the_template(stamped, tmp_path):
    csv = stamped / "no-members.csv"
    csv.write_text("email,name,token\nada@example.org,Ada,t1\n", encoding="utf-8")
    with SmtpSink() as sink:
        run = run_mail(stamped, "--to", str(csv), *smtp_args(sink))
    assert run.code == 1
    newsletter = (stamped / "issues" / "newsletter.yaml").read_text(encoding="utf-8")
    line = newsletter.splitlines().index(
        next(x for x in newsletter.splitlines() if "personalise" in x)
    )
    assert f"newsletter.yaml:{line + 1}:16: error: mail.personalise names the column" in run.stderr
    assert "'member', which no-members.csv does not have" in run.stderr
    assert "Traceback" not in run.stderr
    assert sink.received == []


def test_a_brace_that_is_no_column_is_an_error_at_the_template(stamped, tmp_path):
    personalise(stamped, "Prepared for {name.__class__}")
    run = run_mail(stamped, "--to", str(member_list(stamped)), "--dry-run", str(tmp_path / "o"))
    assert run.code == 1
    assert (
        "newsletter.yaml:" in run.stderr and "error: mail.personalise: write a column" in run.stderr
    )
    assert not (tmp_path / "o").exists()


def test_a_line_too_wide_for_its_place_is_an_error_at_its_row(stamped, tmp_path):
    rows = [*ROWS[:2], ("long@example.org", "Bartholomew " * 12, "1")]
    csv = member_list(stamped, rows)
    with SmtpSink() as sink:
        run = run_mail(stamped, "--to", str(csv), *smtp_args(sink))
    assert run.code == 1
    assert "members.csv:4: error: the stamp 'Prepared for Bartholomew" in run.stderr
    assert "its place on page 1 holds" in run.stderr
    assert sink.received == []


def test_a_character_no_face_has_is_an_error_at_its_row(stamped, tmp_path):
    csv = member_list(stamped, [*ROWS[:1], ("jp@example.org", "山田太郎", "3")])
    run = run_mail(stamped, "--to", str(csv), "--dry-run", str(tmp_path / "o"))
    assert run.code == 1
    assert "members.csv:3: error: the stamp" in run.stderr and "has '山'" in run.stderr


def test_a_journal_from_before_the_copy_hash_is_read_and_given_the_column(tmp_path):
    path = tmp_path / "old.mail.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE facts (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE subscribers (
            key TEXT PRIMARY KEY, address TEXT NOT NULL, message_id TEXT NOT NULL,
            state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
            answer TEXT NOT NULL DEFAULT '', changed TEXT NOT NULL DEFAULT '');
        INSERT INTO subscribers VALUES ('a@x.org', 'a@x.org', '<1@x.org>', 'sent', 1, '250', '');
        """
    )
    db.close()
    journal = Journal(path)
    try:
        assert journal.rows()["a@x.org"].state == "sent"
        assert journal.copies() == {"a@x.org": ""}
        journal.record_copy("a@x.org", "ab" * 32)
        assert journal.copies() == {"a@x.org": "ab" * 32}
    finally:
        journal.close()


def page_one_pixels(pdf: bytes):
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].render(scale=2).to_pil().convert("RGB")
    finally:
        document.close()


def changed_box(before, after):
    """The bounding box, in PDF points from the page's bottom left, of the
    pixels that differ."""
    from PIL import ImageChops

    left, top, right, bottom = ImageChops.difference(before, after).getbbox()
    height = after.height
    return left / 2, (height - bottom) / 2, right / 2, (height - top) / 2


@pytest.mark.parametrize(
    ("sample", "rows"),
    [("2026-11", ROWS[:3]), ("fa/2026-12", [("sara@example.org", "سارا (محمدی)", "۱۲۴")])],
)
def test_the_stamp_draws_only_inside_its_empty_place(mail_ready, tmp_path, sample, rows):
    """Classic in English and modern in Persian: every pixel the stamp
    changes lies in its place, and the issue drew nothing there."""
    root = tmp_path / "project"
    shutil.copytree(mail_ready, root)
    if sample.startswith("fa/"):
        newsletter = root / "issues" / "fa" / "newsletter.yaml"
        newsletter.write_text(
            newsletter.read_text(encoding="utf-8")
            + "mail:\n  from: news@example.org\n  smtp:\n    host: smtp.example.org\n"
            '  personalise: "تهیه‌شده برای {name} · عضو شمارهٔ {member}"\n',
            encoding="utf-8",
        )
    else:
        personalise(root)
        # Built without the place (and its depfile names the first project's files).
        (root / "build" / "2026-11.pdf").unlink()
        (root / "build" / "2026-11.d").unlink()
    csv = member_list(root, rows)
    outbox = tmp_path / "outbox"
    issue = str(root / "issues" / f"{sample}.yaml")
    err = io.StringIO()
    code = main(
        ["mail", issue, "--root", str(root), "--to", str(csv), "--dry-run", str(outbox)],
        stdout=io.StringIO(),
        stderr=err,
        environ={"BROADSHEET_UNSUBSCRIBE_SECRET": "s"},
    )
    assert code == 0, err.getvalue()
    plain = (root / "build" / f"{sample}.pdf").read_bytes()
    with pikepdf.open(io.BytesIO(plain)) as pdf:
        place = read_place(pdf)
    assert place is not None and place.width > 100
    before = page_one_pixels(plain)
    for path in sorted(outbox.iterdir()):
        after = page_one_pixels(attachment(path.read_bytes()))
        left, bottom, right, top = changed_box(before, after)
        assert place.left - 1 <= left and right <= place.right + 1, (left, right, place)
        assert place.bottom - 1.5 <= bottom and top <= place.top + 1.5, (bottom, top, place)
    # The issue drew nothing in the place: one colour over its whole area.
    region = before.crop(
        (
            int(place.left * 2),
            int((before.height / 2 - place.top) * 2),
            int(place.right * 2),
            int((before.height / 2 - place.bottom) * 2),
        )
    )
    assert len(region.getcolors(maxcolors=4) or range(5)) == 1
