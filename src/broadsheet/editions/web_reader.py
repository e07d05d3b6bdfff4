"""The web edition's HTML read back, by its markup contract.

The web edition (`build/site/<slug>/index.html`) keeps to this shape, so
that its stories can be found without knowing its theme:

    <html lang dir>                     the issue's language and direction
    <article id="ID">                   one per story, ID its anchor in print
      <h2>                              the story's title, its only <h2>
      <h3>...<h6>                       the headings of its body
      <img alt>                         its pictures
      <a href>                          its links
    <aside id> with an <h2>             one per box, likewise

A story's language is its `lang` attribute, else the page's; its address is
`#ID`, which the email's links into the web edition end with. Links to an
anchor of the page (`#...`) lead within it and are not compared.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from broadsheet.editions.record import Record, Story, plain

EDITION = "web"


def read_web(page: str) -> Record:
    soup = BeautifulSoup(page, "html.parser")
    document = soup.find("html")
    lang = document.get("lang") if isinstance(document, Tag) else None
    direction = document.get("dir") if isinstance(document, Tag) else None
    stories = [
        _story(item, str(lang) if lang else None)
        for item in soup.find_all(["article", "aside"])
        if isinstance(item, Tag) and item.get("id") and item.find("h2")
    ]
    return Record(
        EDITION, tuple(stories), str(lang) if lang else "", dir=str(direction or "ltr").lower()
    )


def _story(item: Tag, page_lang: str | None) -> Story:
    title = item.find("h2")
    headings = item.find_all(["h3", "h4", "h5", "h6"])
    alts = [plain(str(img.get("alt") or "")) for img in item.find_all("img")]
    links = [
        str(a["href"]).strip()
        for a in item.find_all("a", href=True)
        if not str(a["href"]).startswith("#")
    ]
    lang = item.get("lang") or page_lang
    return Story(
        plain(title.get_text()) if title else "",
        tuple(plain(h.get_text()) for h in headings),
        tuple(alt for alt in alts if alt),
        tuple(dict.fromkeys(links)),
        str(lang) if lang else None,
        anchor=f"#{item.get('id')}",
    )
