"""The validated issue: frozen dataclasses that keep the span of what they came from.

Each field an editor writes is declared with its key of the issue format
(spec/FORMAT.md): `schema.key(kind, meaning, ...)` gives the key's kind, its
meaning and its default, once. Validation reads the key tables off these
classes (`schema.keys_of`), assembly fills them from the checked values, and
docs/format.md's tables are tested against them.

Templates receive these objects as they are. Each prints as its source
location (as Pelican's content objects do), so a message about an article can
always name the line the editor wrote it on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from broadsheet.content import schema
from broadsheet.errors import Diagnostic
from broadsheet.source import Span

# Keys written inside a key whose values are fields of the class holding it.
NUMBERING = schema.Group("issue", "number, volume, date, title", required=True)
SMTP = schema.Group("smtp", "host, port, security, relay, connections, per_domain")
# Connections at once, overall or to one domain: a mail server lets one client
# have a handful (Postfix: 50 from one address, many providers 10 or 20),
# and each is a thread of the sending process.
MAX_CONNECTIONS = 20
CENTRE = (50.0, 50.0)  # a photo's focal point when `image.focus` is not given


@dataclass(frozen=True)
class Markdown:
    """A Markdown text and where it starts in the YAML (for locating problems inside it)."""

    text: str
    span: Span
    first_line: int  # the YAML line of the text's first line (block scalars start below the key)

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, kw_only=True)
class Picture:
    """An article's `image:`."""

    src: Path = schema.key(  # resolved, inside the project
        "image_path", "the picture file, relative to the YAML file", required=True
    )
    alt: str | None = schema.key("text", "text for screen readers; defaults to the caption")
    caption: str | None = schema.key("text", "printed under the picture")
    credit: str | None = schema.key("text", "the photographer or source, printed after the caption")
    focus: tuple[float, float] | None = schema.key(  # (x %, y %) from the top left; None: centre
        "focus", "the point kept in view when the layout crops the photo: keywords or x% y%"
    )
    span: Span

    @property
    def alt_text(self) -> str:
        """What a screen reader says: the alt text, else the caption."""
        return self.alt or self.caption or ""

    @property
    def focal_point(self) -> tuple[float, float]:
        """The point to keep when cropping, in percent from the left and the top."""
        return self.focus or CENTRE

    @property
    def object_position(self) -> str | None:
        """The CSS `object-position` of a focus written in the YAML (`50% 30%`), else None."""
        if self.focus is None:
            return None
        return " ".join(f"{share:g}%" for share in self.focus)


@dataclass(frozen=True, kw_only=True)
class Dkim:
    """The `dkim:` key of `mail:`."""

    selector: str = schema.key(
        "domain_name", "the DKIM selector: its public key is at SELECTOR._domainkey", required=True
    )
    key: Path = schema.key(  # the private key, PEM
        "file_path", "the private key (PEM), a file in the project", required=True
    )
    domain: str | None = schema.key("domain_name", "the signing domain; default: the sender's")


@dataclass(frozen=True, kw_only=True)
class PerDomain:
    """The `per_domain:` key of `smtp:`: the pace to each recipient domain."""

    connections: int = schema.key(
        "integer", "messages to one domain under way at once", default=1, max=MAX_CONNECTIONS
    )
    rate: float | None = schema.key(
        "rate", "messages a second to one domain: the pause after each is 1/rate s"
    )


@dataclass(frozen=True, kw_only=True)
class MailSettings:
    """The `mail:` key: how `broadsheet mail` sends the issue. The command line
    wins over each of these; the SMTP password never lives here."""

    sender: str | None = schema.key("mailbox", "the sender's address", name="from")
    sender_name: str | None = schema.key(
        "text", "the sender's name; default: the newsletter's name", name="from_name"
    )
    reply_to: str | None = schema.key("mailbox", "where replies go")
    bounces: str | None = schema.key(
        "mailbox",
        "the return path: each message comes back to bounces+TOKEN@ (broadsheet bounces)",
    )
    subject: str | None = schema.key("text", "a template with {name}, {number} and {date}")
    host: str | None = schema.key("text", "the mail server's name", required=True, under=SMTP)
    port: int | None = schema.key(
        "integer", "its port; default 587 with starttls, 465 with ssl, 25 with none", under=SMTP
    )
    security: str = schema.key(
        "choice",
        "starttls, ssl or none",
        default="starttls",
        choices=("starttls", "ssl", "none"),
        under=SMTP,
    )
    relay: bool = schema.key(
        "boolean",
        "the server is a relay that queues and retries: its acceptance is final, no pacing",
        default=False,
        under=SMTP,
    )
    connections: int = schema.key(
        "integer",
        "connections sending at once, not to a relay",
        default=1,
        under=SMTP,
        max=MAX_CONNECTIONS,
    )
    per_domain: PerDomain | None = schema.key(
        "record",
        "connections, rate: the pace to each recipient domain, not to a relay",
        model=PerDomain,
        under=SMTP,
    )
    unsubscribe: tuple[str, ...] = schema.key(
        "unsubscribe", "an https URL with {email} or {token}, and/or a mailto:", default=()
    )
    max_message_mb: float = schema.key("megabytes", "the largest message sent, encoded", default=10)
    dkim: Dkim | None = schema.key(
        "record", "selector, key, domain: sign every message", model=Dkim
    )
    web_base: str | None = schema.key(  # the email's stories link into the web edition there
        "web_base",
        "where the site is served: the web edition is <web_base>/<slug>/index.html;"
        " default: an https site_url",
    )
    attach: bool = schema.key(  # false: large lists link to the hosted PDF instead
        "boolean", "attach the PDF (true), or link to it under web_base (false)", default=True
    )
    personalise: str | None = schema.key(
        "text", "a line printed on each copy's page 1, with {column} from the subscriber list"
    )
    span: Span | None = None  # where `mail:` was written
    attach_span: Span | None = None  # where its `attach:` key was written
    personalise_span: Span | None = None  # where its `personalise:` template was written
    unsubscribe_span: Span | None = None  # where its `unsubscribe:` key was written


@dataclass(frozen=True, kw_only=True)
class Article:
    title: str = schema.key("text", "the headline", required=True)
    id: str = schema.key("slug", "anchor name, unique within the issue; derived from the title")
    subtitle: str | None = schema.key("text", "a deck under the headline")
    date: dt.date | None = schema.key("date", "dateline")
    author: str | None = schema.key("text", "byline")
    lang: str | None = schema.key(  # None when it is the issue's
        "lang", "the article's language when not the issue's (BCP 47)"
    )
    body: Markdown = schema.key("markdown", "the text, in Markdown", required=True)
    pullquote: str | None = schema.key("text", "a short quote set large inside the article")
    image: Picture | None = schema.key("record", "a photo with caption and credit", model=Picture)
    link: str | None = schema.key("url", "the full story online, printed as a clickable line")
    toc: bool = schema.key("boolean", "listed in the table of contents", default=True)
    jump_after: int | None = schema.key(
        "integer", "set this many paragraphs in place, continue the rest later"
    )
    span: Span

    @property
    def continued_id(self) -> str:
        """The anchor of the continuation of a jumped article."""
        return f"{self.id}-continued"

    def __str__(self) -> str:
        return f"{self.span}: article {self.title!r}"


@dataclass(frozen=True, kw_only=True)
class Box:
    title: str = schema.key("text", "heading", required=True)
    id: str = schema.key("slug", "anchor name; derived from the title")
    body: Markdown | None = schema.key("markdown", "text, lists, links")
    contact: bool = schema.key(
        "boolean", "print the publication's contact details here", default=False
    )
    toc: bool = schema.key("boolean", "listed in the table of contents", default=True)
    span: Span

    def __str__(self) -> str:
        return f"{self.span}: box {self.title!r}"


@dataclass(frozen=True, kw_only=True)
class Contact:
    address: tuple[str, ...] = schema.key("lines", "postal address, one line per line", default=())
    email: str | None = schema.key("email", "becomes a mailto: link")
    website: str | None = schema.key("url", "becomes a link")
    phone: str | None = schema.key("text", "telephone number")


@dataclass(frozen=True, kw_only=True)
class Publication:
    """The keys of newsletter.yaml, which an issue file may also set."""

    name: str = schema.key("text", "the newsletter's name: masthead, PDF title", required=True)
    tagline: str | None = schema.key("text", "a line under the name")
    logo: Path | None = schema.key("image_path", "an image beside the name in the masthead")
    lang: str = schema.key("lang", "language of the text (BCP 47)", default="en")
    digits: str = schema.key(  # auto (the language's custom), latin or native
        "choice",
        "the digits of page numbers, dates and the issue number: auto (the language's"
        " custom), latin or native",
        default="auto",
        choices=("auto", "latin", "native"),
    )
    theme: str = schema.key("theme", "a theme folder under styles/", default="classic")
    page_size: str = schema.key("page_size", "paper size: A4, Letter or A5", default="A4")
    toc_title: str | None = schema.key("text", "heading of the table of contents")
    pages: int | None = schema.key(  # the target page count, for the copy-fit report
        "integer", "the page count an issue should fill, for the copy-fit report"
    )
    page_multiple: int | None = schema.key(  # 2 or 4: the page count is padded up to a multiple
        "integer",
        "pad the page count up to a multiple of this (2 or 4, for booklets) with space, never"
        " blank pages",
        choices=(2, 4),
    )
    size_budget_mb: float = schema.key(  # over it, the build warns: too big to email
        "megabytes", "the largest PDF worth emailing, in MB", default=2
    )
    size_budget_span: Span | None = None  # where the budget was set, if it was
    labels: dict[str, str] = schema.key(
        "labels", "overrides for the fixed words the layout prints", default={}
    )
    contact: Contact | None = schema.key("record", "address, email, website, phone", model=Contact)
    site_url: str | None = schema.key(  # where build/site/ is served: the feed's links are absolute
        "url", "the address the archive's site (build/site/) is published at"
    )
    mail: MailSettings = schema.key(  # always set: its defaults when there is no `mail:`
        "record", "how `broadsheet mail` sends the issue", model=MailSettings
    )
    boxes: tuple[Box, ...] = schema.key(
        "list", "standing boxes printed in every issue", default=(), model=Box, min=0, max=100
    )


@dataclass(frozen=True, kw_only=True)
class Issue(Publication):
    """One issue with its publication settings merged in; what every later stage reads."""

    number: int = schema.key("integer", "issue number", required=True, under=NUMBERING)
    volume: int | None = schema.key("integer", "volume", under=NUMBERING)
    date: dt.date = schema.key(
        "date", "date of the issue; also the PDF's creation date", required=True, under=NUMBERING
    )
    title: str | None = schema.key("text", "a special-edition title", under=NUMBERING)
    articles: tuple[Article, ...] = schema.key(
        "list", "the articles, in reading order", required=True, model=Article, min=1, max=500
    )
    order: str = schema.key(  # flexible: the layout may move briefs to fill a page
        "choice",
        "fixed (the articles' order) or flexible (briefs may move to fill a page)",
        default="fixed",
        choices=("fixed", "flexible"),
    )
    path: Path  # the issue's YAML file
    root: Path  # the project root: nothing outside it is read
    slug: str
    span: Span
    sources: tuple[Path, ...] = ()  # the YAML files read: the issue, then newsletter.yaml
    notes: tuple[Diagnostic, ...] = ()  # warnings from validation (a photo without alt text)

    @property
    def order_flexible(self) -> bool:
        """Whether the layout may move briefs out of the articles' order to fill a page."""
        return self.order == "flexible"

    def printed_in(self, order: tuple[str, ...]) -> Issue:
        """The issue with its articles in the order the layout printed them
        (article ids, from the page planner; empty: as written). The lead
        stays first."""
        if not order:
            return self
        rank = {article_id: n for n, article_id in enumerate(order)}
        lead, *rest = self.articles
        rest.sort(key=lambda article: rank.get(article.id, len(rank)))
        return replace(self, articles=(lead, *rest))

    def __str__(self) -> str:
        return f"{self.span}: issue {self.number} of {self.name!r}"
