"""The issue format as data: every key, its kind, default and meaning (spec/FORMAT.md).

`validate` walks the loaded nodes against these tables; the documentation test
checks that every key here is described, and the README's key lists come from
the same words. Kinds are small classes that check one node and say, on
failure, what they expected and what they got.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PAGE_SIZES = {"a4": "A4", "letter": "Letter", "a5": "A5"}

# Words editors reach for, mapped to the key the format uses; "did you mean" offers them.
SYNONYMS = {
    "byline": "author",
    "by": "author",
    "writer": "author",
    "headline": "title",
    "heading": "title",
    "name": "title",
    "deck": "subtitle",
    "standfirst": "subtitle",
    "summary": "subtitle",
    "subhead": "subtitle",
    "text": "body",
    "content": "body",
    "markdown": "body",
    "url": "link",
    "href": "link",
    "source": "link",
    "more": "link",
    "photo": "image",
    "picture": "image",
    "img": "image",
    "quote": "pullquote",
    "pull_quote": "pullquote",
    "dateline": "date",
    "published": "date",
    "caption_text": "caption",
    "description": "alt",
    "alt_text": "alt",
    "language": "lang",
    "locale": "lang",
    "paper": "page_size",
    "size": "page_size",
    "vol": "volume",
    "no": "number",
    "issue_number": "number",
    "web": "website",
    "site": "website",
    "url_site": "website",
    "mail": "email",
    "telephone": "phone",
    "tel": "phone",
    "postal": "address",
}


@dataclass(frozen=True)
class Key:
    name: str
    kind: str  # the name of a checker in validate.CHECKERS
    meaning: str
    required: bool = False
    default: object = None
    args: dict = field(default_factory=dict)


IMAGE = (
    Key("src", "image_path", "the picture file, relative to the YAML file", required=True),
    Key("alt", "text", "text for screen readers; defaults to the caption"),
    Key("caption", "text", "printed under the picture"),
    Key("credit", "text", "the photographer or source, printed after the caption"),
)

CONTACT = (
    Key("address", "text", "postal address, one line per line"),
    Key("email", "email", "becomes a mailto: link"),
    Key("website", "url", "becomes a link"),
    Key("phone", "text", "telephone number"),
)

SMTP = (
    Key("host", "text", "the mail server's name", required=True),
    Key("port", "integer", "its port; default 587 with starttls, 465 with ssl, 25 with none"),
    Key(
        "security",
        "choice",
        "starttls, ssl or none",
        default="starttls",
        args={"choices": ("starttls", "ssl", "none")},
    ),
)

DKIM = (
    Key(
        "selector",
        "domain_name",
        "the DKIM selector: its public key is at SELECTOR._domainkey",
        required=True,
    ),
    Key("key", "file_path", "the private key (PEM), a file in the project", required=True),
    Key("domain", "domain_name", "the signing domain; default: the sender's"),
)

MAIL = (
    Key("from", "mailbox", "the sender's address"),
    Key("from_name", "text", "the sender's name; default: the newsletter's name"),
    Key("reply_to", "mailbox", "where replies go"),
    Key("subject", "text", "a template with {name}, {number} and {date}"),
    Key("smtp", "record", "host, port, security", args={"keys": SMTP}),
    Key("unsubscribe", "unsubscribe", "an https URL with {email} or {token}, and/or a mailto:"),
    Key("max_message_mb", "megabytes", "the largest message sent, encoded", default=10),
    Key("dkim", "record", "selector, key, domain: sign every message", args={"keys": DKIM}),
)

ARTICLE = (
    Key("title", "text", "the headline", required=True),
    Key("id", "slug", "anchor name, unique within the issue; derived from the title"),
    Key("subtitle", "text", "a deck under the headline"),
    Key("date", "date", "dateline"),
    Key("author", "text", "byline"),
    Key("lang", "lang", "the article's language when not the issue's (BCP 47)"),
    Key("body", "markdown", "the text, in Markdown", required=True),
    Key("pullquote", "text", "a short quote set large inside the article"),
    Key("image", "record", "a photo with caption and credit", args={"keys": IMAGE}),
    Key("link", "url", "the full story online, printed as a clickable line"),
    Key("toc", "boolean", "listed in the table of contents", default=True),
    Key("jump_after", "integer", "set this many paragraphs in place, continue the rest later"),
)

BOX = (
    Key("title", "text", "heading", required=True),
    Key("id", "slug", "anchor name; derived from the title"),
    Key("body", "markdown", "text, lists, links"),
    Key("contact", "boolean", "print the publication's contact details here", default=False),
    Key("toc", "boolean", "listed in the table of contents", default=True),
)

ISSUE = (
    Key("number", "integer", "issue number", required=True),
    Key("volume", "integer", "volume"),
    Key("date", "date", "date of the issue; also the PDF's creation date", required=True),
    Key("title", "text", "a special-edition title"),
)

PUBLICATION = (
    Key("name", "text", "the newsletter's name: masthead, PDF title", required=True),
    Key("tagline", "text", "a line under the name"),
    Key("logo", "image_path", "an image beside the name in the masthead"),
    Key("lang", "lang", "language of the text (BCP 47)", default="en"),
    Key(
        "digits",
        "choice",
        "the digits of page numbers, dates and the issue number: auto (the language's"
        " custom), latin or native",
        default="auto",
        args={"choices": ("auto", "latin", "native")},
    ),
    Key("theme", "theme", "a theme folder under styles/", default="classic"),
    Key("page_size", "page_size", "paper size: A4, Letter or A5", default="A4"),
    Key("toc_title", "text", "heading of the table of contents"),
    Key("pages", "integer", "the page count an issue should fill, for the copy-fit report"),
    Key("size_budget_mb", "megabytes", "the largest PDF worth emailing, in MB", default=2),
    Key("labels", "labels", "overrides for the fixed words the layout prints"),
    Key("contact", "record", "address, email, website, phone", args={"keys": CONTACT}),
    Key("mail", "record", "how `broadsheet mail` sends the issue", args={"keys": MAIL}),
    Key(
        "boxes",
        "list",
        "standing boxes printed in every issue",
        args={"item": "box", "min": 0, "max": 100},
    ),
)

ISSUE_FILE = (
    *PUBLICATION,
    Key("issue", "record", "number, volume, date, title", required=True, args={"keys": ISSUE}),
    Key(
        "articles",
        "list",
        "the articles, in reading order",
        required=True,
        args={"item": "article", "min": 1, "max": 500},
    ),
)
