"""Debian's Chromium, headless, driven by Playwright: what a reader's browser
or mail client shows of an edition.

Playwright drives the system's browser (`/usr/bin/chromium`); it never
downloads one. Every page is opened from a file, with the network refused,
so a page that needs anything from outside shows it as a missing picture.
`Look` is what one page at one width shows, with the checks every edition
must pass: no horizontal scrolling, no text box over another, every picture
loaded, every internal link's target present.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",  # tests run as root in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Run in the page: the facts a check needs, gathered in one pass.
FACTS = """() => {
  const root = document.documentElement;
  const images = [...document.images].map(i => ({
    src: i.getAttribute('src'), loaded: i.complete && i.naturalWidth > 0,
    alt: i.getAttribute('alt')}));
  const anchors = [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href'));
  const missing = anchors.filter(h => h.length > 1 &&
      !document.getElementById(decodeURIComponent(h.slice(1))));
  // Leaf boxes that carry text: a box over another is an overlap.
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width > 0.5 && r.height > 0.5)
        boxes.push({text: node.textContent.trim().slice(0, 40),
                    x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height});
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
          images, missing, boxes, title: document.title, lang: root.lang, dir: root.dir};
}"""


@dataclass
class Look:
    """What one page shows at one width."""

    width: int
    facts: dict
    screenshot: bytes = field(repr=False)

    @property
    def scrolls_sideways(self) -> bool:
        return self.facts["scrollWidth"] > self.facts["clientWidth"] + 1

    @property
    def broken_pictures(self) -> list[str]:
        return [image["src"] for image in self.facts["images"] if not image["loaded"]]

    @property
    def missing_targets(self) -> list[str]:
        return self.facts["missing"]

    @property
    def overlaps(self) -> list[tuple[str, str]]:
        """Pairs of text boxes that cover each other by more than a sliver
        (two lines of one paragraph touch; they do not overlap)."""
        boxes = sorted(self.facts["boxes"], key=lambda b: b["y"])
        found = []
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                if b["y"] >= a["y"] + a["h"] - 2:
                    break
                dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
                dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
                if dx > 2 and dy > 2:
                    found.append((a["text"], b["text"]))
        return found

    def problems(self) -> list[str]:
        """Everything wrong with the page, in words, empty when it is right."""
        found = []
        if self.scrolls_sideways:
            found.append(
                f"scrolls sideways at {self.width} px: {self.facts['scrollWidth']} px wide"
            )
        found += [f"picture not loaded: {src}" for src in self.broken_pictures]
        found += [f"link to a missing target: {href}" for href in self.missing_targets]
        found += [f"text over text: {a!r} and {b!r}" for a, b in self.overlaps[:5]]
        return found


class Browser:
    """One headless Chromium for a test session."""

    def __init__(self, playwright):
        # The engine points fontconfig at the bundled fonts only (FONTCONFIG_FILE,
        # set when it is imported); a reader's browser sees the system's fonts.
        env = {key: value for key, value in os.environ.items() if key != "FONTCONFIG_FILE"}
        self._browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=env)

    def look(self, page: Path, width: int, height: int = 900, color_scheme: str = "light") -> Look:
        """Open `page` at `width` CSS pixels and read what it shows; with
        `color_scheme="dark"`, as a reader whose system is in dark mode sees it."""
        context = self._browser.new_context(
            viewport={"width": width, "height": height}, color_scheme=color_scheme
        )
        context.route("http*://**", lambda route: route.abort())  # nothing from outside
        try:
            tab = context.new_page()
            tab.goto(page.resolve().as_uri(), wait_until="load")
            facts = tab.evaluate(FACTS)
            screenshot = tab.screenshot(full_page=True)
        finally:
            context.close()
        return Look(width, facts, screenshot)

    def loaded(self, page: Path, width: int, height: int = 900) -> list[str]:
        """The address of every file the page loaded at `width`, once its
        fonts are in: what a reader's browser downloads (a picture's one
        width of its srcset, only the faces the text uses)."""
        context = self._browser.new_context(viewport={"width": width, "height": height})
        context.route("http*://**", lambda route: route.abort())
        found: list[str] = []
        try:
            tab = context.new_page()
            tab.on("requestfinished", lambda request: found.append(request.url))
            tab.goto(page.resolve().as_uri(), wait_until="load")
            tab.evaluate("() => document.fonts.ready.then(() => true)")
        finally:
            context.close()
        return found

    def loaded_fonts(self, page: Path, width: int) -> list[str]:
        """The families of the web fonts `page` loaded once its fonts settled
        (a face the page declares but never uses is never fetched)."""
        context = self._browser.new_context(viewport={"width": width, "height": 900})
        context.route("http*://**", lambda route: route.abort())  # nothing from outside
        try:
            tab = context.new_page()
            tab.goto(page.resolve().as_uri(), wait_until="load")
            return tab.evaluate(
                """async () => { await document.fonts.ready;
                  return [...document.fonts].filter(f => f.status === 'loaded')
                    .map(f => f.family.replace(/^"|"$/g, '')); }"""
            )
        finally:
            context.close()

    def close(self) -> None:
        self._browser.close()


def browser_session():
    """Chromium for the whole session. `.ci/run` installs Debian's package;
    a machine without it fails here, naming it, rather than skipping."""
    if not Path(CHROMIUM).exists():
        pytest.fail("these tests need Debian's chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        found = Browser(playwright)
        yield found
        found.close()
