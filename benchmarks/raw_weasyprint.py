"""Contender (b): WeasyPrint alone on the very HTML broadsheet typeset.

Run as a script in a fresh process, like the `weasyprint` command, with what
broadsheet gives the engine (the theme's stylesheets, one font configuration,
the email profile's 200 dpi picture cap and JPEG quality, a tagged PDF/UA-1)
and nothing broadsheet adds around it (validation, copy-fit layouts, the
finisher, verification). The difference to contender (a) is our overhead.

    python raw_weasyprint.py IN.html OUT.pdf [--css FILE]... [--extra-css TEXT] [--layout-only]
        [--again N]

Prints one JSON line: the seconds (wall, and CPU for import and layout) spent
importing, laying out and writing,
the pages laid out and the repagination passes, which the CSS experiments
read (the bench times the whole process itself). With `--again N` the same
HTML is then laid out and written N more times in the same process, with the
stylesheets and fonts already loaded: the engine's floor for any warm
rebuild, whose seconds (wall, CPU) it adds as `again`.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path


class PageLog(logging.Handler):
    """Pages the engine lays out (a page re-made by a repagination pass counts
    again, an up-to-date one does not), its repagination passes and the
    documents it lays out (its "Step 4"), from its progress log."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.laid_out = 0
        self.passes = 0
        self.documents = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "Creating layout - Page" in message and "up-to-date" not in message:
            self.laid_out += 1
        elif "Repagination" in message:
            self.passes += 1
        elif message.startswith("Step 4"):
            self.documents += 1


def main() -> None:
    options = argparse.ArgumentParser()
    options.add_argument("html", type=Path)
    options.add_argument("pdf", type=Path)
    options.add_argument("--css", type=Path, action="append", default=[])
    options.add_argument("--extra-css", default="")
    options.add_argument("--layout-only", action="store_true")
    options.add_argument("--again", type=int, default=0)
    args = options.parse_args()

    counter = PageLog()
    logging.getLogger("weasyprint.progress").addHandler(counter)
    logging.getLogger("weasyprint.progress").setLevel(logging.INFO)
    started, cpu_started = time.perf_counter(), time.process_time()
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    imported, cpu_imported = time.perf_counter(), time.process_time()
    fonts = FontConfiguration()
    sheets = [CSS(filename=str(path), font_config=fonts) for path in args.css]
    if args.extra_css:
        sheets.append(CSS(string=args.extra_css, font_config=fonts))
    html = HTML(filename=str(args.html))
    document = html.render(stylesheets=sheets, font_config=fonts, dpi=200, jpeg_quality=85)
    laid_out, cpu_laid_out = time.perf_counter(), time.process_time()
    if not args.layout_only:
        args.pdf.write_bytes(document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))
    written = time.perf_counter()
    again = []
    for _ in range(args.again):
        start, cpu = time.perf_counter(), time.process_time()
        document = HTML(filename=str(args.html)).render(
            stylesheets=sheets, font_config=fonts, dpi=200, jpeg_quality=85
        )
        args.pdf.write_bytes(document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))
        again.append((time.perf_counter() - start, time.process_time() - cpu))
    seconds = {
        "import": imported - started,
        "layout": laid_out - imported,
        "layout_cpu": cpu_laid_out - cpu_imported,
        "import_cpu": cpu_imported - cpu_started,
        "write": written - laid_out,
        "pages": len(document.pages),
        "pages_laid_out": counter.laid_out,
        "passes": counter.passes,
        "again": again,
    }
    print(json.dumps(seconds))


if __name__ == "__main__":
    main()
