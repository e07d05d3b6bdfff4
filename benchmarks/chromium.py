"""Contender (d): headless Chromium printing the same HTML to PDF.

Chromium gets broadsheet's HTML with the theme's stylesheets linked into its
head (broadsheet hands them to WeasyPrint separately), so it sets the same
document with the same fonts. It ignores `leader()`, `target-counter()` and
the page-margin boxes, so its contents have no page numbers: the comparison
is of time, memory and bytes, not of a finished newsletter.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome")


def find() -> str | None:
    """The browser's path, or None (the bench then skips the contender with a note)."""
    return next((path for name in NAMES if (path := shutil.which(name))), None)


def version(binary: str) -> str:
    try:
        said = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return said.stdout.strip() or "unknown"


def standalone(html: Path, stylesheets: list[Path], target: Path) -> Path:
    """`html` with `<link rel=stylesheet>` for each of `stylesheets`, written to `target`."""
    links = "".join(
        f'<link rel="stylesheet" href="{path.resolve().as_uri()}">\n' for path in stylesheets
    )
    text = html.read_text(encoding="utf-8").replace("</head>", links + "</head>", 1)
    target.write_text(text, encoding="utf-8")
    return target


def command(binary: str, html: Path, pdf: Path, profile_dir: Path) -> list[str]:
    """Print `html` to `pdf` in a fresh browser with its own empty profile."""
    return [
        binary,
        "--headless",
        "--no-sandbox",  # the bench may run as root
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--allow-file-access-from-files",  # the @font-face files beside the stylesheets
        f"--user-data-dir={profile_dir}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        html.resolve().as_uri(),
    ]
