"""`broadsheet archive`: every issue of every publication built, and an
index of them in `build/newsletter.pdf` and `build/index.html`, and as a
web site in `build/site/` (site.py: its page and its Atom feed).

Each issue's PDF is made the way `broadsheet mail` makes it (built only when
it is missing or older than anything its depfile names), and the index is
read back from those PDFs, not from the YAML: the contents list is the
PDF's own bookmarks (as the mail's cover note reads them), the thumbnail is
its page 1 drawn by PDFium. So the index shows exactly what each linked
PDF holds. Entries link to the PDFs by relative address (`2026-10.pdf`;
in its PDF a /GoToR action, see finish.py), so `build/` can be copied
or published as it is.

The index is typeset like an issue (the theme's fonts, WeasyPrint, the
finisher's producer and file identifier) from `layout/archive/index.html.j2`,
a template a project can override like any other. The same inputs give
the same bytes.

The index's PDF is named after newsletter.yaml, the one name no issue can
have (an issue's PDF is `build/<slug>.pdf`, and `issues/newsletter.yaml` is
never an issue), so an issue named `index` keeps `build/index.pdf`. The web
page keeps the name a web server serves for a folder, `build/index.html`:
no issue's output is HTML unless asked for by `--html`. Thumbnails are
PNGs, which no issue writes either.

The index belongs to one publication, whose name heads it and its feed:
that of the newest issue directly in `issues/`, the project's own (or of
the newest issue of all, when every issue is in a publication's folder).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pypdfium2

from broadsheet import __version__, labels
from broadsheet.content.check import check
from broadsheet.content.model import Issue
from broadsheet.content.slugs import slug_of
from broadsheet.editor.new import ISSUES, issue_files
from broadsheet.editor.site import write_site
from broadsheet.editor.webfonts import font_stack
from broadsheet.engine.finish import Finisher
from broadsheet.engine.typeset import to_pdf, typeset
from broadsheet.errors import ContentError, LayoutError, TypesetError, error
from broadsheet.html.render import Rendered
from broadsheet.outputs.writing import write_atomically
from broadsheet.pdf.reading import outline, reader
from broadsheet.pipeline import current_pdf
from broadsheet.profiles import EMAIL
from broadsheet.source import Span
from broadsheet.theme import BUNDLED, Theme

BUILD = Path("build")
INDEX_PDF = "newsletter.pdf"  # under build/: never an issue's PDF (see above)
INDEX_HTML = "index.html"  # under build/
THUMBNAILS = "thumbnails"  # under build/: thumbnails/<slug>.png
THUMBNAIL_WIDTH = 240  # pixels: sharp at the 40 mm it is printed, small as a file
TEMPLATE = "archive/index.html.j2"
# The families of each bundled theme's 00-fonts.css: for text, for display,
# for the right-to-left scripts (after the Latin faces, which lack them), and
# the fonts a reader's machine has to stand in for them on the web (the PDF
# embeds its own); a project theme gets the classic ones.
SERIF = ("Linux Libertine O", "Linux Libertine", "Georgia", "Times New Roman", "serif")
SANS = ("Inter", "system-ui", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif")
FAMILIES = {
    "classic": (
        ("Classic Libertine",),
        ("Classic Libertine Display", "Classic Libertine"),
        ("Classic Naskh", "Classic Hebrew"),
        SERIF,
    ),
    "modern": (
        ("Modern Inter",),
        ("Modern Inter Display", "Modern Inter"),
        ("Modern Arabic", "Modern Hebrew"),
        SANS,
    ),
    "bulletin": (
        ("Bulletin Serif",),
        ("Bulletin Display", "Bulletin Serif"),
        ("Bulletin Naskh", "Bulletin Hebrew"),
        SERIF,
    ),
}


@dataclass(frozen=True)
class Entry:
    """One issue in the index."""

    slug: str
    publication: str  # the issue's newsletter name
    number: int
    volume: int | None
    date: dt.date
    when: str  # "October 2026", in the issue's language
    lang: str
    dir: str  # rtl or ltr, for the issue's contents
    title: str | None
    pdf: str  # relative to build/ (and to build/site/, where the site has its copy)
    thumbnail: str  # relative to build/ (and to build/site/)
    thumbnail_size: tuple[int, int]  # pixels: the page keeps its place while it loads
    pages: int
    contents: tuple[tuple[str, int], ...]  # (title, page number)
    digits: str = labels.LATIN_DIGITS  # the issue's own, for its contents' page numbers
    web: str | None = None  # the web edition, relative to build/site/: on the site only


def build_archive(root: Path, progress: Callable[[str], None]) -> list[Path]:
    """Build every issue in `issues/` and in each publication's folder below
    it, then write the index; return the paths written."""
    issues = every_issue(root / ISSUES)
    if not issues:
        raise ContentError([error(None, f"no issues in {root / ISSUES}: nothing to archive")])
    build = root / BUILD
    entries, written = [], []
    for path in issues:
        entry = _entry(path, root, build, progress)
        entries.append(entry)
        written.append(build / entry.thumbnail)
    entries.sort(key=lambda e: (e.date, e.number), reverse=True)
    publication = _owner(issues, root)
    page = ArchivePage(entries, publication, root)
    html_for_pdf = page.render(TEMPLATE, picture_base=build.resolve().as_uri() + "/")
    html_for_web = page.render(TEMPLATE, picture_base="")
    pdf = _typeset(html_for_pdf, [page.fonts_stylesheet], root)

    write_atomically(build / INDEX_HTML, html_for_web.encode())
    write_atomically(build / INDEX_PDF, pdf)
    site = write_site(page, build)
    return [*written, build / INDEX_HTML, build / INDEX_PDF, *site]


def every_issue(folder: Path) -> list[Path]:
    """The issues in `folder` and in each folder just below it (a publication
    of its own, as the Makefile finds them), hidden ones left out."""
    publications = sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    found = [*issue_files(folder)]
    for publication in publications:
        if not publication.name.startswith("."):
            found += issue_files(publication)
    return [path for path in found if not path.name.startswith(".")]


def _entry(path: Path, root: Path, build: Path, progress) -> Entry:
    issue = check(path, root)
    slug = slug_of(path, root)
    pdf_path = current_pdf(path.resolve(), root, lambda m: _building_only(m, progress))
    data = pdf_path.read_bytes()
    doc = reader(data)
    contents = tuple((e.title, e.page + 1) for e in outline(doc) if e.level == 1)
    digits = labels.digits_for(issue.lang, issue.digits)
    thumbnail = f"{THUMBNAILS}/{slug}.png"
    png, size = _thumbnail(data)
    target = build / thumbnail
    if not target.is_file() or target.read_bytes() != png:
        write_atomically(target, png)
    entry = Entry(
        slug=slug,
        publication=issue.name,
        number=issue.number,
        volume=issue.volume,
        date=issue.date,
        when=labels.localise_digits(labels.month_year(issue.date, issue.lang), digits),
        lang=issue.lang,
        dir="rtl" if labels.right_to_left(issue.lang) else "ltr",
        title=issue.title,
        pdf=pdf_path.relative_to(build).as_posix(),
        thumbnail=thumbnail,
        thumbnail_size=size,
        pages=len(doc.pages),
        contents=contents,
        digits=digits,
    )
    return entry


def _building_only(message: str, progress: Callable[[str], None]) -> None:
    """Say which issue is being built; the stages' timings are for `build --debug`."""
    if message.startswith("building "):
        progress(message)


def _owner(issues: list[Path], root: Path) -> Issue:
    """The model of the issue whose publication the index belongs to (its
    name, language, theme and `site_url`): the newest directly in `issues/`,
    else the newest of all."""
    own = [path for path in issues if path.parent == root / ISSUES] or issues
    return max((check(path, root) for path in own), key=lambda i: (i.date, i.number))


def _thumbnail(pdf: bytes) -> tuple[bytes, tuple[int, int]]:
    """Page 1 as a small PNG and its size (PDFium; the same PDF gives the same bytes)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        scale = THUMBNAIL_WIDTH / page.get_width()
        image = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    out = io.BytesIO()
    image.quantize(colors=128).save(out, "PNG", optimize=True)
    return out.getvalue(), image.size


class ArchivePage:
    """The index's templates and what they are rendered from: the entries,
    the owning publication's words, the theme's font families. The PDF,
    build/index.html and the site's page are each one `render` of it."""

    def __init__(self, entries: list[Entry], issue: Issue, root: Path):
        self.entries, self.issue, self.root = entries, issue, root
        theme = Theme(issue.theme, root)
        self.fonts_stylesheet = _fonts_stylesheet(theme, root)
        families = FAMILIES.get(issue.theme, FAMILIES["classic"])
        self.text, self.display, self.scripts, self.fallback = families
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in theme.layout_dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
        )
        newest = max(entries, key=lambda e: (e.date, e.number))
        oldest = min(entries, key=lambda e: (e.date, e.number))
        self.labels = labels.labels_for(issue.lang, issue.labels)
        self.words = labels.archive_words(issue.lang)
        self.digits = labels.digits_for(issue.lang, issue.digits)
        self._context = {
            "name": issue.name,
            "tagline": issue.tagline,
            "lang": issue.lang,
            "dir": "rtl" if labels.right_to_left(issue.lang) else "ltr",
            "entries": entries,
            "labels": self.labels,
            "words": self.words,
            "counted": self.counted,
            "figures": self.figures,
            "comma": labels.comma(issue.lang),
            "first": self._month(oldest.date),
            "last": self._month(newest.date),
            "version": __version__,
            "created": newest.date.isoformat(),
            "text_family": font_stack(self.text + self.scripts),
            "display_family": font_stack(self.display + self.scripts),
            "page_size": issue.page_size,
        }

    def counted(self, word: str, count: int) -> str:
        """ "3 issues", "1 page": a counted word of the index's language."""
        return labels.counted(self.words, word, count, self.issue.lang, self.digits)

    def figures(self, number: int, digits: str | None = None) -> str:
        """A number in the index's digits, or in `digits` (an issue's own)."""
        return labels.localise_digits(str(number), digits or self.digits)

    def _month(self, date: dt.date) -> str:
        return labels.localise_digits(labels.month_year(date, self.issue.lang), self.digits)

    def render(self, template: str, **extra) -> str:
        """One template rendered with the index's context, and `extra` over it."""
        try:
            return self._env.get_template(template).render(**{**self._context, **extra})
        except jinja2.TemplateError as exc:
            where = Span(BUNDLED / "layout" / template, getattr(exc, "lineno", 1) or 1, 1)
            raise LayoutError([error(where, str(exc))]) from None


def _fonts_stylesheet(theme: Theme, root: Path) -> Path:
    """The theme's 00-fonts.css, or the classic theme's when it has none."""
    try:
        return theme.find_style("00-fonts.css")
    except FileNotFoundError:
        return Theme("classic", root).find_style("00-fonts.css")


def _typeset(html: str, stylesheets: list[Path], root: Path) -> bytes:
    """The index as a tagged PDF, through the issue's own engine and finisher.
    No base address: the links to the issues stay relative, and the finisher
    makes each one a go-to-remote action naming the file, which readers open
    from the folder the index is in."""
    laid_out = typeset(Rendered(html, None, stylesheets), root, EMAIL)
    finisher = Finisher(hashlib.sha256(f"archive\n{html}".encode()).hexdigest())
    pdf, _ = to_pdf(laid_out, finisher, EMAIL)
    if not pdf.startswith(b"%PDF-"):
        raise TypesetError([error(None, "the index could not be typeset")])
    return pdf
