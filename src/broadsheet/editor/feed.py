"""`broadsheet import`: draft the next issue from a website's RSS or Atom feed.

One article per post published on or after `--since`, newest first: its
title, date, author, its summary (or content) as a Markdown body
(`postmarkdown.py`), and its address as the article's `link`. With
`--images`, each post's first picture is downloaded into `images/` beside
the draft and becomes the article's `image`, with alt text. The issue's
number, volume and date follow the newest issue, as `broadsheet new`
does. The draft is checked exactly as `broadsheet check` would before it
is written, so what the editor opens always validates.

A feed is untrusted input: it is read whole only below a size cap, a
document that declares XML entities (the "billion laughs") is refused
before parsing, a post's HTML is cleaned, and pictures are fetched over
http(s) only, size-capped, and checked with Pillow before they are kept.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import io
import json
import re
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import feedparser
import yaml
from PIL import Image, UnidentifiedImageError

from broadsheet.content.bodies import is_live_link
from broadsheet.content.characters import INVISIBLE
from broadsheet.content.check import check
from broadsheet.content.ids import slugify
from broadsheet.content.load import NEWSLETTER_FILE, load_mapping
from broadsheet.content.validate import MAX_TEXT
from broadsheet.editor.download import DownloadFailed, fetch, is_web_address
from broadsheet.editor.feed_markdown import first_picture, plain, to_markdown
from broadsheet.editor.new import ISSUES, newest, next_date, slug_for
from broadsheet.errors import ContentError, Diagnostic, TypesetError, UsageError, error, warning
from broadsheet.outputs.writing import write_atomically
from broadsheet.paths import picture_refusal, unreadable
from broadsheet.source import Scalar, Span, display_path

MAX_FEED_BYTES = 5 * 1024 * 1024
MAX_PICTURE_BYTES = 10 * 1024 * 1024
MAX_ARTICLES = 500  # the format's limit
MAX_TITLE = 300
MAX_BODY = 20_000  # characters; a summary longer than this is cut at a paragraph
ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


@dataclass(frozen=True)
class Imported:
    written: tuple[Path, ...]  # the pictures, then the draft
    warnings: tuple[Diagnostic, ...]


def import_feed(
    feed: str,
    since: dt.date,
    root: Path,
    output: Path | None = None,
    date: dt.date | None = None,
    images: bool = False,
    allow_private: bool = False,
) -> Imported:
    """Read `feed` (a file, or an http(s) address), draft the issue, write it.
    `allow_private` lets the downloads reach loopback and private addresses
    (a feed on the editor's own network); see download.py."""
    folder = (root / ISSUES) if output is None else output.parent
    previous = newest(folder)
    if date is None:
        date = next_date(previous.date) if previous else dt.date.today()
    output = output or folder / f"{slug_for(date)}.yaml"
    if output.suffix not in (".yaml", ".yml"):
        raise UsageError([error(None, f"-o {output}: an issue file ends in .yaml")])
    if output.exists():
        raise ContentError(
            [error(Span(output, 1, 1), "this file already exists; nothing was written")]
        )
    parsed, where = _parse(feed, allow_private)
    notes: list[Diagnostic] = []
    posts = _posts(parsed, since, where, notes)
    if not posts:
        raise ContentError([error(where, f"no posts dated {since.isoformat()} or later")])
    if len(posts) > MAX_ARTICLES:
        raise ContentError(
            [
                error(
                    where,
                    f"{len(posts)} posts since {since.isoformat()}; an issue holds at most"
                    f" {MAX_ARTICLES}: give a later --since",
                )
            ]
        )
    written: list[Path] = []
    articles = []
    for post in posts:
        article = _article(post)
        if images:
            picture = _picture(post, output.parent, notes, allow_private)
            if picture is not None:
                path, alt = picture
                written.append(path)
                article = _with_image(article, path.relative_to(output.parent).as_posix(), alt)
        articles.append(article)
    document = {}
    if not _named(output.parent):
        document["name"] = _plain(parsed.feed.get("title", "")) or "The Newsletter"
    document["issue"] = {"number": previous.number + 1 if previous else 1}
    if previous and previous.volume:
        document["issue"]["volume"] = previous.volume
    document["issue"]["date"] = date
    document["articles"] = articles
    text = _header(feed, since, output) + _yaml(document)
    _check_draft(text, output, root)
    write_atomically(output, text.encode())
    return Imported((*dict.fromkeys(written), output), tuple(notes))


def _parse(feed: str, allow_private: bool):
    """The feed's bytes, refused when too large or declaring entities, parsed by feedparser."""
    if is_web_address(feed):
        where = Span(Path(feed), 1, 1)
        try:
            accept = "application/atom+xml, application/rss+xml, */*"
            data = fetch(feed, MAX_FEED_BYTES, accept, allow_private)
        except DownloadFailed as exc:
            raise ContentError([error(None, f"{feed}: {exc}")]) from None
    elif "://" in feed:
        raise UsageError(
            [error(None, f"{feed}: give a feed file, or an http:// or https:// address")]
        )
    else:
        path = Path(feed)
        where = Span(path, 1, 1)
        reason = unreadable(path)
        if reason == "no such file":
            raise UsageError([error(None, f"no such feed file: {feed}")])
        if reason:
            raise UsageError([error(None, f"cannot read the feed {feed}: {reason}")])
        if path.stat().st_size > MAX_FEED_BYTES:
            raise ContentError(
                [error(where, f"the feed is {path.stat().st_size:,} bytes; the limit is 5 MiB")]
            )
        data = path.read_bytes()[: MAX_FEED_BYTES + 1]
    if found := ENTITY_DECLARATION.search(data):
        line = data[: found.start()].count(b"\n") + 1
        raise ContentError(
            [
                error(
                    Span(where.path, line, 1),
                    "the feed declares XML entities (<!ENTITY>), which feeds never need"
                    " and which can expand without end; refused",
                )
            ]
        )

    parsed = feedparser.parse(
        data, resolve_relative_uris=True, sanitize_html=True, response_headers={}
    )
    if not parsed.entries and not parsed.feed.get("title"):
        problem = parsed.get("bozo_exception")
        line = getattr(problem, "getLineNumber", lambda: 1)() or 1
        col = (getattr(problem, "getColumnNumber", lambda: 0)() or 0) + 1
        why = f": {problem}" if problem else ""
        raise ContentError([error(Span(where.path, line, col), f"not an RSS or Atom feed{why}")])
    return parsed, where


def _posts(parsed, since: dt.date, where: Span, notes: list[Diagnostic]) -> list:
    """The dated posts on or after `since`, newest first (feed order among equals)."""
    kept = []
    for n, entry in enumerate(parsed.entries, start=1):
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp is None:
            title = _plain(entry.get("title", "")) or f"post {n}"
            notes.append(warning(where, f"{title!r} has no date; left out"))
            continue
        posted = dt.datetime.fromtimestamp(calendar.timegm(stamp), dt.UTC).date()
        if posted >= since:
            kept.append((posted, n, entry))
    kept.sort(key=lambda item: (-item[0].toordinal(), item[1]))
    return [(posted, entry) for posted, _, entry in kept]


def _article(post) -> dict:
    posted, entry = post
    link = entry.get("link", "")
    article: dict = {"title": _plain(entry.get("title", ""))[:MAX_TITLE] or "Untitled"}
    article["date"] = posted
    if author := _plain(entry.get("author", "")):
        article["author"] = author
    html = entry.get("summary", "") or _content(entry)
    body = to_markdown(html, link or None)
    if len(body) > MAX_BODY:
        body = body[: body.rfind("\n\n", 0, MAX_BODY) if "\n\n" in body[:MAX_BODY] else MAX_BODY]
        body = body.rstrip() + " …"
    if _web(link):
        article["link"] = link
    article["body"] = body or "Read the full post online."
    return article


def _with_image(article: dict, src: str, alt: str) -> dict:
    """The article with its photo, placed where an editor expects it (before `link`)."""
    placed = {}
    for key, value in article.items():
        if key in ("link", "body") and "image" not in placed:
            placed["image"] = {"src": src, "alt": alt}
        placed[key] = value
    return placed


def _content(entry) -> str:
    for part in entry.get("content", []) or []:
        if part.get("value"):
            return part["value"]
    return ""


def _picture(
    post, folder: Path, notes: list[Diagnostic], allow_private: bool
) -> tuple[Path, str] | None:
    """Download the post's first picture into `folder/images/`, named by its
    content; None (and a warning) when there is none or it cannot be used."""
    _, entry = post
    title = _plain(entry.get("title", "")) or "a post"
    found = _first_picture(entry)
    if found is None:
        return None
    url, alt = found
    if not _web(url):
        notes.append(
            warning(None, f"{title!r}: picture {url!r} is not an http(s) address; left out")
        )
        return None
    try:
        data = fetch(url, MAX_PICTURE_BYTES, "image/*", allow_private)
        fmt = _picture_format(data)
    except DownloadFailed as exc:
        notes.append(warning(None, f"{title!r}: picture {url}: {exc}; left out"))
        return None
    digest = hashlib.sha256(data).hexdigest()[:12]

    stem = slugify(title)[:40].strip("-") or "post"
    path = folder / "images" / f"{stem}-{digest}.{EXTENSIONS[fmt]}"
    if not path.is_file() or path.read_bytes() != data:
        write_atomically(path, data)
    return path, alt or title


def _first_picture(entry) -> tuple[str, str] | None:
    """Where a feed puts a post's picture: Media RSS, an image enclosure, or the first <img>."""
    for media in [*(entry.get("media_content") or []), *(entry.get("media_thumbnail") or [])]:
        kind = media.get("type", "") or media.get("medium", "image")
        if media.get("url") and kind.startswith("image"):
            return media["url"], ""
    for link in entry.get("links", []) or []:
        picture = str(link.get("type", "")).startswith("image/")
        if link.get("rel") == "enclosure" and picture and link.get("href"):
            return link["href"], ""
    for html in (entry.get("summary", ""), _content(entry)):
        found = first_picture(html, entry.get("link") or None)
        if found is not None:
            return found.url, found.alt
    return None


def _picture_format(data: bytes) -> str:
    """The picture's format, checked like an issue's photos (paths.py) before it is kept."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                fmt, (width, height) = image.format, image.size
                image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        raise DownloadFailed("not a picture (PNG, JPEG, GIF or WebP)") from None
    refusal = picture_refusal(fmt, width, height)
    if refusal:
        raise DownloadFailed(refusal)
    return fmt


def _check_draft(text: str, output: Path, root: Path) -> None:
    """Validate the draft beside its final place (so newsletter.yaml applies) before
    writing it: a draft that fails is broadsheet's fault, reported as such."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", suffix=".yaml", prefix=f".{output.stem}.", dir=output.parent, encoding="utf-8"
    ) as draft:
        draft.write(text)
        draft.flush()
        try:
            check(Path(draft.name), root)
        except ContentError as exc:
            problems = [f"{d.span.line if d.span else '?'}: {d.message}" for d in exc.diagnostics]
            raise TypesetError(
                [
                    error(None, f"the draft of {display_path(output)} does not validate: {p}")
                    for p in problems
                ]
            ) from None


def _named(folder: Path) -> bool:
    """Whether the folder's newsletter.yaml gives the publication's name."""
    path = folder / NEWSLETTER_FILE
    if not path.is_file():
        return False
    name = load_mapping(path).items.get("name")
    return isinstance(name, Scalar) and bool(name.text.strip())


def _header(feed: str, since: dt.date, output: Path) -> str:
    source = _plain(feed)
    return (
        f"# Drafted by `broadsheet import` from {source}\n"
        f"# (posts since {since.isoformat()}). Edit it, then check it with:\n"
        f"# broadsheet check {display_path(output)}\n"
    )


def _plain(text: str) -> str:
    return plain(str(text or ""))


def _web(url: str) -> bool:
    """Whether a post's address is one the draft can keep: an http(s) address
    that validation takes as an article's `link` (no invisible characters,
    not over the length of a line of text, one the library can take apart)."""
    return (
        bool(url)
        and url == url.strip()
        and len(url) <= MAX_TEXT
        and not INVISIBLE.search(url)
        and is_web_address(url)
        and is_live_link(url)
    )


def _yaml(document: dict) -> str:
    """The draft laid out as the repository's issues are: list items indented
    under their key, a blank line between articles, each body a `|` block."""
    lines = [f"name: {_scalar(document['name'])}"] if "name" in document else []
    lines.append("issue:")
    lines += [f"  {key}: {_scalar(value)}" for key, value in document["issue"].items()]
    lines.append("articles:")
    for article in document["articles"]:
        lines.append("")
        for n, (key, value) in enumerate(article.items()):
            lead = "  - " if n == 0 else "    "
            if key == "image":
                lines.append(f"{lead}image:")
                lines += [f"      {k}: {_scalar(v)}" for k, v in value.items()]
            elif key == "body":
                lines.append(f"{lead}body: |")
                lines += [f"      {line}" if line else "" for line in value.split("\n")]
            else:
                lines.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _scalar(value) -> str:
    """A value as YAML reads it back unchanged: plain when that is safe, else quoted."""
    if isinstance(value, dt.date | int):
        return str(value)
    text = str(value)
    try:
        plain_ok = yaml.safe_load(f"k: {text}") == {"k": text} and " #" not in text
    except yaml.YAMLError:
        plain_ok = False
    return text if plain_ok and text == text.strip() else json.dumps(text, ensure_ascii=False)
