"""Reading built PDFs back for assertions, with pypdf alone (independent of broadsheet's reader)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import Destination

# A leader (". . .", at least one dot when the title nearly fills the line) and the number.
LEADER_NUMBER = re.compile(r"(?:\. ?)+ *(\d+) *$", re.MULTILINE)


def words(text: str) -> str:
    """Text with soft line breaks and hyphenation folded away, for searching titles."""
    text = text.replace("\u00ad", "").replace("-\n", "").replace("\u2010\n", "")
    return " ".join(text.split())


_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def plain(text: str) -> str:
    """Text compared without the typographer's curly quotes and dashes, or letter case
    (small capitals come out of a PDF as lower-case letters)."""
    return words(text.translate(_TYPOGRAPHY)).replace("--", "-").casefold()


@dataclass
class Built:
    reader: PdfReader

    @classmethod
    def open(cls, path: Path) -> Built:
        return cls(PdfReader(path, strict=True))

    @property
    def texts(self) -> list[str]:
        return [page.extract_text() for page in self.reader.pages]

    def destinations(self) -> dict[str, int]:
        return {
            str(name): self.reader.get_destination_page_number(dest)
            for name, dest in self.reader.named_destinations.items()
        }

    def annotations(self, page: int) -> list[dict]:
        return [ref.get_object() for ref in self.reader.pages[page].get("/Annots") or ()]

    @staticmethod
    def internal_target(annot) -> str | None:
        """The destination name a link annotation leads to, or None for any other."""
        action = annot.get("/A")
        if action is not None and action.get_object().get("/S") == "/GoTo":
            return str(action.get_object()["/D"])
        if annot.get("/Dest") is not None:
            return str(annot["/Dest"])
        return None

    def internal_links(self, page: int) -> list[str]:
        """Names of the destinations linked from a page, in order, each once."""
        names: list[str] = []
        for annot in self.annotations(page):
            name = self.internal_target(annot)
            if name is not None and name not in names:
                names.append(name)
        return names

    def uris(self) -> list[str]:
        found = []
        for index in range(len(self.reader.pages)):
            for annot in self.annotations(index):
                action = annot.get("/A")
                if action is not None and action.get_object().get("/S") == "/URI":
                    found.append(str(action.get_object()["/URI"]))
        return found

    def outline(self) -> list[tuple[str, int]]:
        return [
            (str(item.title), self.reader.get_destination_page_number(item))
            for item in self.reader.outline
            if isinstance(item, Destination)
        ]

    def contents_numbers(self) -> list[int]:
        return [int(n) for n in LEADER_NUMBER.findall(self.texts[0])]


def assert_contents_right(built: Built, entries: list[tuple[str, str]]) -> None:
    """For each (id, title) of the contents: printed number = link target page = heading page."""
    dests = built.destinations()
    assert built.internal_links(0)[: len(entries)] == [eid for eid, _ in entries]
    printed = built.contents_numbers()
    assert len(printed) == len(entries), (printed, entries)
    texts = [plain(t) for t in built.texts]
    for (eid, title), number in zip(entries, printed, strict=True):
        assert dests[eid] + 1 == number, f"{title!r}: printed {number}, lands on {dests[eid] + 1}"
        assert plain(title)[:40] in texts[dests[eid]], f"{title!r} is not printed on page {number}"
