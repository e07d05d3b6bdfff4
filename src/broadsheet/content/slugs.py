"""An issue's slug: the one name every file made from it is named by.

The slug is the issue's path under `issues/` without `.yaml`: `2026-10` for
`issues/2026-10.yaml`, `fr/2026-12` for `issues/fr/2026-12.yaml`. Two
publications in one project (each a folder of `issues/` with its own
newsletter.yaml) may both have a December issue; naming their files by the
file name alone would give them one PDF, one mail journal and one lock, so
the second publication's subscribers would be told "already sent", or be
sent the other publication's PDF. The PDF (`build/<slug>.pdf`), the
depfile, the mail journal and lock, the archive's thumbnail: all are
named by the slug, as the Makefile names them.

An issue file outside `issues/` keeps its file name without `.yaml`.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import quote

ISSUES = Path("issues")
BUILD = Path("build")
SITE = "site"  # build/site/: the web editions
MAX_SLUG = 100  # characters in a slug `new` writes: a file name, not a paragraph


def slug_of(issue_path: Path, root: Path) -> str:
    """`fr/2026-12` for `<root>/issues/fr/2026-12.yaml`; the file's stem elsewhere."""
    folder = root / ISSUES
    for path, issues in (
        (issue_path.resolve(), folder.resolve()),
        (issue_path.absolute(), folder.absolute()),
    ):
        if path.is_relative_to(issues) and path != issues:
            relative = PurePosixPath(*path.relative_to(issues).parts)
            return str(relative.with_suffix("") if relative.suffix == ".yaml" else relative)
    return issue_path.stem


def default_output(issue_path: Path, root: Path, suffix: str = "") -> Path:
    """`build/<slug><suffix>.pdf`, relative to where broadsheet runs (as `make` runs it)."""
    return BUILD / f"{slug_of(issue_path, root)}{suffix}.pdf"


def text_output(issue_path: Path, root: Path) -> Path:
    """`build/<slug>.txt`: the plain-text edition, whatever the PDF's profile."""
    return BUILD / f"{slug_of(issue_path, root)}.txt"


def site_folder(issue_path: Path, root: Path) -> Path:
    """`build/site/<slug>/`: the issue's web edition, a folder a web server can
    serve as it is (index.html, its stylesheet, fonts, pictures and PDF)."""
    return BUILD / SITE / slug_of(issue_path, root)


def web_address(base: str, slug: str) -> str:
    """`<base>/<slug>/index.html`: the web edition as served from `base`, the
    address build/site/ is published at (the email links to it, its parity
    check holds the links to it)."""
    return f"{base}/{quote(slug)}/index.html"


def refusal(slug: str) -> str | None:
    """Why `slug` cannot name a new issue file (`broadsheet new`), or None.

    A slug given to `new` is one plain file name in `issues/`: no folder,
    no line break or other control character (make cannot name such a
    file), not hidden, not newsletter.yaml, and at most MAX_SLUG characters.
    """
    name = slug.removesuffix(".yaml")
    if not name.strip():
        return "it is empty"
    if "/" in name or "\\" in name:
        return "it names a folder; give a plain file name"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "it holds a line break or another control character"
    if name.startswith("."):
        return "it starts with '.' (a hidden file)"
    if name == "newsletter":
        return "newsletter.yaml holds what every issue shares; it is not an issue"
    if len(name) > MAX_SLUG:
        return f"it is {len(name)} characters long; the limit is {MAX_SLUG}"
    return None
