"""The only way the engine reads anything: files inside the project or the bundled theme.

WeasyPrint asks its URL fetcher for every stylesheet, font, image and
attachment. This one serves regular files under the allowed folders and
refuses everything else (other files, `/dev/zero`, FIFOs, symlinks that lead
out, every network scheme, `data:`), logging each refusal so that a build can
report it. It must subclass `URLFetcher`: WeasyPrint 70 calls methods a plain
function does not have.
"""

from __future__ import annotations

import logging
import mimetypes
import stat
from pathlib import Path
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from broadsheet.paths import decode_pictures_up_to_the_limit, inside, split_address
from broadsheet.theme import BUNDLED, shadowed_file

LOGGER = logging.getLogger("broadsheet.engine.fetcher")
decode_pictures_up_to_the_limit()  # the engine decodes what this serves
MAX_RESOURCE_BYTES = 64 * 1024 * 1024


class Refused(ValueError):
    """A URL the fetcher will not serve; WeasyPrint logs it and carries on without it."""


class MissingThemeFile(FatalURLFetchingError):
    """A stylesheet or font of the theme itself is missing: stop, never print unstyled."""


class ProjectFetcher(URLFetcher):
    def __init__(self, root: Path):
        super().__init__(timeout=1, allowed_protocols={"file"}, allow_redirects=False)
        self.root = root.resolve()
        self.allowed = (self.root, *((BUNDLED / part).resolve() for part in ("layout", "styles")))
        self.served: list[Path] = []  # every file read, for make's dependency files
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        try:
            path = self._check(url)
        except Refused as exc:
            self.refused.append(url)
            LOGGER.warning("refused %s: %s", _short(url), exc)
            raise
        body = path.read_bytes()
        self.served.append(path)
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            path.as_uri(), body=body, headers={"Content-Type": mime or "application/octet-stream"}
        )

    def _check(self, url: str) -> Path:
        parts = split_address(url)
        if parts is None or parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise Refused("only files inside the project are read")
        requested = Path(url2pathname(parts.path))
        if not requested.is_absolute():
            raise Refused("not an absolute file URL")
        try:
            path = requested.resolve(strict=True)
        except (OSError, RuntimeError):
            fallback = shadowed_file(self.root, requested)
            if fallback is None:
                if _is_theme_file(requested, self.root):
                    raise MissingThemeFile(f"missing theme file {requested}") from None
                raise Refused("no such file") from None
            path = fallback.resolve()
        if not any(inside(path, folder) for folder in self.allowed):
            raise Refused("outside the project folder")
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise Refused("not a regular file")
        if path.stat().st_size > MAX_RESOURCE_BYTES:
            raise Refused("larger than 64 MiB")
        return path


def _is_theme_file(path: Path, root: Path) -> bool:
    return any(inside(path, folder) for folder in (root / "styles", BUNDLED / "styles"))


def _short(url: str) -> str:
    return url if len(url) <= 120 else url[:117] + "..."
