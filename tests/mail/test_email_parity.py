"""Parity of the newsletter email (editions/mailed.py, email_reader.py): the
email of every sample, as composed, agrees with its issue and its PDF; the
same message damaged (a story dropped, two swapped, a wrong page, a wrong
anchor, another language) is caught, each with an error naming the story
and the email; and `broadsheet mail` with a project's cover-note template
that drops a story stops with exit status 1, writing and sending nothing.
"""

from __future__ import annotations

import dataclasses
from email import policy
from email.parser import BytesParser

import pytest
from mailing import NOW, people, run_mail, smtp_args, subscribers
from smtp_sink import SmtpSink

from broadsheet.content.check import check
from broadsheet.editions.email_reader import read_email
from broadsheet.editions.mailed import email_mismatches, expected_email
from broadsheet.labels import cover_note_words
from broadsheet.mail.message import compose
from broadsheet.mail.prepare import cover_templates, letter_for
from broadsheet.mail.subscribers import Subscriber
from conftest import REPO

WEB_BASE = "https://lanternhill.example/issues"
SAMPLES = ["2026-10", "2026-11", "fr/2026-12", "fa/2026-12"]
READER = Subscriber(email="ada@example.org", name="Ada Lovelace", line=2, fields={})


@pytest.fixture(scope="module")
def pdfs(sample_pdf, mail_ready, languages_ready) -> dict[str, bytes]:
    """Each sample's PDF, as the session built it."""
    found = {"2026-10": sample_pdf.read_bytes()}
    found["2026-11"] = (mail_ready / "build" / "2026-11.pdf").read_bytes()
    for slug in ("fr/2026-12", "fa/2026-12"):
        found[slug] = (languages_ready / "build" / f"{slug}.pdf").read_bytes()
    return found


def linked(slug: str, web_base: str | None = WEB_BASE):
    issue = check(REPO / "issues" / f"{slug}.yaml", REPO)
    return dataclasses.replace(issue, mail=dataclasses.replace(issue.mail, web_base=web_base))


def composed(issue, pdf: bytes) -> bytes:
    letter = letter_for(issue, pdf, "news@lanternhill.example", NOW)
    return compose(letter, READER, cover_templates(REPO), "tok1")


@pytest.mark.parametrize("slug", SAMPLES)
def test_the_email_of_every_sample_agrees_with_its_issue_and_pdf(pdfs, slug):
    issue = linked(slug)
    data = composed(issue, pdfs[slug])
    assert email_mismatches(issue, pdfs[slug], data) == []
    wanted = expected_email(issue, pdfs[slug])
    html, text = read_email(data, cover_note_words(issue.lang)["page"])
    for record in (html, text):
        assert [s.title for s in record.stories] == [s.title for s in wanted.stories]
        assert [s.page for s in record.stories] == [s.page for s in wanted.stories]
        assert all(
            s.anchor.startswith(f"{WEB_BASE}/{issue.slug}/index.html#") for s in record.stories
        )
    assert (html.lang, html.dir) == (issue.lang, "rtl" if slug.startswith("fa") else "ltr")


def test_an_email_without_web_base_has_no_links_and_agrees(pdfs):
    issue = linked("2026-10", None)
    data = composed(issue, pdfs["2026-10"])
    assert email_mismatches(issue, pdfs["2026-10"], data) == []
    html, text = read_email(data, "page {page}")
    assert {s.anchor for s in html.stories} == {s.anchor for s in text.stories} == {""}


# -- a damaged message ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def october(pdfs):
    issue = linked("2026-10")
    return issue, pdfs["2026-10"], composed(issue, pdfs["2026-10"])


def damaged(data: bytes, html=lambda text: text, text=lambda text: text) -> bytes:
    """The message with its HTML part and its plain-text part edited."""
    message = BytesParser(policy=policy.default).parsebytes(data)
    for subtype, edit in (("html", html), ("plain", text)):
        part = message.get_body((subtype,))
        content = part.get_content().replace("\r\n", "\n")
        part.set_content(edit(content), subtype=subtype, cte="quoted-printable")
    return message.as_bytes()


def findings(october, **edits) -> list[str]:
    issue, pdf, data = october
    return [str(found) for found in email_mismatches(issue, pdf, damaged(data, **edits))]


def html_entry(html: str, anchor: str) -> str:
    """The HTML part's row of one story: from its <tr> to the next story's."""
    start = html.rindex("<tr>", 0, html.index(f'#{anchor}"'))
    start = html.rindex("<tr>", 0, start)
    end = html.index("</table>\n</td></tr>", start) + len("</table>\n</td></tr>\n")
    return html[start:end]


def text_entry(text: str, anchor: str) -> str:
    """The plain-text part's lines of one story, its blank line after them."""
    end = text.index(f"#{anchor}\n") + len(f"#{anchor}\n\n")
    start = text.rindex("\n\n", 0, end - 2) + 2
    return text[start:end]


def test_a_real_email_read_back_damaged_nowhere(october):
    assert findings(october) == []


def test_an_email_without_a_story_names_the_story_and_the_email(october):
    issue, _, _ = october
    cafe = issue.articles[1]
    found = findings(october, html=lambda html: html.replace(html_entry(html, cafe.id), ""))
    assert found == [
        f"{cafe.span}: error: the email lacks the story 'Five years of the Eyepiece Café'"
    ]


def test_two_stories_swapped_in_the_plain_text_are_out_of_order(october):
    issue, _, _ = october
    deep, cafe = issue.articles[0].id, issue.articles[1].id

    def swap(text: str) -> str:
        first, second = text_entry(text, deep), text_entry(text, cafe)
        return text.replace(first + second, second + first)

    assert findings(october, text=swap) == [
        f"{issue.articles[0].span}: error: the email's plain-text part has 'Five years of the"
        " Eyepiece Café' as story 1, where the issue has 'Ashcombe pupils count 1,148 galaxies'"
    ]


def test_a_wrong_page_is_caught_in_either_part(october):
    issue, _, _ = october
    dome = issue.articles[3]

    def html(text: str) -> str:
        row = html_entry(text, dome.id)
        return text.replace(row, row.replace("page 3</p>", "page 2</p>"))

    def plain(text: str) -> str:
        lines = text_entry(text, dome.id)
        return text.replace(lines, lines.replace(" page 3\n", "\n"))

    title = "'Dome appeal: £31,620 raised, £16,380 to go'"
    assert findings(october, html=html, text=plain) == [
        f"{dome.span}: error: the email puts {title} on page 2;"
        " the pdf edition prints it on page 3",
        f"{dome.span}: error: the email's plain-text part lacks the story {title[1:-1]!r}",
    ]


def test_a_wrong_anchor_names_both_addresses(october):
    issue, _, _ = october
    halley = issue.articles[4]
    page = f"{WEB_BASE}/2026-10/index.html"
    found = findings(october, html=lambda html: html.replace(f'#{halley.id}"', '#halley-cat"'))
    assert found == [
        f"{halley.span}: error: the email has 'Halley, the observatory cat, turns ten' at"
        f" {page}#halley-cat, not at {page}#{halley.id}"
    ]


def test_a_wrong_language_or_direction_is_caught(october):
    issue, _, _ = october
    found = findings(
        october,
        html=lambda html: html.replace('<html lang="en" dir="ltr">', '<html lang="de" dir="rtl">'),
    )
    assert found == [
        f"{issue.span}: error: the email is marked 'de'; the issue is 'en'",
        f"{issue.span}: error: the email sets its text rtl; 'en' is written ltr",
    ]
    # The wrapper that webmail keeps when it drops <html>'s attributes is read too.
    found = findings(october, html=lambda html: html.replace('<div lang="en"', '<div lang="fr"'))
    assert len(found) == len(issue.articles) + len(issue.boxes)
    assert found[0] == (
        f"{issue.articles[0].span}: error: the email marks 'Ashcombe pupils count 1,148"
        " galaxies' as 'fr'; the issue has 'en'"
    )


# -- `broadsheet mail` ----------------------------------------------------------------------------


def test_a_cover_note_template_that_drops_a_story_stops_the_mail(mail_project, tmp_path):
    """A project's own layout/mail/cover.html.j2 that leaves out the first
    story: the dry run writes nothing, the real send sends nothing and keeps
    no journal, each with exit status 1 and the story named."""
    bundled = (REPO / "layout" / "mail" / "cover.html.j2").read_text(encoding="utf-8")
    assert bundled.count("{%- for entry in contents %}") == 1
    own = mail_project / "layout" / "mail" / "cover.html.j2"
    own.parent.mkdir(parents=True)
    own.write_text(bundled.replace("in contents %}", "in contents[1:] %}"), encoding="utf-8")
    issue = check(mail_project / "issues" / "2026-11.yaml", mail_project)
    first = issue.articles[0]
    line = f"{first.span}: error: the email lacks the story {first.title!r}"
    csv = subscribers(mail_project, people(2))
    outbox = tmp_path / "outbox"

    dry = run_mail(mail_project, "--to", str(csv), "--dry-run", str(outbox))
    assert dry.code == 1
    assert line in dry.stderr and "Traceback" not in dry.stderr
    assert not outbox.exists() or not any(outbox.iterdir())
    with SmtpSink() as sink:
        sent = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    assert sent.code == 1 and line in sent.stderr
    assert sink.received == []
    assert not (mail_project / "build" / "2026-11.mail.sqlite").exists()


def test_the_email_reader_reads_persian_digits(pdfs):
    issue = linked("fa/2026-12")
    data = composed(issue, pdfs["fa/2026-12"])
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert "صفحهٔ ۱" in message.get_body(("html",)).get_content()
    html, text = read_email(data, cover_note_words("fa")["page"])
    assert html.stories[0].page == text.stories[0].page == 1
    assert [s.page for s in html.stories] == [s.page for s in text.stories]
