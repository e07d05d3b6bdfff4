"""The newsletter email's colours and type, one set per bundled theme.

Mail programs drop linked stylesheets and most `<style>` blocks, so the
email cannot read the theme's CSS: its colours are written here, taken from
each theme's print stylesheets (styles/<theme>/), and put inline by the
template. Each palette holds a light set, written inline so that the email
is readable with no stylesheet at all, and a dark set, which a
`prefers-color-scheme: dark` rule applies in the programs that honour it.
A program that inverts colours itself (the Gmail and Outlook apps) turns
the light set round; every pair here keeps at least 4.5:1 (WCAG AA) either
way, since inverting keeps a pair's contrast close to what it was.

A project's own theme, which broadsheet cannot read colours from, gets the
classic palette.
"""

from __future__ import annotations

from dataclasses import dataclass

SERIF = "Georgia, 'Times New Roman', serif"
SANS = "'Helvetica Neue', Helvetica, Arial, sans-serif"


@dataclass(frozen=True)
class Palette:
    """One theme's email colours: light (inline) and dark (the media query)."""

    font: str  # a stack of fonts every mail program's system has
    accent: str  # the name, headings, links, the button
    band: str  # the masthead's background
    on_band: str  # the name on the masthead
    on_band_soft: str  # the tagline and issue line on the masthead
    ink: str  # text
    muted: str  # page numbers, the footer
    rule: str  # lines between stories
    paper: str  # the email's own background
    tint: str  # around it, and the contact panel
    button_text: str  # on an accent-coloured button
    dark_accent: str
    dark_band: str
    dark_on_band: str
    dark_on_band_soft: str
    dark_ink: str
    dark_muted: str
    dark_rule: str
    dark_paper: str
    dark_tint: str


CLASSIC = Palette(
    font=SERIF,
    accent="#1d3a5c",
    band="#ffffff",
    on_band="#1d3a5c",
    on_band_soft="#36332e",
    ink="#1c1b19",
    muted="#5c5a55",
    rule="#b9b2a4",
    paper="#ffffff",
    tint="#f4efe4",
    button_text="#ffffff",
    dark_accent="#9cc3ee",
    dark_band="#1a1c20",
    dark_on_band="#c9dcf2",
    dark_on_band_soft="#d8d4cc",
    dark_ink="#ebe7df",
    dark_muted="#b7b2a8",
    dark_rule="#4a4740",
    dark_paper="#1a1c20",
    dark_tint="#111214",
)

MODERN = Palette(
    font=SANS,
    accent="#00677f",
    band="#00677f",
    on_band="#ffffff",
    on_band_soft="#d3e8ed",
    ink="#16191c",
    muted="#5f6870",
    rule="#d5dbdf",
    paper="#ffffff",
    tint="#e8f1f3",
    button_text="#ffffff",
    dark_accent="#7fd0e2",
    dark_band="#004b5c",
    dark_on_band="#ffffff",
    dark_on_band_soft="#d3e8ed",
    dark_ink="#e6eaed",
    dark_muted="#aab4bb",
    dark_rule="#3a4248",
    dark_paper="#181c1f",
    dark_tint="#101315",
)

BULLETIN = Palette(
    font=SERIF,
    accent="#6b1e2a",
    band="#ffffff",
    on_band="#6b1e2a",
    on_band_soft="#1f1c1a",
    ink="#1f1c1a",
    muted="#6a645e",
    rule="#c9bfb6",
    paper="#ffffff",
    tint="#f6f1ea",
    button_text="#ffffff",
    dark_accent="#eba8b2",
    dark_band="#1d1a19",
    dark_on_band="#f0c2c9",
    dark_on_band_soft="#dcd5cd",
    dark_ink="#ece6df",
    dark_muted="#b9b1a8",
    dark_rule="#4b4540",
    dark_paper="#1d1a19",
    dark_tint="#121010",
)

PALETTES = {"classic": CLASSIC, "modern": MODERN, "bulletin": BULLETIN}


def palette_for(theme: str) -> Palette:
    """The email's colours for a theme; a theme of the project's own gets classic's."""
    return PALETTES.get(theme, CLASSIC)
