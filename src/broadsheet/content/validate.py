"""Stage 2, validate: loaded nodes become an `Issue`, or every problem at once.

The key tables come from the model's fields (`schema.keys_of`); each key's
kind names a checker. A checker looks at one node, returns
the typed value, or records a located problem that says what it expected and
what it got, and returns None so the walk goes on: an editor sees all their
mistakes in one run, not one per run.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from broadsheet import clock, theme
from broadsheet.content import bodies
from broadsheet.content.assemble import assemble
from broadsheet.content.characters import INVISIBLE, MAX_COMBINING_RUN, long_combining_run
from broadsheet.content.ids import assign_ids
from broadsheet.content.load import NEWSLETTER_FILE, Loaded
from broadsheet.content.model import Issue, Markdown, Publication
from broadsheet.content.schema import PAGE_SIZES, SYNONYMS, Key, keys_of
from broadsheet.errors import ContentError, Diagnostic, error, warning
from broadsheet.labels import ENGLISH
from broadsheet.paths import PathRefused, project_file, split_address
from broadsheet.source import Mapping, Node, Scalar, Sequence, Span, kind_name

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# RFC 6376's selector and domain: dot-separated labels of letters, digits and
# hyphens (an international domain in its xn-- form). Nothing else may reach
# the DKIM-Signature header: a line break there would add headers of its own.
DOMAIN_NAME = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_EMAIL = re.compile(
    r"[^@\s<>,;:\"'()\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z]{2,}"
)
MAX_TEXT = 2_000  # characters in a title, caption, name...: a headline is under 200
MAX_MARKDOWN = 100_000  # characters in one body: about 25 pages of a newsletter
NO_ALT = "no-alt"  # the code of these warnings: verify.py knows them by it
NO_ALT_TEXT = 'no alt text: a screen reader can only say "image"; describe the picture with {how}'
_TRUE, _FALSE = {"true", "yes", "on"}, {"false", "no", "off"}


class _Check:
    """The walk's state: the project root and the problems found so far."""

    def __init__(self, root: Path, lang: str):
        self.root = root
        self.lang = lang
        self.problems: list[Diagnostic] = []
        self.notes: list[Diagnostic] = []  # warnings: the issue builds, but should change

    def fail(self, span: Span, path: str, message: str) -> None:
        self.problems.append(error(span, f"{path}: {message}" if path else message))

    def note(self, span: Span, path: str, message: str, code: str = "") -> None:
        self.notes.append(warning(span, f"{path}: {message}", code))

    # -- scalars -------------------------------------------------------------

    def scalar(self, node: Node, path: str, expected: str) -> Scalar | None:
        if isinstance(node, Scalar) and not node.is_null:
            return node
        self.fail(node.span, path, f"expected {expected}, got {kind_name(node)}")
        return None

    def word(self, node: Node, path: str, expected: str) -> str | None:
        """A scalar's text as written (not checked as text: a slug, a tag, a name)."""
        scalar = self.scalar(node, path, expected)
        return None if scalar is None else scalar.text

    def accepted(
        self, node: Node, path: str, text: str | None, test: Callable, expected: str
    ) -> str | None:
        """`text` if it passes `test`; otherwise a problem: expected ..., got 'text'."""
        if text is None:
            return None
        if test(text):
            return text
        self.fail(node.span, path, f"expected {expected}, got {text!r}")
        return None

    def text(self, node: Node, path: str, key: Key) -> str | None:
        scalar = self.scalar(node, path, "text")
        if scalar is None:
            return None
        if not scalar.text.strip():
            self.fail(node.span, path, "expected text, got an empty string")
            return None
        invisible = INVISIBLE.search(scalar.text)
        if invisible:
            self.fail(
                node.span,
                path,
                f"character {invisible.start() + 1} is U+{ord(invisible.group()):04X}, a control"
                " character or noncharacter that no reader can see; remove it",
            )
            return None
        run = long_combining_run(scalar.text)
        if run:
            self.fail(
                node.span,
                path,
                f"character {run[0] + 1} starts {run[1]:,} combining marks in a row; text holds"
                f" at most {MAX_COMBINING_RUN} on one letter (Unicode's stream-safe limit)",
            )
            return None
        limit = MAX_MARKDOWN if key.kind == "markdown" else MAX_TEXT
        if len(scalar.text) > limit:
            what = "a Markdown text" if key.kind == "markdown" else "a line of text like this"
            self.fail(
                node.span,
                path,
                f"{len(scalar.text):,} characters; {what} holds at most {limit:,}",
            )
            return None
        return scalar.text.strip() if not scalar.block else scalar.text.rstrip("\n")

    def lines(self, node: Node, path: str, key: Key) -> tuple[str, ...] | None:
        """Text of one or more lines (a postal address): each line, blank ones left out."""
        text = self.text(node, path, key)
        if text is None:
            return None
        return tuple(line.strip() for line in text.splitlines() if line.strip())

    def markdown(self, node: Node, path: str, key: Key) -> Markdown | None:
        text = self.text(node, path, key)
        if text is None:
            return None
        assert isinstance(node, Scalar)
        body = Markdown(text, node.span, node.span.line + (1 if node.block else 0))
        for ref in bodies.image_refs(text, self.lang):
            col = (node.indent if node.block else node.span.col) + ref.col
            span = Span(node.span.path, body.first_line + ref.line, col)
            where = f"{path} (image {ref.src!r})"
            self.project_path(ref.src, span, where, picture=True)
            if not ref.alt:
                self.note(span, where, NO_ALT_TEXT.format(how="the words in ![...]"), NO_ALT)
        return body

    def integer(self, node: Node, path: str, key: Key) -> int | None:
        """A whole number of 1 or more (up to the key's `max`), or one of the
        key's `choices` (2 or 4)."""
        choices, most = key.args.get("choices"), key.args.get("max")
        if choices:
            expected = " or ".join(str(choice) for choice in choices)
        elif most:
            expected = f"a whole number from 1 to {most}"
        else:
            expected = "a whole number of 1 or more"
        scalar = self.scalar(node, path, expected)
        if scalar is None:
            return None
        text = scalar.text
        if (
            not re.fullmatch(r"[0-9]{1,9}", text)
            or int(text) < 1
            or (choices and int(text) not in choices)
            or (most and int(text) > most)
        ):
            shown = text if len(text) <= 40 else text[:40] + "…"
            self.fail(node.span, path, f"expected {expected}, got {shown!r}")
            return None
        return int(text)

    def megabytes(self, node: Node, path: str, key: Key) -> float | None:
        return self.above_zero(node, path, "a number of megabytes like 2 or 1.5")

    def rate(self, node: Node, path: str, key: Key) -> float | None:
        """Messages a second: 0.5 is one message every two seconds."""
        return self.above_zero(node, path, "a number of messages a second above 0, like 2 or 0.5")

    def above_zero(self, node: Node, path: str, expected: str) -> float | None:
        """A decimal number above 0, written plainly (no exponent, no inf or nan)."""
        scalar = self.scalar(node, path, expected)
        if scalar is None:
            return None
        if not re.fullmatch(r"[0-9]{1,6}(\.[0-9]{1,6})?", scalar.text) or float(scalar.text) <= 0:
            self.fail(node.span, path, f"expected {expected}, got {scalar.text!r}")
            return None
        return float(scalar.text)

    def focus(self, node: Node, path: str, key: Key) -> tuple[float, float] | None:
        """A photo's focal point, as CSS's `object-position` writes it: one or two
        of the keywords, or x then y each a percentage or a keyword of its axis."""
        expected = "a focal point like 'top', 'top left' or '50% 30%' (x then y)"
        text = self.word(node, path, expected)
        point = None if text is None else focal_point(text)
        if text is not None and point is None:
            shown = text if len(text) <= 40 else text[:40] + "…"
            self.fail(node.span, path, f"expected {expected}, got {shown!r}")
        return point

    def boolean(self, node: Node, path: str, key: Key) -> bool | None:
        scalar = self.scalar(node, path, "true or false")
        word = scalar.text.lower() if scalar else None
        if scalar is not None and scalar.tag == "bool" and word in _TRUE | _FALSE:
            return word in _TRUE
        if scalar is not None:
            self.fail(node.span, path, f"expected true or false, got {scalar.text!r}")
        return None

    def date(self, node: Node, path: str, key: Key) -> dt.date | None:
        scalar = self.scalar(node, path, "a date like 2026-01-31")
        if scalar is None:
            return None
        if _DATE.fullmatch(scalar.text):
            try:
                date = dt.date.fromisoformat(scalar.text)
            except ValueError:
                self.fail(node.span, path, f"no such date: {scalar.text!r}")
                return None
            if clock.in_range(date):
                return date
            self.fail(node.span, path, f"expected a date {clock.DATE_RANGE}, got {scalar.text!r}")
            return None
        self.fail(node.span, path, f"expected a date like 2026-01-31, got {scalar.text!r}")
        return None

    def slug(self, node: Node, path: str, key: Key) -> str | None:
        text = self.word(node, path, "a slug like 'club-news'")
        expected = "lower-case letters, digits and hyphens like 'club-news'"
        return self.accepted(node, path, text, _SLUG.fullmatch, expected)

    def url(self, node: Node, path: str, key: Key) -> str | None:
        text = self.text(node, path, key)
        return self.accepted(node, path, text, _is_web_address, "an http or https address")

    def web_base(self, node: Node, path: str, key: Key) -> str | None:
        """Where the site is served, as `https://host/path` with no query or
        fragment: the email builds its links by appending `/<slug>/...`, and
        a reader's mail program opens only links it can trust (no http)."""
        text = self.text(node, path, key)
        expected = "an https address with no ? or # like 'https://example.org/news'"
        base = self.accepted(node, path, text, _is_web_base, expected)
        return None if base is None else base.rstrip("/")

    def email(self, node: Node, path: str, key: Key) -> str | None:
        text = self.text(node, path, key)
        expected = "an email address like news@example.org"
        return self.accepted(node, path, text, _EMAIL.fullmatch, expected)

    def mailbox(self, node: Node, path: str, key: Key) -> str | None:
        """An address that goes into a header and the SMTP envelope: messages
        are sent without SMTPUTF8, so its local part is ASCII (an
        international domain is sent in its xn-- form)."""
        text = self.email(node, path, key)
        if text is not None and not text.rpartition("@")[0].isascii():
            self.fail(
                node.span,
                path,
                f"{text!r}: the part before the @ must be plain ASCII letters, digits and"
                " punctuation; mail servers without SMTPUTF8 refuse anything else",
            )
            return None
        return text

    def domain_name(self, node: Node, path: str, key: Key) -> str | None:
        text = self.text(node, path, key)
        expected = "dot-separated letters, digits and hyphens like 'news2026' or 'example.org'"
        return self.accepted(node, path, text, _is_domain_name, expected)

    def lang(self, node: Node, path: str, key: Key) -> str | None:
        expected = "a language tag like 'en' or 'pt-BR'"
        return self.accepted(node, path, self.word(node, path, expected), _LANG.fullmatch, expected)

    def page_size(self, node: Node, path: str, key: Key) -> str | None:
        expected = "A4, Letter or A5"
        text = self.word(node, path, expected)
        text = self.accepted(node, path, text, lambda t: t.lower() in PAGE_SIZES, expected)
        return None if text is None else PAGE_SIZES[text.lower()]

    def theme(self, node: Node, path: str, key: Key) -> str | None:
        scalar = self.scalar(node, path, "a theme name")
        if scalar is None:
            return None
        known = theme.available(self.root)
        if scalar.text in known:
            return scalar.text
        self.fail(
            node.span,
            path,
            f"no theme {scalar.text!r} (themes: {', '.join(known)})" + _suggest(scalar.text, known),
        )
        return None

    def labels(self, node: Node, path: str, key: Key) -> dict[str, str] | None:
        if not isinstance(node, Mapping):
            self.fail(node.span, path, f"expected a mapping of label: text, got {kind_name(node)}")
            return None
        out = {}
        for name, value in node.items.items():
            if name not in ENGLISH:
                self.fail(
                    node.keys[name], path, f"unknown label {name!r}" + _suggest(name, list(ENGLISH))
                )
                continue
            text = self.text(value, f"{path}.{name}", key)
            if text is not None:
                out[name] = text
        return out

    def image_path(self, node: Node, path: str, key: Key) -> Path | None:
        scalar = self.scalar(node, path, "a path to a picture")
        if scalar is None:
            return None
        return self.project_path(scalar.text, node.span, path, picture=True)

    def file_path(self, node: Node, path: str, key: Key) -> Path | None:
        scalar = self.scalar(node, path, "a path to a file")
        if scalar is None:
            return None
        return self.project_path(scalar.text, node.span, path, picture=False)

    def choice(self, node: Node, path: str, key: Key) -> str | None:
        choices, expected = key.args["choices"], " or ".join(key.args["choices"])
        text = self.word(node, path, expected)
        text = self.accepted(node, path, text, lambda t: t.lower() in choices, expected)
        return None if text is None else text.lower()

    def unsubscribe(self, node: Node, path: str, key: Key) -> tuple[str, ...] | None:
        """One https URL template and/or one mailto: address (RFC 8058 wants the https one)."""
        nodes = node.items if isinstance(node, Sequence) else [node]
        targets: dict[str, str] = {}
        for i, item in enumerate(nodes):
            where = f"{path}[{i}]" if isinstance(node, Sequence) else path
            text = self.text(item, where, key)
            if text is None:
                return None
            scheme = bodies.scheme_of(text)
            sample = text.replace("{email}", "a@example.org").replace("{token}", "t")
            if scheme == "https" and "{email}" not in text and "{token}" not in text:
                message = f"{text!r} cannot tell who unsubscribes: put {{email}} or {{token}} in it"
                self.fail(item.span, where, message)
                return None
            if (scheme == "https" and bodies.is_live_link(sample)) or (
                scheme == "mailto" and _EMAIL.fullmatch(text.partition(":")[2].split("?")[0])
            ):
                if scheme in targets:
                    self.fail(item.span, where, f"a second {scheme} target; give one of each")
                    return None
                targets[scheme] = text
                continue
            self.fail(
                item.span,
                where,
                "expected an https address (with {email} or {token}) or a mailto: address,"
                f" got {text!r}",
            )
            return None
        return tuple(targets.values())

    def project_path(self, text: str, span: Span, path: str, picture: bool) -> Path | None:
        try:
            return project_file(text, span.path.parent, self.root, picture=picture)
        except PathRefused as exc:
            self.fail(span, path, str(exc))
            return None

    # -- containers ----------------------------------------------------------

    def record(self, node: Node, path: str, key: Key) -> dict | None:
        return self.mapping(node, path, key.args["keys"])

    def mapping(self, node: Node, path: str, keys: tuple[Key, ...]) -> dict | None:
        if not isinstance(node, Mapping):
            self.fail(node.span, path, f"expected a mapping of keys, got {kind_name(node)}")
            return None
        known = {k.name: k for k in keys}
        for name, key_span in node.keys.items():
            if name not in known:
                self.fail(key_span, path, f"unknown key {name!r}" + _suggest(name, list(known)))
        out: dict = {}
        ok = True
        for key in keys:
            child = node.items.get(key.name)
            child_path = f"{path}.{key.name}" if path else key.name
            if child is None or (isinstance(child, Scalar) and child.is_null and not key.required):
                if key.required:
                    self.fail(node.span, path or key.name, f"missing required key {key.name!r}")
                    ok = False
                out[key.name] = copy.copy(key.default)
                continue
            value = CHECKERS[key.kind](self, child, child_path, key)
            ok = ok and value is not None
            out[key.name] = value
        return out if ok else None

    def list(self, node: Node, path: str, key: Key) -> list | None:
        if not isinstance(node, Sequence):
            self.fail(node.span, path, f"expected a list, got {kind_name(node)}")
            return None
        low, high = key.args["min"], key.args["max"]
        if not low <= len(node.items) <= high:
            self.fail(node.span, path, f"expected {low} to {high} items, got {len(node.items)}")
            return None
        keys = key.args["keys"]
        items = [self.mapping(item, f"{path}[{i}]", keys) for i, item in enumerate(node.items)]
        return None if any(item is None for item in items) else items


# A focal point's keywords: the share of the width (x) or the height (y) each names.
_ACROSS = {"left": 0.0, "center": 50.0, "right": 100.0}
_DOWN = {"top": 0.0, "center": 50.0, "bottom": 100.0}
_PERCENT = re.compile(r"(100(?:\.0+)?|[0-9]{1,2}(?:\.[0-9]+)?)%")


def focal_point(text: str) -> tuple[float, float] | None:
    """(x, y) in percent from the top left, from `center`, `top`, `bottom left`,
    `left top`, `50% 30%` or `left 30%`; None when it is none of these. Two
    keywords may come in either order; with a percentage, x comes first."""
    words = text.lower().split()
    if len(words) == 1:
        word = words[0]
        if word in _ACROSS:
            return _ACROSS[word], 50.0
        if word in _DOWN:
            return 50.0, _DOWN[word]
        return None
    if len(words) != 2:
        return None
    first, second = words
    if not (_PERCENT.fullmatch(first) or _PERCENT.fullmatch(second)):
        if first in _DOWN and second in _ACROSS:  # `top left`: keywords in either order
            first, second = second, first
        if first in _ACROSS and second in _DOWN:
            return _ACROSS[first], _DOWN[second]
        return None
    x, y = _share(first, _ACROSS), _share(second, _DOWN)
    return None if x is None or y is None else (x, y)


def _share(word: str, keywords: dict[str, float]) -> float | None:
    """A percentage, or a keyword of its axis, as a share of 100."""
    match = _PERCENT.fullmatch(word)
    if match:
        return float(match.group(1))
    return keywords.get(word)


def _is_web_address(text: str) -> bool:
    return bodies.scheme_of(text) in ("http", "https") and bodies.is_live_link(text)


def _is_web_base(text: str) -> bool:
    parts = split_address(text)
    return (
        parts is not None
        and bodies.scheme_of(text) == "https"
        and bodies.is_live_link(text)
        and not parts.query
        and not parts.fragment
        and "?" not in text
        and "#" not in text
    )


def _is_domain_name(text: str) -> bool:
    return len(text) <= 253 and DOMAIN_NAME.fullmatch(text) is not None


def _suggest(name: str, known: list[str]) -> str:
    target = SYNONYMS.get(name.lower())
    if target is None:
        close = difflib.get_close_matches(name.lower(), [*known, *SYNONYMS], n=1, cutoff=0.6)
        target = SYNONYMS.get(close[0], close[0]) if close else None
    return f" (did you mean {target!r}?)" if target in known else ""


CHECKERS: dict[str, Callable] = {
    name: getattr(_Check, name)
    for name in (
        "text",
        "lines",
        "markdown",
        "integer",
        "megabytes",
        "rate",
        "focus",
        "boolean",
        "date",
        "slug",
        "url",
        "web_base",
        "email",
        "mailbox",
        "domain_name",
        "lang",
        "page_size",
        "theme",
        "labels",
        "image_path",
        "file_path",
        "choice",
        "unsubscribe",
        "record",
        "list",
    )
}


def validate(loaded: Loaded, root: Path) -> Issue:
    """Check everything, build the model, or raise ContentError with every problem."""
    merged = loaded.merged()
    lang_node = merged.items.get("lang")
    lang = lang_node.text if isinstance(lang_node, Scalar) and lang_node.text else "en"
    check = _Check(root, lang)
    if loaded.publication is not None:
        publication_keys = {k.name for k in keys_of(Publication)}
        for name, key_span in loaded.publication.keys.items():
            if name not in publication_keys and name in {k.name for k in keys_of(Issue)}:
                check.problems.append(
                    error(key_span, f"{name!r} belongs in an issue file, not in {NEWSLETTER_FILE}")
                )
    values = check.mapping(merged, "", keys_of(Issue))
    if check.problems or values is None:
        raise ContentError(sorted(check.problems, key=_order))
    articles_node, boxes_node = merged.items["articles"], merged.items.get("boxes")
    assert isinstance(articles_node, Sequence)
    items_nodes = [*articles_node.items, *(boxes_node.items if boxes_node else ())]
    _check_jumps(check, values["articles"], articles_node, lang)
    ids = assign_ids(check.problems, [*values["articles"], *values["boxes"]], items_nodes)
    if check.problems:
        raise ContentError(sorted(check.problems, key=_order))
    mail_node = merged.items.get("mail")
    mail_keys = mail_node.keys if isinstance(mail_node, Mapping) else {}
    mail_values = (
        {key: node.span for key, node in mail_node.items.items()}
        if isinstance(mail_node, Mapping)
        else {}
    )
    values["mail"] = _with_web_base(values["mail"], values["site_url"])
    _check_hosted_pdf(check, values["mail"] or {}, mail_values)
    if check.problems:
        raise ContentError(sorted(check.problems, key=_order))
    issue = assemble(loaded, root, values, ids, items_nodes, merged.keys, mail_keys, mail_values)
    for i, article in enumerate(issue.articles):
        photo = article.image
        if photo is not None and not photo.alt_text:
            where = f"articles[{i}].image"
            check.note(photo.span, where, NO_ALT_TEXT.format(how="`alt:` or `caption:`"), NO_ALT)
    return replace(issue, notes=tuple(sorted(check.notes, key=_order)))


def _check_jumps(check: _Check, articles: list[dict], node: Sequence, lang: str) -> None:
    """A jump must leave something to continue: fewer paragraphs in place than the body has."""
    for i, (article, item) in enumerate(zip(articles, node.items, strict=True)):
        if article["jump_after"] is None:
            continue
        blocks = bodies.count_blocks(article["body"].text, lang)
        if article["jump_after"] >= blocks:
            assert isinstance(item, Mapping)
            check.fail(
                item.items["jump_after"].span,
                f"articles[{i}].jump_after",
                f"the body has {blocks} paragraph{'s' * (blocks != 1)}, so at most "
                f"{blocks - 1} can come before the jump",
            )


def _with_web_base(mail: dict | None, site_url: str | None) -> dict | None:
    """`mail.web_base`, else the publication's `site_url` when it can be one
    (https, no ? or #): both say where build/site/ is served, the archive's
    feed linking the web editions at <site_url>/<slug>/ and the email at
    <web_base>/<slug>/index.html, so one key is enough. An http `site_url`
    gives the email no links: a mail program warns of an insecure address."""
    if (mail or {}).get("web_base") or not site_url or not _is_web_base(site_url):
        return mail
    return {**(mail or {}), "web_base": site_url.rstrip("/")}


def _check_hosted_pdf(check: _Check, mail: dict, values: dict[str, Span]) -> None:
    """`attach: false` sends a link to the PDF in place of the PDF: a link
    under `web_base`, so without one the subscribers would get nothing.
    `values` says where each value under `mail:` was written."""
    if mail.get("attach") is False and not mail.get("web_base"):
        check.fail(
            values["attach"],
            "mail.attach",
            "false sends a link to the PDF under web_base, and no web_base is set:"
            " set `web_base:` under `mail:` (or an https `site_url`), or attach the PDF",
        )


def _order(diagnostic: Diagnostic):
    span = diagnostic.span
    return (str(span.path), span.line, span.col) if span else ("", 0, 0)
