"""Fetching over http(s) for `broadsheet import`: a feed the editor named, a post's picture.

A build never touches the network; only the import does, and only for
addresses given on its command line or found in that feed. A feed is
written by someone else, so every request is held to these rules:

- http or https only, on every redirect too (at most a few): never `file:`,
  `ftp:` or `data:`, which would let a feed copy a local file into the project;
- public addresses only: the host's name is resolved once, every address it
  resolves to must be a public one, and the connection is made to the
  address that was checked (so a name cannot answer differently a moment
  later). Loopback, private, link-local (169.254.169.254, where cloud
  machines keep their credentials), shared, reserved and multicast
  addresses are refused unless the editor passes `--allow-private`;
- one deadline for the whole request, redirects and body included, not a
  timeout for each read that a server dripping a byte at a time never hits;
- a size cap read as the bytes arrive (a `Content-Length` over it is
  refused before the body).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

from broadsheet import __version__
from broadsheet.limits import alarm
from broadsheet.paths import split_address

TIMEOUT_SECONDS = 15  # for the whole request
MAX_REDIRECTS = 5
WEB_SCHEMES = ("http", "https")
CHUNK_BYTES = 64 * 1024


class DownloadFailed(Exception):
    """Why an address could not be fetched, in words for the editor."""


def is_web_address(text: str) -> bool:
    parts = split_address(text)
    return parts is not None and parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def fetch(url: str, max_bytes: int, accept: str = "*/*", allow_private: bool = False) -> bytes:
    """The body at `url`, at most `max_bytes` of it; DownloadFailed otherwise."""
    if not is_web_address(url):
        raise DownloadFailed(f"{url!r} is not an http(s) address")
    deadline = time.monotonic() + TIMEOUT_SECONDS
    connect = _Connector(deadline, allow_private)
    opener = urllib.request.build_opener(
        _Redirects, _CheckedHTTPHandler(connect), _CheckedHTTPSHandler(connect)
    )
    request = urllib.request.Request(
        url, headers={"User-Agent": f"broadsheet/{__version__}", "Accept": accept}
    )
    try:
        with _alarm(deadline), opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise DownloadFailed(f"{int(length):,} bytes; the limit is {max_bytes:,}")
            data = b"".join(_body(response, max_bytes + 1, deadline))
    except DownloadFailed:
        raise
    except urllib.error.HTTPError as exc:
        raise DownloadFailed(f"the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, DownloadFailed):
            raise reason from None
        raise DownloadFailed(f"cannot connect: {reason}") from None
    except (TimeoutError, OSError, ValueError, http.client.HTTPException) as exc:
        raise DownloadFailed(f"cannot fetch: {exc}") from None
    if len(data) > max_bytes:
        raise DownloadFailed(f"more than {max_bytes:,} bytes; that is the limit")
    return data


def _body(response, limit: int, deadline: float) -> Iterator[bytes]:
    """The body in chunks, at most `limit` bytes, stopping at the deadline."""
    left = limit
    while left > 0:
        _check_deadline(deadline)
        chunk = response.read1(min(CHUNK_BYTES, left))
        if not chunk:
            return
        left -= len(chunk)
        yield chunk


def _check_deadline(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise DownloadFailed(f"no complete answer within {TIMEOUT_SECONDS} s")


@contextlib.contextmanager
def _alarm(deadline: float) -> Iterator[None]:
    """Stop a read that is still waiting at the deadline (main thread only;
    elsewhere each read's timeout and the chunk loop's check still hold)."""

    def expired() -> DownloadFailed:
        return DownloadFailed(f"no complete answer within {TIMEOUT_SECONDS} s")

    with alarm(max(deadline - time.monotonic(), 0.001), expired):
        yield


class _Connector:
    """Opens every connection of one request: the name resolved once, each
    address checked, the socket connected to a checked address, with what
    is left of the deadline as its timeout."""

    def __init__(self, deadline: float, allow_private: bool):
        self.deadline = deadline
        self.allow_private = allow_private

    def __call__(self, address, timeout=None, source_address=None) -> socket.socket:
        host, port = address
        _check_deadline(self.deadline)
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise DownloadFailed(f"cannot find {host}: {exc.strerror or exc}") from None
        if not self.allow_private:
            for *_, sockaddr in found:
                refusal = _refusal(sockaddr[0])
                if refusal:
                    raise DownloadFailed(
                        f"{host} is {sockaddr[0]}, {refusal}; broadsheet fetches only public"
                        " addresses (--allow-private to fetch it anyway)"
                    )
        failure: OSError | None = None
        for family, kind, protocol, _, sockaddr in found:
            sock = socket.socket(family, kind, protocol)
            sock.settimeout(max(self.deadline - time.monotonic(), 0.001))
            try:
                sock.connect(sockaddr)
            except OSError as exc:
                sock.close()
                failure = exc
                continue
            return sock
        raise failure or DownloadFailed(f"cannot connect to {host}")


def _refusal(text: str) -> str | None:
    """Why an address is not a public one, or None."""
    address = ipaddress.ip_address(text.split("%")[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    for test, words in (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private address"),
        ("is_reserved", "a reserved address"),
    ):
        if getattr(address, test):
            return words
    return None if address.is_global else "not a public address"


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, connect: _Connector):
        super().__init__()
        self.connect = connect

    def http_open(self, req):
        return self.do_open(self._connection, req)

    def _connection(self, host, **options):
        connection = http.client.HTTPConnection(host, **options)
        connection._create_connection = self.connect
        return connection


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, connect: _Connector):
        super().__init__()
        self.connect = connect

    def https_open(self, req):
        return self.do_open(self._connection, req, context=self._context)

    def _connection(self, host, **options):
        connection = http.client.HTTPSConnection(host, **options)
        connection._create_connection = self.connect
        return connection


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):
        target = headers.get("Location") or headers.get("URI") or ""
        parts = split_address(target, base=req.full_url)
        if parts is None or parts.scheme.lower() not in WEB_SCHEMES:
            raise DownloadFailed(f"redirected to {target!r}, which is not an http(s) address")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302
