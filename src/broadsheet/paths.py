"""The one rule for files named in content: relative, inside the project, a real file.

Validation applies it to every path an editor writes (so the refusal comes
with a line number), and the fetcher applies the same containment again to
every URL the engine asks for, so nothing in the content can reach past it.
"""

from __future__ import annotations

import re
import stat
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

MAX_PICTURE_PIXELS = 100_000_000  # 10,000 x 10,000; an 8000 x 6000 camera photo passes
PICTURE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def scheme_of(url: str) -> str | None:
    """The URL's scheme in lower case, or None for a relative reference
    (here, not in markdown.py: the fetcher's side of a build needs no Markdown)."""
    match = re.match(r"\s*([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return match.group(1).lower() if match else None


def relative_file(address: str) -> tuple[str | None, str]:
    """(the file a relative address names, its fragment), or (None, "") for an
    address with a scheme, an absolute path, or only a fragment (here: the
    finisher and the verify stage both read links this way, and neither
    imports the other's side of the build)."""
    parts = urlsplit(address.strip())
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None, ""
    return unquote(parts.path), unquote(parts.fragment)


class PathRefused(ValueError):
    """A path that may not be used; the message says why, for the editor."""


def inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def project_file(text: str, base_dir: Path, root: Path, picture: bool = False) -> Path:
    """Resolve `text` against `base_dir`; refuse anything but a regular file inside `root`."""
    text = text.strip()
    if not text:
        raise PathRefused("expected a path, got an empty string")
    if "\0" in text:
        raise PathRefused(f"{text!r} holds a NUL character, which no file name can")
    if (scheme := scheme_of(text)) and len(scheme) > 1:
        raise PathRefused(
            f"expected a file inside the project, got a {scheme}: address {text!r} "
            "(broadsheet reads nothing from the network)"
        )
    if text.startswith("~"):
        raise PathRefused(f"'~' is not allowed in {text!r}; give a path relative to the YAML file")
    if Path(text).is_absolute() or text.startswith("\\"):
        raise PathRefused(f"expected a path relative to the YAML file, got the absolute {text!r}")
    root = root.resolve()
    resolved = (base_dir / text).resolve()
    if not inside(resolved, root):
        raise PathRefused(f"{text!r} leads outside the project folder")
    try:
        mode = resolved.stat().st_mode
    except OSError:
        raise PathRefused(f"no such file: {text!r}") from None
    if not stat.S_ISREG(mode):
        raise PathRefused(f"{text!r} is not a regular file")
    if picture:
        _check_picture(resolved, text)
    return resolved


def _check_picture(path: Path, text: str) -> None:
    """Read the picture's header only: its format and pixel count, before anyone decodes it."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                fmt, (width, height) = image.format, image.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        raise PathRefused(f"{text!r} is not a picture (PNG, JPEG, GIF or WebP)") from None
    if fmt not in PICTURE_FORMATS:
        raise PathRefused(f"{text!r} is a {fmt} file; use PNG, JPEG, GIF or WebP")
    if width * height > MAX_PICTURE_PIXELS:
        raise PathRefused(
            f"{text!r} is {width} x {height} pixels; the limit is {MAX_PICTURE_PIXELS:,} pixels"
        )
