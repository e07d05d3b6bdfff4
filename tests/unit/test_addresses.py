"""Addresses the standard library cannot take apart (an unclosed IPv6 bracket,
a host that changes under NFKC, a port that is no number) are no links, in
every place an address arrives: the issue, a Markdown body, a feed, a redirect."""

from __future__ import annotations

import re

import pytest

from broadsheet.content.bodies import is_live_link, render_blocks
from broadsheet.editor.download import is_web_address
from broadsheet.editor.feed_markdown import to_markdown
from broadsheet.paths import split_address

UNPARSABLE = [
    "https://[oops",
    "http://[::1",
    "https://ex\uff0fample.org/a",  # a fullwidth solidus, a slash under NFKC
    "http://example.org:99999/",
    "http://example.org:port/",
]


@pytest.mark.parametrize("url", UNPARSABLE)
def test_an_address_the_library_refuses_is_no_link(url):
    assert split_address(url) is None
    assert not is_live_link(url)
    assert not is_web_address(url)


def test_a_good_address_is_taken_apart_and_joined():
    assert split_address("https://example.org/a").netloc == "example.org"
    assert split_address("b", base="https://example.org/a/").geturl() == "https://example.org/a/b"


@pytest.mark.parametrize("url", UNPARSABLE)
def test_a_markdown_link_to_it_renders_and_any_href_it_gets_is_whole(url):
    """markdown-it percent-encodes a bracket and punycodes a host, so a body's
    link may still be live; whatever href it gets must be one we can read."""
    html = "".join(render_blocks(f"See [the page]({url}) today.", "en", "story", str))
    assert "the page" in html
    for href in re.findall(r'href="([^"]*)"', html):
        assert split_address(href.replace("&amp;", "&")) is not None, href


@pytest.mark.parametrize("url", UNPARSABLE)
def test_a_feed_post_linking_to_it_keeps_the_words_without_the_link(url):
    markdown = to_markdown(f'<p>Read <a href="{url}">the report</a>.</p>', "https://example.org/")
    assert "the report" in markdown
    assert "](" not in markdown
