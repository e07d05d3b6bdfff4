"""Running heads and footers as artifacts in the tagged PDF; articles' languages.

WeasyPrint 70 tags the page's content but leaves the text of the page
margins (the running head, the footer, the page number) half-tagged: it is
marked as content, yet its structure elements hang outside the document's
tree. A screen reader then either skips it unpredictably or reads "page 2
of 4" in the middle of a story, and PDF/UA forbids content that is neither
in the tree nor an artifact. This turns that content into `/Artifact`
marked content, as PDF/UA asks for pagination, and drops its entries from
the parent tree. It runs inside WeasyPrint's writer (see finish.py), on the
objects before they are serialised.
"""

from __future__ import annotations

import re

import pydyf

NULL = b"null"


def mark_margins_as_artifacts(pdf: pydyf.PDF) -> int:
    """Rewrite the marked content of detached structure elements as artifacts;
    returns how many sequences were rewritten."""
    if "StructTreeRoot" not in pdf.catalog:
        return 0
    tree_root = _object(pdf, pdf.catalog["StructTreeRoot"])
    in_tree = _reachable(pdf, tree_root)
    detached: dict[bytes, set[int]] = {}  # page reference -> its MCIDs outside the tree
    for number, item in enumerate(pdf.objects):
        if _is_element(item) and number not in in_tree:
            for kid in item["K"]:
                if isinstance(kid, int):
                    detached.setdefault(item["Pg"], set()).add(kid)
    rewritten = 0
    for page_index, page_reference in enumerate(pdf.page_references):
        mcids = detached.get(page_reference)
        if not mcids:
            continue
        page = _object(pdf, page_reference)
        stream = _object(pdf, page["Contents"])
        stream.stream, count = _as_artifacts(stream.stream, mcids)
        rewritten += count
        _forget(pdf, tree_root, page_index, mcids)
    return rewritten


ORNAMENT = b"Ornament-"  # a font family named "Ornament ...", as the PDF names it
_BFCHAR = re.compile(rb"(<[0-9a-fA-F]+>) <[0-9a-fA-F]*>")


def hide_ornaments(pdf: pydyf.PDF) -> int:
    """Make text set in an "Ornament" font family an artifact with no text.

    A theme's drop cap is a big copy of a letter that is also in the text
    flow (render.py, `_first_paragraph`). Were it text, every reader would
    get the letter twice and the word torn in two ("I" ... "n June"):
    poppler and pypdf both read the PDF's text, not its look. So glyphs of a
    family whose name begins with "Ornament" map to no text (their entries
    in the font's ToUnicode map are emptied: each such font is used by
    ornaments alone), and their marked content becomes `/Artifact`, out of
    the structure tree, as PDF/UA asks for decoration. Returns how many
    sequences became artifacts.
    """
    ornaments = set()
    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and "ToUnicode" in item:
            subset_tag, _, name = bytes(item.get("BaseFont", b"")).lstrip(b"/").partition(b"+")
            if name.startswith(ORNAMENT):
                ornaments.add(subset_tag)
                to_unicode = _object(pdf, item["ToUnicode"])
                to_unicode.stream = [_no_text(line) for line in to_unicode.stream]
    if not ornaments or "StructTreeRoot" not in pdf.catalog:
        return 0
    tree_root = _object(pdf, pdf.catalog["StructTreeRoot"])
    rewritten = 0
    for page_index, page_reference in enumerate(pdf.page_references):
        stream = _object(pdf, _object(pdf, page_reference)["Contents"])
        mcids = _ornament_mcids(stream.stream, ornaments)
        if mcids:
            stream.stream, count = _as_artifacts(stream.stream, mcids)
            rewritten += count
            _forget(pdf, tree_root, page_index, mcids)
            _unlink(pdf, tree_root, page_reference, mcids)
    return rewritten


def _no_text(line):
    """`<0012> <0049>` (glyph 0x12 is "I") becomes `<0012> <>`."""
    if isinstance(line, bytes) and (match := _BFCHAR.fullmatch(line)):
        return match.group(1) + b" <>"
    return line


def _ornament_mcids(operations: list, ornaments: set[bytes]) -> set[int]:
    """The MCIDs of marked content that shows text in an ornament font."""
    found, open_mcids, font = set(), [], None
    index = 0
    while index < len(operations):
        operation = operations[index]
        if operation == b"BDC" and isinstance(operations[index - 1], pydyf.Dictionary):
            open_mcids.append(operations[index - 1].get("MCID"))
        elif operation == b"BMC":
            open_mcids.append(None)
        elif operation == b"EMC" and open_mcids:
            open_mcids.pop()
        elif isinstance(operation, bytes) and operation.endswith(b" Tf"):
            font = operation.split()[0].lstrip(b"/")
        elif (
            isinstance(operation, bytes)
            and operation.endswith((b"TJ", b"Tj"))
            and font in ornaments
            and open_mcids
            and open_mcids[-1] is not None
        ):
            found.add(open_mcids[-1])
        index += 1
    return found


def _unlink(pdf: pydyf.PDF, tree_root, page_reference: bytes, mcids: set[int]) -> None:
    """Take the artifacts' MCIDs out of their structure elements, and an
    element left with no content out of its parent."""
    for item in list(_in_order(pdf, tree_root)):
        kids = item.get("K")
        if item.get("Pg") != page_reference or not isinstance(kids, list):
            continue
        kept = [kid for kid in kids if not (isinstance(kid, int) and kid in mcids)]
        if len(kept) == len(kids):
            continue
        item["K"] = pydyf.Array(kept)
        if not kept and "P" in item:
            parent = _object(pdf, item["P"])
            if isinstance(parent.get("K"), list):
                parent["K"] = pydyf.Array([k for k in parent["K"] if k != item.reference])


def tag_languages(pdf: pydyf.PDF, languages: tuple[str | None, ...]) -> int:
    """Give the i-th article element (/Art, in reading order) the language
    `languages[i]` when it is set: an English story in a Persian issue is read
    by a screen reader in English. Returns how many elements were tagged."""
    if "StructTreeRoot" not in pdf.catalog:
        return 0
    articles = [
        element
        for element in _in_order(pdf, _object(pdf, pdf.catalog["StructTreeRoot"]))
        if element.get("S") == "/Art"
    ]
    tagged = 0
    for element, lang in zip(articles, languages, strict=False):
        if lang:
            element["Lang"] = pydyf.String(lang)
            tagged += 1
    return tagged


def _in_order(pdf: pydyf.PDF, parent):
    """The structure elements under `parent`, depth first, in reading order."""
    for reference in _kids(parent):
        item = _object(pdf, reference)
        if _is_element(item):
            yield item
            yield from _in_order(pdf, item)


def _as_artifacts(operations: list, mcids: set[int]) -> tuple[list, int]:
    """`/Tag <</MCID n>> BDC` becomes `/Artifact BMC` for every n in `mcids`."""
    out, count, index = [], 0, 0
    while index < len(operations):
        window = operations[index : index + 3]
        if (
            len(window) == 3
            and isinstance(window[0], str)
            and window[0].startswith("/")
            and isinstance(window[1], pydyf.Dictionary)
            and window[1].get("MCID") in mcids
            and window[2] == b"BDC"
        ):
            out += ["/Artifact", b"BMC"]
            count += 1
            index += 3
        else:
            out.append(operations[index])
            index += 1
    return out, count


def _forget(pdf: pydyf.PDF, tree_root, page_index: int, mcids: set[int]) -> None:
    """Blank the parent-tree entries of content that is now an artifact."""
    parent_tree = _object(pdf, tree_root["ParentTree"])
    numbers = parent_tree["Nums"]
    for key, value in zip(numbers[::2], numbers[1::2], strict=True):
        if key == page_index and isinstance(value, pydyf.Array):
            for mcid in mcids:
                if mcid < len(value):
                    value[mcid] = NULL


def _reachable(pdf: pydyf.PDF, start) -> set[int]:
    seen: set[int] = set()
    pending = list(_kids(start))
    while pending:
        reference = pending.pop()
        number = _number(reference)
        if number in seen:
            continue
        seen.add(number)
        item = pdf.objects[number]
        if _is_element(item):
            pending.extend(_kids(item))
    return seen


def _kids(element) -> list[bytes]:
    kids = element.get("K", ())
    kids = kids if isinstance(kids, list | tuple) else [kids]
    return [kid for kid in kids if isinstance(kid, bytes)]


def _is_element(item) -> bool:
    return isinstance(item, pydyf.Dictionary) and item.get("Type") == "/StructElem"


def _number(reference: bytes) -> int:
    return int(reference.split()[0])


def _object(pdf: pydyf.PDF, reference: bytes):
    return pdf.objects[_number(reference)]
