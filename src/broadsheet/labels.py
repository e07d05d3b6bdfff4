"""The fixed words a page prints, per language, and dates in the issue's language.

Dates come from Babel (CLDR), so month names are right in every language it
knows. The words below are the layout's own vocabulary; `labels:` in the YAML
overrides any of them, and a language without its own table uses English.
"""

from __future__ import annotations

import datetime as dt

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

# `page` is a pattern: {page} and {pages} become the page counters.
ENGLISH = {
    "toc_title": "Inside this issue",
    "read_more": "Read more:",
    "page": "Page {page} of {pages}",
    "continued": "Continued on page",
    "continued_from": "Continued from page",
    "volume": "Vol.",
    "number": "No.",
    "by": "By",
    "contact_heading": "Write, call or visit",
    "email": "Email",
    "website": "Web",
    "phone": "Tel",
}

LABELS: dict[str, dict[str, str]] = {"en": ENGLISH}


def labels_for(lang: str, overrides: dict[str, str]) -> dict[str, str]:
    """The labels for a language tag, with the user's overrides on top."""
    base = LABELS.get(lang.split("-")[0].lower(), ENGLISH)
    return {**ENGLISH, **base, **overrides}


def locale_for(lang: str) -> Locale:
    """Babel's locale for a tag. Plain `en` dates as most of the English-speaking
    world writes them ("28 February 2026"); `en-US` gives "February 28, 2026"."""
    tag = "en_GB" if lang.lower() == "en" else lang.replace("-", "_")
    try:
        return Locale.parse(tag)
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def month_year(date: dt.date, lang: str) -> str:
    """ "March 2026", in the issue's language (the masthead and footer date)."""
    return format_date(date, "LLLL y", locale=locale_for(lang))


def long_date(date: dt.date, lang: str) -> str:
    """ "28 February 2026" in English; the language's own long form elsewhere."""
    return format_date(date, "long", locale=locale_for(lang))


RIGHT_TO_LEFT = {"ar", "fa", "he", "ur", "ps", "yi", "ckb", "sd", "ug"}


def right_to_left(lang: str) -> bool:
    """Whether a language (a BCP 47 tag) is written right to left."""
    return lang.split("-")[0].lower() in RIGHT_TO_LEFT
