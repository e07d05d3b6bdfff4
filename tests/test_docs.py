"""Docs are tested like code: every key of the schema is documented and described."""

from __future__ import annotations

from pathlib import Path

from broadsheet import schema
from broadsheet.labels import ENGLISH

DOCS = Path(__file__).resolve().parent.parent / "docs" / "format.md"


def all_keys():
    tables = (
        schema.PUBLICATION,
        schema.ISSUE_FILE,
        schema.ISSUE,
        schema.ARTICLE,
        schema.BOX,
        schema.IMAGE,
        schema.CONTACT,
    )
    return [key for table in tables for key in table]


def test_every_key_has_a_meaning_and_is_in_the_format_page():
    text = DOCS.read_text()
    for key in all_keys():
        assert key.meaning.strip(), key.name
        assert f"`{key.name}`" in text, f"{key.name} is not documented in docs/format.md"


def test_every_label_is_documented():
    text = DOCS.read_text()
    for label in ENGLISH:
        assert f"`{label}`" in text, label
