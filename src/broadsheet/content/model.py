"""The validated issue: frozen dataclasses that keep the span of what they came from.

Templates receive these objects as they are. Each prints as its source
location (as Pelican's content objects do), so a message about an article can
always name the line the editor wrote it on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from broadsheet.errors import Diagnostic
from broadsheet.source import Span


@dataclass(frozen=True)
class Markdown:
    """A Markdown text and where it starts in the YAML (for locating problems inside it)."""

    text: str
    span: Span
    first_line: int  # the YAML line of the text's first line (block scalars start below the key)

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Picture:
    src: Path  # resolved, inside the project
    alt: str | None
    caption: str | None
    credit: str | None
    span: Span

    @property
    def alt_text(self) -> str:
        """What a screen reader says: the alt text, else the caption."""
        return self.alt or self.caption or ""


@dataclass(frozen=True)
class Dkim:
    selector: str
    key: Path  # the private key, PEM
    domain: str | None = None  # default: the sender's domain


@dataclass(frozen=True)
class MailSettings:
    """The `mail:` key: how `broadsheet mail` sends the issue. The command line
    wins over each of these; the SMTP password never lives here."""

    sender: str | None = None
    sender_name: str | None = None
    reply_to: str | None = None
    subject: str | None = None  # a template: {name}, {number}, {date}
    host: str | None = None
    port: int | None = None
    security: str = "starttls"  # starttls, ssl or none
    unsubscribe: tuple[str, ...] = ()  # an https URL template and/or a mailto: address
    max_message_mb: float = 10.0
    dkim: Dkim | None = None
    span: Span | None = None  # where `mail:` was written
    unsubscribe_span: Span | None = None  # where its `unsubscribe:` key was written


@dataclass(frozen=True)
class Article:
    title: str
    id: str
    body: Markdown
    span: Span
    subtitle: str | None = None
    date: dt.date | None = None
    author: str | None = None
    pullquote: str | None = None
    image: Picture | None = None
    link: str | None = None
    toc: bool = True
    jump_after: int | None = None  # paragraphs set in place; the rest continues after the stories
    lang: str | None = None  # the article's own language, when it is not the issue's

    @property
    def continued_id(self) -> str:
        """The anchor of the continuation of a jumped article."""
        return f"{self.id}-continued"

    def __str__(self) -> str:
        return f"{self.span}: article {self.title!r}"


@dataclass(frozen=True)
class Box:
    title: str
    id: str
    span: Span
    body: Markdown | None = None
    contact: bool = False
    toc: bool = True

    def __str__(self) -> str:
        return f"{self.span}: box {self.title!r}"


@dataclass(frozen=True)
class Contact:
    address: tuple[str, ...] = ()
    email: str | None = None
    website: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Issue:
    """One issue with its publication settings merged in; what every later stage reads."""

    path: Path  # the issue's YAML file
    root: Path  # the project root: nothing outside it is read
    slug: str
    name: str
    number: int
    date: dt.date
    articles: tuple[Article, ...]
    span: Span
    tagline: str | None = None
    logo: Path | None = None
    lang: str = "en"
    theme: str = "classic"
    page_size: str = "A4"
    toc_title: str | None = None
    pages: int | None = None  # the target page count, for the copy-fit report
    size_budget_mb: float = 2.0  # over it, the build warns: too big to email
    size_budget_span: Span | None = None  # where the budget was set, if it was
    labels: dict[str, str] = field(default_factory=dict)
    digits: str = "auto"  # auto (the language's custom), latin or native
    contact: Contact | None = None
    boxes: tuple[Box, ...] = ()
    volume: int | None = None
    title: str | None = None
    sources: tuple[Path, ...] = ()  # the YAML files read: the issue, then newsletter.yaml
    notes: tuple[Diagnostic, ...] = ()  # warnings from validation (a photo without alt text)
    mail: MailSettings = field(default_factory=MailSettings)

    def __str__(self) -> str:
        return f"{self.span}: issue {self.number} of {self.name!r}"
