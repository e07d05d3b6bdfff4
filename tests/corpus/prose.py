"""What the issue generator asks of a language: sentences, titles, names.

Each language module (english, french, persian) fills in phrase tables and
the few word orders its sentences need; the shared paragraph, body and list
assembly lives here, so every language gets the same spread of sentence and
paragraph lengths from the same seeded generator.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Photo:
    """One of the project's photographs, with what each language says of it."""

    file: str
    credit: str


PHOTOS = (
    Photo("hubble_deep_field.jpg", "NASA, public domain"),
    Photo("coffee.png", "Rachel Michetti, CC0"),
    Photo("chelsea.png", "Stefan van der Walt, CC0"),
    Photo("rocket.jpg", "SpaceX, public domain"),
)


@dataclass(frozen=True)
class Masthead:
    """A publication's identity: what newsletter.yaml says about it."""

    name: str
    tagline: str
    address: str
    domain: str
    phone: str


class Prose:
    """The shared half of a language's writer; subclasses give the phrases."""

    lang = "en"
    mastheads: Sequence[Masthead] = ()

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, choices: Sequence[str]) -> str:
        return self.rng.choice(choices)

    def number(self, value: int) -> str:
        """A number as the language's text writes it."""
        return f"{value:,}" if value >= 10_000 else str(value)

    # -- what each language writes ---------------------------------------

    def sentence(self) -> str:
        raise NotImplementedError

    def said(self) -> str:
        """A sentence quoting somebody."""
        raise NotImplementedError

    def title(self) -> str:
        raise NotImplementedError

    def person(self) -> str:
        raise NotImplementedError

    def pullquote(self) -> str:
        raise NotImplementedError

    def link_sentence(self, url: str) -> str:
        """A sentence with a Markdown link to `url`."""
        raise NotImplementedError

    def diary_item(self, day: str) -> str:
        """One line of a list of dates."""
        raise NotImplementedError

    def box_title(self) -> str:
        raise NotImplementedError

    def about(self) -> tuple[str, str]:
        """The About box: its title and its body."""
        raise NotImplementedError

    def photo_words(self, photo: Photo) -> tuple[str, str, str]:
        """caption, alt text, credit."""
        raise NotImplementedError

    def day(self, date) -> str:
        """A date as a diary line starts with it."""
        raise NotImplementedError

    # -- assembled the same way in every language -------------------------

    def subtitle(self) -> str:
        return self.sentence()

    def paragraph(self, sentences: int, quote: bool = False) -> str:
        parts = [self.sentence() for _ in range(sentences)]
        if quote:
            parts.insert(self.rng.randrange(len(parts) + 1), self.said())
        return " ".join(parts)

    def diary(self, dates: Sequence) -> str:
        """A Markdown list of dated events."""
        return "\n".join(f"- **{self.day(date)}**: {self.diary_item(date)}" for date in dates)

    def body(self, paragraphs: int, low: int, high: int, url: str | None = None) -> str:
        """`paragraphs` Markdown paragraphs of `low` to `high` sentences, some
        quoting somebody, one with a link to `url` when given."""
        blocks = [
            self.paragraph(self.rng.randint(low, high), quote=self.rng.random() < 0.2)
            for _ in range(paragraphs)
        ]
        if url is not None:
            where = self.rng.randrange(len(blocks))
            blocks[where] += " " + self.link_sentence(url)
        return "\n\n".join(blocks)
