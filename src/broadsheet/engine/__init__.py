"""The engine: the only package that imports WeasyPrint.

It lays out the HTML that `html/` renders, measures the pages for copy-fit,
and writes the finished PDF. `pipeline.build` imports it when a build
starts, so `broadsheet check` and `--help` never pay for the engine's import.

fontconfig reads FONTCONFIG_FILE when the engine makes its first font
configuration: it is set here, before any module of the engine imports
WeasyPrint, so the pages see the shipped fonts only and never depend on the
machine's own.
"""

import os
from pathlib import Path

FONTCONFIG_FILE = Path(__file__).parent / "fonts.conf"
os.environ["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)

from broadsheet.engine.copyfit import Layout, lay_out  # noqa: E402 (after FONTCONFIG_FILE)
from broadsheet.engine.session import Session  # noqa: E402

__all__ = ["FONTCONFIG_FILE", "Layout", "Session", "lay_out"]
