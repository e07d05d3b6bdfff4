"""Stage 5, finish: the document-level facts of the PDF, set as WeasyPrint writes it.

broadsheet finishes the PDF inside WeasyPrint's own writer (its `finisher`
hook) rather than parsing and rewriting the file afterwards with pypdf: the
result is the same, it costs nothing, and no second serialiser can change
bytes between builds. The title, language and dates come from the HTML head
that `render` wrote; this names the producer (in the document information
and in the XMP metadata, which PDF/A wants to agree), fixes the file
identifier, so that the same input gives the same bytes every time, and marks
the running heads and footers as artifacts (tagging.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from broadsheet import __version__
from broadsheet.tagging import mark_margins_as_artifacts


@dataclass(frozen=True)
class Finisher:
    """Called by WeasyPrint with the laid-out document and the PDF about to be written."""

    fingerprint: str  # what the PDF was made from, hashed into its /ID

    @property
    def identifier(self) -> bytes:
        return hashlib.md5(self.fingerprint.encode(), usedforsecurity=False).hexdigest().encode()

    def __call__(self, document, pdf) -> None:
        import pydyf
        from weasyprint import __version__ as engine_version

        producer = f"broadsheet {__version__} (WeasyPrint {engine_version})"
        pdf.info["Producer"] = pydyf.String(producer)
        pdf.info["Creator"] = pydyf.String(f"broadsheet {__version__}")
        if "Metadata" in pdf.catalog:
            xmp = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
            engine = f'pdf:Producer="WeasyPrint {engine_version}"'.encode()
            ours = f'pdf:Producer="{producer}"'.encode()
            xmp.stream = [part.replace(engine, ours) for part in xmp.stream]
        mark_margins_as_artifacts(pdf)
