"""The archive's words in the publication's language (labels.ARCHIVE): the
site's page and the index of the French and the Persian samples say
"numéros" and "شماره", count with the language's plural rules (CLDR, from
Babel) and write numbers and months in the language's digits; an English
publication's page reads as it always did.

The page is rendered from the samples' own models with entries made here:
what is tested is the words, not the PDFs they would be read from.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from broadsheet import labels
from broadsheet.content.check import check
from broadsheet.editor.archive import TEMPLATE, ArchivePage, Entry
from broadsheet.editor.site import TEMPLATE as SITE_TEMPLATE

REPO = Path(__file__).resolve().parents[2]
ENGLISH_WORDS = re.compile(r"\b(issues?|web page|Atom feed of|Page 1 of)\b")


def page_of(slug: str) -> ArchivePage:
    """The archive of two issues of the sample's publication: one of four
    pages, one of a single page."""
    issue = check(REPO / "issues" / f"{slug}.yaml", REPO)
    digits = labels.digits_for(issue.lang, issue.digits)

    def entry(number: int, date: dt.date, pages: int) -> Entry:
        return Entry(
            slug=f"{slug}-{number}",
            publication=issue.name,
            number=number,
            volume=issue.volume,
            date=date,
            when=labels.localise_digits(labels.month_year(date, issue.lang), digits),
            lang=issue.lang,
            dir="rtl" if labels.right_to_left(issue.lang) else "ltr",
            title=None,
            pdf=f"{slug}.pdf",
            thumbnail=f"thumbnails/{slug}.png",
            thumbnail_size=(240, 339),
            pages=pages,
            contents=((issue.articles[0].title, 1), (issue.articles[1].title, 12)),
            digits=digits,
            web=f"{slug}/index.html",
        )

    entries = [entry(12, dt.date(2026, 12, 1), 4), entry(11, dt.date(2026, 11, 1), 1)]
    return ArchivePage(entries, issue, REPO)


def site(page: ArchivePage) -> str:
    return page.render(
        SITE_TEMPLATE,
        picture_base="",
        font_faces="",
        text_family="serif",
        display_family="serif",
        feed="feed.xml",
    )


def text_of(html: str) -> str:
    """What a reader reads: the text of the body, and the pictures' descriptions."""
    body = html[html.index("<body>") :]
    alts = " ".join(re.findall(r'alt="([^"]*)"', body))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)) + " " + alts


@pytest.mark.parametrize(
    ("slug", "said"),
    [
        (
            "fr/2026-12",
            [
                "<title>La Lunette — tous les numéros</title>",
                "2\u00a0numéros</bdi>, <bdi>novembre 2026</bdi> – <bdi>décembre 2026</bdi>",
                "4\u00a0pages</bdi>",
                "1\u00a0page</bdi>",
                ">page web</a>",
                ">Le fil Atom de tous les numéros</a>",
                'alt="Première page de La Lunette, N° 12, décembre 2026"',
            ],
        ),
        (
            "fa/2026-12",
            [
                "<title>چراغ — همهٔ شماره\u200cها</title>",
                "۲ شماره</bdi>، <bdi>نوامبر ۲۰۲۶</bdi> – <bdi>دسامبر ۲۰۲۶</bdi>",
                "۴ صفحه</bdi>",
                "۱ صفحه</bdi>",
                ">صفحهٔ وب</a>",
                "دوره ۲ · شماره ۱۲</a>",
                '<span class="page">۱۲</span>',
                'alt="صفحهٔ نخست چراغ، شماره ۱۲، دسامبر ۲۰۲۶"',
            ],
        ),
    ],
)
def test_the_site_speaks_the_publication_s_language(slug, said):
    html = site(page_of(slug))
    for words in said:
        assert words in html
    assert not ENGLISH_WORDS.search(text_of(html))
    if slug.startswith("fa"):
        assert not re.search(r"\bpages?\b", text_of(html))


@pytest.mark.parametrize("slug", ["fr/2026-12", "fa/2026-12"])
def test_the_index_for_print_speaks_it_too(slug):
    html = page_of(slug).render(TEMPLATE, picture_base="")
    words = labels.archive_words(slug.partition("/")[0])
    assert f"— {words['all_issues']}</title>" in html
    assert not ENGLISH_WORDS.search(text_of(html))


def test_an_english_publication_s_page_reads_as_before():
    html = site(page_of("2026-10"))
    for words in (
        "<title>The Lantern — all issues</title>",
        "2 issues</bdi>, <bdi>November 2026</bdi> – <bdi>December 2026</bdi>",
        "4 pages</bdi>",
        "1 page</bdi>",
        ">web page</a>",
        ">Atom feed of every issue</a>",
        'alt="Page 1 of The Lantern, No. 12, December 2026"',
    ):
        assert words in html


@pytest.mark.parametrize(
    ("lang", "count", "shown"),
    [
        ("en", 1, "1 issue"),
        ("en", 1148, "1,148 issues"),
        ("fr", 0, "0\u00a0numéro"),  # French counts 0 with the singular
        ("fr", 1148, "1\u202f148\u00a0numéros"),
        ("fa", 1, "۱ شماره"),
        ("fa", 1148, "۱٬۱۴۸ شماره"),
        ("de", 2, "2 Ausgaben"),
        ("ja", 3, "3 issues"),  # a language without its own words: English
    ],
)
def test_a_count_follows_the_language_s_plural_rules_and_digits(lang, count, shown):
    words = labels.archive_words(lang)
    assert labels.counted(words, "issues", count, lang, labels.digits_for(lang)) == shown
