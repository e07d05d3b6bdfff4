"""The layout's fixed words in ten languages, and dates from Babel (CLDR)."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader

from broadsheet.labels import ENGLISH, LABELS, labels_for, month_year

LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "fa", "ar", "he")
OCTOBER = {
    "en": "October 2026",
    "fr": "octobre 2026",
    "de": "Oktober 2026",
    "es": "octubre 2026",
    "it": "ottobre 2026",
    "pt": "outubro 2026",
    "nl": "oktober 2026",
    "ar": "أكتوبر 2026",
    "he": "אוקטובר 2026",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_every_word(lang):
    words = LABELS[lang]
    assert set(words) == set(ENGLISH)
    assert "{page}" in words["page"] and "{pages}" in words["page"]
    if lang != "en":
        assert words["toc_title"] != ENGLISH["toc_title"]  # translated, not copied


@pytest.mark.parametrize(("lang", "month"), OCTOBER.items())
def test_month_names_come_from_babel(lang, month):
    assert month_year(dt.date(2026, 10, 1), lang) == month


def test_a_regional_tag_uses_its_language_and_overrides_win():
    words = labels_for("fr-CA", {"toc_title": "Au sommaire"})
    assert words["toc_title"] == "Au sommaire"
    assert words["page"] == "Page {page} sur {pages}"
    assert labels_for("sw", {})["toc_title"] == ENGLISH["toc_title"]  # no table: English


def test_a_french_issue_prints_french_words(project):
    project.write(
        "issues/octobre.yaml",
        """\
        name: La Gazette du Quartier
        lang: fr
        issue: {number: 12, volume: 3, date: 2026-10-01}
        articles:
          - title: La fête des voisins
            author: Claire Martin
            body: Rendez-vous samedi dans la cour, avec « les » gâteaux de chacun.
        """,
    )
    run = project.run("build", "issues/octobre.yaml")
    assert run.code == 0, run.stderr
    text = " ".join(p.extract_text() for p in PdfReader(project.root / "build/octobre.pdf").pages)
    for words in ("Dans ce numéro", "Page 1 sur 1", "octobre 2026", "N° 12", "Par Claire Martin"):
        assert words.casefold() in " ".join(text.split()).casefold(), words


@pytest.mark.parametrize("lang", ["fr", "de", "es", "nl"])
def test_a_longer_contact_label_never_overlaps_its_value(project, lang):
    """ "Courriel" is wider than "Email": the value moves right rather than under it."""
    import pypdfium2

    project.write(
        "issues/a.yaml",
        f"""\
        name: The Gazette
        lang: {lang}
        contact: {{email: news@example.org, website: https://example.org}}
        issue: {{number: 1, date: 2026-10-01}}
        articles:
          - title: A story
            body: Some text.
        boxes:
          - title: About
            contact: true
            body: Who we are.
        """,
    )
    assert project.run("build", "issues/a.yaml").code == 0
    page = pypdfium2.PdfDocument(project.root / "build" / "a.pdf")[0].get_textpage()
    text = page.get_text_range()
    label = LABELS[lang]["email"]
    start = text.casefold().index(label.casefold())
    value = text.index("news@example.org", start)
    label_right = max(page.get_charbox(i)[2] for i in range(start, start + len(label)))
    assert page.get_charbox(value)[0] >= label_right
