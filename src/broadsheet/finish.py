"""Stage 5, finish: the document-level facts of the PDF, set as WeasyPrint writes it.

broadsheet finishes the PDF inside WeasyPrint's own writer (its `finisher`
hook) rather than parsing and rewriting the file afterwards with pypdf: the
result is the same, it costs nothing, and no second serialiser can change
bytes between builds. The title, language and dates come from the HTML head
that `render` wrote; this names the producer and fixes the file identifier,
so that the same input gives the same bytes every time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from broadsheet import __version__


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

        pdf.info["Producer"] = pydyf.String(
            f"broadsheet {__version__} (WeasyPrint {engine_version})"
        )
        pdf.info["Creator"] = pydyf.String(f"broadsheet {__version__}")
