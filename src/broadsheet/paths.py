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
from urllib.parse import SplitResult, unquote, urljoin, urlsplit

from PIL import Image, UnidentifiedImageError

from broadsheet.errors import Diagnostic, error
from broadsheet.source import Span

MAX_PICTURE_PIXELS = 100_000_000  # 10,000 x 10,000; an 8000 x 6000 camera photo passes
# A side limit too: a 1 x 99,000,000 strip is under the pixel count, yet it
# takes the engine over half a minute and gigabytes. A phone's panorama passes.
MAX_PICTURE_SIDE = 30_000
PICTURE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def scheme_of(url: str) -> str | None:
    """The URL's scheme in lower case, or None for a relative reference
    (here, not in markdown.py: the fetcher's side of a build needs no Markdown)."""
    match = re.match(r"\s*([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return match.group(1).lower() if match else None


def split_address(url: str, base: str = "") -> SplitResult | None:
    """The address's parts (resolved against `base` when given), or None for
    one the standard library cannot take apart: an unclosed IPv6 bracket, a
    host that changes under NFKC normalisation, a port that is no number.
    Such an address is no link at all, and every caller treats None so,
    which keeps a typo in a link from ever reaching the user as a crash."""
    try:
        parts = urlsplit(urljoin(base, url) if base else url)
        parts.port  # noqa: B018 - raises on a port that is out of range or no number
    except ValueError:
        return None
    return parts


def outside_error(path: Path) -> Diagnostic:
    """A file the build found (not one the content names) whose links lead
    out of the project: an error at that file, naming where it leads."""
    return error(
        Span(path, 1, 1),
        f"this file is a link to {path.resolve()}, outside the project folder;"
        " broadsheet reads nothing outside the project (copy the file in instead)",
    )


def relative_file(address: str) -> tuple[str | None, str]:
    """(the file a relative address names, its fragment), or (None, "") for an
    address with a scheme, an absolute path, or only a fragment (here: the
    finisher and the verify stage both read links this way, and neither
    imports the other's side of the build)."""
    parts = split_address(address.strip())
    if parts is None or parts.scheme or parts.netloc or not parts.path:
        return None, ""
    if parts.path.startswith("/"):
        return None, ""
    return unquote(parts.path), unquote(parts.fragment)


def unreadable(path: Path) -> str | None:
    """Why a file named on the command line cannot be read as one, in words
    ("no such file", "not a regular file", the system's reason such as "File
    name too long"), or None when it can. Never raises: a name the system
    refuses is a reason, not a crash."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return exc.strerror or "cannot be read"
    except ValueError:  # a NUL in the name
        return "the name holds a NUL character"
    return None if stat.S_ISREG(mode) else "not a regular file"


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


def decode_pictures_up_to_the_limit() -> None:
    """Pillow warns by itself, as raw text on standard error, from about 89
    million pixels, and refuses twice that. Every picture that reaches a
    decoder has passed this module's located limit, so Pillow's threshold is
    set to it: where pictures are prepared, and on the engine's side."""
    Image.MAX_IMAGE_PIXELS = MAX_PICTURE_PIXELS


def _check_picture(path: Path, text: str) -> None:
    """Read the picture's header only: its format and pixel count, before anyone decodes it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                fmt, (width, height) = image.format, image.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        raise PathRefused(f"{text!r} is not a picture (PNG, JPEG, GIF or WebP)") from None
    refusal = picture_refusal(fmt, width, height)
    if refusal:
        raise PathRefused(f"{text!r} is {refusal}")


def picture_refusal(fmt: str | None, width: int, height: int) -> str | None:
    """Why a picture with this header cannot be used (words to follow "it is"),
    or None: one rule for an issue's photos and an imported feed's."""
    if fmt not in PICTURE_FORMATS:
        return f"a {fmt} file; use PNG, JPEG, GIF or WebP"
    if width * height > MAX_PICTURE_PIXELS:
        return f"{width} x {height} pixels; the limit is {MAX_PICTURE_PIXELS:,} pixels"
    if max(width, height) > MAX_PICTURE_SIDE:
        return f"{width} x {height} pixels; the limit is {MAX_PICTURE_SIDE:,} pixels a side"
    return None
