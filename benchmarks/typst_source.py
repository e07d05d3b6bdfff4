"""Contender (c)'s input: the synthetic issue as a Typst document.

The same words and pictures as the YAML broadsheet sets, in a two-column
template written for the bench: a masthead, "Inside this issue" as Typst's
outline with page numbers, each story a level-1 heading (so a bookmark too),
photos with captions, pull quotes, the read-more link, boxes, and "Page X of
Y" in the footer. Typst's columns are not balanced per story: one flow runs
down the page's two columns, so compare pages as well as seconds.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

TEMPLATE = """\
#set document(title: "{name} No. {number}")
#set text(font: ("Linux Libertine O", "Linux Libertine"), size: 10.5pt, lang: "en", fallback: true)
#set par(justify: true, leading: 0.5em, first-line-indent: 1.2em)
#set page(
  paper: "a4",
  margin: (x: 18mm, y: 20mm),
  columns: 2,
  header: context {{
    if counter(page).get().first() > 1 [
      #text(size: 8pt, fill: rgb("#1d3a5c"))[#smallcaps[{name}]] #h(1fr)
    ]
  }},
  footer: context [
    #set text(size: 8pt, fill: rgb("#5c5a55"))
    {name} · No. {number} #h(1fr)
    Page #counter(page).display() of #counter(page).final().first()
  ],
)
#set columns(gutter: 6mm)
#show heading.where(level: 1): it => block(
  above: 6mm, below: 3.5mm, text(size: 20pt, weight: "bold", it.body))
#show heading: set par(justify: false)
#show link: set text(fill: rgb("#1d3a5c"))

#place(top + center, scope: "parent", float: true)[
  #line(length: 100%, stroke: 2.5pt + rgb("#1d3a5c"))
  #text(size: 60pt, fill: rgb("#1d3a5c"))[{name}]
  #v(-4mm)
  #text(size: 13pt, style: "italic")[{tagline}]
  #line(length: 100%, stroke: 2pt + rgb("#1d3a5c"))
]

#block(fill: rgb("#f4efe4"), inset: 4mm, width: 100%)[
  #outline(title: [Inside this issue], depth: 1)
]

"""


def typst_document(issue_yaml: Path, newsletter_yaml: Path, root: Path) -> str:
    """Typst source for the issue; picture paths are absolute from `root`
    (Typst's project root), where the YAML's are relative to its folder."""
    issue = yaml.safe_load(issue_yaml.read_text(encoding="utf-8"))
    publication = yaml.safe_load(newsletter_yaml.read_text(encoding="utf-8"))
    folder = "/" + issue_yaml.parent.relative_to(root).as_posix()
    parts = [
        TEMPLATE.format(
            name=_text(publication["name"]),
            tagline=_text(publication.get("tagline", "")),
            number=issue["issue"]["number"],
        )
    ]
    for article in issue["articles"]:
        parts.append(_article(article, folder))
    for box in [*issue.get("boxes", []), *publication.get("boxes", [])]:
        body = _markdown(box.get("body", ""))
        parts.append(
            f'#block(fill: rgb("#f4efe4"), inset: 4mm, width: 100%, breakable: false)[\n'
            f"= {_text(box['title'])}\n{body}\n]\n"
        )
    return "\n".join(parts)


def _article(article: dict, folder: str) -> str:
    lines = [f"= {_text(article['title'])}"]
    if article.get("subtitle"):
        lines.append(f'#text(size: 12.5pt, style: "italic")[{_text(article["subtitle"])}]\n')
    meta = [str(article[key]) for key in ("date", "author") if article.get(key)]
    if meta:
        lines.append(f"#text(size: 8.5pt)[#smallcaps[{_text(' · '.join(meta))}]]\n")
    paragraphs = _markdown(article["body"]).split("\n\n")
    image = article.get("image")
    if image:
        caption = _text(" ".join(filter(None, (image.get("caption"), image.get("credit")))))
        alt = _string(image.get("alt", ""))
        lines.append(
            f'#figure(image("{folder}/{image["src"]}", width: 100%, alt: "{alt}"),'
            f" caption: [{caption}])\n"
        )
    for n, paragraph in enumerate(paragraphs):
        lines.append(paragraph + "\n")
        if n == 1 and article.get("pullquote"):
            lines.append(
                '#block(stroke: (top: 1.5pt + rgb("#1d3a5c"), bottom: 0.5pt + rgb("#1d3a5c")),'
                " inset: (y: 2.5mm), width: 100%, breakable: false)[#align(center)["
                f'#text(size: 14pt, style: "italic", fill: rgb("#1d3a5c"))'
                f"[“{_text(article['pullquote'])}”]]]\n"
            )
    if article.get("link"):
        lines.append(f'#text(size: 8.5pt)[*Read more:* #link("{_string(article["link"])}")]\n')
    return "\n".join(lines)


LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
STRONG = re.compile(r"\*\*(.+?)\*\*")
EMPHASIS = re.compile(r"(?<![*\w])\*(?!\*)(.+?)\*(?!\*)")


def _markdown(body: str) -> str:
    """The little Markdown the synthetic issue uses (paragraphs, `- ` lists,
    emphasis, strong, links) as Typst markup."""
    out = []
    for line in body.strip().splitlines():
        item = line.startswith("- ")
        text = line[2:] if item else line
        links: list[str] = []

        def hold(match: re.Match, links: list[str] = links) -> str:
            links.append(f'#link("{_string(match[2])}")[{_text(match[1])}]')
            return f"\x00{len(links) - 1}\x00"

        text = LINK.sub(hold, text)
        text = STRONG.sub(lambda m: f"\x01{m[1]}\x02", text)
        text = EMPHASIS.sub(lambda m: f"\x03{m[1]}\x03", text)
        text = _text(text).replace("\x01", "*").replace("\x02", "*").replace("\x03", "_")
        text = re.sub("\x00(\\d+)\x00", lambda m, links=links: links[int(m[1])], text)
        out.append(("- " if item else "") + text)
    return "\n".join(out)


def _text(text: str) -> str:
    """Plain text as Typst markup: every markup character escaped."""
    return re.sub(r"([\\#*_\[\]$@<>`=~/+-])", r"\\\1", str(text))


def _string(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace('"', '\\"')
