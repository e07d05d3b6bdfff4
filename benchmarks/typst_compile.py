"""Contender (c): compile a Typst file with the `typst` package from PyPI,
in a fresh process (import and font loading included, as for the others).

    python typst_compile.py MAIN.typ OUT.pdf ROOT FONT_DIR
"""

from __future__ import annotations

import sys


def main() -> None:
    source, output, root, fonts = sys.argv[1:5]
    import typst

    typst.compile(source, output=output, root=root, font_paths=[fonts])


if __name__ == "__main__":
    main()
