"""Photos made fit to travel: upright, RGB, JPEG where they are photographs,
no larger than the page can use, and without their camera metadata.

A newsletter goes out as an email attachment, and one phone photo saved as
PNG can weigh more than the rest of the issue. Each picture is prepared once
before layout and kept in a cache named by the hash of its bytes and of the
settings, so a rebuild reuses it. The pixel size is kept unless the picture
is larger than the profile's `max_edge` (MAX_EDGE for email): every picture
that large is wider than any page, so the layout (which sizes pictures by
their column) cannot change. The engine's `dpi` option then fits each
picture to the size it is printed at. The print profile keeps every pixel.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from PIL import Image, ImageOps

from broadsheet.paths import decode_pictures_up_to_the_limit

PICTURE_CACHE = Path("build/.cache/pictures")  # under the project root: prepared photos

decode_pictures_up_to_the_limit()

MAX_EDGE = 3000  # px: 254 mm at 300 dpi, more than any page's width
JPEG_QUALITY = 85  # clean at 150% zoom; lower shows rings around edges
PHOTO_COLOURS = 256  # a picture with more colours than this is a photograph
ORIENTATION = 0x0112  # the EXIF tag
VERSION = b"1"  # change when the preparation changes: old cache entries then go unused


class Pictures:
    """Prepares pictures into `cache`, once per file and settings; `max_edge`
    None keeps every pixel, and `quality` is the JPEG quality of a photo that
    has to be re-encoded (the print profile: both, for the press);
    `recompress` re-encodes every photo (the web edition, where a camera's
    JPEG weighs several times what a screen shows of it). `known`
    remembers the answers across builds in one process (session.py), so an
    unchanged picture is not even read again."""

    def __init__(
        self,
        cache: Path | None,
        max_edge: int | None = MAX_EDGE,
        quality: int = JPEG_QUALITY,
        known=None,
        recompress: bool = False,
    ):
        self.cache = cache
        self.recompress = recompress  # every photo at `quality`, even one ready as it is
        self.max_edge = max_edge
        self.quality = quality
        self.known = known
        self.prepared: dict[Path, Path] = {}

    def __call__(self, source: Path) -> Path:
        """The file to typeset for `source`: the prepared copy, or `source`
        itself when it needs nothing or there is no writable cache."""
        if source not in self.prepared:
            settings = (self.cache, self.max_edge, self.quality, self.recompress)
            found = self.known.get(source, settings) if self.known is not None else None
            if found is None:
                found = self._prepare(source)
                if self.known is not None:
                    self.known.put(source, settings, found)
            self.prepared[source] = found
        return self.prepared[source]

    def _prepare(self, source: Path) -> Path:
        if self.cache is None:
            return source
        with Image.open(source) as image:  # reads the header only
            if not self.recompress and _ready(image, self.max_edge):
                return source  # re-encoding would only lose quality
        data = source.read_bytes()
        edge = self.max_edge or 0
        settings = VERSION + edge.to_bytes(4, "big") + self.quality.to_bytes(1, "big")
        settings += b"r" if self.recompress else b""
        key = hashlib.sha256(settings + data).hexdigest()[:32]
        for done in (self.cache / f"{key}.jpg", self.cache / f"{key}.png"):
            if done.is_file():
                return done
        with Image.open(io.BytesIO(data)) as image:
            if edge:
                image.draft("RGB", (edge, edge))  # JPEG: decode at a reduced scale
            picture = ImageOps.exif_transpose(image)
            picture = _normalised(picture)
        if edge:
            picture.thumbnail((edge, edge), Image.Resampling.LANCZOS)
        output = io.BytesIO()
        if _is_photograph(picture):
            suffix = ".jpg"
            picture.convert("RGB").save(output, "JPEG", quality=self.quality, optimize=True)
        else:
            suffix = ".png"
            picture.save(output, "PNG", optimize=True)
        target = self.cache / f"{key}{suffix}"
        try:
            _write(target, output.getvalue())
        except OSError:
            return source
        return target


def _ready(image: Image.Image, max_edge: int | None) -> bool:
    """A JPEG photo that is upright, RGB or grey and not too large."""
    upright = image.getexif().get(ORIENTATION, 1) == 1
    small = max_edge is None or max(image.size) <= max_edge
    return image.format == "JPEG" and image.mode in ("RGB", "L") and upright and small


def _normalised(picture: Image.Image) -> Image.Image:
    """RGB, or RGBA where the picture has transparency: no CMYK or palettes,
    which some PDF readers show with wrong colours."""
    if picture.mode in ("RGB", "RGBA", "L"):
        return picture
    if picture.mode in ("LA", "PA") or "transparency" in picture.info:
        return picture.convert("RGBA")
    return picture.convert("RGB")


def _is_photograph(picture: Image.Image) -> bool:
    """Many colours and nothing transparent: JPEG. Line art, screenshots and
    logos keep PNG, whose sharp edges JPEG would blur."""
    if picture.mode == "RGBA" and picture.getextrema()[3][0] < 255:
        return False
    sample = picture.copy()
    sample.thumbnail((256, 256), Image.Resampling.NEAREST)  # no new, blended colours
    return sample.getcolors(PHOTO_COLOURS // (2 if picture.mode == "L" else 1)) is None


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".", suffix=target.suffix, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
