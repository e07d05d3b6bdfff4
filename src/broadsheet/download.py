"""Fetching over http(s) for `broadsheet import`: a feed the editor named, a post's picture.

A build never touches the network; only the import does, and only for
addresses given on its command line or found in that feed. Each request
has a timeout, a size cap read as the bytes arrive (a `Content-Length`
over it is refused before the body), and follows at most a few redirects,
each to http or https only: never `file:`, `ftp:` or `data:`, which would
let a feed make broadsheet copy a local file into the project.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request

from broadsheet import __version__
from broadsheet.paths import split_address

TIMEOUT_SECONDS = 15
MAX_REDIRECTS = 5
WEB_SCHEMES = ("http", "https")


class DownloadFailed(Exception):
    """Why an address could not be fetched, in words for the editor."""


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):
        target = headers.get("Location") or headers.get("URI") or ""
        parts = split_address(target, base=req.full_url)
        if parts is None or parts.scheme.lower() not in WEB_SCHEMES:
            raise DownloadFailed(f"redirected to {target!r}, which is not an http(s) address")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def is_web_address(text: str) -> bool:
    parts = split_address(text)
    return parts is not None and parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def fetch(url: str, max_bytes: int, accept: str = "*/*") -> bytes:
    """The body at `url`, at most `max_bytes` of it; DownloadFailed otherwise."""
    if not is_web_address(url):
        raise DownloadFailed(f"{url!r} is not an http(s) address")
    opener = urllib.request.build_opener(_Redirects)
    request = urllib.request.Request(
        url, headers={"User-Agent": f"broadsheet/{__version__}", "Accept": accept}
    )
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise DownloadFailed(f"{int(length):,} bytes; the limit is {max_bytes:,}")
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise DownloadFailed(f"the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise DownloadFailed(f"cannot connect: {exc.reason}") from None
    except (TimeoutError, OSError, ValueError, http.client.HTTPException) as exc:
        raise DownloadFailed(f"cannot fetch: {exc}") from None
    if len(data) > max_bytes:
        raise DownloadFailed(f"more than {max_bytes:,} bytes; that is the limit")
    return data
