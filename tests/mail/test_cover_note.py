"""Mail that every client shows right: the cover note in the issue's language
(right to left where the language is), a signature separator mail programs
recognise, an attachment name every client reads, and a warning when
unsubscribing cannot be one click.

The French and Persian samples are sent as a dry run from a copy of the
repository's issues/; the .eml files are read back with the standard
library's parser under both its policies, and as raw bytes.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
from email import policy
from email.header import decode_header, make_header
from email.parser import BytesParser
from pathlib import Path

import pytest
from mailing import EPOCH, dkim_key_pair, people, run_mail, subscribers

from broadsheet import labels
from broadsheet.cli.main import main
from broadsheet.content.model import Contact
from broadsheet.mail.attachment import encoded_words, pdf_part
from broadsheet.mail.palette import palette_for
from broadsheet.mail.prepare import cover_templates
from broadsheet.mail.subscribers import Subscriber
from broadsheet.mail.teaser import Entry
from conftest import REPO

# What the English note says, which no other language's note may.
ENGLISH_WORDS = ("Dear", "Hello", "attached", "Inside this issue", "With best", "You receive")


def dry_run(root: Path, issue: str, outbox: Path, *extra: str) -> list[Path]:
    """`broadsheet mail ISSUE --dry-run` for two subscribers, one without a name."""
    csv = subscribers(root, [("ada@example.org", "Ada Lovelace"), ("bob@example.org", "")])
    err = io.StringIO()
    command = ["mail", str(root / "issues" / issue), "--root", str(root), "--to", str(csv)]
    command += ["--from", "news@example.org", "--dry-run", str(outbox), *extra]
    code = main(command, stdout=io.StringIO(), stderr=err, environ={"SOURCE_DATE_EPOCH": EPOCH})
    assert code == 0, err.getvalue()
    assert err.getvalue() == ""  # no mail: settings, so no unsubscribe and no warning
    return sorted(outbox.glob("*.eml"))


@pytest.fixture(scope="module")
def samples(tmp_path_factory, languages_ready) -> dict[str, list[bytes]]:
    """The French and Persian samples' messages, from one project holding both
    (their issues have the same file name, 2026-12.yaml)."""
    root = tmp_path_factory.mktemp("languages") / "project"
    shutil.copytree(languages_ready, root)
    messages = {
        lang: [path.read_bytes() for path in dry_run(root, f"{lang}/2026-12.yaml", root / lang)]
        for lang in ("fr", "fa")
    }
    # Each publication's PDF where make puts it, not both at build/2026-12.pdf.
    assert (root / "build" / "fr" / "2026-12.pdf").is_file()
    assert (root / "build" / "fa" / "2026-12.pdf").is_file()
    assert not (root / "build" / "2026-12.pdf").exists()
    return messages


def parts(data: bytes, rules=policy.default):
    message = BytesParser(policy=rules).parsebytes(data)
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content().replace("\r\n", "\n")
    return message, text, html


def test_the_french_sample_has_a_french_cover_note(samples):
    named, nameless = (parts(data) for data in samples["fr"])
    _, text, html = named
    assert text.startswith("Bonjour Ada Lovelace,\n")
    assert "Vous trouverez La Lunette — N° 42, décembre 2026 en PDF ci-joint" in text
    assert "\nDans ce numéro\n" in text
    assert re.search(r"Les Géminides.* +page 1\n", text)
    assert "\nBien cordialement,\nLa Lunette\n" in text
    assert "Vous recevez La Lunette à l'adresse ada@example.org." in text
    assert nameless[1].startswith("Bonjour,\n")
    for words in (text, html, nameless[1]):
        assert not [word for word in ENGLISH_WORDS if word in words]
    assert '<html lang="fr" dir="ltr">' in html


def test_the_persian_sample_has_a_persian_cover_note_right_to_left(samples):
    named, nameless = (parts(data) for data in samples["fa"])
    message, text, html = named
    assert text.startswith("Ada Lovelace گرامی،\n")
    assert "چراغ — شماره ۷، دسامبر ۲۰۲۶ به صورت PDF پیوست این نامه است" in text
    assert "\nدر این شماره\n" in text
    assert re.search(r" صفحهٔ ۱\n", text)  # the page in Persian digits, as the PDF prints it
    assert "page" not in text
    assert "\nبا بهترین آرزوها،\nچراغ\n" in text
    assert nameless[1].startswith("سلام،\n")
    for words in (text, html, nameless[1]):
        assert not [word for word in ENGLISH_WORDS if word in words]
    assert '<html lang="fa" dir="rtl">' in html
    assert '<div lang="fa" dir="rtl"' in html  # for webmail that drops <html>'s attributes
    (pdf,) = message.iter_attachments()
    assert pdf.get_filename() == "چراغ — شماره ۷، دسامبر ۲۰۲۶.pdf"


@pytest.mark.parametrize("width", [600, 390])
def test_the_persian_email_reads_right_to_left_in_a_browser(samples, browser, tmp_path, width):
    """The HTML part as a reader's program shows it: nothing out of place,
    and the story titles set from the right (their right edges line up)."""
    page = tmp_path / "fa.html"
    page.write_text(parts(samples["fa"][0])[2], encoding="utf-8")
    look = browser.look(page, width)
    shots = Path("/tmp/email-shots")  # to look at after a run
    shots.mkdir(exist_ok=True)
    (shots / f"persian-{width}.png").write_bytes(look.screenshot)
    assert look.problems() == []
    assert look.facts["dir"] == "rtl" and look.facts["lang"] == "fa"
    titles = [box for box in look.facts["boxes"] if box["text"] == "تقویم انجمن"]
    assert titles, "the diary's title is not on the page"
    text_edge = max(box["x"] + box["w"] for box in look.facts["boxes"])
    assert abs(titles[0]["x"] + titles[0]["w"] - text_edge) <= 2


@pytest.mark.parametrize("lang", ["fr", "fa"])
def test_the_signature_separator_is_dash_dash_space_on_its_own_line(samples, lang):
    for data in samples[lang]:
        lines = parts(data)[1].split("\n")
        assert lines.count("-- ") == 1
        footer = lines[lines.index("-- ") + 1 :]
        assert "ada@example.org" in footer[0] or "bob@example.org" in footer[0]
        assert "--" not in lines  # no separator without its space


def test_the_separator_comes_before_the_unsubscribe_line(mail_project, tmp_path):
    csv = subscribers(mail_project, people(1))
    run = run_mail(mail_project, "--to", str(csv), "--dry-run", str(tmp_path / "out"))
    assert run.code == 0, run.stderr
    (eml,) = (tmp_path / "out").glob("*.eml")
    lines = parts(eml.read_bytes())[1].split("\n")
    footer = lines[lines.index("-- ") + 1 :]
    assert footer[0] == "You receive The Lantern at reader1@example.org."
    assert footer[1] == "To stop: https://lanternhill.example/unsubscribe?token=tok1"


# -- every language of the labels ------------------------------------------------------------


def test_the_cover_note_has_its_words_in_every_language_of_the_labels():
    assert set(labels.COVER_NOTE) == set(labels.LABELS)
    for lang, words in labels.COVER_NOTE.items():
        assert set(words) == set(labels.COVER_NOTE["en"]), lang


@pytest.mark.parametrize("attach", [True, False])
@pytest.mark.parametrize("lang", sorted(set(labels.LABELS) - {"en"}))
def test_the_bundled_templates_say_nothing_in_english_in_another_language(lang, attach):
    templates = cover_templates(REPO)
    words = labels.cover_note_words(lang)
    context = {
        "name": "Gazette",
        "tagline": None,
        "number": 1,
        "volume": None,
        "date": "2026",
        "title": "Gazette 1",
        "lang": lang,
        "dir": "rtl" if labels.right_to_left(lang) else "ltr",
        "words": words,
        "contents_title": labels.labels_for(lang, {})["toc_title"],
        "contents": [Entry("Story", 1, "1", "A deck.", "https://example.org/1/index.html#s")],
        "pdf_name": "Gazette 1.pdf",
        "pdf_size": "1 KB",
        "issue_line": "1 · 2026",
        "labels": labels.labels_for(lang, {}),
        "contact": Contact(email="a@example.org", website="https://example.org", phone="1"),
        "attach": attach,
        "web_edition": "https://example.org/1/index.html",
        "pdf_link": None if attach else "https://example.org/1/1.pdf",
        "colours": palette_for("classic"),
        "subscriber": Subscriber(email="a@example.org", name="Ada", line=2, fields={}),
        "unsubscribe": "https://example.org/u?t=1",
    }
    for name in ("mail/cover.txt.j2", "mail/cover.html.j2"):
        note = templates.get_template(name).render(context)
        assert not [word for word in ENGLISH_WORDS if word in note], (lang, name)
        assert words["closing"] in note and labels.LABELS[lang]["toc_title"] in note
        if name.endswith("html.j2"):
            direction = "rtl" if lang in ("fa", "ar", "he") else "ltr"
            assert f'<html lang="{lang}" dir="{direction}">' in note


# -- the attachment's name -------------------------------------------------------------------


@pytest.fixture(scope="module")
def english(tmp_path_factory, mail_ready) -> bytes:
    root = tmp_path_factory.mktemp("english") / "project"
    shutil.copytree(mail_ready, root)
    csv = subscribers(root, people(1))
    outbox = root / "out"
    assert run_mail(root, "--to", str(csv), "--dry-run", str(outbox)).code == 0
    (eml,) = outbox.glob("*.eml")
    return eml.read_bytes()


def attachment(data: bytes, rules):
    message = BytesParser(policy=rules).parsebytes(data)
    (pdf,) = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    return pdf


@pytest.mark.parametrize("rules", [policy.compat32, policy.default], ids=["compat32", "default"])
def test_the_attachment_name_reads_back_under_both_policies(english, mail_ready, rules):
    pdf = attachment(english, rules)
    name = "The Lantern — No. 18, November 2026.pdf"
    assert pdf.get_filename() == name  # from filename*, RFC 2231
    assert str(make_header(decode_header(pdf.get_param("name")))) == name  # RFC 2047
    assert pdf.get_payload(decode=True) == (mail_ready / "build" / "2026-11.pdf").read_bytes()
    assert pdf.get_content_disposition() == "attachment"


def test_the_attachment_headers_as_written(english):
    head = english.split(b"Content-Type: application/pdf", 1)[1].split(b"\r\n\r\n", 1)[0]
    spelled = base64.b64encode("The Lantern — No. 18, November 2026.pdf".encode()).decode()
    assert head.startswith(f';\r\n name="=?utf-8?b?{spelled}?="\r\n'.encode())
    assert (
        b"Content-Disposition: attachment;\r\n"
        b" filename*=utf-8''The%20Lantern%20%E2%80%94%20No.%2018%2C%20November%202026.pdf\r\n"
    ) in head + b"\r\n"
    assert b" filename=" not in head  # one spelling of the parameter, not two


def test_a_long_name_is_encoded_words_of_at_most_75_characters_each():
    name = "چراغ — شماره ۷، دسامبر ۲۰۲۶ و خبرهای بسیار دیگر از انجمن.pdf"
    words = encoded_words(name)
    assert len(words) > 1 and all(len(word) <= 75 for word in words)
    data = pdf_part(b"%PDF-", name).as_bytes()
    for rules in (policy.compat32, policy.default):
        part = BytesParser(policy=rules).parsebytes(data)
        assert str(make_header(decode_header(part.get_param("name")))) == name
        assert part.get_filename() == name


def test_an_ascii_name_is_written_plainly_in_both_places():
    data = pdf_part(b"%PDF-", "The Gazette No. 1.pdf").as_bytes()
    assert b'name="The Gazette No. 1.pdf"' in data
    assert b'filename="The Gazette No. 1.pdf"' in data and b"filename*" not in data


# -- unsubscribe without DKIM ----------------------------------------------------------------

WARNING = "warning: mail.unsubscribe: without DKIM signing, large mailbox providers"


@pytest.fixture(scope="module")
def dkim_pem(tmp_path_factory) -> Path:
    return dkim_key_pair(tmp_path_factory.mktemp("dkim"))[0]


def test_unsubscribe_without_dkim_is_a_warning_at_its_key(mail_project, tmp_path):
    csv = subscribers(mail_project, people(1))
    run = run_mail(mail_project, "--to", str(csv), "--dry-run", str(tmp_path / "out"))
    assert run.code == 0
    newsletter = mail_project / "issues" / "newsletter.yaml"
    line = newsletter.read_text(encoding="utf-8").splitlines().index("  unsubscribe:") + 1
    (warned,) = [text for text in run.stderr.splitlines() if WARNING in text]
    assert warned.startswith(f"{newsletter}:{line}:3: {WARNING}")
    assert "dkim:" in warned and "BROADSHEET_DKIM_KEY" in warned
    assert run.stdout.count(".eml") == 1  # a warning: the messages are still written


def test_unsubscribe_with_dkim_in_the_settings_is_no_warning(mail_project, tmp_path, dkim_pem):
    shutil.copyfile(dkim_pem, mail_project / "issues" / "dkim.pem")
    newsletter = mail_project / "issues" / "newsletter.yaml"
    newsletter.write_text(
        newsletter.read_text(encoding="utf-8")
        + "  dkim:\n    selector: news2026\n    key: dkim.pem\n",
        encoding="utf-8",
    )
    csv = subscribers(mail_project, people(1))
    run = run_mail(mail_project, "--to", str(csv), "--dry-run", str(tmp_path / "out"))
    assert run.code == 0, run.stderr
    assert "warning" not in run.stderr


def test_unsubscribe_with_dkim_from_the_environment_is_no_warning(mail_project, tmp_path, dkim_pem):
    csv = subscribers(mail_project, people(1))
    environ = {"BROADSHEET_DKIM_KEY": str(dkim_pem), "BROADSHEET_DKIM_SELECTOR": "news2026"}
    run = run_mail(
        mail_project, "--to", str(csv), "--dry-run", str(tmp_path / "out"), environ=environ
    )
    assert run.code == 0, run.stderr
    assert "warning" not in run.stderr
