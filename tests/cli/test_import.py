"""`broadsheet import`: a draft issue from an RSS or Atom feed, read from a
file or from a real HTTP server on 127.0.0.1; never the real network."""

from __future__ import annotations

import io
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from broadsheet.editor.feed_markdown import to_markdown

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
PLACEHOLDER = "http://images.invalid/"


def picture(fmt: str = "PNG", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, fmt)
    return out.getvalue()


class Server:
    """A loopback HTTP server in a thread: path -> (status, headers, body)."""

    def __init__(self):
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.requests: list[str] = []
        routes, requests = self.routes, self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                requests.append(self.path)
                status, headers, body = routes.get(self.path, (404, {}, b"not here"))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    running = Server()
    yield running
    running.close()


@pytest.fixture
def lantern(project):
    project.write("issues/newsletter.yaml", "name: The Lantern\n")
    project.write(
        "issues/2026-10.yaml",
        """\
        issue: {number: 17, volume: 3, date: 2026-10-01}
        articles:
          - title: Old
            body: Text.
        """,
    )
    return project


def test_rss_file_drafts_one_article_per_post_since_the_date(lantern):
    run = lantern.run("import", str(FEEDS / "lantern.rss"), "--since", "2026-10-01")
    assert run.code == 0, run.stderr
    assert run.stdout == "issues/2026-11.yaml\n"
    assert "'A post without a date' has no date; left out" in run.stderr
    text = (lantern.root / "issues" / "2026-11.yaml").read_text()
    assert "  number: 18\n  volume: 3\n  date: 2026-11-01\n" in text
    assert "name:" not in text  # newsletter.yaml names it
    titles = re.findall(r"^  - title: (.*)$", text, re.M)
    assert titles == [
        "Dome appeal passes £40,000",
        "Deep field Christmas cards now on sale",
        "A new treasurer, and a record year for members",
    ]
    assert "    date: 2026-10-30\n    author: Helen Marchbank\n" in text
    assert "    link: https://lanternhill.example/news/240\n" in text
    # relative links made absolute; emphasis and lists kept
    assert "[Give online](https://lanternhill.example/donate)" in text
    assert "Packs of ten cost *£5* at the café." in text and "      - Card two\n" in text
    # nothing of the hostile HTML survives, and no raw HTML at all
    for gone in ("script", "cookie", "iframe", "evil", "onclick", "steal", "javascript"):
        assert gone not in text
    assert "the schools programme, as \\<b\\>always\\</b\\>." in text
    assert not re.search(r"(?<!\\)<[a-zA-Z/!]", text)
    assert "image:" not in text  # only with --images
    assert lantern.run("check", "issues/2026-11.yaml").code == 0


def test_atom_file_with_no_previous_issue(project):
    run = project.run(
        "import", str(FEEDS / "lantern.atom"), "--since", "2026-10-01", "--date", "2026-11-05"
    )
    assert run.code == 0, run.stderr
    text = (project.root / "issues" / "2026-11.yaml").read_text()
    assert text.startswith("# Drafted by `broadsheet import`")
    assert "\nname: The Lantern online\n" in text  # no newsletter.yaml: the feed's title
    assert "  number: 1\n  date: 2026-11-05\n" in text
    assert "  - title: The satellite that warns us when the aurora is coming\n" in text
    assert "    author: Kwame Asante\n" in text
    assert "    link: https://lanternhill.example/news/237\n" in text  # xml:base applied
    assert "      ## Tickets\n" in text
    assert text.count("  - title: Open evening\n") == 2
    assert project.run("check", "issues/2026-11.yaml").code == 0


def test_a_url_and_images_from_a_loopback_server(lantern, server):
    feed = (FEEDS / "lantern.rss").read_text().replace(PLACEHOLDER, server.url)
    server.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, feed.encode())
    server.routes["/dome.png"] = (200, {"Content-Type": "image/png"}, picture("PNG"))
    server.routes["/cards.jpg"] = (302, {"Location": server.url + "cards-moved.jpg"}, b"")
    server.routes["/cards-moved.jpg"] = (200, {"Content-Type": "image/jpeg"}, picture("JPEG"))
    # /missing.png answers 404
    run = lantern.run(
        "import", server.url + "feed.xml", "--since", "2026-10-01", "-o", "issues/draft.yaml",
        "--images", "--allow-private",
    )  # fmt: skip
    assert run.code == 0, run.stderr
    written = run.stdout.split()
    assert written[-1] == "issues/draft.yaml"
    pictures = sorted(Path(p).name for p in written[:-1])
    assert len(pictures) == 2
    assert pictures[0].startswith("deep-field-christmas-cards") and pictures[0].endswith(".jpg")
    assert pictures[1].startswith("dome-appeal-passes-40-000-") and pictures[1].endswith(".png")
    for name in pictures:
        assert (lantern.root / "issues" / "images" / name).is_file()
    text = (lantern.root / "issues" / "draft.yaml").read_text()
    assert f"    image:\n      src: images/{pictures[1]}\n" in text
    assert "      alt: The west dome under scaffolding\n" in text  # the <img>'s own alt
    assert "      alt: Deep field Christmas cards now on sale\n" in text  # else the title
    assert "missing.png: the server answered 404" in run.stderr
    assert "/missing.png" in server.requests
    run = lantern.run("check", "issues/draft.yaml")
    assert run.code == 0, run.stderr


def test_pictures_that_are_not_pictures_or_too_far_are_left_out(lantern, server):
    feed = (FEEDS / "lantern.rss").read_text().replace(PLACEHOLDER, server.url)
    (lantern.root / "feed.rss").write_text(feed)
    server.routes["/dome.png"] = (200, {}, b"<html>not a picture</html>")
    server.routes["/cards.jpg"] = (302, {"Location": "file:///etc/passwd"}, b"")
    server.routes["/missing.png"] = (200, {}, picture("BMP"))
    run = lantern.run("import", "feed.rss", "--since", "2026-10-01", "--images", "--allow-private")
    assert run.code == 0, run.stderr
    assert "dome.png: not a picture (PNG, JPEG, GIF or WebP); left out" in run.stderr
    assert "redirected to 'file:///etc/passwd', which is not an http(s) address" in run.stderr
    assert "missing.png: a BMP file" in run.stderr
    assert not (lantern.root / "issues" / "images").exists()
    assert "image:" not in (lantern.root / "issues" / "2026-11.yaml").read_text()


def test_a_feed_address_that_fails_is_a_clear_error(lantern, server):
    run = lantern.run(
        "import", server.url + "nothing.xml", "--since", "2026-10-01", "--allow-private"
    )
    assert run.code == 1
    assert "nothing.xml: the server answered 404 Not Found" in run.stderr
    server.routes["/big.xml"] = (200, {}, b" " * (5 * 1024 * 1024 + 1))
    run = lantern.run("import", server.url + "big.xml", "--since", "2026-10-01", "--allow-private")
    assert run.code == 1 and "the limit is 5,242,880" in run.stderr
    assert not (lantern.root / "issues" / "2026-11.yaml").exists()


def test_hostile_feeds(project):
    bomb = project.write(
        "bomb.xml",
        """\
        <?xml version="1.0"?>
        <!DOCTYPE rss [
          <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
          <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
          <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
        ]>
        <rss version="2.0"><channel><title>&c;</title></channel></rss>
        """,
    )
    run = project.run("import", str(bomb), "--since", "2026-10-01")
    assert run.code == 1
    assert "bomb.xml:3:1: error: the feed declares XML entities" in run.stderr
    project.write("junk.xml", "this is not a feed at all {\n")
    run = project.run("import", "junk.xml", "--since", "2026-10-01")
    assert run.code == 1 and "junk.xml:" in run.stderr
    assert "error: not an RSS or Atom feed" in run.stderr
    (project.root / "huge.xml").write_bytes(b"<rss>" + b" " * (6 * 1024 * 1024))
    run = project.run("import", "huge.xml", "--since", "2026-10-01")
    assert run.code == 1 and "the limit is 5 MiB" in run.stderr
    assert "Traceback" not in run.stderr
    assert list((project.root / "issues").iterdir()) == []


def test_refusals(lantern):
    lantern.write("issues/2026-11.yaml", "mine: true\n")
    run = lantern.run("import", str(FEEDS / "lantern.rss"), "--since", "2026-10-01")
    assert (
        run.code == 1 and "issues/2026-11.yaml:1:1: error: this file already exists" in run.stderr
    )
    assert (lantern.root / "issues" / "2026-11.yaml").read_text() == "mine: true\n"
    run = lantern.run("import", str(FEEDS / "lantern.rss"), "--since", "2027-01-01", "-o", "x.yaml")
    assert run.code == 1 and "no posts dated 2027-01-01 or later" in run.stderr
    run = lantern.run("import", "nowhere.xml", "--since", "2026-10-01", "-o", "x.yaml")
    assert run.code == 2 and "no such feed file: nowhere.xml" in run.stderr
    run = lantern.run("import", "file:///etc/passwd", "--since", "2026-10-01", "-o", "x.yaml")
    assert run.code == 2 and "give a feed file, or an http:// or https:// address" in run.stderr
    run = lantern.run("import", str(FEEDS / "lantern.rss"), "-o", "x.yaml")
    assert run.code == 2 and "--since" in run.stderr
    assert not (lantern.root / "x.yaml").exists()


def test_post_html_becomes_clean_markdown():
    html = """<div style="x" onmouseover="bad()"><h3>Head</h3>
    <p>Text with <a href="data:text/html,boom">a data link</a>, <a href="mailto:a@b.example">m</a>
    and <a href="page">a relative one</a>.</p><object data="x.swf">fallback</object>
    <img src="p.png" alt="pic"><blockquote>Quoted</blockquote><p>&lt;script&gt;</p></div>"""
    text = to_markdown(html, "https://site.example/news/1")
    assert text == (
        "### Head\n\nText with a data link, [m](mailto:a@b.example)\n"
        "and [a relative one](https://site.example/news/page).\n\n> Quoted\n\n\\<script\\>"
    )


# -- where a feed may make broadsheet go -------------------------------------------------


def test_a_feed_on_a_loopback_address_is_refused_without_allow_private(lantern, server):
    server.routes["/feed.xml"] = (200, {}, (FEEDS / "lantern.rss").read_bytes())
    run = lantern.run("import", server.url + "feed.xml", "--since", "2026-10-01")
    assert run.code == 1, run.stderr
    assert "127.0.0.1 is 127.0.0.1, a loopback address" in run.stderr
    assert "--allow-private" in run.stderr
    assert server.requests == []  # refused before connecting


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("127.0.0.1", "a loopback address"),
        ("localhost", "a loopback address"),  # after name resolution
        ("[::1]", "a loopback address"),
        ("[::ffff:127.0.0.1]", "a loopback address"),
        ("169.254.169.254", "a link-local address"),  # cloud metadata
        ("10.1.2.3", "a private address"),
        ("0.0.0.0", "an unspecified address"),
        ("224.0.0.1", "a multicast address"),
    ],
)
def test_pictures_on_private_addresses_are_left_out(lantern, server, address, words):
    """The feed is a local file; its pictures point at addresses a feed must
    never make broadsheet fetch. Nothing is fetched: each is refused before
    a connection is made."""
    feed = (FEEDS / "lantern.rss").read_text().replace(PLACEHOLDER, f"http://{address}:9/")
    (lantern.root / "feed.rss").write_text(feed)
    run = lantern.run("import", "feed.rss", "--since", "2026-10-01", "--images")
    assert run.code == 0, run.stderr
    assert words in run.stderr and "fetches only public addresses" in run.stderr
    assert not (lantern.root / "issues" / "images").exists()


def test_the_time_limit_covers_the_whole_request(lantern, monkeypatch):
    """A server that answers a byte at a time, each well within any per-read
    timeout, is stopped at the request's deadline."""
    from broadsheet.editor import download

    monkeypatch.setattr(download, "TIMEOUT_SECONDS", 2)

    class Drip(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(1000):
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:  # the client gave up, as it should
                    return
                time.sleep(0.5)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        started = time.monotonic()
        url = f"http://127.0.0.1:{httpd.server_address[1]}/feed.xml"
        run = lantern.run("import", url, "--since", "2026-10-01", "--allow-private")
        took = time.monotonic() - started
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert run.code == 1, run.stderr
    assert "no complete answer within 2 s" in run.stderr
    assert took < 30  # a bound on the test, not a measurement: the drip lasts 500 s


def test_a_feed_nested_deep_with_invisible_characters_still_drafts(lantern):
    deep = "<div>" * 5000 + "<b>deep</b> words" + "</div>" * 5000
    posts = [
        ("Deep", f"<![CDATA[{deep}]]>"),
        ("Non\uffffcharacters \ufdd0 here", "A bell \x07 and \ufdd0 a noncharacter."),
        ("T" * 5000, "A long title."),
    ]
    items = "".join(
        f"<item><title>{title}</title><link>https://example.org/{n}</link>"
        f"<pubDate>Mon, 19 Oct 2026 12:00:00 +0000</pubDate>"
        f"<description>{body}</description></item>"
        for n, (title, body) in enumerate(posts)
    )
    feed = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'
    )
    (lantern.root / "hostile.rss").write_text(feed, encoding="utf-8")
    run = lantern.run("import", "hostile.rss", "--since", "2026-10-01", "-o", "issues/h.yaml")
    assert run.code == 0, run.stderr
    text = (lantern.root / "issues" / "h.yaml").read_text()
    assert "deep words" in text  # the markup that deep is flattened, its words kept
    assert "Noncharacters  here" not in text and "Noncharacters here" in text
    assert "\ufdd0" not in text and "\x07" not in text
    assert lantern.run("check", "issues/h.yaml").code == 0
