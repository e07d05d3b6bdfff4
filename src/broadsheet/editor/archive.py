"""`broadsheet archive`: every issue of every publication built, and an
index of them in `build/newsletter.pdf` and `build/index.html`.

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
from broadsheet.content.slugs import slug_of
from broadsheet.editor.new import ISSUES, issue_files
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
# The families of each bundled theme's 00-fonts.css; a project theme gets the classic ones.
FAMILIES = {
    "classic": ('"Classic Libertine"', '"Classic Libertine Display", "Classic Libertine"'),
    "modern": ('"Modern Inter"', '"Modern Inter Display", "Modern Inter"'),
    "bulletin": ('"Bulletin Serif"', '"Bulletin Display", "Bulletin Serif"'),
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
    title: str | None
    pdf: str  # relative to build/
    thumbnail: str  # relative to build/
    pages: int
    contents: tuple[tuple[str, int], ...]  # (title, page number)


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
    newest = max(entries, key=lambda e: (e.date, e.number))
    publication = _newest_issue(issues, root, newest.slug)
    html_for_pdf, html_for_web, stylesheets = _render(entries, publication, root, build)
    pdf = _typeset(html_for_pdf, stylesheets, root)

    write_atomically(build / INDEX_HTML, html_for_web.encode())
    write_atomically(build / INDEX_PDF, pdf)
    return [*written, build / INDEX_HTML, build / INDEX_PDF]


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
    thumbnail = f"{THUMBNAILS}/{slug}.png"
    png = _thumbnail(data)
    target = build / thumbnail
    if not target.is_file() or target.read_bytes() != png:
        write_atomically(target, png)
    entry = Entry(
        slug=slug,
        publication=issue.name,
        number=issue.number,
        volume=issue.volume,
        date=issue.date,
        when=labels.month_year(issue.date, issue.lang),
        title=issue.title,
        pdf=pdf_path.relative_to(build).as_posix(),
        thumbnail=thumbnail,
        pages=len(doc.pages),
        contents=contents,
    )
    return entry


def _building_only(message: str, progress: Callable[[str], None]) -> None:
    """Say which issue is being built; the stages' timings are for `build --debug`."""
    if message.startswith("building "):
        progress(message)


def _newest_issue(issues: list[Path], root: Path, slug: str):
    """The newest issue's model: the index takes its name, language and theme."""
    return check(next(p for p in issues if slug_of(p, root) == slug), root)


def _thumbnail(pdf: bytes) -> bytes:
    """Page 1 as a small PNG (PDFium; the same PDF gives the same bytes)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        scale = THUMBNAIL_WIDTH / page.get_width()
        image = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    out = io.BytesIO()
    image.quantize(colors=128).save(out, "PNG", optimize=True)
    return out.getvalue()


def _render(entries: list[Entry], issue, root: Path, build: Path) -> tuple[str, str, list[Path]]:
    """The index's HTML twice: for the PDF (pictures by absolute file address,
    which the engine's fetcher serves from the project) and for the web
    (pictures relative to build/), with the stylesheets the PDF uses."""
    theme = Theme(issue.theme, root)
    fonts = [theme.find_style("00-fonts.css")] if _has_fonts(theme) else []
    if not fonts:
        fonts = [Theme("classic", root).find_style("00-fonts.css")]
    text_family, display_family = FAMILIES.get(issue.theme, FAMILIES["classic"])
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme.layout_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    words = labels.labels_for(issue.lang, issue.labels)
    newest = max(entries, key=lambda e: (e.date, e.number))
    context = {
        "name": issue.name,
        "tagline": issue.tagline,
        "lang": issue.lang,
        "entries": entries,
        "labels": words,
        "version": __version__,
        "created": newest.date.isoformat(),
        "text_family": text_family,
        "display_family": display_family,
        "page_size": issue.page_size,
    }
    try:
        template = env.get_template(TEMPLATE)
        for_pdf = template.render(**context, picture_base=build.resolve().as_uri() + "/")
        for_web = template.render(**context, picture_base="")
    except jinja2.TemplateError as exc:
        raise LayoutError(
            [
                error(
                    Span(BUNDLED / "layout" / TEMPLATE, getattr(exc, "lineno", 1) or 1, 1), str(exc)
                )
            ]
        ) from None
    return for_pdf, for_web, fonts


def _has_fonts(theme) -> bool:
    try:
        theme.find_style("00-fonts.css")
    except FileNotFoundError:
        return False
    return True


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
