"""Parity of the PDF (editions/pdf_reader.py): a built sample read back
agrees with its issue; the same PDF with a link, an alt text or its
language taken out, or compared with the issue in another order, gives
errors naming the story and the edition."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, NameObject, TextStringObject

from broadsheet.content.check import check
from broadsheet.editions.parity import compare
from broadsheet.editions.pdf_reader import read_pdf
from broadsheet.editions.record import expected

REPO = Path(__file__).resolve().parents[2]


def sample(slug: str):
    return check(REPO / "issues" / f"{slug}.yaml", REPO)


def messages(findings) -> list[str]:
    return [str(finding) for finding in findings]


def test_the_pdf_reader_reads_a_built_sample(sample_pdf):
    issue = sample("2026-10")
    pdf = sample_pdf.read_bytes()
    record = read_pdf(pdf)
    assert [s.title for s in record.stories] == [s.title for s in expected(issue).stories]
    assert record.lang == "en" and record.alts and record.links
    assert compare(expected(issue), record, issue.span) == []


def edited(pdf: bytes, change) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_without_a_link_or_an_alt_text_or_in_another_language(sample_pdf):
    issue = sample("2026-10")
    halley = "https://lanternhill.example/news/235"

    def break_it(writer: PdfWriter) -> None:
        writer._root_object[NameObject("/Lang")] = TextStringObject("de")
        for page in writer.pages:
            kept = [
                a
                for a in page.get("/Annots") or ()
                if a.get_object().get("/A", {}).get("/URI") != halley
            ]
            page[NameObject("/Annots")] = ArrayObject(kept)
        pending = [writer._root_object["/StructTreeRoot"].get_object()]
        while pending:
            element = pending.pop()
            if element.get("/S") == "/Figure" and str(element.get("/Alt", "")).startswith("Halley"):
                del element["/Alt"]
            kids = element.get("/K")
            kids = kids if isinstance(kids, list) else [kids]
            pending += [k.get_object() for k in kids if hasattr(k, "get_object")]
            pending = [p for p in pending if hasattr(p, "get")]

    record = read_pdf(edited(sample_pdf.read_bytes(), break_it))
    halley_story = issue.articles[4]
    assert messages(compare(expected(issue), record, issue.span)) == [
        f"{issue.span}: error: the pdf edition is marked 'de'; the issue is 'en'",
        f"{halley_story.span}: error: the pdf edition lacks the link {halley} of"
        " 'Halley, the observatory cat, turns ten'",
        f"{halley_story.span}: error: the pdf edition lacks the alt text 'Halley keeping"
        " watch from her favourite spot, the filing cabinet in the observatory office.'"
        " of a picture in 'Halley, the observatory cat, turns ten'",
    ]


def test_a_pdf_printed_in_another_order_than_the_source_names_the_story(sample_pdf):
    issue = sample("2026-10")
    first, second, third, *rest = issue.articles
    reordered = replace(issue, articles=(first, third, second, *rest))
    findings = messages(compare(expected(reordered), read_pdf(sample_pdf.read_bytes()), issue.span))
    assert findings == [
        f"{third.span}: error: the pdf edition has 'Five years of the Eyepiece Café' as"
        " story 2, where the issue has 'The Bubble takes the sky to school'"
    ]
